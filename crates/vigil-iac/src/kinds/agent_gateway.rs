//! `AWS::BedrockAgentCore::Gateway` and `aws_bedrockagentcore_gateway`.

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{AgentGateway, Identity};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::AgentGateway,
    cloudformation: &[CfnType::named("AWS::BedrockAgentCore::Gateway")],
    terraform: &[TfType {
        name: "aws_bedrockagentcore_gateway",
        reported_as: "AWS::BedrockAgentCore::Gateway",
    }],
    properties: &[
        AgentGateway::AUTHORIZER_TYPE,
        AgentGateway::KMS_KEY,
        AgentGateway::EXCEPTION_LEVEL,
        AgentGateway::POLICY_ENGINE_MODE,
    ],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::AgentGateway(AgentGateway {
        identity: Identity::declared(declared.name(&AgentGateway::NAME)),
        authorizer_type: declared.text(&AgentGateway::AUTHORIZER_TYPE),
        // A key chosen at deployment (a reference, a parameter) is still a key.
        kms_key_arn: Fact::Known(declared.key(&AgentGateway::KMS_KEY)),
        exception_level: declared.text(&AgentGateway::EXCEPTION_LEVEL),
        policy_engine_mode: declared.text(&AgentGateway::POLICY_ENGINE_MODE),
    })
}
