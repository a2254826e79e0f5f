//! `AWS::Bedrock::Prompt` and `aws_bedrockagent_prompt`.

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{BedrockPrompt, Identity};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::BedrockPrompt,
    cloudformation: &[CfnType::named("AWS::Bedrock::Prompt")],
    terraform: &[TfType {
        name: "aws_bedrockagent_prompt",
        reported_as: "AWS::Bedrock::Prompt",
    }],
    properties: &[BedrockPrompt::KMS_KEY],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::BedrockPrompt(BedrockPrompt {
        identity: Identity::declared(declared.name(&BedrockPrompt::NAME)),
        // A key chosen at deployment (a reference, a parameter) is still a key.
        kms_key_arn: Fact::Known(declared.key(&BedrockPrompt::KMS_KEY)),
    })
}
