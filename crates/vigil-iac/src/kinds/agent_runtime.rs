//! `AWS::BedrockAgentCore::Runtime` and `aws_bedrockagentcore_agent_runtime`.

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{AgentRuntime, Identity};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::AgentRuntime,
    cloudformation: &[CfnType::named("AWS::BedrockAgentCore::Runtime")],
    terraform: &[TfType {
        name: "aws_bedrockagentcore_agent_runtime",
        reported_as: "AWS::BedrockAgentCore::Runtime",
    }],
    properties: &[
        AgentRuntime::NETWORK_MODE,
        AgentRuntime::JWT_DISCOVERY_URL,
        AgentRuntime::FORWARDED_HEADERS,
    ],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::AgentRuntime(AgentRuntime {
        identity: Identity::declared(declared.name(&AgentRuntime::NAME)),
        network_mode: declared.text(&AgentRuntime::NETWORK_MODE),
        jwt_authorizer: Fact::Known(declared.written(&AgentRuntime::JWT_DISCOVERY_URL).is_some()),
        forwarded_headers: declared.strings(&AgentRuntime::FORWARDED_HEADERS),
    })
}
