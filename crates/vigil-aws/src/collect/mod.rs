//! Collectors: one module per resource kind, each listing every page and
//! describing each resource once, turning SDK types into `vigil_core` ones.

pub mod domains;
pub mod isolated_jobs;
pub mod models;
pub mod notebooks;
pub mod training_jobs;

use std::sync::Arc;
use tokio::sync::Semaphore;

/// What every collector shares within one run.
#[derive(Clone)]
pub struct Limits {
    /// Caps calls in flight across all regions, so a large estate does not
    /// trip the account's API rate limits.
    pub in_flight: Arc<Semaphore>,
    /// For the reason given when throttling outlasts the retries.
    pub max_attempts: u32,
}
