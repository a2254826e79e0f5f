//! Amazon Bedrock AgentCore's control plane, as signed REST-JSON calls (no
//! 344k-line SDK crate for the handful of reads Vigil makes; see
//! `docs/BENCHMARKS.md`): where it is offered, one call, and a listing
//! followed page by page.

use crate::calls::CallCounter;
use crate::collect::{describe_each, Limits};
use crate::progress::Progress;
use crate::query::{self, dns_suffix, Refused, Service};
use aws_config::SdkConfig;
use aws_types::region::Region;
use serde_json::Value;
use std::sync::Arc;
use vigil_core::report::ErrorScope;
use vigil_core::{Identity, Resource, ResourceKind, RunError};

const CONTROL: Service = Service {
    name: "bedrock-agentcore",
    id: "Bedrock AgentCore Control",
    endpoint: regional_endpoint,
};

fn regional_endpoint(region: &str, fips: bool, dual_stack: bool) -> (String, String) {
    let host = if fips {
        "bedrock-agentcore-control-fips"
    } else {
        "bedrock-agentcore-control"
    };
    let url = format!("https://{host}.{region}.{}", dns_suffix(region, dual_stack));
    (url, region.to_owned())
}

/// The regions AWS lists AgentCore (and its AWS Config rules) in. A region
/// outside the list is still asked: AgentCore spreads, and an answer is
/// judged; only an endpoint that does not resolve makes it not offered.
const OFFERED: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
];

/// The note for a region where AgentCore is not offered: once per region,
/// however many AgentCore kinds were chosen (notes are deduplicated).
pub fn not_offered_note(region: &str) -> String {
    format!("Amazon Bedrock AgentCore is not offered in {region}: its agent runtimes, gateways, memories, browsers and code interpreters are not applicable there")
}

/// Whether a call that failed for `refused` says the region has no
/// AgentCore endpoint: the region is not in [`OFFERED`] and its endpoint's
/// name does not resolve. In a listed region the same failure is an error.
pub fn is_not_offered(region: &str, refused: &Refused) -> bool {
    !OFFERED.contains(&region) && refused.code.is_empty() && refused.reason.contains("dns error")
}

/// One AgentCore control-plane call in `region` with a JSON `body` (empty
/// for none): `Ok` is the answer's JSON.
pub async fn call(
    config: &SdkConfig,
    region: &str,
    (method, path, body): (&str, &str, &str),
    counter: &CallCounter,
    operation: &str,
) -> Result<serde_json::Value, Refused> {
    let regional = config.to_builder().region(Region::new(region.to_owned())).build();
    let text = query::call_rest(&regional, &CONTROL, (method, path), body, counter, operation).await?;
    serde_json::from_str(&text).map_err(|err| Refused {
        code: String::new(),
        reason: format!("{operation} answered what is not JSON: {err}"),
    })
}

/// Most pages an AgentCore listing is followed for (100 items each).
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
pub struct Listing {
    pub method: &'static str,
    pub path: &'static str,
    pub field: &'static str,
    pub paging: Paging,
}

