//! What the steps of a remediation share, apply and rollback alike: the
//! journal, the options, one unit's context, and who made a replacement.
//! Apart from both, so neither imports the other's internals.

use crate::collect::tags;
use aws_sdk_sagemaker::Client;
use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;
use vigil_core::journal::{Entry, Step};
use vigil_core::remediation::{REPLACES_TAG, RUN_TAG};

/// Where each step is written down; a step whose `begin` cannot be written
/// is not taken.
pub trait Journal: Send + Sync {
    fn record(&self, entry: Entry) -> Result<(), String>;
}

pub struct ApplyOptions {
    pub run: String,
    pub journal: String,
    pub update_endpoints: bool,
    pub delete_old: bool,
    /// How long one endpoint may take to settle after `UpdateEndpoint`.
    pub wait_timeout: Duration,
    pub concurrency: usize,
}

/// What one unit's steps share.
pub(super) struct Ctx<'a> {
    pub(super) client: Client,
    pub(super) journal: &'a dyn Journal,
    pub(super) unit: String,
    pub(super) region: String,
    pub(super) options: &'a ApplyOptions,
    pub(super) attempts: u32,
}

impl Ctx<'_> {
    pub(super) fn write(&self, entry: Entry) -> Result<(), String> {
        self.journal
            .record(entry)
            .map_err(|e| format!("the journal could not be written ({e}); stopping"))
    }

    /// Runs one step between its `begin` and its `done` (or `failed`).
    pub(super) async fn step<F: Future<Output = Result<(), String>>>(&self, step: Step, run: F) -> Result<(), String> {
        let (unit, region) = (self.unit.clone(), self.region.clone());
        self.write(Entry::Begin {
            unit: unit.clone(),
            region: region.clone(),
            step: step.clone(),
        })?;
        match run.await {
            Ok(()) => self.write(Entry::Done { unit, region, step }),
            Err(error) => {
                let _ = self.write(Entry::Failed {
                    unit,
                    region,
                    step: step.clone(),
                    error: error.clone(),
                });
                Err(format!("{step}: {error}"))
            }
        }
    }

    pub(super) fn wait_timeout(&self) -> Duration {
        self.options.wait_timeout
    }
}

/// The tags of the resource at `arn`, if it has one.
pub(super) async fn tags_of(ctx: &Ctx<'_>, arn: Option<&str>) -> Result<BTreeMap<String, String>, String> {
    match arn {
        Some(arn) => tags(&ctx.client, arn, ctx.attempts).await,
        None => Ok(BTreeMap::new()),
    }
}

/// Who made the resource that bears a replacement's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Maker {
    /// This run (tagged `vigil:replaces=OLD` and `vigil:run=RUN`): a retried
    /// call whose first answer was lost, or the run before a crash.
    ThisRun,
    /// Another Vigil run replacing the same resource (another machine, or
    /// one that finished earlier): usable, but never this run's to delete.
    OtherRun,
    /// Someone else took the name.
    Someone,
}

/// Who made the resource at `arn`, from its tags.
pub(super) async fn maker(ctx: &Ctx<'_>, arn: Option<&str>, old: &str) -> Result<Maker, String> {
    let Some(arn) = arn else {
        return Ok(Maker::Someone);
    };
    let tags = tags(&ctx.client, arn, ctx.attempts).await?;
    Ok(if tags.get(REPLACES_TAG).map(String::as_str) != Some(old) {
        Maker::Someone
    } else if tags.get(RUN_TAG) == Some(&ctx.options.run) {
        Maker::ThisRun
    } else {
        Maker::OtherRun
    })
}
