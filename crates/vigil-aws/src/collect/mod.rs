//! Collectors: one module per resource kind, each listing every page and
//! describing each resource once, turning SDK types into `vigil_core` ones.
//! The shared mechanics (paging under the in-flight limit, concurrent
//! describes, listing errors) live here.

pub mod domains;
pub mod isolated_jobs;
pub mod models;
pub mod monitoring;
pub mod notebooks;
pub mod training_jobs;

use crate::audit::Progress;
use aws_smithy_async::future::pagination_stream::PaginationStream;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use vigil_core::RunError;

/// What every collector shares within one run.
#[derive(Clone)]
pub struct Limits {
    /// Caps calls in flight across all regions, so a large estate does not
    /// trip the account's API rate limits.
    pub in_flight: Arc<Semaphore>,
    /// For the reason given when throttling outlasts the retries.
    pub max_attempts: u32,
}

/// The next page of a listing, fetched under the in-flight limit.
pub(crate) async fn next_page<T>(pages: &mut PaginationStream<T>, limits: &Limits) -> Option<T> {
    let _permit = limits.in_flight.acquire().await.expect("semaphore closed");
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
    RunError::in_region("region", Some(region.to_owned()), Some(operation.into()), message)
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

/// Every page of a listing, reduced to items (usually (name, ARN) pairs) by
/// `items`; a listing that stops early keeps what it read and says why.
pub(crate) async fn list_pages<P, E, T>(
    mut pages: PaginationStream<Result<P, aws_sdk_sagemaker::error::SdkError<E>>>,
    limits: &Limits,
    region: &str,
    operation: &str,
    items: impl Fn(&P) -> Vec<T>,
) -> (Vec<T>, Option<RunError>)
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    let mut listed = Vec::new();
    while let Some(page) = next_page(&mut pages, limits).await {
        match page {
            Ok(page) => listed.extend(items(&page)),
            Err(err) => return (listed, Some(listing_error(region, operation, &err, limits))),
        }
    }
    (listed, None)
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
    for (i, item) in listed.into_iter().enumerate() {
        let (limits, progress, described) = (limits.clone(), progress.clone(), describe(item));
        tasks.spawn(async move {
            let _permit = limits.in_flight.acquire().await.expect("semaphore closed");
            let found = described.await;
            progress.judged(1);
            (i, found)
        });
    }
    let mut found: Vec<(usize, T)> = tasks.join_all().await;
    found.sort_by_key(|(i, _)| *i);
    debug_assert_eq!(found.len(), total);
    found.into_iter().map(|(_, t)| t).collect()
}
