//! Collectors: one module per resource kind, each listing every page and
//! describing each resource once, turning SDK types into `vigil_core` ones.
//! The shared mechanics (paging under the in-flight limit, concurrent
//! describes, listing errors) live here.

pub mod agent_browsers;
pub mod agent_code_interpreters;
pub mod agent_gateways;
pub mod agent_memories;
pub mod agent_runtimes;
pub mod bedrock_agents;
pub mod bedrock_api_keys;
pub mod bedrock_flows;
pub mod bedrock_prompts;
pub mod bedrock_vpcs;
pub mod custom_models;
pub mod domains;
pub mod endpoint_configs;
pub mod endpoints;
pub mod feature_groups;
pub mod flow_definitions;
pub mod guardrails;
pub mod hyperpod_clusters;
pub mod iam_roles;
pub mod imported_models;
pub mod inference_experiments;
pub mod invocation_jobs;
pub mod invocation_logging;
pub mod isolated_jobs;
pub mod knowledge_base_data_sources;
pub mod model_registry;
pub mod models;
pub mod monitoring;
pub mod notebook_lifecycle_configs;
pub mod notebooks;
pub mod settings;
pub mod studio_images;
pub mod training_jobs;

/// How each kind of a REST-JSON control plane (AgentCore, Bedrock Agents)
/// is read, for the audit and `vigil watch`.
pub(crate) fn rest_reads(kind: vigil_core::ResourceKind) -> Option<&'static crate::rest_kinds::KindReads> {
    [
        &bedrock_agents::READS,
        &guardrails::READS,
        &bedrock_prompts::READS,
        &bedrock_flows::READS,
        &custom_models::READS,
        &imported_models::READS,
        &invocation_jobs::READS,
        &agent_runtimes::READS,
        &agent_gateways::READS,
        &agent_memories::READS,
        &agent_browsers::READS,
        &agent_code_interpreters::READS,
    ]
    .into_iter()
    .find(|reads| reads.kind == kind)
}

use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::Client;
use aws_smithy_async::future::pagination_stream::PaginationStream;
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use vigil_core::RunError;

/// What every collector shares within one run.
#[derive(Clone)]
pub struct Limits {
    /// Caps calls in flight across all regions, so a large estate does not
    /// trip the account's API rate limits: held by the clients per HTTP
    /// attempt (`in_flight.rs`), given back while a throttled call backs off.
    pub in_flight: crate::in_flight::Places,
    /// Caps the calls started (in flight, queued for a place or backing
    /// off): a call started holds the SDK's whole request state, so this
    /// keeps memory flat however many resources a listing names.
    pub started: Arc<Semaphore>,
    /// Caps the listings under way (one kind of one region of one account),
    /// each holding its client and its paginator.
    pub listings: Arc<Semaphore>,
    /// Caps the listings of the accounts being collected, waiting or under
    /// way: an account takes its share before it starts, so an organization
    /// holds the resources of a few accounts' regions at a time, however
    /// many regions each has.
    pub queued: Arc<Semaphore>,
    queue_size: usize,
    /// For the reason given when throttling outlasts the retries.
    pub max_attempts: u32,
}

/// Calls started per place in flight: enough that a few calls backing off
/// never idle the others, few enough that memory does not grow with the estate
/// (each holds the SDK's whole request; 4 took 25 MB more at 256 places).
const STARTED_PER_PLACE: usize = 2;

/// Listings queued per place: enough waiting that no place idles while an
/// account is being entered.
const QUEUED_PER_PLACE: usize = 2;

impl Limits {
    pub fn new(concurrency: usize, max_attempts: u32) -> Self {
        let places = concurrency.max(1);
        Limits {
            in_flight: crate::in_flight::Places::new(places),
            started: Arc::new(Semaphore::new(places * STARTED_PER_PLACE)),
            listings: Arc::new(Semaphore::new(places)),
            queued: Arc::new(Semaphore::new(places * QUEUED_PER_PLACE)),
            queue_size: places * QUEUED_PER_PLACE,
            max_attempts,
        }
    }

    /// Waits until an account's `listings` may be queued: all of them, or
    /// the whole queue for an account that has more.
    pub async fn queue(&self, listings: usize) -> tokio::sync::OwnedSemaphorePermit {
        let share = listings.clamp(1, self.queue_size) as u32;
        self.queued
            .clone()
            .acquire_many_owned(share)
            .await
            .expect("semaphore closed")
    }
}

/// The next page of a listing (the clients bound the calls in flight).
pub(crate) async fn next_page<T>(pages: &mut PaginationStream<T>) -> Option<T> {
    pages.next().await
}

/// The error for a region whose listing stopped; what was listed still counts.
pub(crate) fn listing_error<E>(
    region: &str,
    operation: &str,
    err: &aws_sdk_sagemaker::error::SdkError<E>,
    limits: &Limits,
) -> RunError
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    let message = crate::errors::unknown_reason(operation, err, limits.max_attempts);
    RunError::in_region(
        vigil_core::report::ErrorScope::Region,
        Some(region.to_owned()),
        Some(operation.into()),
        message,
    )
}

