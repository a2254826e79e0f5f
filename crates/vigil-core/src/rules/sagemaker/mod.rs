//! Rules for Amazon SageMaker resources: one file per rule, and here one
//! line per rule, which both declares its module and registers it.

/// Declares each rule's module and lists its `RULE`, in the order rules
/// judge and reports list them (`crate::registry::RULES`).
macro_rules! rules {
    ($($rule:ident),* $(,)?) => {
        $(pub mod $rule;)*
        /// Every SageMaker rule, in registry order.
        pub static RULES: &[&crate::rule::Rule] = &[$(&$rule::RULE),*];
    };
}

rules! {
    model_network_isolation,
    model_in_vpc,
    model_execution_role,
    model_private_registry,
    model_registry_in_use,
    notebook_direct_internet_access,
    notebook_in_vpc,
    notebook_root_access,
    notebook_kms_key,
    notebook_imdsv2,
    notebook_supported_platform,
    notebook_vpc_egress,
    notebook_execution_role,
    notebook_role_all_actions,
    notebook_lifecycle_secrets,
    domain_vpc_only,
    domain_kms_key,
    domain_sso,
    domain_notebook_output_sharing,
    training_job_network_isolation,
    training_job_in_vpc,
    training_job_execution_role,
    training_job_inter_container_encryption,
    training_job_kms,
    processing_job_network_isolation,
    tuning_job_network_isolation,
    processing_job_execution_role,
    tuning_job_execution_role,
    monitoring_network_isolation,
    monitoring_inter_container_encryption,
    monitoring_kms,
    endpoint_config_kms_key,
    endpoint_config_data_capture,
    endpoint_config_data_capture_kms,
    endpoint_config_multi_instance,
    endpoint_config_execution_role,
    endpoint_monitoring,
    feature_group_kms,
    hyperpod_cluster_kms,
    image_tagged,
    inference_experiment_kms,
    flow_definition_kms,
}

pub mod roles;
