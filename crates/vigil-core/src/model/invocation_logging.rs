//! Amazon Bedrock's model invocation logging, one configuration per region.

use super::{Identity, Property};
use crate::fact::Fact;

/// Where a region's model invocations are logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggingDestinations {
    /// Whether prompts and answers in text are logged
    /// (`textDataDeliveryEnabled`); `None` where the answer leaves it out.
    pub text: Option<bool>,
    pub s3_bucket: Option<LogDestination>,
    pub log_group: Option<LogDestination>,
}

/// An S3 bucket or CloudWatch Logs group the invocations are written to,
/// and the KMS key it encrypts them with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogDestination {
    pub name: String,
    /// The key named by the bucket's default encryption (`alias/aws/s3`
    /// for SSE-KMS without one) or by the log group (`kmsKeyId`); `None`
    /// where AWS's own encryption applies (SSE-S3, a group without a key).
    /// Unknown until read: only the rules on these keys read them.
    pub kms_key: Fact<Option<String>>,
    /// For a bucket, what makes it public in spite of S3's Block Public
    /// Access settings (a bucket policy S3 calls public, an ACL grant to
    /// everyone); empty when nothing does. Unknown until read: only the
    /// rule on public log buckets reads it.
    pub public_by: Fact<Vec<String>>,
}

impl LogDestination {
    /// A destination whose key and exposure are not read (yet).
    pub fn named(name: String) -> Self {
        LogDestination {
            name,
            kms_key: Fact::unknown("not read: no chosen rule needs the key"),
            public_by: Fact::unknown("not read: no chosen rule needs whether the bucket is public"),
        }
    }
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
    /// Its destinations, where logging is on.
    pub fn destinations(&self) -> impl Iterator<Item = &LogDestination> {
        let on = self.destinations.known().and_then(Option::as_ref);
        on.into_iter().flat_map(|to| to.s3_bucket.iter().chain(&to.log_group))
    }

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
        let partition = super::partition(region);
        format!("arn:{partition}:bedrock:{region}:{account}:model-invocation-logging/default")
    }
}
