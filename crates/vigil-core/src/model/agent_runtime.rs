//! Amazon Bedrock AgentCore agent runtimes.

use super::{Identity, Property};
use crate::fact::Fact;

/// An AgentCore agent runtime: the network mode its agent runs in
/// (`PUBLIC` or `VPC`), and how the caller's identity reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRuntime {
    pub identity: Identity,
    /// `None`: no network mode declared (AWS requires one).
    pub network_mode: Fact<Option<String>>,
    /// Whether inbound calls are authorized by a custom JWT authorizer
    /// (the caller's own token) rather than by IAM.
    pub jwt_authorizer: Fact<bool>,
    /// The request headers passed through to the agent's code.
    pub forwarded_headers: Fact<Vec<String>>,
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
    pub const JWT_DISCOVERY_URL: Property = Property {
        cloudformation: "AuthorizerConfiguration.CustomJWTAuthorizer.DiscoveryUrl",
        terraform: "authorizer_configuration.custom_jwt_authorizer.discovery_url",
    };
    pub const FORWARDED_HEADERS: Property = Property {
        cloudformation: "RequestHeaderConfiguration.RequestHeaderAllowlist",
        terraform: "request_header_configuration.request_header_allowlist",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        AgentRuntime {
            identity: identity.unread(reason),
            network_mode: Fact::unknown(reason),
            jwt_authorizer: Fact::unknown(reason),
            forwarded_headers: Fact::unknown(reason),
        }
    }
}
