//! Amazon Bedrock's control planes, read through signed REST-JSON calls:
//! Bedrock's own (guardrails, custom models) and Bedrock Agents' (agents,
//! knowledge bases and their data sources, prompts); their endpoints and where they are offered.

use crate::query::{regional, Service};
use crate::rest_kinds::Plane;

pub(crate) static AGENTS: Plane = Plane {
    service: Service {
        name: "bedrock",
        id: "Bedrock Agent",
        endpoint: |region, fips, dual_stack| regional("bedrock-agent", region, fips, dual_stack),
    },
    offered: OFFERED,
    not_offered: |region| {
        format!("Amazon Bedrock Agents are not offered in {region}: its agents, knowledge bases and prompts are not applicable there")
    },
};

pub(crate) static CONTROL: Plane = Plane {
    service: Service {
        name: "bedrock",
        id: "Bedrock",
        endpoint: |region, fips, dual_stack| regional("bedrock", region, fips, dual_stack),
    },
    offered: OFFERED,
    not_offered: |region| {
        format!("Amazon Bedrock is not offered in {region}: its guardrails and custom models are not applicable there")
    },
};

/// The regions AWS lists Bedrock agents and knowledge bases (and their
/// AWS Config rules) in; elsewhere an endpoint that does not resolve is a
/// note, not an error.
const OFFERED: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "ap-south-1",
    "ap-south-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
];
