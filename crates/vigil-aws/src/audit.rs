//! One live audit: identify the caller, choose the regions, collect every
//! region concurrently, and hand each account's resources over as soon as
//! the account is done (so an organization's audit holds a few accounts'
//! resources at a time, never all of them), plus what could not be read.

use crate::accounts::{self, AccountsRequest};
use crate::calls::CallCounter;
use crate::collect::{
    domains, endpoint_configs, endpoints, feature_groups, flow_definitions, hyperpod_clusters, inference_experiments,
    isolated_jobs, model_registry, models, monitoring, notebook_lifecycle_configs, notebooks, studio_images,
    training_jobs, Limits,
};
use crate::progress::Progress;
use crate::regions;
use crate::sdk::{self, AwsOptions, Clients, ConfigError};
use futures::StreamExt;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::task::JoinSet;
use vigil_core::report::{AccountRun, CallCount, ErrorScope};
use vigil_core::{Resource, ResourceKind, RunError};

pub struct AuditRequest {
    pub aws: AwsOptions,
    /// `None`: every enabled region where SageMaker is offered.
    pub regions: Option<Vec<String>>,
    /// Calls in flight at once, across all regions and accounts.
    pub concurrency: usize,
    /// Calls in flight at once in one region of one account, where
    /// SageMaker's rate limits apply.
    pub region_concurrency: usize,
    /// The kinds the chosen rules judge; only these are collected.
    pub kinds: Vec<ResourceKind>,
    /// Jobs created before this are left out: they pile up by the thousand.
    pub jobs_since: std::time::SystemTime,
    /// Other accounts to audit; `None`: the caller's only.
    pub accounts: Option<AccountsRequest>,
    /// What the chosen rules need beyond the descriptions (IAM, EC2).
    pub reads: crate::Reads,
    /// Keep each entered account's credentials for what follows the audit
    /// (the Security Hub import); otherwise each is dropped with its account.
    pub keep_sessions: bool,
}

/// The credentials the audit used in each account it entered, for what
/// follows in the same run (the Security Hub import): no second AssumeRole.
#[derive(Default, Clone)]
pub struct Sessions(BTreeMap<String, aws_config::SdkConfig>);

impl Sessions {
    pub(crate) fn of(&self, account: &str) -> Option<&aws_config::SdkConfig> {
        self.0.get(account)
    }
}

pub struct AuditOutput {
    /// The caller's account.
    pub account: Option<String>,
    pub sessions: Sessions,
    /// Every account audited or not, when several were asked for.
    pub accounts: Vec<AccountRun>,
    pub regions: Vec<String>,
    pub errors: Vec<RunError>,
    pub notes: Vec<String>,
    pub calls: BTreeMap<String, CallCount>,
}

