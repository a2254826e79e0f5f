//! Amazon Bedrock long-term API keys: IAM service-specific credentials for
//! `bedrock.amazonaws.com`, each bound to an IAM user. Short-term keys are
//! signed tokens that IAM does not keep, so there is nothing to list.

use super::{Identity, RolePolicy};
use crate::fact::Fact;

/// One long-term Bedrock API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BedrockApiKey {
    /// Named by its credential id; its ARN is its user's.
    pub identity: Identity,
    pub user: String,
    /// `Active` or `Inactive`.
    pub active: bool,
    /// When it stops working (seconds since the epoch); `None`: never.
    pub expires: Option<i64>,
    /// When the audit read it (seconds since the epoch), for the days left.
    pub read_at: i64,
    /// Unknown when the key's listing could not be read whole.
    pub listed: Fact<()>,
    /// Its user's identity policies, inline and attached: what the key may
    /// do. Unknown until read: only the rule on them reads them.
    pub user_policies: Fact<Vec<RolePolicy>>,
}

impl BedrockApiKey {
    /// Whether it still works: active, and not past its expiry.
    pub fn can_authenticate(&self) -> bool {
        self.active && self.expires.is_none_or(|at| at > self.read_at)
    }
}
