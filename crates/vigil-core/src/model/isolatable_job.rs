//! Processing and tuning jobs: their isolation flag and execution role.

use super::{Identity, Property};
use crate::fact::Fact;

/// A processing or tuning job: whether it ran isolated, and the roles it
/// ran as (a tuning job's: its training definitions', which may differ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsolatableJob {
    pub identity: Identity,
    pub network_isolation: Fact<bool>,
    /// The role it ran as (a tuning job: its first training definition's).
    pub role_arn: Fact<Option<String>>,
    /// Looked up only when a chosen rule needs it, as for models.
    pub role_exists: Fact<bool>,
    /// A tuning job's other training definitions' roles, each with whether
    /// it still exists (looked up with the first).
    pub other_roles: Vec<(String, Fact<bool>)>,
}

impl IsolatableJob {
    /// A job that ran as `roles` (none, one, or a tuning job's several).
    pub fn new(identity: Identity, network_isolation: Fact<bool>, roles: Fact<Vec<String>>) -> Self {
        let not_looked_up = || Fact::unknown(crate::SageMakerModel::ROLE_NOT_LOOKED_UP);
        let other_roles = match &roles {
            Fact::Known(roles) => roles.iter().skip(1).map(|r| (r.clone(), not_looked_up())).collect(),
            Fact::Unknown(_) => Vec::new(),
        };
        IsolatableJob {
            identity,
            network_isolation,
            role_arn: roles.map(|roles| roles.into_iter().next()),
            role_exists: not_looked_up(),
            other_roles,
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