/// The (name, ARN) of each job summary created at or after `after`. The
/// listing asks the server for that window too; this keeps the audit's
/// window exact on an endpoint that ignores the filter.
pub(crate) fn created_since<S>(
    summaries: &[S],
    after: &aws_smithy_types::DateTime,
    fields: impl Fn(&S) -> (Option<&aws_smithy_types::DateTime>, Option<&str>, Option<&str>),
) -> Vec<(String, Option<String>)> {
    summaries
        .iter()
        .filter_map(|s| {
            let (created, name, arn) = fields(s);
            created
                .is_none_or(|t| t >= after)
                .then(|| (name.unwrap_or_default().to_owned(), arn.map(str::to_owned)))
        })
        .collect()
}

/// Most pages one listing may take (100 items each: ten million resources).
const MAX_PAGES: usize = 100_000;

/// A listing page's continuation token.
pub(crate) trait Paged {
    fn token(&self) -> Option<&str>;
}

macro_rules! paged {
    ($($module:ident::$output:ident),* $(,)?) => {
        $(impl Paged for aws_sdk_sagemaker::operation::$module::$output {
            fn token(&self) -> Option<&str> {
                self.next_token()
            }
        })*
    };
}

paged!(
    list_models::ListModelsOutput,
    list_notebook_instances::ListNotebookInstancesOutput,
    list_domains::ListDomainsOutput,
    list_training_jobs::ListTrainingJobsOutput,
    list_processing_jobs::ListProcessingJobsOutput,
    list_hyper_parameter_tuning_jobs::ListHyperParameterTuningJobsOutput,
    list_data_quality_job_definitions::ListDataQualityJobDefinitionsOutput,
    list_model_quality_job_definitions::ListModelQualityJobDefinitionsOutput,
    list_model_bias_job_definitions::ListModelBiasJobDefinitionsOutput,
    list_model_explainability_job_definitions::ListModelExplainabilityJobDefinitionsOutput,
    list_monitoring_schedules::ListMonitoringSchedulesOutput,
    list_endpoint_configs::ListEndpointConfigsOutput,
    list_endpoints::ListEndpointsOutput,
    list_feature_groups::ListFeatureGroupsOutput,
    list_clusters::ListClustersOutput,
    list_notebook_instance_lifecycle_configs::ListNotebookInstanceLifecycleConfigsOutput,
    list_images::ListImagesOutput,
    list_app_image_configs::ListAppImageConfigsOutput,
    list_inference_experiments::ListInferenceExperimentsOutput,
    list_flow_definitions::ListFlowDefinitionsOutput,
);

/// Guards a listing against a broken or hostile endpoint: a `NextToken` it
/// returned before would loop forever (or, repeated at once, make the SDK
/// stop silently after a duplicate page); so would an endless listing.
#[derive(Default)]
pub(crate) struct PageGuard {
    seen: std::collections::HashSet<String>,
    pages: usize,
}

impl PageGuard {
    /// The region's error once the listing must stop after this page.
    pub(crate) fn stop(&mut self, token: Option<&str>, region: &str, operation: &str) -> Option<RunError> {
        self.pages += 1;
        let stop = |why: String| {
            Some(RunError::in_region(
                vigil_core::report::ErrorScope::Region,
                Some(region.to_owned()),
                Some(operation.to_owned()),
                format!("{operation} {why}; the listing was stopped"),
            ))
        };
        if self.pages > MAX_PAGES {
            return stop(format!("returned more than {MAX_PAGES} pages"));
        }
        match token.filter(|t| !t.is_empty()) {
            Some(token) if !self.seen.insert(token.to_owned()) => stop(format!(
                "returned a NextToken it had returned before (page {}): the endpoint pages in a cycle",
                self.pages
            )),
            _ => None,
        }
    }
}

/// Every page of a listing, reduced to items (usually (name, ARN) pairs) by
/// `items`; a listing that stops early keeps what it read and says why. An
/// item listed twice (a page served twice) counts once.
pub(crate) async fn list_pages<P, E, T>(
    mut pages: PaginationStream<Result<P, aws_sdk_sagemaker::error::SdkError<E>>>,
    limits: &Limits,
    region: &str,
    operation: &str,
    items: impl Fn(&P) -> Vec<T>,
) -> (Vec<T>, Option<RunError>)
where
    P: Paged,
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
    T: Eq + std::hash::Hash + Clone,
{
    let mut listed = Vec::new();
    let mut unique = std::collections::HashSet::new();
    let mut guard = PageGuard::default();
    while let Some(page) = next_page(&mut pages).await {
        match page {
            Ok(page) => {
                listed.extend(items(&page).into_iter().filter(|item| unique.insert(item.clone())));
                if let Some(error) = guard.stop(page.token(), region, operation) {
                    return (listed, Some(error));
                }
            }
            Err(err) => return (listed, Some(listing_error(region, operation, &err, limits))),
        }
    }
    (listed, None)
}

