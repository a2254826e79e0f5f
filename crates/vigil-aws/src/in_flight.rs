//! The limit on calls in flight (the SDK's clients', and the signed calls
//! `query.rs` makes by hand), held per HTTP attempt rather than per call: a call that is throttled gives its place back while the SDK
//! backs off, so `--concurrency 1` under throttling costs the back-off of
//! the throttled call, not of every call queued behind it. The attempt
//! timeout starts once the place is had, so waiting in the queue never
//! times a call out.

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::{tls, Builder, ConnectorBuilder};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{AcquireError, OwnedSemaphorePermit, Semaphore};

/// Longest one HTTP attempt may take once it is under way (documented).
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// The SDK's own default HTTPS client (hyper 1, rustls with aws-lc, proxy
/// settings from the environment), built once so every client shares one
/// connection pool.
pub fn default_client() -> SharedHttpClient {
    Builder::new().build_with_connector_fn(|settings, components| {
        connector_with(settings.cloned(), components.and_then(|c| c.sleep_impl()))
    })
}

/// The same HTTPS connector, for a hand-made call (`describe_regions.rs`),
/// with its timeouts slept on tokio.
pub fn connector(settings: HttpConnectorSettings) -> aws_smithy_http_client::Connector {
    connector_with(Some(settings), aws_smithy_async::rt::sleep::default_async_sleep())
}

fn connector_with(
    settings: Option<HttpConnectorSettings>,
    sleep: Option<aws_smithy_async::rt::sleep::SharedAsyncSleep>,
) -> aws_smithy_http_client::Connector {
    let mut builder =
        ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(tls::rustls_provider::CryptoMode::AwsLc));
    builder.set_connector_settings(settings);
    builder.set_sleep_impl(sleep);
    builder.set_proxy_config(Some(ProxyConfig::from_env()));
    builder.build()
}

/// The places an HTTP attempt must each hold before it goes out: the run's
/// and, in an audit, its (account, region)'s own, since SageMaker's rate
/// limits are per account and region.
#[derive(Debug, Clone)]
pub struct Places(Vec<Arc<Semaphore>>);

impl Places {
    pub fn new(places: usize) -> Self {
        Places(vec![Arc::new(Semaphore::new(places.max(1)))])
    }

    /// These places plus `places` of a scope's own. The scope's are taken
    /// first, so an attempt waiting on a busy region never holds a place
    /// another region could use.
    pub fn within(&self, places: usize) -> Self {
        let mut all = vec![Arc::new(Semaphore::new(places.max(1)))];
        all.extend(self.0.iter().cloned());
        Places(all)
    }
}

impl Places {
    /// One of each of these places, held until dropped.
    pub async fn hold(&self) -> Result<Vec<OwnedSemaphorePermit>, AcquireError> {
        let mut held = Vec::with_capacity(self.0.len());
        for place in &self.0 {
            held.push(place.clone().acquire_owned().await?);
        }
        Ok(held)
    }
}

tokio::task_local! {
    /// The places of the (account, region) whose task a hand-made signed
    /// call (`query.rs`) runs in: the SDK's clients hold theirs through
    /// [`limited`], these calls through [`hold_current`].
    static SCOPE: Places;
}

/// Runs `future` with `places` bounding the signed calls made in it (and in
/// the tasks it spawns through [`carry`]).
pub async fn within<F: Future>(places: Places, future: F) -> F::Output {
    SCOPE.scope(places, future).await
}

/// `future`, in the places of the task that makes it: for a task spawned
/// from within [`within`], which a spawned task would otherwise leave.
pub fn carry<F: Future>(future: F) -> impl Future<Output = F::Output> {
    let places = SCOPE.try_with(Places::clone).ok();
    async move {
        match places {
            Some(places) => SCOPE.scope(places, future).await,
            None => future.await,
        }
    }
}

/// One of each place of the current scope, held until dropped; nothing
/// outside a scope.
pub async fn hold_current() -> Result<Vec<OwnedSemaphorePermit>, AcquireError> {
    match SCOPE.try_with(Places::clone) {
        Ok(places) => places.hold().await,
        Err(_) => Ok(Vec::new()),
    }
}

/// `inner`, with an attempt in flight only while it holds one of each of `places`.
pub fn limited(inner: SharedHttpClient, places: Places) -> SharedHttpClient {
    SharedHttpClient::new(Limited { inner, places })
}

#[derive(Debug)]
struct Limited {
    inner: SharedHttpClient,
    places: Places,
}

impl HttpClient for Limited {
    fn http_connector(&self, settings: &HttpConnectorSettings, components: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(LimitedConnector {
            inner: self.inner.http_connector(settings, components),
            places: self.places.clone(),
        })
    }

    fn connector_metadata(&self) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.inner.connector_metadata()
    }
}

#[derive(Debug)]
struct LimitedConnector {
    inner: SharedHttpConnector,
    places: Places,
}

impl HttpConnector for LimitedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (inner, places) = (self.inner.clone(), self.places.clone());
        HttpConnectorFuture::new(async move {
            let _held = places.hold().await.map_err(|e| ConnectorError::other(e.into(), None))?;
            match tokio::time::timeout(ATTEMPT_TIMEOUT, inner.call(request)).await {
                Ok(answer) => answer,
                Err(_) => Err(ConnectorError::timeout(
                    format!("no answer within {} s", ATTEMPT_TIMEOUT.as_secs()).into(),
                )),
            }
        })
    }
}
