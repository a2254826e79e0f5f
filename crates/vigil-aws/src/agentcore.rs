//! Amazon Bedrock AgentCore's control plane, read through signed REST-JSON
//! calls (no 344k-line SDK crate for the handful of reads Vigil makes; see
//! `docs/BENCHMARKS.md`): its endpoint and where it is offered.

use crate::query::{regional, Service};
use crate::rest_kinds::Plane;

pub(crate) static CONTROL: Plane = Plane {
    service: Service {
        name: "bedrock-agentcore",
        id: "Bedrock AgentCore Control",
        endpoint: |region, fips, dual_stack| regional("bedrock-agentcore-control", region, fips, dual_stack),
    },
    offered: OFFERED,
    not_offered: not_offered_note,
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
fn not_offered_note(region: &str) -> String {
    format!("Amazon Bedrock AgentCore is not offered in {region}: its agent runtimes, gateways, memories, browsers and code interpreters are not applicable there")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Refused;
    use crate::rest;

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
            (CONTROL.service.endpoint)("us-east-1", false, false).0,
            "https://bedrock-agentcore-control.us-east-1.amazonaws.com"
        );
    }
}
