//! Amazon Bedrock's model invocation logging, one configuration per region.

use super::{Identity, Property};
use crate::fact::Fact;

/// Where a region's model invocations are logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggingDestinations {
    /// Whether prompts and answers in text are logged
    /// (`textDataDeliveryEnabled`).
    pub text: bool,
    pub s3_bucket: Option<String>,
    pub log_group: Option<String>,
}

/// The model invocation logging of one region: its configuration, and
/// whether the region invokes models at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvocationLogging {
    pub identity: Identity,
    /// `None` when logging is off.
    pub destinations: Fact<Option<LoggingDestinations>>,
    /// Whether a model was invoked in the region in the last two weeks:
    /// Bedrock publishes CloudWatch metrics (namespace `AWS/Bedrock`) for
    /// every invocation, and CloudWatch lists a metric for two weeks after
    /// its last data point. Read only where logging is off.
    pub in_use: Fact<bool>,
}

impl InvocationLogging {
    /// Where findings point: the region's configuration has no template
    /// type in CloudFormation.
    pub const LOGGING_CONFIG: Property = Property {
        cloudformation: "LoggingConfig",
        terraform: "logging_config",
    };
    /// How findings name a region's configuration.
    pub const NAME: &'static str = "model-invocation-logging";

    /// The configuration's identifier, in ARN form so findings place it in
    /// its account and region (the partition follows the region).
    pub fn arn(region: &str, account: &str) -> String {
        let partition = match region {
            r if r.starts_with("cn-") => "aws-cn",
            r if r.starts_with("us-gov-") => "aws-us-gov",
            _ => "aws",
        };
        format!("arn:{partition}:bedrock:{region}:{account}:model-invocation-logging/default")
    }
}
