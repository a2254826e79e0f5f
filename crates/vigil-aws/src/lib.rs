//! The only Vigil crate that imports `aws_sdk_*`: it loads the SDK
//! configuration, finds the regions to audit and turns SDK answers into
//! `vigil_core` resources. Nothing from the SDK leaks past its public API.

pub mod accounts;
mod agentcore;
mod answer;
pub mod audit;
mod bedrock;
mod bucket_exposure;
pub mod calls;
pub mod collect;
mod customization_jobs;
mod describe_regions;
mod ec2;
mod errors;
mod expired;
mod iam;
mod iam_policies;
pub(crate) mod in_flight;
mod kms;
mod log_destinations;
mod notebook_network;
pub mod organizations;
pub mod progress;
mod query;
mod reads;
pub mod regions;
pub mod remediate;
mod rest;
mod rest_kinds;
pub mod sdk;
pub mod security_hub;
pub mod watch;
mod watch_bedrock;

pub use accounts::{AccountsRequest, Shard};
pub use audit::{audit, AuditOutput, AuditRequest};
pub use progress::Progress;
pub use reads::Reads;
pub use sdk::{AwsOptions, ConfigError};