/// Every item of a paged AgentCore listing, the page token passed as
/// `nextToken`. A token answered twice, or too many pages, is an error: a
/// broken endpoint must not keep the audit in a loop.
pub async fn list(
    config: &SdkConfig,
    region: &str,
    listing: &Listing,
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
                format!("{}{joiner}maxResults=100&nextToken={}", listing.path, encode(token)),
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
        let page = call(config, region, (listing.method, &path, &body), counter, operation).await?;
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

/// Why a call's answer is unknown, worded as the SDK's refusals are.
pub fn reason(operation: &str, refused: &Refused) -> String {
    match refused.code.contains("AccessDenied") {
        true => format!("access denied to {operation} ({})", refused.reason),
        false => format!("{operation} failed ({})", refused.reason),
    }
}

/// How one AgentCore kind is listed and read: its collector declares it.
pub struct KindReads {
    pub kind: ResourceKind,
    pub listing: Listing,
    pub list_operation: &'static str,
    pub get_operation: &'static str,
    /// The path that describes one resource, from its id.
    pub get_path: fn(&str) -> String,
    /// (id, name, ARN) of a listed item; a kind whose listing carries no
    /// name is named by its id until described.
    pub summary: fn(&Value) -> (String, String, Option<String>),
    /// The resource a description gives, from its listed name and ARN.
    pub read: fn(String, Option<String>, &Value) -> Resource,
    /// The resource whose description failed, for this reason.
    pub unreadable: fn(Identity, &str) -> Resource,
}

/// What one region holds of a kind: its resources, a listing error, or the
/// note that AgentCore is not offered there.
pub struct Found {
    pub resources: Vec<Resource>,
    pub error: Option<RunError>,
    pub note: Option<String>,
}

/// Every resource of a kind in `region`: the listing, then one
/// description each, concurrently under the run's bounds.
pub async fn collect(
    reads: &'static KindReads,
    config: &SdkConfig,
    region: &str,
    counter: &CallCounter,
    (limits, progress): (&Limits, &Arc<dyn Progress>),
) -> Found {
    let none = |error, note| Found {
        resources: Vec::new(),
        error,
        note,
    };
    let listed = match list(config, region, &reads.listing, counter, reads.list_operation).await {
        Ok(listed) => listed,
        Err(refused) if is_not_offered(region, &refused) => return none(None, Some(not_offered_note(region))),
        Err(refused) => {
            let error = RunError::in_region(
                ErrorScope::Region,
                Some(region.to_owned()),
                Some(reads.list_operation.into()),
                reason(reads.list_operation, &refused),
            );
            return none(Some(error), None);
        }
    };
    let summaries: Vec<(String, String, Option<String>)> = listed.iter().map(reads.summary).collect();
    let resources = describe_each(summaries, limits, progress, |(id, name, arn)| {
        let (config, region, counter) = (config.clone(), region.to_owned(), counter.clone());
        async move {
            match describe(reads, &config, &region, &id, &counter).await {
                Ok(answer) => (reads.read)(name, arn, &answer),
                Err(refused) => {
                    (reads.unreadable)(Identity::from_arn(name, arn), &reason(reads.get_operation, &refused))
                }
            }
        }
    })
    .await;
    Found {
        resources,
        error: None,
        note: None,
    }
}

/// The description of the resource with this id.
pub async fn describe(
    reads: &KindReads,
    config: &SdkConfig,
    region: &str,
    id: &str,
    counter: &CallCounter,
) -> Result<Value, Refused> {
    let path = (reads.get_path)(id);
    call(config, region, ("GET", &path, ""), counter, reads.get_operation).await
}

/// Whether a refusal says the resource does not exist (deleted).
pub fn is_gone(refused: &Refused) -> bool {
    refused.code == "ResourceNotFoundException"
}

/// A page token as a query-string value.
fn encode(token: &str) -> String {
    token
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_unlisted_region_whose_endpoint_does_not_resolve_is_not_offered() {
        let dns = Refused {
            code: String::new(),
            reason: "could not reach https://bedrock-agentcore-control.eu-south-1.amazonaws.com: dns error: failed to lookup address information".into(),
        };
        assert!(is_not_offered("eu-south-1", &dns));
        assert!(
            !is_not_offered("eu-west-1", &dns),
            "a listed region's failure is an error"
        );
        let denied = Refused {
            code: "AccessDeniedException".into(),
            reason: "AccessDeniedException: not authorized".into(),
        };
        assert!(!is_not_offered("eu-south-1", &denied));
    }

    #[test]
    fn tokens_are_encoded_and_endpoints_follow_the_partition() {
        assert_eq!(encode("a+b/c=="), "a%2Bb%2Fc%3D%3D");
        assert_eq!(
            regional_endpoint("us-east-1", false, false).0,
            "https://bedrock-agentcore-control.us-east-1.amazonaws.com"
        );
    }
}
