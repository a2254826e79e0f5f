//! Normalised resources: what a collector reads from AWS and what a template
//! reader maps CloudFormation or Terraform onto. Rules see only these.

use crate::fact::Fact;
use serde::Serialize;

/// The kinds of resource Vigil knows; a rule applies to exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ResourceKind {
    #[serde(rename = "AWS::SageMaker::Model")]
    SageMakerModel,
    #[serde(rename = "AWS::SageMaker::NotebookInstance")]
    NotebookInstance,
    #[serde(rename = "AWS::SageMaker::Domain")]
    Domain,
    #[serde(rename = "AWS::SageMaker::TrainingJob")]
    TrainingJob,
    #[serde(rename = "AWS::SageMaker::ProcessingJob")]
    ProcessingJob,
    #[serde(rename = "AWS::SageMaker::HyperParameterTuningJob")]
    TuningJob,
    /// Data-quality, model-quality, bias and explainability job definitions,
    /// and monitoring schedules.
    #[serde(rename = "AWS::SageMaker::MonitoringJob")]
    MonitoringJob,
    #[serde(rename = "AWS::SageMaker::EndpointConfig")]
    EndpointConfig,
    #[serde(rename = "AWS::SageMaker::Endpoint")]
    Endpoint,
    #[serde(rename = "AWS::SageMaker::FeatureGroup")]
    FeatureGroup,
    #[serde(rename = "AWS::SageMaker::Cluster")]
    HyperPodCluster,
    #[serde(rename = "AWS::SageMaker::NotebookInstanceLifecycleConfig")]
    NotebookLifecycleConfig,
    /// Studio images and app image configurations.
    #[serde(rename = "AWS::SageMaker::Image")]
    StudioImage,
    #[serde(rename = "AWS::SageMaker::InferenceExperiment")]
    InferenceExperiment,
    /// Augmented AI human-review workflows; CloudFormation has no type for
    /// them, so reports use the API's name.
    #[serde(rename = "AWS::SageMaker::FlowDefinition")]
    FlowDefinition,
    /// The model registry of a region (its model package groups), which no
    /// type declares: reports name it by this.
    #[serde(rename = "AWS::SageMaker::ModelRegistry")]
    ModelRegistry,
}

impl ResourceKind {
    /// The CloudFormation type name, which also names the kind in reports.
    pub fn type_name(self) -> &'static str {
        match self {
            ResourceKind::SageMakerModel => "AWS::SageMaker::Model",
            ResourceKind::NotebookInstance => "AWS::SageMaker::NotebookInstance",
            ResourceKind::Domain => "AWS::SageMaker::Domain",
            ResourceKind::TrainingJob => "AWS::SageMaker::TrainingJob",
            ResourceKind::ProcessingJob => "AWS::SageMaker::ProcessingJob",
            ResourceKind::TuningJob => "AWS::SageMaker::HyperParameterTuningJob",
            ResourceKind::MonitoringJob => "AWS::SageMaker::MonitoringSchedule",
            ResourceKind::EndpointConfig => "AWS::SageMaker::EndpointConfig",
            ResourceKind::Endpoint => "AWS::SageMaker::Endpoint",
            ResourceKind::FeatureGroup => "AWS::SageMaker::FeatureGroup",
            ResourceKind::HyperPodCluster => "AWS::SageMaker::Cluster",
            ResourceKind::NotebookLifecycleConfig => "AWS::SageMaker::NotebookInstanceLifecycleConfig",
            ResourceKind::StudioImage => "AWS::SageMaker::Image",
            ResourceKind::InferenceExperiment => "AWS::SageMaker::InferenceExperiment",
            ResourceKind::FlowDefinition => "AWS::SageMaker::FlowDefinition",
            ResourceKind::ModelRegistry => "AWS::SageMaker::ModelRegistry",
        }
    }
}

