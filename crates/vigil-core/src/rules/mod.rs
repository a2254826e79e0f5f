//! Rule definitions, one file per rule, grouped by service.

pub mod agentcore;
pub mod bedrock;
/// How every family's KMS-key rules judge a key; not a rule itself.
pub mod kms;
/// What the role a resource acts as is granted; not a rule itself.
pub mod role_policies;
pub mod sagemaker;
