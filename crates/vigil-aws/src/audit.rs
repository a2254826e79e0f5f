//! One live audit: identify the caller, choose the regions, collect every
//! region concurrently, and hand back resources plus what could not be read.

use crate::calls::CallCounter;
use crate::collect::{domains, isolated_jobs, models, monitoring, notebooks, training_jobs, Limits};
use crate::progress::Progress;
use crate::regions;
use crate::sdk::{self, AwsOptions, Clients, ConfigError};
use aws_config::sts::AssumeRoleProvider;
use aws_sdk_sts::config::SharedCredentialsProvider;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::task::JoinSet;
use vigil_core::report::{AccountRun, CallCount, ErrorScope};
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
    /// Other accounts to audit; `None`: the caller's only.
    pub accounts: Option<AccountsRequest>,
}

/// Accounts to audit, each other than the caller's entered by assuming a
/// role of the same name in it.
pub struct AccountsRequest {
    /// The accounts named; with `org`, those listed from the organization.
    pub ids: Vec<String>,
    /// List the organization's ACTIVE accounts (`Some(Some(ou))`: of that
    /// unit and the units below it).
    pub org: Option<Option<String>>,
    /// Accounts left out, whichever way they were chosen.
    pub exclude: Vec<String>,
    pub role_name: String,
    /// `/` unless the role lives under a path.
    pub role_path: String,
    pub external_id: Option<String>,
    pub session_name: String,
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
    let caller = sdk::caller_account(&config, &counter).await?;
    let mut targets = request
        .accounts
        .as_ref()
        .map_or_else(|| vec![caller.clone()], |a| a.ids.clone());
    if let Some(how) = &request.accounts {
        if let Some(ou) = &how.org {
            progress.phase("listing the organization's accounts");
            targets = crate::organizations::accounts(&config, &counter, ou.as_deref())
                .await
                .map_err(ConfigError::Usage)?;
        }
        let listed = targets.len();
        targets.retain(|id| !how.exclude.contains(id));
        // Nothing to audit is never a clean run.
        if targets.is_empty() {
            return Err(ConfigError::Usage(match (listed, &how.org) {
                (0, Some(_)) => "the organization lists no ACTIVE account; listing accounts needs the organization's management account or a delegated administrator".into(),
                _ => "every account is left out by --exclude-accounts: nothing to audit".into(),
            }));
        }
    }
    let limits = Limits::new(request.concurrency, request.aws.max_attempts);
    let (mut errors, mut notes, mut runs) = (Vec::new(), Vec::new(), Vec::new());
    let mut sessions = Sessions::default();
    let mut tasks = JoinSet::new();
    for id in targets {
        let account_config = match (&request.accounts, id == caller) {
            (Some(how), false) => match enter(&config, &counter, &id, how).await {
                Ok(entered) => entered,
                Err(why) => {
                    let mut error = RunError::in_region(ErrorScope::Account, None, Some("sts:AssumeRole".into()), why);
                    error.account = Some(id.clone());
                    errors.push(error);
                    runs.push(AccountRun {
                        id,
                        entered: false,
                        regions: Vec::new(),
                    });
                    continue;
                }
            },
            _ => config.clone(),
        };
        progress.phase("choosing regions");
        // Opt-in regions differ between accounts: each chooses its own.
        let (plan, region_errors) = choose_regions(&account_config, &counter, request.regions.clone()).await;
        errors.extend(region_errors.into_iter().map(|e| in_account(e, &id)));
        notes.extend(plan.notes);
        for region in &plan.regions {
            spawn_region(
                &mut tasks,
                &request,
                &account_config,
                region,
                &id,
                &counter,
                &limits,
                &progress,
            );
        }
        sessions.0.insert(id.clone(), account_config);
        runs.push(AccountRun {
            id,
            entered: true,
            regions: plan.regions,
        });
    }
    progress.phase("listing and describing");
    let mut resources = Vec::new();
    for (found, found_errors) in tasks.join_all().await {
        errors.extend(found_errors);
        resources.extend(found);
    }
    errors.sort_by(|a, b| (&a.account, &a.region).cmp(&(&b.account, &b.region)));
    let mut regions: Vec<String> = runs.iter().flat_map(|r| r.regions.iter().cloned()).collect();
    regions.sort();
    regions.dedup();
    Ok(AuditOutput {
        account: Some(caller).filter(|a| !a.is_empty()),
        sessions,
        accounts: if request.accounts.is_some() { runs } else { Vec::new() },
        regions,
        resources,
        errors,
        notes,
        calls: counter.snapshot(),
    })
}

fn in_account(mut error: RunError, account: &str) -> RunError {
    error.account.get_or_insert_with(|| account.to_owned());
    error
}

/// Collects every chosen kind of one region of one account, concurrently.
#[allow(clippy::too_many_arguments)]
fn spawn_region(
    tasks: &mut JoinSet<(Vec<Resource>, Vec<RunError>)>,
    request: &AuditRequest,
    config: &aws_config::SdkConfig,
    region: &str,
    account: &str,
    counter: &CallCounter,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) {
    let clients = Clients::for_region(config, region, counter, &limits.in_flight);
    let since = request.jobs_since;
    for kind in request.kinds.iter().copied() {
        let (region, limits, progress, client) = (
            region.to_owned(),
            limits.clone(),
            progress.clone(),
            clients.sagemaker.clone(),
        );
        let account = account.to_owned();
        tasks.spawn(async move {
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
            };
            (found, errors.into_iter().map(|e| in_account(e, &account)).collect())
        });
    }
}

/// Credentials for account `id` through its audit role, proven with one
/// call before its regions fan out. The SDK's provider assumes the role
/// once and refreshes the session before it expires, so a run longer than
/// the session keeps going.
async fn enter(
    base: &aws_config::SdkConfig,
    counter: &CallCounter,
    id: &str,
    how: &AccountsRequest,
) -> Result<aws_config::SdkConfig, String> {
    let home = base.region().map(|r| r.to_string()).unwrap_or_default();
    let partition = match home.as_str() {
        r if r.starts_with("cn-") => "aws-cn",
        r if r.starts_with("us-gov-") => "aws-us-gov",
        _ => "aws",
    };
    let path = format!("/{}/", how.role_path.trim_matches('/')).replace("//", "/");
    let arn = format!("arn:{partition}:iam::{id}:role{path}{}", how.role_name);
    let mut role = AssumeRoleProvider::builder(&arn)
        .session_name(&how.session_name)
        .configure(base);
    if let Some(external) = &how.external_id {
        role = role.external_id(external);
    }
    let provider = role.build().await;
    let config = base
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .build();
    match sdk::caller_account(&config, counter).await {
        Ok(got) if got == id => Ok(config),
        Ok(got) => Err(format!("{arn} gave credentials of account {got}, not {id}")),
        Err(err) => {
            let why = err.detail().map_or_else(|| err.to_string(), |d| d.replace('\n', " "));
            Err(format!("{arn} could not be assumed: {why}"))
        }
    }
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