/// Audits; `found` takes each account's resources (its id first) as soon as
/// that account is done.
pub async fn audit(
    request: AuditRequest,
    progress: Arc<dyn Progress>,
    found: &mut dyn FnMut(&str, Vec<Resource>),
) -> Result<AuditOutput, ConfigError> {
    if let Some(profile) = &request.aws.profile {
        sdk::check_profile(profile).await?;
    }
    let config = sdk::load(&request.aws).await;
    let counter = CallCounter::default();
    progress.phase("identifying the account");
    let caller = sdk::caller_account(&config, &counter).await?;
    let targets = accounts::choose(&config, &counter, &caller, request.accounts.as_ref(), &progress).await?;
    let limits = Limits::new(request.concurrency, request.aws.max_attempts);
    let total = targets.len();
    let (mut errors, mut notes, mut runs) = (Vec::new(), Vec::new(), Vec::new());
    let mut sessions = Sessions::default();
    // A few accounts entered at a time: enough to keep every place in flight
    // busy while others are being entered, few enough that the tasks waiting
    // do not grow with the organization. Entered ones start their regions as
    // the queue has room (`Limits::queue`).
    let at_once = request.concurrency.clamp(4, 64);
    let shared = (&request, &config, &counter, &limits, &progress, caller.as_str());
    let mut each = futures::stream::iter(targets)
        .map(|(id, name)| audit_account(shared, id, name))
        .buffer_unordered(at_once);
    progress.phase("listing and describing");
    while let Some(account) = each.next().await {
        errors.extend(account.errors);
        notes.extend(account.notes);
        found(&account.run.id, account.resources);
        if let Some(session) = account.session.filter(|_| request.keep_sessions) {
            sessions.0.insert(account.run.id.clone(), session);
        }
        runs.push(account.run);
        progress.account(runs.len(), total);
    }
    drop(each);
    notes.sort();
    notes.dedup();
    runs.sort_by(|a, b| a.id.cmp(&b.id));
    errors.sort_by(|a, b| (&a.account, &a.region).cmp(&(&b.account, &b.region)));
    let mut regions: Vec<String> = runs.iter().flat_map(|r| r.regions.iter().cloned()).collect();
    regions.sort();
    regions.dedup();
    Ok(AuditOutput {
        account: Some(caller).filter(|a| !a.is_empty()),
        sessions,
        accounts: if request.accounts.is_some() { runs } else { Vec::new() },
        regions,
        errors,
        notes,
        calls: counter.snapshot(),
    })
}

/// What the audit shares with each account's.
type Shared<'a> = (
    &'a AuditRequest,
    &'a aws_config::SdkConfig,
    &'a CallCounter,
    &'a Limits,
    &'a Arc<dyn Progress>,
    &'a str,
);

/// One account's share of the audit.
struct AccountAudit {
    run: AccountRun,
    session: Option<aws_config::SdkConfig>,
    resources: Vec<Resource>,
    errors: Vec<RunError>,
    notes: Vec<String>,
}

/// Enters one account (the caller's with its own credentials), chooses its
/// regions (opt-in regions differ between accounts) and collects them all.
async fn audit_account(
    (request, config, counter, limits, progress, caller): Shared<'_>,
    id: String,
    name: Option<String>,
) -> AccountAudit {
    let config = match (&request.accounts, id == caller) {
        (Some(how), false) => match accounts::enter(config, counter, &id, how).await {
            Ok(entered) => entered,
            Err(why) => {
                let mut error = RunError::in_region(ErrorScope::Account, None, Some("sts:AssumeRole".into()), why);
                error.account = Some(id.clone());
                return AccountAudit {
                    run: AccountRun {
                        id,
                        name,
                        entered: false,
                        regions: Vec::new(),
                    },
                    session: None,
                    resources: Vec::new(),
                    errors: vec![error],
                    notes: Vec::new(),
                };
            }
        },
        _ => config.clone(),
    };
    let (plan, region_errors) = choose_regions(&config, counter, request.regions.clone()).await;
    let mut errors: Vec<RunError> = region_errors.into_iter().map(|e| in_account(e, &id)).collect();
    let _queued = limits.queue(plan.regions.len() * request.kinds.len()).await;
    let mut tasks = JoinSet::new();
    for region in &plan.regions {
        spawn_region(&mut tasks, request, &config, region, &id, counter, limits, progress);
    }
    let mut resources = Vec::new();
    let mut notes = plan.notes;
    for (found, found_errors, found_notes) in tasks.join_all().await {
        errors.extend(found_errors);
        resources.extend(found);
        notes.extend(found_notes);
    }
    // IAM is global: its kinds are read once, placed in the first region audited.
    for kind in request.kinds.iter().copied().filter(|k| GLOBAL.contains(k)) {
        let Some(first) = plan.regions.first() else {
            break;
        };
        let found = global_found(kind, &config, (&id, first), counter);
        let (found, error) = crate::in_flight::within(limits.in_flight.clone(), found).await;
        resources.extend(found);
        errors.extend(error.map(|e| in_account(e, &id)));
    }
    // IAM is global: each execution role is looked up once per account,
    // whichever regions and kinds name it.
    let reads = request.reads.complete(&config, counter, &mut resources);
    crate::in_flight::within(limits.in_flight.clone(), reads).await;
    if request.reads.shared_roles {
        shared_roles(&mut resources, &errors);
    }
    AccountAudit {
        run: AccountRun {
            id,
            name,
            entered: true,
            regions: plan.regions,
        },
        session: Some(config),
        resources,
        errors,
        notes,
    }
}

