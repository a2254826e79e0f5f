//! One live audit: identify the caller, choose the regions, collect every
//! region concurrently, and hand back resources plus what could not be read.

use crate::calls::CallCounter;
use crate::collect::{domains, isolated_jobs, models, monitoring, notebooks, training_jobs, Limits};
use crate::progress::Progress;
use crate::regions;
use crate::sdk::{self, AwsOptions, Clients, ConfigError};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::task::JoinSet;
use vigil_core::report::CallCount;
use vigil_core::{Resource, ResourceKind, RunError};

pub struct AuditRequest {
    pub aws: AwsOptions,
    /// `None`: every enabled region where SageMaker is offered.
    pub regions: Option<Vec<String>>,
    /// Calls in flight at once, across all regions.
    pub concurrency: usize,
    /// The kinds the chosen rules judge; only these are collected.
    pub kinds: Vec<ResourceKind>,
    /// Jobs created before this are left out: they pile up by the thousand.
    pub jobs_since: std::time::SystemTime,
}

pub struct AuditOutput {
    pub account: Option<String>,
    pub regions: Vec<String>,
    pub resources: Vec<Resource>,
    pub errors: Vec<RunError>,
    pub notes: Vec<String>,
    pub calls: BTreeMap<String, CallCount>,
}

pub async fn audit(request: AuditRequest, progress: Arc<dyn Progress>) -> Result<AuditOutput, ConfigError> {
    if let Some(profile) = &request.aws.profile {
        sdk::check_profile(profile).await?;
    }
    let config = sdk::load(&request.aws).await;
    let counter = CallCounter::default();
    progress.phase("identifying the account");
    let account = sdk::caller_account(&config, &counter).await?;

    progress.phase("choosing regions");
    let (plan, mut errors) = choose_regions(&config, &counter, request.regions).await;
    progress.phase("listing and describing");
    let limits = Limits::new(request.concurrency, request.aws.max_attempts);
    let mut tasks = JoinSet::new();
    let since = request.jobs_since;
    for region in &plan.regions {
        let clients = Clients::for_region(&config, region, &counter, &limits.in_flight);
        for kind in request.kinds.iter().copied() {
            let (region, limits, progress, client) = (
                region.clone(),
                limits.clone(),
                progress.clone(),
                clients.sagemaker.clone(),
            );
            tasks.spawn(async move {
                let single = |(found, error): (Vec<Resource>, Option<RunError>)| (found, Vec::from_iter(error));
                match kind {
                    ResourceKind::SageMakerModel => {
                        let found = models::collect(&client, &region, &limits, &progress).await;
                        single((
                            found.models.into_iter().map(Resource::SageMakerModel).collect(),
                            found.error,
                        ))
                    }
                    ResourceKind::NotebookInstance => {
                        single(notebooks::collect(&client, &region, &limits, &progress).await)
                    }
                    ResourceKind::Domain => single(domains::collect(&client, &region, &limits, &progress).await),
                    ResourceKind::TrainingJob => {
                        single(training_jobs::collect(&client, &region, since, &limits, &progress).await)
                    }
                    ResourceKind::ProcessingJob => {
                        single(isolated_jobs::processing(&client, &region, since, &limits, &progress).await)
                    }
                    ResourceKind::TuningJob => {
                        single(isolated_jobs::tuning(&client, &region, since, &limits, &progress).await)
                    }
                    ResourceKind::MonitoringJob => monitoring::collect(&client, &region, &limits, &progress).await,
                }
            });
        }
    }
    let mut resources = Vec::new();
    for (found, found_errors) in tasks.join_all().await {
        errors.extend(found_errors);
        resources.extend(found);
    }
    errors.sort_by(|a, b| a.region.cmp(&b.region));
    Ok(AuditOutput {
        account: Some(account).filter(|a| !a.is_empty()),
        regions: plan.regions,
        resources,
        errors,
        notes: plan.notes,
        calls: counter.snapshot(),
    })
}

/// The regions asked for, or every enabled one where SageMaker is offered;
/// when the account's regions cannot be listed, the home region only, and an
/// error that says so.
pub(crate) async fn choose_regions(
    config: &aws_config::SdkConfig,
    counter: &CallCounter,
    requested: Option<Vec<String>>,
) -> (regions::RegionPlan, Vec<RunError>) {
    if let Some(regions) = requested {
        return (regions::RegionPlan { regions, notes: vec![] }, Vec::new());
    }
    match regions::discover(config, counter).await {
        Ok(plan) => (plan, Vec::new()),
        Err(message) => {
            let home = config.region().map(|r| r.to_string()).unwrap_or_default();
            let error = RunError::in_region(
                vigil_core::report::ErrorScope::Discovery,
                None,
                Some("ec2:DescribeRegions".into()),
                format!("could not list the account's regions ({message}); covered {home} only"),
            );
            (
                regions::RegionPlan {
                    regions: vec![home],
                    notes: vec![],
                },
                vec![error],
            )
        }
    }
}
