//! Rule definitions, one file per rule, grouped by service.

pub mod agentcore;
pub mod bedrock;
pub mod sagemaker;
