//! Waiting for an endpoint to settle after `UpdateEndpoint`: polling
//! `DescribeEndpoint` with a growing interval until it leaves the transitional
//! states or the deadline passes.

use crate::errors::unknown_reason;
use aws_sdk_sagemaker::types::EndpointStatus;
use aws_sdk_sagemaker::Client;
use std::time::{Duration, Instant};

/// Where an endpoint came to rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Settled {
    InService {
        config: String,
    },
    /// `Failed`, `OutOfService`, `UpdateRollbackFailed`: not serving as asked.
    Broken {
        status: String,
        reason: String,
    },
    TimedOut {
        status: String,
    },
}

fn transitional(status: &EndpointStatus) -> bool {
    matches!(
        status,
        EndpointStatus::Creating
            | EndpointStatus::Updating
            | EndpointStatus::SystemUpdating
            | EndpointStatus::RollingBack
            | EndpointStatus::Deleting
    )
}

/// Polls until `endpoint` is out of its transitional states. The last
/// deployment's `FailureReason` is returned with the final state.
pub(super) async fn settle(
    client: &Client,
    endpoint: &str,
    timeout: Duration,
    attempts: u32,
) -> Result<(Settled, Option<String>), String> {
    let deadline = Instant::now() + timeout;
    let mut interval = Duration::from_millis(200);
    loop {
        let out = client
            .describe_endpoint()
            .endpoint_name(endpoint)
            .send()
            .await
            .map_err(|e| unknown_reason("sagemaker:DescribeEndpoint", &e, attempts))?;
        let status = out.endpoint_status().cloned().unwrap_or(EndpointStatus::Failed);
        let reason = out.failure_reason().map(str::to_owned);
        if !transitional(&status) {
            let settled = match status {
                EndpointStatus::InService => Settled::InService {
                    config: out.endpoint_config_name().unwrap_or_default().to_owned(),
                },
                other => Settled::Broken {
                    status: other.as_str().to_owned(),
                    reason: reason.clone().unwrap_or_else(|| "no failure reason given".into()),
                },
            };
            return Ok((settled, reason));
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok((
                Settled::TimedOut {
                    status: status.as_str().to_owned(),
                },
                reason,
            ));
        }
        tokio::time::sleep(interval.min(deadline - now)).await;
        interval = (interval * 3 / 2).min(Duration::from_secs(15));
    }
}
