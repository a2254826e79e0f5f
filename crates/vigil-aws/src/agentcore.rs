//! Amazon Bedrock AgentCore's control plane, as signed REST-JSON calls (no
//! 344k-line SDK crate for the handful of reads Vigil makes; see
//! `docs/BENCHMARKS.md`): where it is offered, and how each kind is listed
//! and described (`rest.rs` makes the calls).

use crate::calls::CallCounter;
use crate::collect::{describe_each, Limits};
use crate::progress::Progress;
use crate::query::{regional, Refused, Service};
use crate::rest::{self, reason, Found, Listing};
use aws_config::SdkConfig;
use serde_json::Value;
use std::sync::Arc;
use vigil_core::{Identity, Resource, ResourceKind};

const CONTROL: Service = Service {
    name: "bedrock-agentcore",
    id: "Bedrock AgentCore Control",
    endpoint: |region, fips, dual_stack| regional("bedrock-agentcore-control", region, fips, dual_stack),
};

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

/// How one AgentCore kind is listed and read: its collector declares it.
pub struct KindReads {
    pub kind: ResourceKind,
    pub listing: Listing<'static>,
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

/// Every resource of a kind in `region`: the listing, then one
/// description each, concurrently under the run's bounds.
pub async fn collect(
    reads: &'static KindReads,
    config: &SdkConfig,
    (account, region): (&str, &str),
    counter: &CallCounter,
    (limits, progress): (&Limits, &Arc<dyn Progress>),
) -> Found {
    let listed = match rest::list(
        config,
        (&CONTROL, region),
        &reads.listing,
        counter,
        reads.list_operation,
    )
    .await
    {
        Ok(listed) => listed,
        Err(refused) => {
            let place = (OFFERED, region);
            return Found::unlisted(place, reads.list_operation, &refused, || not_offered_note(region));
        }
    };
    let summaries: Vec<(String, String, Option<String>)> = listed.iter().map(reads.summary).collect();
    let resources = describe_each(summaries, limits, progress, |(id, name, arn)| {
        let (config, region, counter) = (config.clone(), region.to_owned(), counter.clone());
        let account = account.to_owned();
        async move {
            let described = describe(reads, &config, &region, &id, &counter).await;
            read_or_unreadable(reads, described, (name, arn), (&account, &region))
        }
    })
    .await;
    Found {
        resources,
        error: None,
        note: None,
    }
}

/// The resource a description answered, or the one it could not read,
/// placed where it was listed or named (not every listing gives an ARN);
/// the audit and `vigil watch` both read through it.
pub(crate) fn read_or_unreadable(
    reads: &KindReads,
    described: Result<Value, Refused>,
    (name, arn): (String, Option<String>),
    (account, region): (&str, &str),
) -> Resource {
    match described {
        Ok(answer) => (reads.read)(name, arn, &answer),
        Err(refused) => {
            let mut identity = Identity::from_arn(name, arn);
            identity.account.get_or_insert_with(|| account.to_owned());
            identity.region.get_or_insert_with(|| region.to_owned());
            (reads.unreadable)(identity, &reason(reads.get_operation, &refused))
        }
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
    rest::call(
        config,
        (&CONTROL, region),
        ("GET", &path, ""),
        counter,
        reads.get_operation,
    )
    .await
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
        assert!(rest::not_offered(OFFERED, "eu-south-1", &dns));
        assert!(
            !rest::not_offered(OFFERED, "eu-west-1", &dns),
            "a listed region's failure is an error"
        );
        let denied = Refused {
            code: "AccessDeniedException".into(),
            reason: "AccessDeniedException: not authorized".into(),
        };
        assert!(!rest::not_offered(OFFERED, "eu-south-1", &denied));
    }

    #[test]
    fn endpoints_follow_the_partition() {
        assert_eq!(
            (CONTROL.endpoint)("us-east-1", false, false).0,
            "https://bedrock-agentcore-control.us-east-1.amazonaws.com"
        );
    }
}
