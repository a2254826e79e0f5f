//! `AWS::Bedrock::Guardrail` and `aws_bedrock_guardrail`.

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{Guardrail, GuardrailFilter, Identity};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::Guardrail,
    cloudformation: &[CfnType::named("AWS::Bedrock::Guardrail")],
    terraform: &[TfType {
        name: "aws_bedrock_guardrail",
        reported_as: "AWS::Bedrock::Guardrail",
    }],
    properties: &[
        Guardrail::CONTENT_FILTERS,
        Guardrail::PII_ENTITIES,
        Guardrail::REGEXES,
        Guardrail::GROUNDING_FILTERS,
        Guardrail::KMS_KEY,
    ],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    let filters = |property, setting| {
        declared.each(property, |filter| GuardrailFilter {
            kind: filter.text(&Guardrail::FILTER_TYPE),
            setting: filter.text(setting),
        })
    };
    let actions = |property| declared.each(property, |filter| filter.text(&Guardrail::ACTION));
    let sensitive_actions = match (actions(&Guardrail::PII_ENTITIES), actions(&Guardrail::REGEXES)) {
        (Fact::Known(mut entities), Fact::Known(regexes)) => {
            entities.extend(regexes);
            Fact::Known(entities)
        }
        // One list decided at deployment: the other's filters may still act.
        (Fact::Unknown(why), Fact::Known(known)) | (Fact::Known(known), Fact::Unknown(why)) => {
            Fact::Known(known.into_iter().chain([Fact::Unknown(why)]).collect())
        }
        (Fact::Unknown(why), Fact::Unknown(_)) => Fact::Unknown(why),
    };
    Resource::Guardrail(Guardrail {
        identity: Identity::declared(declared.name(&Guardrail::NAME)),
        content_filters: filters(&Guardrail::CONTENT_FILTERS, &Guardrail::INPUT_STRENGTH),
        sensitive_actions,
        grounding_filters: filters(&Guardrail::GROUNDING_FILTERS, &Guardrail::THRESHOLD),
        // A key chosen at deployment (a reference, a parameter) is still a key.
        kms_key_arn: Fact::Known(declared.key(&Guardrail::KMS_KEY)),
    })
}