/// A listed resource: its name (or id) and the ARN its summary gives.
pub(crate) fn named(name: Option<&str>, arn: Option<&str>) -> (String, Option<String>) {
    (name.unwrap_or_default().to_owned(), arn.map(str::to_owned))
}

/// The usual collection: every page of a listing reduced to (name, ARN)
/// pairs by `names`, then `describe` on each, concurrently under the limits.
pub(crate) async fn listed_and_described<P, E, F, Fut>(
    pages: PaginationStream<Result<P, aws_sdk_sagemaker::error::SdkError<E>>>,
    (region, operation): (&str, &str),
    limits: &Limits,
    progress: &Arc<dyn Progress>,
    names: impl Fn(&P) -> Vec<(String, Option<String>)>,
    describe: F,
) -> (Vec<vigil_core::Resource>, Option<RunError>)
where
    P: Paged,
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
    F: Fn((String, Option<String>)) -> Fut,
    Fut: Future<Output = vigil_core::Resource> + Send + 'static,
{
    let (listed, error) = list_pages(pages, limits, region, operation, names).await;
    (describe_each(listed, limits, progress, describe).await, error)
}

/// The outputs of the tasks that have finished, joined (their memory
/// freed); a task that panicked panics here, as `join_all` would.
pub(crate) fn finished<T: 'static>(tasks: &mut JoinSet<T>) -> Vec<T> {
    std::iter::from_fn(|| tasks.try_join_next())
        .map(|joined| match joined {
            Ok(output) => output,
            Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
            Err(err) => panic!("a describe task was cancelled: {err}"),
        })
        .collect()
}

/// Describes every listed item (usually a (name, ARN) pair) concurrently
/// under the in-flight limit, in sorted order. `describe` never fails: it
/// turns an error into an unknown (or a `Result` the caller reads).
pub(crate) async fn describe_each<K, T, F, Fut>(
    listed: Vec<K>,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
    describe: F,
) -> Vec<T>
where
    K: Ord,
    F: Fn(K) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    progress.found(listed.len() as u64);
    let mut listed = listed;
    listed.sort();
    let mut tasks = JoinSet::new();
    let total = listed.len();
    let mut found: Vec<(usize, T)> = Vec::with_capacity(total);
    for (i, item) in listed.into_iter().enumerate() {
        // A task's future is as large as the SDK call it makes, and a
        // finished task keeps that memory until it is joined: spawn one only
        // once it may start, and join what has finished as we go.
        let started = limits.started.clone().acquire_owned().await.expect("semaphore closed");
        found.extend(finished(&mut tasks));
        let (progress, described) = (progress.clone(), crate::in_flight::carry(describe(item)));
        tasks.spawn(async move {
            let _started = started;
            let found = described.await;
            progress.judged(1);
            (i, found)
        });
    }
    found.extend(tasks.join_all().await);
    found.sort_by_key(|(i, _)| *i);
    debug_assert_eq!(found.len(), total);
    found.into_iter().map(|(_, t)| t).collect()
}

/// The tags of a resource, by ARN.
pub(crate) async fn tags(client: &Client, arn: &str, attempts: u32) -> Result<BTreeMap<String, String>, String> {
    let mut all = BTreeMap::new();
    let mut token = None;
    loop {
        let page = client
            .list_tags()
            .resource_arn(arn)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| unknown_reason("sagemaker:ListTags", &e, attempts))?;
        all.extend(
            page.tags()
                .iter()
                .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned()))),
        );
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(all);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const WAIT: Duration = Duration::from_millis(50);

    #[tokio::test]
    async fn an_account_waits_for_its_share_of_the_queue() {
        let limits = Limits::new(2, 3);
        let first = limits.queue(3).await;
        assert_eq!(limits.queued.available_permits(), 1);
        let second = tokio::time::timeout(WAIT, limits.queue(3)).await;
        assert!(
            second.is_err(),
            "a second account of three listings waits while one is left"
        );
        drop(first);
        let second = tokio::time::timeout(WAIT, limits.queue(3)).await;
        assert!(second.is_ok(), "and starts once the first is done");
    }

    #[tokio::test]
    async fn an_account_larger_than_the_queue_takes_all_of_it_rather_than_waiting_for_ever() {
        let limits = Limits::new(2, 3);
        let all = tokio::time::timeout(WAIT, limits.queue(30 * 14))
            .await
            .expect("not stuck");
        assert_eq!(limits.queued.available_permits(), 0);
        drop(all);
        let none = tokio::time::timeout(WAIT, limits.queue(0)).await.expect("not stuck");
        assert_eq!(
            limits.queued.available_permits(),
            2 * QUEUED_PER_PLACE - 1,
            "an empty account takes one"
        );
        drop(none);
    }
}
