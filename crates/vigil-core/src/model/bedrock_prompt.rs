//! Amazon Bedrock prompts (Prompt management).

use super::{Identity, Property};
use crate::fact::Fact;

/// A prompt of Bedrock's prompt management: the KMS key of its text and
/// variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BedrockPrompt {
    pub identity: Identity,
    pub kms_key_arn: Fact<Option<String>>,
}

impl BedrockPrompt {
    pub const NAME: Property = Property {
        cloudformation: "Name",
        terraform: "name",
    };
    pub const KMS_KEY: Property = Property {
        cloudformation: "CustomerEncryptionKeyArn",
        terraform: "customer_encryption_key_arn",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        BedrockPrompt {
            identity: identity.unread(reason),
            kms_key_arn: Fact::unknown(reason),
        }
    }
}
