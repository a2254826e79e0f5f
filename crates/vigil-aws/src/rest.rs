//! Signed REST-JSON calls to the services Vigil reads without their SDK
//! crates (Bedrock AgentCore's control plane, Bedrock Agents): one call,
//! a listing followed page by page, and how a refusal reads.

use crate::calls::CallCounter;
use crate::iam::form_encoded;
use crate::query::{self, Refused, Service};
use aws_config::SdkConfig;
use aws_types::region::Region;
use vigil_core::report::ErrorScope;
use vigil_core::{Resource, RunError};

/// One call to `service` in `region` with a JSON `body` (empty for none):
/// `Ok` is the answer's JSON.
pub async fn call(
    config: &SdkConfig,
    (service, region): (&Service, &str),
    (method, path, body): (&str, &str, &str),
    counter: &CallCounter,
    operation: &str,
) -> Result<serde_json::Value, Refused> {
    let regional = config.to_builder().region(Region::new(region.to_owned())).build();
    let text = query::call_rest(&regional, service, (method, path), body, counter, operation).await?;
    serde_json::from_str(&text).map_err(|err| Refused {
        code: String::new(),
        reason: format!("{operation} answered what is not JSON: {err}"),
    })
}

/// Most pages a listing is followed for (100 items each).
const MAX_PAGES: usize = 10_000;

/// Where a listing takes its page size and token.
#[derive(Clone, Copy)]
pub enum Paging {
    /// In the query string (`ListAgentRuntimes`, `ListGateways`, …).
    Query,
    /// In the JSON body (`ListMemories`).
    Body,
}

/// A listing: its method, path (with any filter's query), the JSON field that
/// holds its items, and where its paging goes.
pub struct Listing<'a> {
    pub method: &'static str,
    pub path: &'a str,
    pub field: &'static str,
    pub paging: Paging,
}

/// Every item of a paged listing, the page token passed as
/// `nextToken`. A token answered twice, or too many pages, is an error: a
/// broken endpoint must not keep the audit in a loop.
pub async fn list(
    config: &SdkConfig,
    (service, region): (&Service, &str),
    listing: &Listing<'_>,
    counter: &CallCounter,
    operation: &str,
) -> Result<Vec<serde_json::Value>, Refused> {
    let broken = |reason: String| Refused {
        code: String::new(),
        reason,
    };
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    // A listing's path may carry a filter of its own (`?type=CUSTOM`).
    let joiner = if listing.path.contains('?') { '&' } else { '?' };
    for _ in 0..MAX_PAGES {
        let (path, body) = match (listing.paging, &token) {
            (Paging::Query, Some(token)) => (
                format!(
                    "{}{joiner}maxResults=100&nextToken={}",
                    listing.path,
                    form_encoded(token)
                ),
                String::new(),
            ),
            (Paging::Query, None) => (format!("{}{joiner}maxResults=100", listing.path), String::new()),
            (Paging::Body, token) => {
                let mut body = serde_json::json!({ "maxResults": 100 });
                if let Some(token) = token {
                    body["nextToken"] = serde_json::json!(token);
                }
                (listing.path.to_owned(), body.to_string())
            }
        };
        // A POST listing always carries a body, if only `{}`.
        let body = match (listing.method, body.is_empty()) {
            ("POST", true) => "{}".to_owned(),
            _ => body,
        };
        let page = call(
            config,
            (service, region),
            (listing.method, &path, &body),
            counter,
            operation,
        )
        .await?;
        items.extend(page[listing.field].as_array().cloned().unwrap_or_default());
        match page["nextToken"].as_str().filter(|t| !t.is_empty()) {
            None => return Ok(items),
            Some(next) if token.as_deref() == Some(next) => {
                return Err(broken(format!("{operation} answered the same page token twice")))
            }
            Some(next) => token = Some(next.to_owned()),
        }
    }
    Err(broken(format!("{operation} went on past {MAX_PAGES} pages")))
}

/// What one region holds of a kind read through a REST-JSON API: its
/// resources, a listing error, or the note that the service is not offered
/// there.
pub struct Found {
    pub resources: Vec<Resource>,
    pub error: Option<RunError>,
    pub note: Option<String>,
}

impl Found {
    /// The region's first listing of a kind was refused: a note (`note`)
    /// where the service is not offered there (see [`not_offered`]), else
    /// the region's error for `operation`.
    pub(crate) fn unlisted(
        (offered, region): (&[&str], &str),
        operation: &str,
        refused: &Refused,
        note: impl FnOnce() -> String,
    ) -> Found {
        let (error, note) = if not_offered(offered, region, refused) {
            (None, Some(note()))
        } else {
            let error = RunError::in_region(
                ErrorScope::Region,
                Some(region.to_owned()),
                Some(operation.into()),
                reason(operation, refused),
            );
            (Some(error), None)
        };
        Found {
            resources: Vec::new(),
            error,
            note,
        }
    }
}

/// Why a call's answer is unknown, worded as the SDK's refusals are.
pub fn reason(operation: &str, refused: &Refused) -> String {
    match refused.code.contains("AccessDenied") {
        true => format!("access denied to {operation} ({})", refused.reason),
        false => format!("{operation} failed ({})", refused.reason),
    }
}

/// Whether a refusal says the resource does not exist (deleted).
pub fn is_gone(refused: &Refused) -> bool {
    refused.code == "ResourceNotFoundException"
}

/// Whether a call that failed for `refused` says the service is not
/// offered in `region`: AWS does not list it there (`listed`) and its
/// endpoint's name does not resolve. In a listed region the same failure
/// is an error: a region where the service spread since is still asked,
/// and an outage is never taken for absence.
pub fn not_offered(listed: &[&str], region: &str, refused: &Refused) -> bool {
    !listed.contains(&region) && refused.code.is_empty() && refused.reason.contains("dns error")
}
