//! Undoing a unit: endpoints back on their old configuration, then the
//! copies the unit created deleted, each undo idempotent so a rollback can be
//! repeated after a crash. Also finishing the rollbacks a crashed run left
//! open, from its journal.

use super::context::{maker, ApplyOptions, Ctx, Journal, Maker};
use super::moves::move_endpoint;
use super::wait::{settle, Settled};
use super::Session;
use crate::errors::{kind, unknown_reason, ErrorKind};
use crate::sdk::Clients;
use std::sync::Arc;
use vigil_core::journal::{Entry, Step, UnfinishedRollback};
use vigil_core::remediation::{UnitOutcome, UnitStatus};

/// Undoes `steps` in reverse: endpoints back to their old configuration,
/// then the configurations and models this unit created deleted. Each undo
/// is idempotent. On failure, the steps that still stand and why.
async fn undo(ctx: &Ctx<'_>, steps: &[Step]) -> Result<(), (Vec<Step>, String)> {
    for (i, step) in steps.iter().enumerate().rev() {
        let undone = match step {
            Step::UpdateEndpoint { endpoint, from, to } => move_back(ctx, endpoint, from, to).await,
            Step::CreateEndpointConfig { name, replaces } => {
                let found = ctx
                    .client
                    .describe_endpoint_config()
                    .endpoint_config_name(name)
                    .send()
                    .await;
                match found {
                    Ok(found) => match maker(ctx, found.endpoint_config_arn(), replaces).await {
                        Ok(Maker::ThisRun) => {
                            let sent = ctx
                                .client
                                .delete_endpoint_config()
                                .endpoint_config_name(name)
                                .send()
                                .await;
                            gone(sent.map(|_| ()), "sagemaker:DeleteEndpointConfig", ctx.attempts)
                        }
                        other => not_ours(other),
                    },
                    Err(err) => gone(Err(err), "sagemaker:DescribeEndpointConfig", ctx.attempts),
                }
            }
            Step::CreateModel { name, replaces } => {
                let found = ctx.client.describe_model().model_name(name).send().await;
                match found {
                    Ok(found) => match maker(ctx, found.model_arn(), replaces).await {
                        Ok(Maker::ThisRun) => {
                            let sent = ctx.client.delete_model().model_name(name).send().await;
                            gone(sent.map(|_| ()), "sagemaker:DeleteModel", ctx.attempts)
                        }
                        other => not_ours(other),
                    },
                    Err(err) => gone(Err(err), "sagemaker:DescribeModel", ctx.attempts),
                }
            }
            // Deletions are never part of a unit's forward steps.
            Step::DeleteEndpointConfig { .. } | Step::DeleteModel { .. } => Ok(()),
        };
        if let Err(error) = undone {
            return Err((steps[..=i].to_vec(), format!("undoing {step}: {error}")));
        }
    }
    Ok(())
}

/// A resource with the replacement's name that this run did not make
/// (someone took the name after the plan, or another Vigil run made it) is
/// left alone; tags that cannot be read leave the question open, an error.
fn not_ours(tagged: Result<Maker, String>) -> Result<(), String> {
    tagged.map(|_| ())
}

/// A delete that found nothing to delete has done its job.
pub(super) fn gone<E>(
    result: Result<(), aws_sdk_sagemaker::error::SdkError<E>>,
    operation: &str,
    attempts: u32,
) -> Result<(), String>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    match result {
        Ok(()) => Ok(()),
        Err(err) if kind(&err) == ErrorKind::NotFound => Ok(()),
        Err(err) => Err(unknown_reason(operation, &err, attempts)),
    }
}

/// Puts `endpoint` back on `from`, waiting first for any deployment in
/// flight (an endpoint that is updating cannot be updated).
async fn move_back(ctx: &Ctx<'_>, endpoint: &str, from: &str, to: &str) -> Result<(), String> {
    match settle(&ctx.client, endpoint, ctx.wait_timeout(), ctx.attempts).await {
        Ok((Settled::InService { config }, _)) if config == from => Ok(()),
        Ok((Settled::InService { config }, _)) if config == to => {
            move_endpoint(ctx, endpoint, to, from, None, &mut false).await
        }
        Ok((Settled::InService { config }, _)) => Err(format!(
            "{endpoint} runs on {config}, neither {from} nor {to}: left alone"
        )),
        Ok((Settled::Broken { status, reason }, _)) => Err(format!("{endpoint} is {status}: {reason}")),
        Ok((Settled::TimedOut { status }, _)) => Err(format!(
            "{endpoint} is still {status}; `vigil remediate --resume` moves it back once it settles"
        )),
        Err(error) if error.contains("deleted between") => Ok(()),
        Err(error) => Err(error),
    }
}

/// Undoes `steps` and journals how that ended.
pub(super) async fn roll_back(ctx: &Ctx<'_>, steps: &[Step]) -> Result<(), (Vec<Step>, String)> {
    let (unit, region) = (ctx.unit.clone(), ctx.region.clone());
    let undone = undo(ctx, steps).await;
    let _ = ctx.write(match &undone {
        Ok(()) => Entry::RollbackDone { unit, region },
        Err((_, error)) => Entry::RollbackFailed {
            unit,
            region,
            error: error.clone(),
        },
    });
    undone
}

/// Finishes the rollbacks a crashed run left open (read from its journal),
/// before anything else is planned.
pub async fn finish_rollbacks(
    session: &Session,
    rollbacks: &[UnfinishedRollback],
    options: &ApplyOptions,
    journal: Arc<dyn Journal>,
) -> Vec<UnitOutcome> {
    let mut outcomes = Vec::new();
    let in_flight = crate::in_flight::Places::new(options.concurrency);
    for open in rollbacks {
        let ctx = Ctx {
            client: Clients::for_region(&session.config, &open.region, &session.counter, &in_flight, None).sagemaker,
            journal: journal.as_ref(),
            unit: open.unit.clone(),
            region: open.region.clone(),
            options,
            attempts: session.max_attempts,
        };
        let models = open
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::CreateModel { name, replaces } => Some((replaces.clone(), name.clone())),
                _ => None,
            })
            .collect();
        let (status, error, steps) = match roll_back(&ctx, &open.steps).await {
            Ok(()) => (
                UnitStatus::RolledBack,
                Some("rolled back on --resume".to_owned()),
                Vec::new(),
            ),
            Err((left, error)) => (UnitStatus::RollbackFailed, Some(error), left),
        };
        outcomes.push(UnitOutcome {
            region: open.region.clone(),
            unit: open.unit.clone(),
            models,
            status,
            error,
            steps,
            notes: Vec::new(),
        });
    }
    outcomes
}
