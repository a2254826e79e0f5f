//! `AWS::BedrockAgentCore::Runtime` and `aws_bedrockagentcore_agent_runtime`.

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{AgentRuntime, Identity};
use vigil_core::{Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::AgentRuntime,
    cloudformation: &[CfnType::named("AWS::BedrockAgentCore::Runtime")],
    terraform: &[TfType {
        name: "aws_bedrockagentcore_agent_runtime",
        reported_as: "AWS::BedrockAgentCore::Runtime",
    }],
    properties: &[AgentRuntime::NETWORK_MODE],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::AgentRuntime(AgentRuntime {
        identity: Identity::declared(declared.name(&AgentRuntime::NAME)),
        network_mode: declared.text(&AgentRuntime::NETWORK_MODE),
    })
}