/// Every resource a rule can judge.
#[derive(Debug, Clone)]
pub enum Resource {
    SageMakerModel(SageMakerModel),
    NotebookInstance(NotebookInstance),
    Domain(Domain),
    TrainingJob(TrainingJob),
    ProcessingJob(IsolatableJob),
    TuningJob(IsolatableJob),
    /// A monitoring job definition or schedule.
    MonitoringJob(MonitoringJob),
    EndpointConfig(EndpointConfig),
    Endpoint(Endpoint),
    FeatureGroup(FeatureGroup),
    HyperPodCluster(HyperPodCluster),
    NotebookLifecycleConfig(NotebookLifecycleConfig),
    StudioImage(StudioImage),
    InferenceExperiment(InferenceExperiment),
    FlowDefinition(FlowDefinition),
    ModelRegistry(ModelRegistry),
}

impl Resource {
    pub fn kind(&self) -> ResourceKind {
        match self {
            Resource::SageMakerModel(_) => ResourceKind::SageMakerModel,
            Resource::NotebookInstance(_) => ResourceKind::NotebookInstance,
            Resource::Domain(_) => ResourceKind::Domain,
            Resource::TrainingJob(_) => ResourceKind::TrainingJob,
            Resource::ProcessingJob(_) => ResourceKind::ProcessingJob,
            Resource::TuningJob(_) => ResourceKind::TuningJob,
            Resource::MonitoringJob(..) => ResourceKind::MonitoringJob,
            Resource::EndpointConfig(_) => ResourceKind::EndpointConfig,
            Resource::Endpoint(_) => ResourceKind::Endpoint,
            Resource::FeatureGroup(_) => ResourceKind::FeatureGroup,
            Resource::HyperPodCluster(_) => ResourceKind::HyperPodCluster,
            Resource::NotebookLifecycleConfig(_) => ResourceKind::NotebookLifecycleConfig,
            Resource::StudioImage(_) => ResourceKind::StudioImage,
            Resource::InferenceExperiment(_) => ResourceKind::InferenceExperiment,
            Resource::FlowDefinition(_) => ResourceKind::FlowDefinition,
            Resource::ModelRegistry(_) => ResourceKind::ModelRegistry,
        }
    }

    /// The CloudFormation type reports name: the kind's, or for monitoring
    /// jobs the precise definition or schedule type.
    pub fn type_name(&self) -> &'static str {
        match self {
            Resource::MonitoringJob(job) => job.type_name,
            Resource::StudioImage(image) => image.type_name,
            other => other.kind().type_name(),
        }
    }

    /// Name, ARN, account and region, whatever the kind.
    pub fn identity(&self) -> &Identity {
        match self {
            Resource::SageMakerModel(m) => &m.identity,
            Resource::NotebookInstance(n) => &n.identity,
            Resource::Domain(d) => &d.identity,
            Resource::TrainingJob(j) => &j.identity,
            Resource::ProcessingJob(j) | Resource::TuningJob(j) => &j.identity,
            Resource::MonitoringJob(j) => &j.identity,
            Resource::EndpointConfig(c) => &c.identity,
            Resource::Endpoint(e) => &e.identity,
            Resource::FeatureGroup(g) => &g.identity,
            Resource::HyperPodCluster(c) => &c.identity,
            Resource::NotebookLifecycleConfig(c) => &c.identity,
            Resource::StudioImage(i) => &i.identity,
            Resource::InferenceExperiment(e) => &e.identity,
            Resource::FlowDefinition(f) => &f.identity,
            Resource::ModelRegistry(r) => &r.identity,
        }
    }
}

/// Where a resource is: its name, and for a live one its ARN and the
/// account and region the ARN places it in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    pub name: String,
    pub arn: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
}

impl Identity {
    /// A live resource, placed by its ARN.
    pub fn from_arn(name: String, arn: Option<String>) -> Self {
        Identity {
            account: arn.as_deref().and_then(account_of_arn),
            region: arn.as_deref().and_then(region_of_arn),
            name,
            arn,
        }
    }

