//! Amazon Bedrock guardrails.

use super::{Identity, Property};
use crate::fact::Fact;

/// One filter of a guardrail's policy: its type (`PROMPT_ATTACK`,
/// `GROUNDING`, …) and its setting (a content filter's input strength, a
/// grounding filter's threshold), as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardrailFilter {
    pub kind: Fact<Option<String>>,
    pub setting: Fact<Option<String>>,
}

/// A filter's type (upper-cased) and its setting, as a rule looks them up.
pub type FilterOfKind<'a> = (String, &'a Fact<Option<String>>);

impl GuardrailFilter {
    /// A policy's filters by type (upper-cased), each with its setting.
    /// `Err` with the reason when the list, or any filter's type, could not
    /// be read: the filter a rule looks for may be the unread one.
    pub fn by_kind(filters: &Fact<Vec<GuardrailFilter>>) -> Result<Vec<FilterOfKind<'_>>, &String> {
        let filters = match filters {
            Fact::Unknown(why) => return Err(why),
            Fact::Known(filters) => filters,
        };
        let mut kinds = Vec::new();
        for filter in filters {
            match &filter.kind {
                Fact::Unknown(why) => return Err(why),
                Fact::Known(kind) => {
                    kinds.extend(kind.as_deref().map(|kind| (kind.to_ascii_uppercase(), &filter.setting)))
                }
            }
        }
        Ok(kinds)
    }
}

/// A Bedrock guardrail (its working draft): the filters that screen
/// prompts and answers, and the KMS key of its policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guardrail {
    pub identity: Identity,
    pub content_filters: Fact<Vec<GuardrailFilter>>,
    /// The action of each sensitive-information filter, PII entities and
    /// regular expressions alike (`BLOCK`, `ANONYMIZE`, `NONE`).
    pub sensitive_actions: Fact<Vec<Fact<Option<String>>>>,
    pub grounding_filters: Fact<Vec<GuardrailFilter>>,
    pub kms_key_arn: Fact<Option<String>>,
}

impl Guardrail {
    pub const NAME: Property = Property {
        cloudformation: "Name",
        terraform: "name",
    };
    pub const CONTENT_FILTERS: Property = Property {
        cloudformation: "ContentPolicyConfig.FiltersConfig",
        terraform: "content_policy_config.filters_config",
    };
    pub const FILTER_TYPE: Property = Property {
        cloudformation: "Type",
        terraform: "type",
    };
    pub const INPUT_STRENGTH: Property = Property {
        cloudformation: "InputStrength",
        terraform: "input_strength",
    };
    pub const PII_ENTITIES: Property = Property {
        cloudformation: "SensitiveInformationPolicyConfig.PiiEntitiesConfig",
        terraform: "sensitive_information_policy_config.pii_entities_config",
    };
    pub const REGEXES: Property = Property {
        cloudformation: "SensitiveInformationPolicyConfig.RegexesConfig",
        terraform: "sensitive_information_policy_config.regexes_config",
    };
    pub const ACTION: Property = Property {
        cloudformation: "Action",
        terraform: "action",
    };
    pub const GROUNDING_FILTERS: Property = Property {
        cloudformation: "ContextualGroundingPolicyConfig.FiltersConfig",
        terraform: "contextual_grounding_policy_config.filters_config",
    };
    pub const KMS_KEY: Property = Property {
        cloudformation: "KmsKeyArn",
        terraform: "kms_key_arn",
    };
    pub const THRESHOLD: Property = Property {
        cloudformation: "Threshold",
        terraform: "threshold",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        Guardrail {
            identity: identity.unread(reason),
            content_filters: Fact::unknown(reason),
            sensitive_actions: Fact::unknown(reason),
            grounding_filters: Fact::unknown(reason),
            kms_key_arn: Fact::unknown(reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_by_kind_are_unknown_when_any_type_is() {
        let filter = |kind: Fact<Option<String>>| GuardrailFilter {
            kind,
            setting: Fact::Known(Some("HIGH".into())),
        };
        let read = Fact::Known(vec![filter(Fact::Known(Some("prompt_attack".into())))]);
        let kinds = GuardrailFilter::by_kind(&read).unwrap();
        assert_eq!(kinds.len(), 1);
        assert_eq!(kinds[0].0, "PROMPT_ATTACK");
        let unread = Fact::Known(vec![
            filter(Fact::Known(Some("HATE".into()))),
            filter(Fact::unknown("Type is !Ref T, which has no default")),
        ]);
        assert_eq!(
            GuardrailFilter::by_kind(&unread).unwrap_err(),
            "Type is !Ref T, which has no default"
        );
    }
}
