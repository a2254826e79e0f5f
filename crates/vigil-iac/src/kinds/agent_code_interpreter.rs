//! `AWS::BedrockAgentCore::CodeInterpreterCustom` and
//! `aws_bedrockagentcore_code_interpreter`.

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{AgentCodeInterpreter, Identity};
use vigil_core::{Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::AgentCodeInterpreter,
    cloudformation: &[CfnType::named("AWS::BedrockAgentCore::CodeInterpreterCustom")],
    terraform: &[TfType {
        name: "aws_bedrockagentcore_code_interpreter",
        reported_as: "AWS::BedrockAgentCore::CodeInterpreterCustom",
    }],
    properties: &[AgentCodeInterpreter::NETWORK_MODE],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::AgentCodeInterpreter(AgentCodeInterpreter {
        identity: Identity::declared(declared.name(&AgentCodeInterpreter::NAME)),
        network_mode: declared.text(&AgentCodeInterpreter::NETWORK_MODE),
    })
}