    /// A resource declared in a template: a name, not yet anywhere.
    pub fn declared(name: String) -> Self {
        Identity {
            name,
            ..Identity::default()
        }
    }
}

/// A property as CloudFormation and Terraform spell its path (dots step
/// into nested objects or blocks). Declared once, next to the field it
/// fills; rules point at it and the template readers look it up by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Property {
    pub cloudformation: &'static str,
    pub terraform: &'static str,
}

impl Property {
    /// What only the live account can tell (whether a role still exists):
    /// a rule that points here judges audits only, never templates.
    pub const LIVE_ONLY: Property = Property {
        cloudformation: "",
        terraform: "",
    };

    pub fn is_live_only(&self) -> bool {
        *self == Property::LIVE_ONLY
    }
}

/// A job whose only property a rule reads is its isolation flag:
/// processing jobs and tuning jobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsolatableJob {
    pub identity: Identity,
    pub network_isolation: Fact<bool>,
}

impl IsolatableJob {
    pub fn new(identity: Identity, network_isolation: Fact<bool>) -> Self {
        IsolatableJob {
            identity,
            network_isolation,
        }
    }

    pub const NETWORK_ISOLATION: Property = Property {
        cloudformation: "NetworkConfig.EnableNetworkIsolation",
        terraform: "network_config.enable_network_isolation",
    };
    /// A tuning job's flag lives in its training-job definition.
    pub const TUNING_NETWORK_ISOLATION: Property = Property {
        cloudformation: "TrainingJobDefinition.EnableNetworkIsolation",
        terraform: "training_job_definition.enable_network_isolation",
    };
}

/// The model registry of one region: whether it has model package groups
/// and an approved model version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRegistry {
    pub identity: Identity,
    pub has_groups: Fact<bool>,
    pub has_approved_version: Fact<bool>,
}

impl ModelRegistry {
    /// Where findings point: the registry has no property of its own.
    pub const PACKAGE_GROUPS: Property = Property {
        cloudformation: "ModelPackageGroups",
        terraform: "model_package_groups",
    };

    /// The registry's identifier, in ARN form so findings place it in its
    /// account and region (the partition follows the region).
    pub fn arn(region: &str, account: &str) -> String {
        let partition = match region {
            r if r.starts_with("cn-") => "aws-cn",
            r if r.starts_with("us-gov-") => "aws-us-gov",
            _ => "aws",
        };
        format!("arn:{partition}:sagemaker:{region}:{account}:model-registry/default")
    }
}

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

/// A shadow-mode inference experiment: the key of its instances' storage
/// volumes, where it keeps the requests and responses it captures, and the
/// instance types of its variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InferenceExperiment {
    pub identity: Identity,
    pub kms_key_id: Fact<Option<String>>,
    pub data_storage: Fact<Option<KeyedStore>>,
    pub instance_types: Fact<Vec<String>>,
}

impl InferenceExperiment {
    pub const NAME: Property = Property {
        cloudformation: "Name",
        terraform: "name",
    };
    pub const KMS_KEY: Property = Property {
        cloudformation: "KmsKey",
        terraform: "kms_key",
    };
    pub const DATA_STORAGE: Property = Property {
        cloudformation: "DataStorageConfig",
        terraform: "data_storage_config",
    };
    pub const DATA_KMS_KEY: Property = Property {
        cloudformation: "DataStorageConfig.KmsKey",
        terraform: "data_storage_config.kms_key",
    };
    pub const MODEL_VARIANTS: Property = Property {
        cloudformation: "ModelVariants",
        terraform: "model_variants",
    };
    /// Read from each variant.
    pub const VARIANT_INSTANCE_TYPE: Property = Property {
        cloudformation: "InfrastructureConfig.RealTimeInferenceConfig.InstanceType",
        terraform: "infrastructure_config.real_time_inference_config.instance_type",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        InferenceExperiment {
            identity,
            kms_key_id: Fact::unknown(reason),
            data_storage: Fact::unknown(reason),
            instance_types: Fact::unknown(reason),
        }
    }
}

