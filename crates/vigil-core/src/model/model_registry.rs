//! The model registry of a region.

use super::{Identity, Property};
use crate::fact::Fact;

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
        let partition = super::partition(region);
        format!("arn:{partition}:sagemaker:{region}:{account}:model-registry/default")
    }
}
