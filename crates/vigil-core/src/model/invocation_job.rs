//! Amazon Bedrock batch inference jobs (model invocation jobs).

use super::{Identity, Property};
use crate::fact::Fact;

/// A batch inference job: the KMS key its output is written to S3 with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvocationJob {
    pub identity: Identity,
    /// `outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId`.
    pub output_kms_key: Fact<Option<String>>,
}

impl InvocationJob {
    /// No CloudFormation or Terraform type starts a batch inference job,
    /// so findings are live only; these name the request's field.
    pub const OUTPUT_KMS_KEY: Property = Property {
        cloudformation: "OutputDataConfig.S3OutputDataConfig.S3EncryptionKeyId",
        terraform: "output_data_config.s3_output_data_config.s3_encryption_key_id",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        InvocationJob {
            identity: identity.unread(reason),
            output_kms_key: Fact::unknown(reason),
        }
    }
}
