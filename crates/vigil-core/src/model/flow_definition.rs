//! Augmented AI flow definitions (human-review workflows).

use super::{Identity, Property};
use crate::fact::Fact;

/// An Augmented AI flow definition (a human-review workflow): the key of
/// the review results it writes to S3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowDefinition {
    pub identity: Identity,
    pub output_kms_key_id: Fact<Option<String>>,
}

impl FlowDefinition {
    pub const NAME: Property = Property {
        cloudformation: "FlowDefinitionName",
        terraform: "flow_definition_name",
    };
    pub const OUTPUT_KMS_KEY_ID: Property = Property {
        cloudformation: "OutputConfig.KmsKeyId",
        terraform: "output_config.kms_key_id",
    };
}