impl AuditOutput {
    /// The accounts entered and their regions: the caller's alone when no
    /// other account was asked for.
    pub fn entered(&self) -> Vec<AccountRun> {
        if !self.accounts.is_empty() {
            return self.accounts.iter().filter(|a| a.entered).cloned().collect();
        }
        let caller = self.account.iter().map(|id| AccountRun {
            id: id.clone(),
            name: None,
            entered: true,
            regions: self.regions.clone(),
        });
        caller.collect()
    }
}

fn in_account(mut error: RunError, account: &str) -> RunError {
    error.account.get_or_insert_with(|| account.to_owned());
    error
}

/// Collects every chosen kind of one region of one account, concurrently.
#[allow(clippy::too_many_arguments)]
fn spawn_region(
    tasks: &mut JoinSet<(Vec<Resource>, Vec<RunError>, Vec<String>)>,
    request: &AuditRequest,
    config: &aws_config::SdkConfig,
    region: &str,
    account: &str,
    counter: &CallCounter,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) {
    // SageMaker's rate limits are per account and region: so are a cap of
    // calls in flight and the retry budget that throttling drains.
    let places = limits.in_flight.within(request.region_concurrency);
    let budget = sdk::retry_budget(account, region);
    // Whether the region invokes models, asked once for the rules that need it.
    let invoked = crate::collect::invocation_logging::Invoked::default();
    let since = request.jobs_since;
    // Global kinds are read once per account, not per region.
    for kind in request.kinds.iter().copied().filter(|k| !GLOBAL.contains(k)) {
        let (region, limits, progress) = (region.to_owned(), limits.clone(), progress.clone());
        let (account, places, budget) = (account.to_owned(), places.clone(), budget.clone());
        let (config, counter, invoked) = (config.clone(), counter.clone(), invoked.clone());
        tasks.spawn(async move {
            // Each listing holds a place in flight at least: as many under
            // way as places keeps them all busy. Its client is made only
            // then, so the regions waiting hold none.
            let _listing = limits.listings.clone().acquire_owned().await.expect("semaphore closed");
            // Bedrock and AgentCore are read through signed REST-JSON calls:
            // no SageMaker client for them.
            let bounds = (&limits, &progress, since);
            // Bedrock's and AgentCore's signed calls hold the places the
            // SageMaker client's calls do.
            let found = rest_found(kind, &config, (&account, &region), &counter, (bounds, &invoked));
            if let Some(found) = crate::in_flight::within(places.clone(), found).await {
                let errors = found.error.into_iter().map(|e| in_account(e, &account)).collect();
                return (found.resources, errors, Vec::from_iter(found.note));
            }
            let client = Clients::with_budget(&config, &region, &counter, &places, Some(budget)).sagemaker;
            let single = |(found, error): (Vec<Resource>, Option<RunError>)| (found, Vec::from_iter(error));
            let (found, errors) = match kind {
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
                ResourceKind::EndpointConfig => {
                    single(endpoint_configs::collect(&client, &region, &limits, &progress).await)
                }
                ResourceKind::Endpoint => single(endpoints::collect(&client, &region, &limits, &progress).await),
                ResourceKind::FeatureGroup => {
                    single(feature_groups::collect(&client, &region, &limits, &progress).await)
                }
                ResourceKind::HyperPodCluster => {
                    single(hyperpod_clusters::collect(&client, &region, &limits, &progress).await)
                }
                ResourceKind::InferenceExperiment => {
                    single(inference_experiments::collect(&client, &region, &limits, &progress).await)
                }
                ResourceKind::ModelRegistry => {
                    let registry = model_registry::collect(&client, &region, &account, limits.max_attempts).await;
                    (vec![registry], Vec::new())
                }
                ResourceKind::FlowDefinition => {
                    single(flow_definitions::collect(&client, &region, &limits, &progress).await)
                }
                ResourceKind::StudioImage => studio_images::collect(&client, &region, &limits, &progress).await,
                ResourceKind::NotebookLifecycleConfig => {
                    single(notebook_lifecycle_configs::collect(&client, &region, &limits, &progress).await)
                }
                ResourceKind::InvocationLogging
                | ResourceKind::KnowledgeBaseDataSource
                | ResourceKind::AgentRuntime
                | ResourceKind::AgentGateway
                | ResourceKind::AgentMemory
                | ResourceKind::AgentBrowser
                | ResourceKind::AgentCodeInterpreter
                | ResourceKind::BedrockAgent
                | ResourceKind::Guardrail
                | ResourceKind::BedrockPrompt
                | ResourceKind::BedrockFlow
                | ResourceKind::Vpc
                | ResourceKind::IamRole
                | ResourceKind::BedrockApiKey
                | ResourceKind::CustomModel
                | ResourceKind::ImportedModel
                | ResourceKind::InvocationJob => unreachable!("{kind:?} is read by rest_found"),
            };
            let errors = errors.into_iter().map(|e| in_account(e, &account)).collect();
            (found, errors, Vec::new())
        });
    }
}

