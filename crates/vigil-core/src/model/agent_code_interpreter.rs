//! Amazon Bedrock AgentCore custom code interpreters.

use super::{Identity, Property};
use crate::fact::Fact;

/// An AgentCore custom code interpreter: the network the code it runs
/// reaches (`PUBLIC`, `SANDBOX` or `VPC`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentCodeInterpreter {
    pub identity: Identity,
    /// `None`: not declared (AWS requires one).
    pub network_mode: Fact<Option<String>>,
}

impl AgentCodeInterpreter {
    pub const NAME: Property = Property {
        cloudformation: "Name",
        terraform: "name",
    };
    pub const NETWORK_MODE: Property = Property {
        cloudformation: "NetworkConfiguration.NetworkMode",
        terraform: "network_configuration.network_mode",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        AgentCodeInterpreter {
            identity: identity.unread(reason),
            network_mode: Fact::unknown(reason),
        }
    }
}
