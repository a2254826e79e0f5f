//! SageMaker HyperPod clusters, their instance groups and volumes.

use super::{Identity, Property};
use crate::fact::Fact;

/// A SageMaker HyperPod cluster: its instance groups and the EBS volumes
/// each of their instances gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HyperPodCluster {
    pub identity: Identity,
    pub instance_groups: Fact<Vec<ClusterInstanceGroup>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterInstanceGroup {
    pub name: String,
    /// The EBS volumes configured for it (`EbsVolumeConfig` storage
    /// configurations); a root volume not configured here is encrypted with
    /// a key AWS owns.
    pub volumes: Fact<Vec<ClusterVolume>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterVolume {
    /// The root volume (`RootVolume: true`), or the secondary one mounted
    /// at `/opt/sagemaker`.
    pub root: bool,
    pub kms_key_id: Option<String>,
}

impl HyperPodCluster {
    pub const NAME: Property = Property {
        cloudformation: "ClusterName",
        terraform: "cluster_name",
    };
    pub const INSTANCE_GROUPS: Property = Property {
        cloudformation: "InstanceGroups",
        terraform: "instance_groups",
    };
    pub const GROUP_NAME: Property = Property {
        cloudformation: "InstanceGroupName",
        terraform: "instance_group_name",
    };
    /// A group's storage configurations, read from each group.
    pub const STORAGE_CONFIGS: Property = Property {
        cloudformation: "InstanceStorageConfigs",
        terraform: "instance_storage_configs",
    };
    /// Read from each storage configuration.
    pub const EBS_VOLUME: Property = Property {
        cloudformation: "EbsVolumeConfig",
        terraform: "ebs_volume_config",
    };
    pub const ROOT_VOLUME: Property = Property {
        cloudformation: "EbsVolumeConfig.RootVolume",
        terraform: "ebs_volume_config.root_volume",
    };
    pub const VOLUME_KMS_KEY_ID: Property = Property {
        cloudformation: "EbsVolumeConfig.VolumeKmsKeyId",
        terraform: "ebs_volume_config.volume_kms_key_id",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        HyperPodCluster {
            identity: identity.unread(reason),
            instance_groups: Fact::unknown(reason),
        }
    }
}
