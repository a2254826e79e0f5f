//! Model-monitoring job definitions and schedules.

use super::{Identity, IsolatableJob, Property};
use crate::fact::Fact;

/// A model-monitoring job definition (data quality, model quality, bias,
/// explainability) or a schedule, judged on the definition it embeds or
/// names: what its monitoring jobs run with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoringJob {
    pub identity: Identity,
    /// Its CloudFormation type: a definition type or the schedule's.
    pub type_name: &'static str,
    pub settings: MonitoringSettings,
}

/// The settings of a monitoring job definition. Paths are spelled as a
/// schedule's embedded `MonitoringJobDefinition` spells them; each
/// definition type renames the resources and output blocks (its kind
/// table says how), and Terraform declares only data-quality definitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoringSettings {
    pub network_isolation: Fact<bool>,
    pub inter_container_encryption: Fact<bool>,
    pub instance_count: Fact<u32>,
    pub instance_type: Fact<Option<String>>,
    pub volume_kms_key_id: Fact<Option<String>>,
    pub output_kms_key_id: Fact<Option<String>>,
}

impl MonitoringSettings {
    /// Nothing could be read, for one reason.
    pub fn unreadable(reason: &str) -> Self {
        MonitoringSettings {
            network_isolation: Fact::unknown(reason),
            inter_container_encryption: Fact::unknown(reason),
            instance_count: Fact::unknown(reason),
            instance_type: Fact::unknown(reason),
            volume_kms_key_id: Fact::unknown(reason),
            output_kms_key_id: Fact::unknown(reason),
        }
    }
}

impl MonitoringJob {
    /// The name a definition declares.
    pub const NAME: Property = Property {
        cloudformation: "JobDefinitionName",
        terraform: "name",
    };
    pub const NETWORK_ISOLATION: Property = IsolatableJob::NETWORK_ISOLATION;
    pub const INTER_CONTAINER_ENCRYPTION: Property = Property {
        cloudformation: "NetworkConfig.EnableInterContainerTrafficEncryption",
        terraform: "network_config.enable_inter_container_traffic_encryption",
    };
    pub const INSTANCE_COUNT: Property = Property {
        cloudformation: "MonitoringResources.ClusterConfig.InstanceCount",
        terraform: "job_resources.cluster_config.instance_count",
    };
    pub const INSTANCE_TYPE: Property = Property {
        cloudformation: "MonitoringResources.ClusterConfig.InstanceType",
        terraform: "job_resources.cluster_config.instance_type",
    };
    pub const VOLUME_KMS_KEY_ID: Property = Property {
        cloudformation: "MonitoringResources.ClusterConfig.VolumeKmsKeyId",
        terraform: "job_resources.cluster_config.volume_kms_key_id",
    };
    pub const OUTPUT_KMS_KEY_ID: Property = Property {
        cloudformation: "MonitoringOutputConfig.KmsKeyId",
        terraform: "data_quality_job_output_config.kms_key_id",
    };

    /// What reports call it: `DataQualityJobDefinition fraud-dq`.
    pub fn described(&self) -> String {
        format!(
            "{} {}",
            self.type_name.trim_start_matches("AWS::SageMaker::"),
            self.identity.name
        )
    }
}
