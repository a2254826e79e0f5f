//! Amazon Bedrock imported models (Custom Model Import: open-weight models
//! brought from S3 or SageMaker).

use super::{Identity, Property};
use crate::fact::Fact;

/// A model imported into Bedrock: the KMS key of its weights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedModel {
    pub identity: Identity,
    pub kms_key_arn: Fact<Option<String>>,
}

impl ImportedModel {
    /// `CreateModelImportJob`'s `importedModelKmsKeyId`: no CloudFormation
    /// or Terraform type imports a model, so findings are live only.
    pub const KMS_KEY: Property = Property {
        cloudformation: "ImportedModelKmsKeyId",
        terraform: "imported_model_kms_key_id",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        ImportedModel {
            identity: identity.unread(reason),
            kms_key_arn: Fact::unknown(reason),
        }
    }
}
