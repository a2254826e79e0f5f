//! Building the SDK configuration from the standard credential chain plus
//! Vigil's flags, and the clients made from it.

use crate::calls::CallCounter;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sagemaker::config::retry::RetryPartition;
use std::time::Duration;

/// What the user chose on the command line; everything else comes from the
/// standard chain (environment, shared files, SSO, web identity, IMDS).
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    pub profile: Option<String>,
    /// Overrides `AWS_ENDPOINT_URL` (which `aws-config` honours by itself).
    pub endpoint_url: Option<String>,
    /// Attempts per call, first try included; throttling backs off between them.
    pub max_attempts: u32,
}

/// Why a run cannot start. The message is one line with the fix; the SDK's
/// own error chain, when there is one, is kept apart for `-v` (`detail`).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no AWS credentials found; set AWS_PROFILE, pass --profile, or configure the standard credential chain")]
    NoCredentials { detail: String },
    #[error("could not identify the caller with sts:GetCallerIdentity: {0}")]
    Identity(String),
    #[error("{summary}: check --endpoint-url, the network and any proxy settings")]
    Unreachable { summary: String, detail: String },
    #[error("{0}")]
    Usage(String),
}

impl ConfigError {
    /// The SDK's error chain behind the message, for `-v`.
    pub fn detail(&self) -> Option<&str> {
        match self {
            ConfigError::NoCredentials { detail } | ConfigError::Unreachable { detail, .. } => Some(detail),
            _ => None,
        }
    }
}

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The first call's deadline per attempt, and its attempts (documented).
const IDENTITY_TIMEOUT: Duration = Duration::from_secs(10);
const IDENTITY_ATTEMPTS: u32 = 2;

/// Home region for account-wide calls when the chain names none.
pub const FALLBACK_REGION: &str = "us-east-1";

/// A `--profile` that the shared config files do not define is refused at
/// once, naming the profiles they do define (the SDK would otherwise fail
/// later with an error that does not say which files it read).
pub async fn check_profile(name: &str) -> Result<(), ConfigError> {
    use aws_runtime::env_config::file::EnvConfigFiles;
    use aws_types::os_shim_internal::{Env, Fs};
    let files = "the shared config files (~/.aws/config and ~/.aws/credentials, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE)";
    match aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None).await {
        Ok(set) if set.get_profile(name).is_some() => Ok(()),
        Ok(set) => {
            let mut found: Vec<&str> = set.profiles().collect();
            found.sort_unstable();
            let found = if found.is_empty() {
                "none".to_owned()
            } else {
                found.join(", ")
            };
            Err(ConfigError::Usage(format!(
                "no profile '{name}' in {files}; profiles found: {found}"
            )))
        }
        Err(err) => Err(ConfigError::Usage(format!("{files} could not be read: {err}"))),
    }
}

pub async fn load(options: &AwsOptions) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(crate::in_flight::default_client())
        .retry_config(RetryConfig::standard().with_max_attempts(options.max_attempts.max(1)))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(crate::in_flight::ATTEMPT_TIMEOUT)
                .build(),
        );
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return config.into_builder().region(Region::new(FALLBACK_REGION)).build();
    }
    config
}

/// The clients of one region, each counting its calls into `counter`.
#[derive(Clone)]
pub struct Clients {
    pub sagemaker: aws_sdk_sagemaker::Client,
}

impl Clients {
    /// `places` bound the HTTP attempts in flight of every client made
    /// with them (see `in_flight.rs`), which also times each attempt out.
    /// With `account`, throttling drains a retry budget of that account's
    /// region alone (the SDK's default budget is per region, shared by
    /// every account), so a throttled account slows no other.
    pub fn for_region(
        config: &SdkConfig,
        region: &str,
        counter: &CallCounter,
        places: &crate::in_flight::Places,
        account: Option<&str>,
    ) -> Self {
        let budget = account.map(|account| retry_budget(account, region));
        Self::with_budget(config, region, counter, places, budget)
    }

    /// As `for_region`, drawing on a retry budget made beforehand, so
    /// that clients made one after the other share it.
    pub fn with_budget(
        config: &SdkConfig,
        region: &str,
        counter: &CallCounter,
        places: &crate::in_flight::Places,
        budget: Option<RetryPartition>,
    ) -> Self {
        let http = config.http_client().unwrap_or_else(crate::in_flight::default_client);
        let mut sagemaker = aws_sdk_sagemaker::config::Builder::from(config);
        sagemaker.set_retry_partition(budget);
        let sagemaker = sagemaker
            .region(Region::new(region.to_owned()))
            .interceptor(counter.clone())
            .retry_classifier(crate::expired::ExpiredSession)
            .http_client(crate::in_flight::limited(http, places.clone()))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(CONNECT_TIMEOUT)
                    .disable_operation_attempt_timeout()
                    .build(),
            )
            .build();
        Clients {
            sagemaker: aws_sdk_sagemaker::Client::from_conf(sagemaker),
        }
    }
}

/// The retry budget of one account's region. A custom partition owns its
/// budget, freed with the last client that uses it; a named one would stay
/// for the whole process in the SDK's global table (14 MB over the 30,000
/// regions of an organization).
pub fn retry_budget(account: &str, region: &str) -> RetryPartition {
    RetryPartition::custom(format!("sagemaker-{account}-{region}")).build()
}

/// The account the credentials belong to; also proves they work before the
/// audit fans out over every region.
pub async fn caller_account(config: &SdkConfig, counter: &CallCounter) -> Result<String, ConfigError> {
    // The first call says whether the endpoint answers at all: it gets a
    // short deadline and one retry, so an endpoint that never answers is
    // reported in about 20 s, not after five 30 s attempts.
    let conf = aws_sdk_sts::config::Builder::from(config)
        .interceptor(counter.clone())
        .retry_config(RetryConfig::standard().with_max_attempts(IDENTITY_ATTEMPTS))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(IDENTITY_TIMEOUT)
                .build(),
        )
        .build();
    let sts = aws_sdk_sts::Client::from_conf(conf);
    match sts.get_caller_identity().send().await {
        Ok(out) => Ok(out.account().unwrap_or_default().to_owned()),
        Err(err) => {
            let text = crate::errors::describe(&err);
            if text.contains("credentials") {
                Err(ConfigError::NoCredentials { detail: text })
            } else if crate::errors::kind(&err) == crate::errors::ErrorKind::Network {
                let endpoint = config.endpoint_url().unwrap_or("the AWS endpoint");
                Err(ConfigError::Unreachable {
                    summary: format!(
                        "{endpoint} could not be reached for sts:GetCallerIdentity ({IDENTITY_ATTEMPTS} attempts of up to {} s)",
                        IDENTITY_TIMEOUT.as_secs()
                    ),
                    detail: text,
                })
            } else {
                Err(ConfigError::Identity(text))
            }
        }
    }
}
