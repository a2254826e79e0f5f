//! Amazon Bedrock custom models (fine-tuned, distilled, continued-pretrained).

use super::{Identity, Property};
use crate::fact::Fact;

/// A Bedrock custom model (fine-tuned, distilled or continued-pretrained):
/// the KMS key of its weights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomModel {
    pub identity: Identity,
    pub kms_key_arn: Fact<Option<String>>,
}

impl CustomModel {
    /// Terraform declares a custom model by its customization job
    /// (`aws_bedrock_custom_model`); CloudFormation has no type for it.
    pub const NAME: Property = Property {
        cloudformation: "CustomModelName",
        terraform: "custom_model_name",
    };
    pub const KMS_KEY: Property = Property {
        cloudformation: "CustomModelKmsKeyId",
        terraform: "custom_model_kms_key_id",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        CustomModel {
            identity: identity.unread(reason),
            kms_key_arn: Fact::unknown(reason),
        }
    }
}
