//! Rules for Amazon SageMaker resources.

pub mod domain_kms_key;
pub mod domain_sso;
pub mod domain_vpc_only;
pub mod endpoint_config_data_capture;
pub mod endpoint_config_kms_key;
pub mod endpoint_config_multi_instance;
pub mod endpoint_monitoring;
pub mod feature_group_kms;
pub mod kms;
pub mod model_in_vpc;
pub mod model_network_isolation;
pub mod model_private_registry;
pub mod monitoring_inter_container_encryption;
pub mod monitoring_kms;
pub mod monitoring_network_isolation;
pub mod notebook_direct_internet_access;
pub mod notebook_imdsv2;
pub mod notebook_in_vpc;
pub mod notebook_kms_key;
pub mod notebook_root_access;
pub mod processing_job_network_isolation;
pub mod training_job_in_vpc;
pub mod training_job_inter_container_encryption;
pub mod training_job_kms;
pub mod training_job_network_isolation;
pub mod tuning_job_network_isolation;
