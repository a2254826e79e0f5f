//! `AWS::Bedrock::Agent` and `aws_bedrockagent_agent`.

use super::{CfnType, Declared, Kind, Raw, TfType};
use vigil_core::model::{BedrockAgent, Identity};
use vigil_core::{Fact, Property, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::BedrockAgent,
    cloudformation: &[CfnType::named("AWS::Bedrock::Agent")],
    terraform: &[TfType {
        name: "aws_bedrockagent_agent",
        reported_as: "AWS::Bedrock::Agent",
    }],
    properties: &[BedrockAgent::GUARDRAIL, BedrockAgent::KMS_KEY, BedrockAgent::ROLE_ARN],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::BedrockAgent(BedrockAgent {
        identity: Identity::declared(declared.name(&BedrockAgent::NAME)),
        guardrail: guardrail(declared),
        // A key chosen at deployment (a reference, a parameter) is still a key.
        kms_key_arn: Fact::Known(declared.key(&BedrockAgent::KMS_KEY)),
        role_arn: Fact::Known(declared.named(&BedrockAgent::ROLE_ARN)),
        role_policies: declared.role_policies(&BedrockAgent::ROLE_ARN),
        // A template holds some of the account's agents, never all.
        role_shared_with: Fact::unknown(BedrockAgent::SHARING_NOT_READ),
    })
}

/// The guardrail the agent names. An identifier decided at deployment (a
/// guardrail declared beside it, a parameter, a variable) is a guardrail,
/// as a key chosen at deployment is a key: the block that names it is
/// written. When the block itself is decided at deployment
/// (`guardrail_configuration = var.maybe`, `!If`), whether there is a
/// guardrail at all is unknown.
fn guardrail(declared: &Declared) -> Fact<Option<String>> {
    guardrail_named(
        declared,
        &BedrockAgent::GUARDRAIL_CONFIGURATION,
        &BedrockAgent::GUARDRAIL,
    )
}

/// The guardrail that `identifier`, inside the `block` that configures it,
/// names (agents and flow nodes write theirs alike).
pub(super) fn guardrail_named(declared: &Declared, block: &Property, identifier: &Property) -> Fact<Option<String>> {
    if let Raw::Unresolved { why, .. } = declared.props.value(block) {
        return Fact::Unknown(why);
    }
    match declared.props.value(identifier) {
        Raw::Unset | Raw::Bool(_) | Raw::Block => Fact::Known(None),
        Raw::Text(text) => Fact::Known(Some(text).filter(|t| !t.trim().is_empty())),
        Raw::Unresolved { written, .. } => Fact::Known(Some(declared.props.reference(identifier).unwrap_or(written))),
    }
}
