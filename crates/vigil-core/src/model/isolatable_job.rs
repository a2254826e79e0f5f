//! Processing and tuning jobs: their isolation flag is all a rule reads.

use super::{Identity, Property};
use crate::fact::Fact;

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
