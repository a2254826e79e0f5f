//! A VPC, as the Bedrock VPC-endpoint rule sees it: whether workloads run
//! in it, and which Amazon Bedrock APIs it reaches privately.

use super::Identity;
use crate::fact::Fact;

/// A VPC of a region where Amazon Bedrock is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vpc {
    pub identity: Identity,
    /// Whether anything runs in it: it has at least one network interface.
    pub in_use: Fact<bool>,
    /// Whether the region invokes Bedrock models (CloudWatch lists an
    /// `AWS/Bedrock` metric there): VPCs of other regions are not read.
    pub bedrock_invoked: Fact<bool>,
    /// The Bedrock APIs it has an `available` interface endpoint for, by
    /// the service name's last label (`bedrock-runtime`, `bedrock-agent`, …).
    pub bedrock_endpoints: Fact<Vec<String>>,
}

impl Vpc {
    /// The Bedrock APIs a VPC can reach through PrivateLink, by the last
    /// label of their endpoint service name.
    pub const BEDROCK_APIS: [&'static str; 5] = [
        "bedrock-runtime",
        "bedrock-agent-runtime",
        "bedrock",
        "bedrock-agent",
        "bedrock-mantle",
    ];

    /// The VPC's ARN, so findings place it in its account and region.
    pub fn arn(region: &str, account: &str, id: &str) -> String {
        let partition = super::partition(region);
        format!("arn:{partition}:ec2:{region}:{account}:vpc/{id}")
    }
}
