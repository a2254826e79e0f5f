//! Amazon Bedrock custom models (fine-tuned, distilled, continued-pretrained).

use super::{Identity, Property, VpcConfig};
use crate::fact::Fact;

/// A Bedrock custom model (fine-tuned, distilled or continued-pretrained):
/// the KMS key of its weights, and the network of the customization job
/// that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomModel {
    pub identity: Identity,
    pub kms_key_arn: Fact<Option<String>>,
    /// The customization job that made it (`GetCustomModel.jobArn`).
    pub job_arn: Option<String>,
    /// The job's `vpcConfig`; read only for the rule on it (a
    /// `GetModelCustomizationJob`), unknown until then.
    pub job_vpc: Fact<Option<VpcConfig>>,
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
    pub const VPC_CONFIG: Property = Property {
        cloudformation: "VpcConfig",
        terraform: "vpc_config",
    };
    /// Why `job_vpc` is unknown before its lookup.
    pub const JOB_NOT_READ: &'static str = "not read: no chosen rule needs the customization job";

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        CustomModel {
            identity: identity.unread(reason),
            kms_key_arn: Fact::unknown(reason),
            job_arn: None,
            job_vpc: Fact::unknown(reason),
        }
    }
}
