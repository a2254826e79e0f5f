//! The model registry of a region: whether it has a model package group
//! (`ListModelPackageGroups`) and an approved versioned model package
//! (`ListModelPackages`), one page of one item each.

use crate::errors::unknown_reason;
use aws_sdk_sagemaker::types::{ModelApprovalStatus, ModelPackageType};
use aws_sdk_sagemaker::Client;
use vigil_core::{Fact, Identity, ModelRegistry, Resource};

pub async fn collect(client: &Client, region: &str, account: &str, attempts: u32) -> Resource {
    let groups = client.list_model_package_groups().max_results(1).send().await;
    let has_groups = match groups {
        Ok(out) => Fact::Known(!out.model_package_group_summary_list().is_empty()),
        Err(err) => Fact::Unknown(unknown_reason("sagemaker:ListModelPackageGroups", &err, attempts)),
    };
    let approved = client
        .list_model_packages()
        .model_package_type(ModelPackageType::Versioned)
        .model_approval_status(ModelApprovalStatus::Approved)
        .max_results(1)
        .send()
        .await;
    let has_approved_version = match approved {
        Ok(out) => Fact::Known(!out.model_package_summary_list().is_empty()),
        Err(err) => Fact::Unknown(unknown_reason("sagemaker:ListModelPackages", &err, attempts)),
    };
    Resource::ModelRegistry(ModelRegistry {
        identity: Identity::from_arn("model-registry".into(), Some(ModelRegistry::arn(region, account))),
        has_groups,
        has_approved_version,
    })
}