/// A SageMaker Studio image (`AWS::SageMaker::Image`) or app image
/// configuration (`AWS::SageMaker::AppImageConfig`), and its tag keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudioImage {
    pub identity: Identity,
    pub type_name: &'static str,
    pub tag_keys: Fact<Vec<String>>,
}

impl StudioImage {
    pub const IMAGE: &'static str = "AWS::SageMaker::Image";
    pub const APP_IMAGE_CONFIG: &'static str = "AWS::SageMaker::AppImageConfig";
    pub const IMAGE_NAME: Property = Property {
        cloudformation: "ImageName",
        terraform: "image_name",
    };
    pub const APP_IMAGE_CONFIG_NAME: Property = Property {
        cloudformation: "AppImageConfigName",
        terraform: "app_image_config_name",
    };
    pub const TAGS: Property = Property {
        cloudformation: "Tags",
        terraform: "tags",
    };
    /// What a Terraform plan says the tags will be, the provider's
    /// `default_tags` included.
    pub const TAGS_ALL: Property = Property {
        cloudformation: "Tags",
        terraform: "tags_all",
    };

    /// What reports call it: `Image base-python`.
    pub fn described(&self) -> String {
        format!(
            "{} {}",
            self.type_name.trim_start_matches("AWS::SageMaker::"),
            self.identity.name
        )
    }
}

/// A notebook instance lifecycle configuration: the shell scripts a
/// notebook runs as root when it is created and each time it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotebookLifecycleConfig {
    pub identity: Identity,
    pub scripts: Fact<Vec<LifecycleScript>>,
}

/// One script, decoded from its base64 `Content`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleScript {
    /// `OnCreate` or `OnStart`.
    pub hook: &'static str,
    pub text: String,
}

impl NotebookLifecycleConfig {
    pub const NAME: Property = Property {
        cloudformation: "NotebookInstanceLifecycleConfigName",
        terraform: "name",
    };
    /// A list of `{Content}` in CloudFormation, one base64 string in Terraform.
    pub const ON_CREATE: Property = Property {
        cloudformation: "OnCreate",
        terraform: "on_create",
    };
    pub const ON_START: Property = Property {
        cloudformation: "OnStart",
        terraform: "on_start",
    };
    /// Read from each element of `OnCreate` / `OnStart`.
    pub const CONTENT: Property = Property {
        cloudformation: "Content",
        terraform: "content",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        NotebookLifecycleConfig {
            identity,
            scripts: Fact::unknown(reason),
        }
    }
}

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
            identity,
            instance_groups: Fact::unknown(reason),
        }
    }
}

/// A Feature Store feature group: its online store (low-latency lookups
/// while serving) and offline store (S3, for training), each if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureGroup {
    pub identity: Identity,
    pub online_store: Fact<Option<KeyedStore>>,
    pub offline_store: Fact<Option<KeyedStore>>,
}

/// A store a resource has (a feature group's online or offline store, an
/// inference experiment's captured data), and the KMS key it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedStore {
    pub kms_key_id: Option<String>,
}

