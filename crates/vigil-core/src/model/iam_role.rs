//! IAM roles, as the account-wide Bedrock access rule sees them. IAM is
//! global: an audit reads the roles once per account and places their
//! findings in the first region it audits there, as Prowler does.

use super::Identity;
use crate::fact::Fact;

/// An IAM role of the audited account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamRole {
    pub identity: Identity,
    /// A service-linked role (path `/aws-service-role/`): AWS defines its
    /// permissions, and nobody can attach a policy to it.
    pub service_linked: bool,
    /// Whether the AWS managed policy `AmazonBedrockFullAccess` is attached.
    pub bedrock_full_access: Fact<bool>,
}

impl IamRole {
    /// The AWS managed policy that grants every Bedrock action.
    pub const BEDROCK_FULL_ACCESS: &'static str = "AmazonBedrockFullAccess";
}
