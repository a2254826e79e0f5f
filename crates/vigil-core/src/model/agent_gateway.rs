//! Amazon Bedrock AgentCore gateways.

use super::{Identity, Property};
use crate::fact::Fact;

/// An AgentCore gateway (the MCP front of an agent's tools): how it
/// authorizes inbound calls, the KMS key of its data, and how much of its
/// errors it tells callers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentGateway {
    pub identity: Identity,
    /// `CUSTOM_JWT`, `AWS_IAM`, `AUTHENTICATE_ONLY` or `NONE`.
    pub authorizer_type: Fact<Option<String>>,
    pub kms_key_arn: Fact<Option<String>>,
    /// `DEBUG`, or `None` (the default: generic errors only).
    pub exception_level: Fact<Option<String>>,
    /// The mode of the policy engine attached (`ENFORCE`, `LOG_ONLY`), or
    /// `None` when none is.
    pub policy_engine_mode: Fact<Option<String>>,
}

impl AgentGateway {
    pub const NAME: Property = Property {
        cloudformation: "Name",
        terraform: "name",
    };
    pub const AUTHORIZER_TYPE: Property = Property {
        cloudformation: "AuthorizerType",
        terraform: "authorizer_type",
    };
    pub const KMS_KEY: Property = Property {
        cloudformation: "KmsKeyArn",
        terraform: "kms_key_arn",
    };
    pub const EXCEPTION_LEVEL: Property = Property {
        cloudformation: "ExceptionLevel",
        terraform: "exception_level",
    };
    pub const POLICY_ENGINE_MODE: Property = Property {
        cloudformation: "PolicyEngineConfiguration.Mode",
        terraform: "policy_engine_configuration.mode",
    };

    /// Nothing could be read, for one reason.
    pub fn unreadable(identity: Identity, reason: &str) -> Self {
        AgentGateway {
            identity: identity.unread(reason),
            authorizer_type: Fact::unknown(reason),
            kms_key_arn: Fact::unknown(reason),
            exception_level: Fact::unknown(reason),
            policy_engine_mode: Fact::unknown(reason),
        }
    }
}
