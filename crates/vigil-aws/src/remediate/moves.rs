//! Moving an endpoint to another configuration, without fighting anyone
//! for it: a deployment in flight (someone else's, or this run's own sent
//! just before a crash) is waited for and the endpoint looked at again, and
//! whether this call's `UpdateEndpoint` may have moved it is journaled
//! (`sent`) so that only such moves are ever undone.

use super::context::Ctx;
use super::wait::{settle, Settled};
use crate::errors::describe;
use aws_smithy_runtime_api::client::result::SdkError;
use vigil_core::journal::{Entry, Step};

/// Moves `endpoint` from configuration `from` to `to` and waits until it
/// serves from `to`. An endpoint already on `to` is left as it is. An
/// endpoint that is deploying (someone else's update, or this run's, sent
/// just before a crash) is waited for and looked at again, never fought
/// over; so is one whose update is refused because a deployment began in
/// the meantime. `sent` says whether this call's request may have moved it;
/// with `step`, that is journaled (`sent`) before anything else happens.
pub(super) async fn move_endpoint(
    ctx: &Ctx<'_>,
    endpoint: &str,
    from: &str,
    to: &str,
    step: Option<&Step>,
    sent: &mut bool,
) -> Result<(), String> {
    const LOOKS: usize = 3;
    for look in 1..=LOOKS {
        match settle(&ctx.client, endpoint, ctx.wait_timeout(), ctx.attempts).await? {
            (Settled::InService { config }, _) if config == to => return Ok(()),
            (Settled::InService { config }, _) if config == from => {}
            (Settled::InService { config }, _) => {
                return Err(format!("{endpoint} now runs on {config}, not {from} as planned"));
            }
            (Settled::Broken { status, reason }, _) => return Err(format!("{endpoint} is {status}: {reason}")),
            (Settled::TimedOut { status }, _) => return Err(format!("{endpoint} stayed {status}; it was not touched")),
        }
        let answer = ctx
            .client
            .update_endpoint()
            .endpoint_name(endpoint)
            .endpoint_config_name(to)
            .send()
            .await;
        match answer {
            Ok(_) => {
                mark_sent(ctx, step, sent)?;
                break;
            }
            Err(err) if is_in_progress(&err) && look < LOOKS => continue,
            Err(err) => {
                // No answer: the request may have reached SageMaker.
                if matches!(
                    err,
                    SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_)
                ) {
                    mark_sent(ctx, step, sent)?;
                }
                return Err(describe(&err));
            }
        }
    }
    let timeout = ctx.wait_timeout();
    match settle(&ctx.client, endpoint, timeout, ctx.attempts).await? {
        (Settled::InService { config }, _) if config == to => Ok(()),
        (Settled::InService { config }, reason) => Err(format!(
            "the deployment failed and {endpoint} is back on {config}: {}",
            reason.unwrap_or_else(|| "no failure reason given".into())
        )),
        (Settled::Broken { status, reason }, _) => Err(format!("{endpoint} is {status}: {reason}")),
        (Settled::TimedOut { status }, _) => Err(format!(
            "{endpoint} was still {status} after {}s",
            timeout.as_secs_f64()
        )),
    }
}

/// SageMaker refuses to update an endpoint that is deploying.
fn is_in_progress<E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static>(
    err: &SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
) -> bool {
    matches!(err, SdkError::ServiceError(_)) && describe(err).contains("in-progress endpoint")
}

fn mark_sent(ctx: &Ctx<'_>, step: Option<&Step>, sent: &mut bool) -> Result<(), String> {
    *sent = true;
    match step {
        Some(step) => ctx.write(Entry::Sent {
            unit: ctx.unit.clone(),
            region: ctx.region.clone(),
            step: step.clone(),
        }),
        None => Ok(()),
    }
}