/// Which agents of one account share a role, knowing which regions' agents
/// could not be listed (`errors`).
fn shared_roles(resources: &mut [Resource], errors: &[RunError]) {
    let listing = crate::collect::bedrock_agents::READS.list_operation;
    let unlisted: Vec<String> = errors
        .iter()
        .filter(|e| e.operation.as_deref() == Some(listing))
        .map(|e| format!("the agents of {}", e.region.as_deref().unwrap_or("a region")))
        .collect();
    vigil_core::rules::bedrock::agent_role_dedicated::find_shared_roles(resources, &unlisted);
}

/// The kinds IAM holds, global: read once per account, not per region.
const GLOBAL: [ResourceKind; 2] = [ResourceKind::IamRole, ResourceKind::BedrockApiKey];

/// What the account holds of a global kind, placed in `region`.
async fn global_found(
    kind: ResourceKind,
    config: &aws_config::SdkConfig,
    (account, region): (&str, &str),
    counter: &CallCounter,
) -> (Vec<Resource>, Option<RunError>) {
    match kind {
        ResourceKind::BedrockApiKey => {
            crate::collect::bedrock_api_keys::collect(config, (account, region), counter).await
        }
        _ => crate::collect::iam_roles::collect(config, region, counter).await,
    }
}

/// What one region holds of a kind read through a REST-JSON API (Bedrock,
/// AgentCore): its resources, listing error and note; `None` for a
/// SageMaker kind.
async fn rest_found(
    kind: ResourceKind,
    config: &aws_config::SdkConfig,
    place: (&str, &str),
    counter: &CallCounter,
    (bounds, invoked): (
        (&crate::collect::Limits, &Arc<dyn Progress>, std::time::SystemTime),
        &crate::collect::invocation_logging::Invoked,
    ),
) -> Option<crate::rest::Found> {
    Some(match kind {
        ResourceKind::InvocationLogging => {
            crate::collect::invocation_logging::collect(config, place, counter, invoked).await
        }
        ResourceKind::Vpc => crate::collect::bedrock_vpcs::collect(config, place, counter, invoked).await,
        ResourceKind::KnowledgeBaseDataSource => {
            crate::collect::knowledge_base_data_sources::collect(config, place, counter, (bounds.0, bounds.1)).await
        }
        _ => crate::rest_kinds::collect(crate::collect::rest_reads(kind)?, config, place, counter, bounds).await,
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
                ErrorScope::Discovery,
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
