//! The keys that Bedrock's invocation log destinations encrypt with: the S3
//! bucket's default encryption (`GetBucketEncryption`, a signed REST-XML
//! GET) and the CloudWatch Logs group's `kmsKeyId` (`DescribeLogGroups`, a
//! signed JSON 1.1 call). Read only for the rules on those keys, then
//! judged by KMS as every other key.

use crate::calls::CallCounter;
use crate::query::{self, regional, Refused, Service};
use crate::rest::reason;
use aws_config::SdkConfig;
use aws_types::region::Region;
use serde_json::Value;
use vigil_core::{Fact, Resource};

pub(crate) const S3: Service = Service {
    name: "s3",
    id: "S3",
    endpoint: |region, fips, dual_stack| {
        let fips = if fips { "-fips" } else { "" };
        let dual = if dual_stack { ".dualstack" } else { "" };
        let suffix = query::dns_suffix(region, false);
        (format!("https://s3{fips}{dual}.{region}.{suffix}"), region.to_owned())
    },
};

const LOGS: Service = Service {
    name: "logs",
    id: "CloudWatch Logs",
    endpoint: |region, fips, dual_stack| regional("logs", region, fips, dual_stack),
};

const GET_BUCKET_ENCRYPTION: &str = "s3:GetBucketEncryption";
const DESCRIBE_LOG_GROUPS: &str = "logs:DescribeLogGroups";
/// What S3 answers for a bucket without default encryption (before 2023,
/// and in emulators): objects are then under SSE-S3 or nothing, no KMS key.
const NO_ENCRYPTION: &str = "ServerSideEncryptionConfigurationNotFoundError";

/// Fills the key of every invocation log destination of `resources`, read
/// in the configuration's region.
pub async fn read_keys(config: &SdkConfig, counter: &CallCounter, resources: &mut [Resource]) {
    for resource in resources.iter_mut() {
        let Resource::InvocationLogging(logging) = resource else {
            continue;
        };
        let Some(region) = logging.identity.region.clone() else {
            continue;
        };
        let Fact::Known(Some(to)) = &mut logging.destinations else {
            continue;
        };
        let regional = config.to_builder().region(Region::new(region)).build();
        if let Some(bucket) = &mut to.s3_bucket {
            bucket.kms_key = bucket_key(&regional, &bucket.name, counter).await;
        }
        if let Some(group) = &mut to.log_group {
            group.kms_key = log_group_key(&regional, &group.name, counter).await;
        }
    }
}

/// The key the bucket's default encryption names: `alias/aws/s3` for
/// SSE-KMS without one, `None` for SSE-S3 or no default encryption.
async fn bucket_key(config: &SdkConfig, bucket: &str, counter: &CallCounter) -> Fact<Option<String>> {
    let answer = query::call_s3(config, &S3, (bucket, "encryption"), counter, GET_BUCKET_ENCRYPTION).await;
    match answer {
        Ok(xml) => default_key(&xml).map_or_else(
            |why| Fact::Unknown(format!("{GET_BUCKET_ENCRYPTION} answered what cannot be read: {why}")),
            Fact::Known,
        ),
        Err(Refused { code, .. }) if code == NO_ENCRYPTION => Fact::Known(None),
        Err(refused) => Fact::Unknown(bucket_refused(bucket, GET_BUCKET_ENCRYPTION, &refused)),
    }
}

/// Why `operation` on the logs' bucket failed; a bucket that is gone says
/// so, since Bedrock then delivers no logs at all.
pub(crate) fn bucket_refused(bucket: &str, operation: &str, refused: &Refused) -> String {
    let why = reason(operation, refused);
    match refused.code.as_str() {
        "NoSuchBucket" => format!("the bucket {bucket} does not exist ({why}): Bedrock cannot deliver logs to it"),
        _ => why,
    }
}

/// The KMS key of a `GetBucketEncryption` answer's first rule.
fn default_key(xml: &str) -> Result<Option<String>, String> {
    let algorithms = query::texts(xml, "SSEAlgorithm")?;
    let keys = query::texts(xml, "KMSMasterKeyID")?;
    let Some(algorithm) = algorithms.first() else {
        return Ok(None);
    };
    Ok(match (algorithm.as_str(), keys.first()) {
        ("aws:kms" | "aws:kms:dsse", Some(key)) if !key.trim().is_empty() => Some(key.trim().to_owned()),
        ("aws:kms" | "aws:kms:dsse", _) => Some("alias/aws/s3".to_owned()),
        _ => None,
    })
}

/// The `kmsKeyId` of the log group named exactly `name`.
async fn log_group_key(config: &SdkConfig, name: &str, counter: &CallCounter) -> Fact<Option<String>> {
    let pages = query::every_page(DESCRIBE_LOG_GROUPS, |token| async move {
        let mut body = serde_json::json!({ "logGroupNamePrefix": name });
        if let Some(token) = token {
            body["nextToken"] = Value::String(token);
        }
        let target = "Logs_20140328.DescribeLogGroups";
        let answer = query::call_json(config, &LOGS, target, &body.to_string(), counter, DESCRIBE_LOG_GROUPS)
            .await
            .map_err(|refused| reason(DESCRIBE_LOG_GROUPS, &refused))?;
        let answer: Value = serde_json::from_str(&answer)
            .map_err(|err| format!("{DESCRIBE_LOG_GROUPS} answered what cannot be read: {err}"))?;
        let groups = answer["logGroups"].as_array().cloned().unwrap_or_default();
        let next = answer["nextToken"].as_str().map(str::to_owned);
        Ok((groups, next))
    })
    .await;
    match pages {
        Ok(groups) => match groups.iter().find(|g| g["logGroupName"].as_str() == Some(name)) {
            Some(group) => Fact::Known(group["kmsKeyId"].as_str().filter(|k| !k.is_empty()).map(str::to_owned)),
            None => Fact::Unknown(format!(
                "the log group {name} does not exist ({DESCRIBE_LOG_GROUPS} lists none of that name): Bedrock cannot deliver logs to it"
            )),
        },
        Err(why) => Fact::Unknown(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encryption(rule: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule>{rule}</Rule></ServerSideEncryptionConfiguration>"#
        )
    }

    #[test]
    fn a_bucket_names_its_key_the_aws_managed_one_or_none() {
        let kms = encryption("<ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>arn:aws:kms:eu-west-1:123456789012:key/k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled>");
        assert_eq!(
            default_key(&kms).unwrap().as_deref(),
            Some("arn:aws:kms:eu-west-1:123456789012:key/k")
        );
        let managed =
            encryption("<ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault>");
        assert_eq!(default_key(&managed).unwrap().as_deref(), Some("alias/aws/s3"));
        let s3 =
            encryption("<ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault>");
        assert_eq!(default_key(&s3).unwrap(), None);
    }
}
