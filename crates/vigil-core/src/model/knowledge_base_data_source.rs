//! Amazon Bedrock knowledge-base data sources.

use super::{Identity, Property};
use crate::fact::Fact;

/// A data source of a Bedrock knowledge base: the KMS key of the data it
/// holds while it is ingested (`ServerSideEncryptionConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnowledgeBaseDataSource {
    /// Named `<knowledge base id>/<data source name>` live: a data source's
    /// name is unique only within its knowledge base, and it has no ARN.
    pub identity: Identity,
    pub kms_key_arn: Fact<Option<String>>,
}

impl KnowledgeBaseDataSource {
    pub const NAME: Property = Property {
        cloudformation: "Name",
        terraform: "name",
    };
    pub const KMS_KEY: Property = Property {
        cloudformation: "ServerSideEncryptionConfiguration.KmsKeyArn",
        terraform: "server_side_encryption_configuration.kms_key_arn",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        KnowledgeBaseDataSource {
            identity: identity.unread(reason),
            kms_key_arn: Fact::unknown(reason),
        }
    }
}
