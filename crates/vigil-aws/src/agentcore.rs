//! Amazon Bedrock AgentCore's control plane, as signed REST-JSON calls (no
//! 344k-line SDK crate for the handful of reads Vigil makes; see
//! `docs/BENCHMARKS.md`): where it is offered, one call, and a listing
//! followed page by page.

use crate::calls::CallCounter;
use crate::query::{self, dns_suffix, Refused, Service};
use aws_config::SdkConfig;
use aws_types::region::Region;

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

/// One AgentCore control-plane call in `region`: `Ok` is the answer's JSON.
pub async fn call(
    config: &SdkConfig,
    region: &str,
    (method, path): (&str, &str),
    counter: &CallCounter,
    operation: &str,
) -> Result<serde_json::Value, Refused> {
    let regional = config.to_builder().region(Region::new(region.to_owned())).build();
    let body = if method == "POST" { "{}" } else { "" };
    let text = query::call_rest(&regional, &CONTROL, (method, path), body, counter, operation).await?;
    serde_json::from_str(&text).map_err(|err| Refused {
        code: String::new(),
        reason: format!("{operation} answered what is not JSON: {err}"),
    })
}

/// Most pages an AgentCore listing is followed for (100 items each).
const MAX_PAGES: usize = 10_000;

/// Every item of a paged AgentCore listing: `path` without its query, the
/// JSON field that holds the items, and the page token passed as
/// `nextToken` in the query string. A token answered twice, or too many
/// pages, is an error: a broken endpoint must not keep the audit in a loop.
pub async fn list(
    config: &SdkConfig,
    region: &str,
    (method, path, field): (&str, &str, &str),
    counter: &CallCounter,
    operation: &str,
) -> Result<Vec<serde_json::Value>, Refused> {
    let broken = |reason: String| Refused {
        code: String::new(),
        reason,
    };
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let query = match &token {
            Some(token) => format!("?maxResults=100&nextToken={}", encode(token)),
            None => "?maxResults=100".to_owned(),
        };
        let page = call(config, region, (method, &format!("{path}{query}")), counter, operation).await?;
        items.extend(page[field].as_array().cloned().unwrap_or_default());
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
