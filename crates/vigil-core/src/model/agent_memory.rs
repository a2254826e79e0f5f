//! Amazon Bedrock AgentCore memories.

use super::{Identity, Property};
use crate::fact::Fact;

/// An AgentCore memory: the KMS key of the conversations and long-term
/// memories it stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentMemory {
    pub identity: Identity,
    pub encryption_key_arn: Fact<Option<String>>,
}

impl AgentMemory {
    pub const NAME: Property = Property {
        cloudformation: "Name",
        terraform: "name",
    };
    pub const ENCRYPTION_KEY: Property = Property {
        cloudformation: "EncryptionKeyArn",
        terraform: "encryption_key_arn",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        AgentMemory {
            identity: identity.unread(reason),
            encryption_key_arn: Fact::unknown(reason),
        }
    }
}
