//! Remediating network isolation on live accounts: the plan (read-only), the
//! faithful copies it creates, and the journaled apply that moves endpoints
//! and rolls back what it cannot finish.

mod apply;
mod context;
mod copy;
mod moves;
mod plan;
mod rollback;
mod wait;

pub use apply::apply;
pub use context::{ApplyOptions, Journal};
pub use plan::{globs, plan, PlanRequest};
pub use rollback::finish_rollbacks;

use crate::calls::CallCounter;
use crate::sdk::{self, AwsOptions, ConfigError};
use aws_config::SdkConfig;

/// One connection to an account, shared by the plan and the apply that
/// follows it, so both count their calls together.
pub struct Session {
    config: SdkConfig,
    counter: CallCounter,
    account: String,
    max_attempts: u32,
}

impl Session {
    pub async fn connect(aws: &AwsOptions) -> Result<Self, ConfigError> {
        if let Some(profile) = &aws.profile {
            sdk::check_profile(profile).await?;
        }
        let config = sdk::load(aws).await;
        let counter = CallCounter::default();
        let account = sdk::caller_account(&config, &counter).await?;
        Ok(Session {
            config,
            counter,
            account,
            max_attempts: aws.max_attempts,
        })
    }
}
