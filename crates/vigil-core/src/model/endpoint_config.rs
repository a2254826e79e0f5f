//! Endpoint configurations and their production variants.

use super::{Identity, Property};
use crate::fact::Fact;

/// An endpoint configuration as `DescribeEndpointConfig` (or a template)
/// tells it: what an endpoint runs on, its storage key and data capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointConfig {
    pub identity: Identity,
    /// `KmsKeyId`: the key of its instances' ML storage volumes.
    pub kms_key_id: Fact<Option<String>>,
    /// `DataCaptureConfig` is set and its `EnableCapture` is not `false`
    /// (AWS enables capture when the flag is absent).
    pub data_capture: Fact<bool>,
    /// `ProductionVariants`, in order.
    pub variants: Fact<Vec<ProductionVariant>>,
    /// `ExecutionRoleArn` (optional: inference components' role), and
    /// whether it still exists (looked up only when a chosen rule needs it).
    pub role_arn: Fact<Option<String>>,
    pub role_exists: Fact<bool>,
}

/// One production variant: instances of a type, or serverless.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductionVariant {
    pub name: String,
    /// `ServerlessConfig` is set: no instances, no instance count.
    pub serverless: bool,
    pub instance_type: Fact<Option<String>>,
    pub initial_instance_count: Fact<Option<u32>>,
}

impl EndpointConfig {
    pub const NAME: Property = Property {
        cloudformation: "EndpointConfigName",
        terraform: "name",
    };
    pub const KMS_KEY_ID: Property = Property {
        cloudformation: "KmsKeyId",
        terraform: "kms_key_arn",
    };
    pub const DATA_CAPTURE: Property = Property {
        cloudformation: "DataCaptureConfig",
        terraform: "data_capture_config",
    };
    pub const ENABLE_CAPTURE: Property = Property {
        cloudformation: "DataCaptureConfig.EnableCapture",
        terraform: "data_capture_config.enable_capture",
    };
    pub const PRODUCTION_VARIANTS: Property = Property {
        cloudformation: "ProductionVariants",
        terraform: "production_variants",
    };
    /// Paths within one production variant.
    pub const VARIANT_NAME: Property = Property {
        cloudformation: "VariantName",
        terraform: "variant_name",
    };
    pub const VARIANT_INSTANCE_TYPE: Property = Property {
        cloudformation: "InstanceType",
        terraform: "instance_type",
    };
    pub const VARIANT_INSTANCE_COUNT: Property = Property {
        cloudformation: "InitialInstanceCount",
        terraform: "initial_instance_count",
    };
    pub const VARIANT_SERVERLESS: Property = Property {
        cloudformation: "ServerlessConfig",
        terraform: "serverless_config",
    };

    /// Listed, but not described: every property unknown for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        EndpointConfig {
            identity: identity.unread(reason),
            kms_key_id: Fact::unknown(reason),
            data_capture: Fact::unknown(reason),
            variants: Fact::unknown(reason),
            role_arn: Fact::unknown(reason),
            role_exists: Fact::unknown(reason),
        }
    }
}
