//! `vigil watch --notify-url`: each failure POSTed as JSON to a webhook
//! (Slack and Teams incoming webhooks read `text`; the finding rides along).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use std::time::Duration;
use vigil_core::Finding;

/// Longest a webhook may take to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

pub struct Webhook {
    url: String,
    client: Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>,
}

impl Webhook {
    /// Fails only when the system's certificate roots cannot be read.
    pub fn new(url: &str) -> Result<Self, String> {
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(provider)
            .map_err(|e| format!("the system's certificate roots could not be read: {e}"))?
            .https_or_http()
            .enable_http1()
            .build();
        Ok(Webhook {
            url: url.to_owned(),
            client: Client::builder(TokioExecutor::new()).build(connector),
        })
    }

    /// POSTs one failure; any answer but 2xx is an error naming the status.
    pub async fn post(&self, finding: &Finding) -> Result<(), String> {
        let r = &finding.resource;
        let text = format!(
            "Vigil: {} fails {} ({}) in {} {}",
            r.name,
            finding.rule.id,
            finding.title,
            r.account.as_deref().unwrap_or("-"),
            r.region.as_deref().unwrap_or("-")
        );
        let body = serde_json::json!({"text": text, "finding": finding}).to_string();
        let request = http::Request::post(&self.url)
            .header("content-type", "application/json")
            .header("user-agent", concat!("vigil/", env!("CARGO_PKG_VERSION")))
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        let answer = tokio::time::timeout(TIMEOUT, self.client.request(request))
            .await
            .map_err(|_| format!("no answer within {} s", TIMEOUT.as_secs()))?
            .map_err(|e| e.to_string())?;
        let status = answer.status();
        // Read the body so the connection can be reused.
        let _ = answer.into_body().collect().await;
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("answered HTTP {status}"))
        }
    }
}