impl FeatureGroup {
    pub const NAME: Property = Property {
        cloudformation: "FeatureGroupName",
        terraform: "feature_group_name",
    };
    pub const ONLINE_STORE: Property = Property {
        cloudformation: "OnlineStoreConfig",
        terraform: "online_store_config",
    };
    /// Off unless set: a configuration block alone is no online store.
    pub const ENABLE_ONLINE_STORE: Property = Property {
        cloudformation: "OnlineStoreConfig.EnableOnlineStore",
        terraform: "online_store_config.enable_online_store",
    };
    pub const ONLINE_KMS_KEY_ID: Property = Property {
        cloudformation: "OnlineStoreConfig.SecurityConfig.KmsKeyId",
        terraform: "online_store_config.security_config.kms_key_id",
    };
    pub const OFFLINE_STORE: Property = Property {
        cloudformation: "OfflineStoreConfig",
        terraform: "offline_store_config",
    };
    pub const OFFLINE_KMS_KEY_ID: Property = Property {
        cloudformation: "OfflineStoreConfig.S3StorageConfig.KmsKeyId",
        terraform: "offline_store_config.s3_storage_config.kms_key_id",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        FeatureGroup {
            identity,
            online_store: Fact::unknown(reason),
            offline_store: Fact::unknown(reason),
        }
    }
}

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
            identity,
            network_isolation: Fact::unknown(reason),
            vpc: Fact::unknown(reason),
            inter_container_encryption: Fact::unknown(reason),
            instance_count: Fact::unknown(reason),
            instance_types: Fact::unknown(reason),
            volume_kms_key_id: Fact::unknown(reason),
            output_kms_key_id: Fact::unknown(reason),
        }
    }
}

/// A SageMaker (Studio) domain as `DescribeDomain` (or a template) tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub identity: Identity,
    /// `AppNetworkAccessType == VpcOnly`; absent means `PublicInternetOnly`, as on AWS.
    pub vpc_only: Fact<bool>,
    /// The KMS key of its EFS volume and storage (`None`: a key AWS manages).
    pub kms_key_id: Fact<Option<String>>,
    /// `AuthMode == SSO`: users sign in through IAM Identity Center.
    pub sso: Fact<bool>,
}

impl Domain {
    pub const NAME: Property = Property {
        cloudformation: "DomainName",
        terraform: "domain_name",
    };
    pub const APP_NETWORK_ACCESS_TYPE: Property = Property {
        cloudformation: "AppNetworkAccessType",
        terraform: "app_network_access_type",
    };
    pub const KMS_KEY_ID: Property = Property {
        cloudformation: "KmsKeyId",
        terraform: "kms_key_id",
    };
    pub const AUTH_MODE: Property = Property {
        cloudformation: "AuthMode",
        terraform: "auth_mode",
    };

    /// Listed, but not described: every property unknown for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        Domain {
            identity,
            vpc_only: Fact::unknown(reason),
            kms_key_id: Fact::unknown(reason),
            sso: Fact::unknown(reason),
        }
    }
}

/// A notebook instance as `DescribeNotebookInstance` (or a template) tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotebookInstance {
    pub identity: Identity,
    /// `DirectInternetAccess == Enabled`; absent means enabled, as on AWS.
    pub direct_internet_access: Fact<bool>,
    /// The subnet the instance's network interface lives in, if any.
    pub subnet_id: Fact<Option<String>>,
    /// `RootAccess == Enabled`; absent means enabled, as on AWS.
    pub root_access: Fact<bool>,
    /// The KMS key of its storage volume (`None`: a key AWS manages).
    pub kms_key_id: Fact<Option<String>>,
    /// `MinimumInstanceMetadataServiceVersion == 2`; absent means 1, as on AWS.
    pub imds_v2_required: Fact<bool>,
    /// `RoleArn`, and whether that role still exists (looked up only when
    /// a chosen rule needs it, as for models).
    pub role_arn: Fact<Option<String>>,
    pub role_exists: Fact<bool>,
}

impl NotebookInstance {
    pub const ROLE_ARN: Property = Property {
        cloudformation: "RoleArn",
        terraform: "role_arn",
    };
    pub const NAME: Property = Property {
        cloudformation: "NotebookInstanceName",
        terraform: "name",
    };
    pub const DIRECT_INTERNET_ACCESS: Property = Property {
        cloudformation: "DirectInternetAccess",
        terraform: "direct_internet_access",
    };
    pub const SUBNET_ID: Property = Property {
        cloudformation: "SubnetId",
        terraform: "subnet_id",
    };
    pub const ROOT_ACCESS: Property = Property {
        cloudformation: "RootAccess",
        terraform: "root_access",
    };
    pub const KMS_KEY_ID: Property = Property {
        cloudformation: "KmsKeyId",
        terraform: "kms_key_id",
    };
    pub const IMDS_MINIMUM_VERSION: Property = Property {
        cloudformation: "InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion",
        terraform: "instance_metadata_service_configuration.minimum_instance_metadata_service_version",
    };

