//! Rule definitions, one file per rule, grouped by service.

pub mod agentcore;
pub mod bedrock;
/// How every family's KMS-key rules judge a key; not a rule itself.
pub mod kms;
pub mod sagemaker;
