//! Amazon Bedrock AgentCore custom browsers.

use super::{Identity, Property};
use crate::fact::Fact;

/// An AgentCore custom browser: the network its sessions browse from, and
/// whether (and where) they are recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentBrowser {
    pub identity: Identity,
    /// `PUBLIC` or `VPC`; `None`: not declared (AWS requires one).
    pub network_mode: Fact<Option<String>>,
    /// `false` when not configured, as AWS reads it.
    pub recording_enabled: Fact<bool>,
    /// The S3 bucket recordings go to.
    pub recording_bucket: Fact<Option<String>>,
}

impl AgentBrowser {
    pub const NAME: Property = Property {
        cloudformation: "Name",
        terraform: "name",
    };
    pub const NETWORK_MODE: Property = Property {
        cloudformation: "NetworkConfiguration.NetworkMode",
        terraform: "network_configuration.network_mode",
    };
    pub const RECORDING_ENABLED: Property = Property {
        cloudformation: "RecordingConfig.Enabled",
        terraform: "recording.enabled",
    };
    pub const RECORDING_BUCKET: Property = Property {
        cloudformation: "RecordingConfig.S3Location.Bucket",
        terraform: "recording.s3_location.bucket",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        AgentBrowser {
            identity: identity.unread(reason),
            network_mode: Fact::unknown(reason),
            recording_enabled: Fact::unknown(reason),
            recording_bucket: Fact::unknown(reason),
        }
    }
}