    /// Listed, but not described: every property unknown for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        NotebookInstance {
            identity,
            direct_internet_access: Fact::unknown(reason),
            subnet_id: Fact::unknown(reason),
            root_access: Fact::unknown(reason),
            kms_key_id: Fact::unknown(reason),
            imds_v2_required: Fact::unknown(reason),
            role_arn: Fact::unknown(reason),
            role_exists: Fact::unknown(reason),
        }
    }
}

/// A SageMaker model as `DescribeModel` (or a template) tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SageMakerModel {
    pub identity: Identity,
    /// `EnableNetworkIsolation`; an absent flag is `false`, as on AWS.
    pub network_isolation: Fact<bool>,
    pub execution_role_arn: Fact<Option<String>>,
    /// Whether the execution role still exists in IAM: read only when a
    /// chosen rule needs it (one `iam:GetRole` per role), else unknown.
    pub execution_role_exists: Fact<bool>,
    pub containers: Fact<Vec<Container>>,
    /// `None` when the model is not attached to a VPC.
    pub vpc: Fact<Option<VpcConfig>>,
}

impl SageMakerModel {
    pub const NAME: Property = Property {
        cloudformation: "ModelName",
        terraform: "name",
    };
    pub const NETWORK_ISOLATION: Property = Property {
        cloudformation: "EnableNetworkIsolation",
        terraform: "enable_network_isolation",
    };
    pub const EXECUTION_ROLE_ARN: Property = Property {
        cloudformation: "ExecutionRoleArn",
        terraform: "execution_role_arn",
    };
    pub const VPC_CONFIG: Property = Property {
        cloudformation: "VpcConfig",
        terraform: "vpc_config",
    };

    /// A model that was listed but whose description could not be read: every
    /// property is unknown for the same reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        SageMakerModel {
            identity,
            network_isolation: Fact::unknown(reason),
            execution_role_arn: Fact::unknown(reason),
            execution_role_exists: Fact::unknown(reason),
            containers: Fact::unknown(reason),
            vpc: Fact::unknown(reason),
        }
    }

    /// Why the role's existence is unknown until an audit looks it up.
    pub const ROLE_NOT_LOOKED_UP: &'static str = "the execution role was not looked up in IAM";
}

/// An endpoint configuration as `DescribeEndpointConfig` (or a template)
/// tells it: what an endpoint runs on, its storage key and data capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointConfig {
    pub identity: Identity,
    /// `KmsKeyId`: the key of its instances' ML storage volumes.
    pub kms_key_id: Fact<Option<String>>,
    /// `DataCaptureConfig` is set and its `EnableCapture` is not `false`
    /// (AWS enables capture when the flag is absent).
    pub data_capture: Fact<bool>,
    /// `ProductionVariants`, in order.
    pub variants: Fact<Vec<ProductionVariant>>,
}

/// A live endpoint and the model-monitoring schedules that watch it. Read
/// live only: in a template, what monitors an endpoint is another resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub identity: Identity,
    /// The schedules `ListMonitoringSchedules` names for it.
    pub monitoring_schedules: Fact<Vec<String>>,
}

impl Endpoint {
    /// Its API field, for reports (endpoints are judged live only).
    pub const MONITORING: Property = Property {
        cloudformation: "MonitoringSchedules",
        terraform: "monitoring_schedules",
    };
}

/// One production variant: instances of a type, or serverless.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductionVariant {
    pub name: String,
    /// `ServerlessConfig` is set: no instances, no instance count.
    pub serverless: bool,
    pub instance_type: Fact<Option<String>>,
    pub initial_instance_count: Fact<Option<u32>>,
}

