//! Training jobs.

use super::{Identity, Property, VpcConfig};
use crate::fact::Fact;

/// A training job as `DescribeTrainingJob` tells it, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingJob {
    pub identity: Identity,
    pub network_isolation: Fact<bool>,
    pub vpc: Fact<Option<VpcConfig>>,
    pub inter_container_encryption: Fact<bool>,
    /// Instances across all instance groups; more than one is distributed training.
    pub instance_count: Fact<u32>,
    /// The instance types it ran on (one per instance group).
    pub instance_types: Fact<Vec<String>>,
    /// `ResourceConfig.VolumeKmsKeyId`: the key of its ML storage volumes.
    pub volume_kms_key_id: Fact<Option<String>>,
    /// `OutputDataConfig.KmsKeyId`: the key of the model artefacts it wrote to S3.
    pub output_kms_key_id: Fact<Option<String>>,
    /// `RoleArn`, and whether that role still exists (looked up only when
    /// a chosen rule needs it, as for models).
    pub role_arn: Fact<Option<String>>,
    pub role_exists: Fact<bool>,
}

/// Training jobs are started by code, not declared in templates: their
/// paths are the API's, for reports.
impl TrainingJob {
    pub const NETWORK_ISOLATION: Property = Property {
        cloudformation: "EnableNetworkIsolation",
        terraform: "enable_network_isolation",
    };
    pub const VPC_CONFIG: Property = Property {
        cloudformation: "VpcConfig",
        terraform: "vpc_config",
    };
    pub const INTER_CONTAINER_ENCRYPTION: Property = Property {
        cloudformation: "EnableInterContainerTrafficEncryption",
        terraform: "enable_inter_container_traffic_encryption",
    };
    /// The volume key; the rule on it reads the output key as well.
    pub const VOLUME_KMS_KEY_ID: Property = Property {
        cloudformation: "ResourceConfig.VolumeKmsKeyId",
        terraform: "resource_config.volume_kms_key_id",
    };

    /// Listed, but not described: every property unknown for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        TrainingJob {
            identity: identity.unread(reason),
            network_isolation: Fact::unknown(reason),
            vpc: Fact::unknown(reason),
            inter_container_encryption: Fact::unknown(reason),
            instance_count: Fact::unknown(reason),
            instance_types: Fact::unknown(reason),
            volume_kms_key_id: Fact::unknown(reason),
            output_kms_key_id: Fact::unknown(reason),
            role_arn: Fact::unknown(reason),
            role_exists: Fact::unknown(reason),
        }
    }
}
