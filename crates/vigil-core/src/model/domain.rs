//! SageMaker Studio domains.

use super::{Identity, Property};
use crate::fact::Fact;

/// A SageMaker (Studio) domain as `DescribeDomain` (or a template) tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub identity: Identity,
    /// `AppNetworkAccessType == VpcOnly`; absent means `PublicInternetOnly`, as on AWS.
    pub vpc_only: Fact<bool>,
    /// The KMS key of its EFS volume and storage (`None`: a key AWS manages).
    pub kms_key_id: Fact<Option<String>>,
    /// `AuthMode == SSO`: users sign in through IAM Identity Center.
    pub sso: Fact<bool>,
}

impl Domain {
    pub const NAME: Property = Property {
        cloudformation: "DomainName",
        terraform: "domain_name",
    };
    pub const APP_NETWORK_ACCESS_TYPE: Property = Property {
        cloudformation: "AppNetworkAccessType",
        terraform: "app_network_access_type",
    };
    pub const KMS_KEY_ID: Property = Property {
        cloudformation: "KmsKeyId",
        terraform: "kms_key_id",
    };
    pub const AUTH_MODE: Property = Property {
        cloudformation: "AuthMode",
        terraform: "auth_mode",
    };

    /// Listed, but not described: every property unknown for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        Domain {
            identity: identity.unread(reason),
            vpc_only: Fact::unknown(reason),
            kms_key_id: Fact::unknown(reason),
            sso: Fact::unknown(reason),
        }
    }
}
