//! `AWS::BedrockAgentCore::Memory` and `aws_bedrockagentcore_memory`.

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{AgentMemory, Identity};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::AgentMemory,
    cloudformation: &[CfnType::named("AWS::BedrockAgentCore::Memory")],
    terraform: &[TfType {
        name: "aws_bedrockagentcore_memory",
        reported_as: "AWS::BedrockAgentCore::Memory",
    }],
    properties: &[AgentMemory::ENCRYPTION_KEY],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::AgentMemory(AgentMemory {
        identity: Identity::declared(declared.name(&AgentMemory::NAME)),
        // A key chosen at deployment (a reference, a parameter) is still a key.
        encryption_key_arn: Fact::Known(declared.key(&AgentMemory::ENCRYPTION_KEY)),
    })
}