impl EndpointConfig {
    pub const NAME: Property = Property {
        cloudformation: "EndpointConfigName",
        terraform: "name",
    };
    pub const KMS_KEY_ID: Property = Property {
        cloudformation: "KmsKeyId",
        terraform: "kms_key_arn",
    };
    pub const DATA_CAPTURE: Property = Property {
        cloudformation: "DataCaptureConfig",
        terraform: "data_capture_config",
    };
    pub const ENABLE_CAPTURE: Property = Property {
        cloudformation: "DataCaptureConfig.EnableCapture",
        terraform: "data_capture_config.enable_capture",
    };
    pub const PRODUCTION_VARIANTS: Property = Property {
        cloudformation: "ProductionVariants",
        terraform: "production_variants",
    };
    /// Paths within one production variant.
    pub const VARIANT_NAME: Property = Property {
        cloudformation: "VariantName",
        terraform: "variant_name",
    };
    pub const VARIANT_INSTANCE_TYPE: Property = Property {
        cloudformation: "InstanceType",
        terraform: "instance_type",
    };
    pub const VARIANT_INSTANCE_COUNT: Property = Property {
        cloudformation: "InitialInstanceCount",
        terraform: "initial_instance_count",
    };
    pub const VARIANT_SERVERLESS: Property = Property {
        cloudformation: "ServerlessConfig",
        terraform: "serverless_config",
    };

    /// Listed, but not described: every property unknown for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        EndpointConfig {
            identity,
            kms_key_id: Fact::unknown(reason),
            data_capture: Fact::unknown(reason),
            variants: Fact::unknown(reason),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    pub image: Option<String>,
    pub model_data_url: Option<String>,
    pub model_package_name: Option<String>,
    pub mode: Option<String>,
    /// `ImageConfig.RepositoryAccessMode`: `Platform` (Amazon ECR) or `Vpc`
    /// (a private registry reached through the model's VPC); `None` when
    /// the container has no `ImageConfig` (ECR).
    pub repository_access_mode: Fact<Option<String>>,
}

impl Default for Container {
    fn default() -> Self {
        Container {
            image: None,
            model_data_url: None,
            model_package_name: None,
            mode: None,
            repository_access_mode: Fact::Known(None),
        }
    }
}

impl Container {
    /// The model's single container and its list of containers (an
    /// inference pipeline); paths within one container follow.
    pub const PRIMARY: Property = Property {
        cloudformation: "PrimaryContainer",
        terraform: "primary_container",
    };
    pub const PIPELINE: Property = Property {
        cloudformation: "Containers",
        terraform: "container",
    };
    pub const REPOSITORY_ACCESS_MODE: Property = Property {
        cloudformation: "ImageConfig.RepositoryAccessMode",
        terraform: "image_config.repository_access_mode",
    };
    /// The same setting, of the single container, from the model's root.
    pub const PRIMARY_REPOSITORY_ACCESS_MODE: Property = Property {
        cloudformation: "PrimaryContainer.ImageConfig.RepositoryAccessMode",
        terraform: "primary_container.image_config.repository_access_mode",
    };
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct VpcConfig {
    pub subnets: Vec<String>,
    pub security_group_ids: Vec<String>,
}

/// `arn:partition:service:region:account:resource` → account.
pub fn account_of_arn(arn: &str) -> Option<String> {
    arn.split(':').nth(4).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// `arn:partition:service:region:account:resource` → region.
pub fn region_of_arn(arn: &str) -> Option<String> {
    arn.split(':').nth(3).filter(|s| !s.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_parts() {
        let arn = "arn:aws:sagemaker:eu-west-1:123456789012:model/fraud-a";
        assert_eq!(account_of_arn(arn).as_deref(), Some("123456789012"));
        assert_eq!(region_of_arn(arn).as_deref(), Some("eu-west-1"));
        assert_eq!(account_of_arn("not-an-arn"), None);
    }
}
