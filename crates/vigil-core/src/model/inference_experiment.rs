//! Shadow-mode inference experiments.

use super::{Identity, KeyedStore, Property};
use crate::fact::Fact;

/// A shadow-mode inference experiment: the key of its instances' storage
/// volumes, where it keeps the requests and responses it captures, and the
/// instance types of its variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InferenceExperiment {
    pub identity: Identity,
    pub kms_key_id: Fact<Option<String>>,
    pub data_storage: Fact<Option<KeyedStore>>,
    pub instance_types: Fact<Vec<String>>,
}

impl InferenceExperiment {
    pub const NAME: Property = Property {
        cloudformation: "Name",
        terraform: "name",
    };
    pub const KMS_KEY: Property = Property {
        cloudformation: "KmsKey",
        terraform: "kms_key",
    };
    pub const DATA_STORAGE: Property = Property {
        cloudformation: "DataStorageConfig",
        terraform: "data_storage_config",
    };
    pub const DATA_KMS_KEY: Property = Property {
        cloudformation: "DataStorageConfig.KmsKey",
        terraform: "data_storage_config.kms_key",
    };
    pub const MODEL_VARIANTS: Property = Property {
        cloudformation: "ModelVariants",
        terraform: "model_variants",
    };
    /// Read from each variant.
    pub const VARIANT_INSTANCE_TYPE: Property = Property {
        cloudformation: "InfrastructureConfig.RealTimeInferenceConfig.InstanceType",
        terraform: "infrastructure_config.real_time_inference_config.instance_type",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        InferenceExperiment {
            identity: identity.unread(reason),
            kms_key_id: Fact::unknown(reason),
            data_storage: Fact::unknown(reason),
            instance_types: Fact::unknown(reason),
        }
    }
}
