//! Processing and tuning jobs: their isolation flag and execution role.

use super::{Identity, Property};
use crate::fact::Fact;

/// A processing or tuning job: whether it ran isolated, and the role it
/// ran as (a tuning job's: its training definitions').
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsolatableJob {
    pub identity: Identity,
    pub network_isolation: Fact<bool>,
    pub role_arn: Fact<Option<String>>,
    /// Looked up only when a chosen rule needs it, as for models.
    pub role_exists: Fact<bool>,
}

impl IsolatableJob {
    pub fn new(identity: Identity, network_isolation: Fact<bool>, role_arn: Fact<Option<String>>) -> Self {
        IsolatableJob {
            identity,
            network_isolation,
            role_arn,
            role_exists: Fact::unknown(crate::SageMakerModel::ROLE_NOT_LOOKED_UP),
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
