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
