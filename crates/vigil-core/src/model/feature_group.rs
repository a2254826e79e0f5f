//! Feature Store feature groups, and a store with its key.

use super::{Identity, Property};
use crate::fact::Fact;

/// A Feature Store feature group: its online store (low-latency lookups
/// while serving) and offline store (S3, for training), each if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureGroup {
    pub identity: Identity,
    pub online_store: Fact<Option<KeyedStore>>,
    pub offline_store: Fact<Option<KeyedStore>>,
}

/// A store a resource has (a feature group's online or offline store, an
/// inference experiment's captured data), and the KMS key it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedStore {
    pub kms_key_id: Option<String>,
}

impl FeatureGroup {
    pub const NAME: Property = Property {
        cloudformation: "FeatureGroupName",
        terraform: "feature_group_name",
    };
    pub const ONLINE_STORE: Property = Property {
        cloudformation: "OnlineStoreConfig",
        terraform: "online_store_config",
    };
    /// Off unless set: a configuration block alone is no online store.
    pub const ENABLE_ONLINE_STORE: Property = Property {
        cloudformation: "OnlineStoreConfig.EnableOnlineStore",
        terraform: "online_store_config.enable_online_store",
    };
    pub const ONLINE_KMS_KEY_ID: Property = Property {
        cloudformation: "OnlineStoreConfig.SecurityConfig.KmsKeyId",
        terraform: "online_store_config.security_config.kms_key_id",
    };
    pub const OFFLINE_STORE: Property = Property {
        cloudformation: "OfflineStoreConfig",
        terraform: "offline_store_config",
    };
    pub const OFFLINE_KMS_KEY_ID: Property = Property {
        cloudformation: "OfflineStoreConfig.S3StorageConfig.KmsKeyId",
        terraform: "offline_store_config.s3_storage_config.kms_key_id",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        FeatureGroup {
            identity: identity.unread(reason),
            online_store: Fact::unknown(reason),
            offline_store: Fact::unknown(reason),
        }
    }
}
