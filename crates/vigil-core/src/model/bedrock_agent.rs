//! Amazon Bedrock agents (Bedrock Agents, not AgentCore).

use super::{Identity, Property, RolePolicy};
use crate::fact::Fact;

/// A Bedrock agent: the guardrail that screens what it is asked and
/// answers, the KMS key of the session data it keeps, and the role it acts
/// as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BedrockAgent {
    pub identity: Identity,
    /// The guardrail's id or ARN; `None` when the agent has none.
    pub guardrail: Fact<Option<String>>,
    pub kms_key_arn: Fact<Option<String>>,
    pub role_arn: Fact<Option<String>>,
    /// The role's identity policies, read from IAM when a rule needs them.
    pub role_policies: Fact<Vec<RolePolicy>>,
    /// The other agents of the audited account and regions that act as the
    /// same role; known only to an audit, which reads them all.
    pub role_shared_with: Fact<Vec<String>>,
}

impl BedrockAgent {
    pub const NAME: Property = Property {
        cloudformation: "AgentName",
        terraform: "agent_name",
    };
    /// The block that names the guardrail (and its version).
    pub const GUARDRAIL_CONFIGURATION: Property = Property {
        cloudformation: "GuardrailConfiguration",
        terraform: "guardrail_configuration",
    };
    pub const GUARDRAIL: Property = Property {
        cloudformation: "GuardrailConfiguration.GuardrailIdentifier",
        terraform: "guardrail_configuration.guardrail_identifier",
    };
    pub const ROLE_ARN: Property = Property {
        cloudformation: "AgentResourceRoleArn",
        terraform: "agent_resource_role_arn",
    };
    /// Why sharing is unknown where the agents were not all read.
    pub const SHARING_NOT_READ: &'static str =
        "whether other agents share the role is known only to `vigil audit`, which reads every agent of the account";
    /// Why a role's policies are unknown until the audit reads them.
    pub const POLICIES_NOT_READ: &'static str = "the service role's policies were not read from IAM";
    pub const KMS_KEY: Property = Property {
        cloudformation: "CustomerEncryptionKeyArn",
        terraform: "customer_encryption_key_arn",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        BedrockAgent {
            identity: identity.unread(reason),
            guardrail: Fact::unknown(reason),
            kms_key_arn: Fact::unknown(reason),
            role_arn: Fact::unknown(reason),
            role_policies: Fact::unknown(reason),
            role_shared_with: Fact::unknown(reason),
        }
    }
}
