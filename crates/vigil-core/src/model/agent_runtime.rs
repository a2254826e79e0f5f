//! Amazon Bedrock AgentCore agent runtimes.

use super::{Identity, Property};
use crate::fact::Fact;

/// An AgentCore agent runtime: the network mode its agent runs in
/// (`PUBLIC` or `VPC`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRuntime {
    pub identity: Identity,
    /// `None`: no network mode declared (AWS requires one).
    pub network_mode: Fact<Option<String>>,
}

impl AgentRuntime {
    pub const NAME: Property = Property {
        cloudformation: "AgentRuntimeName",
        terraform: "agent_runtime_name",
    };
    pub const NETWORK_MODE: Property = Property {
        cloudformation: "NetworkConfiguration.NetworkMode",
        terraform: "network_configuration.network_mode",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        AgentRuntime {
            identity: identity.unread(reason),
            network_mode: Fact::unknown(reason),
        }
    }
}
