//! `bedrock-invocation-logs-kms`: the S3 bucket and CloudWatch Logs group
//! that model invocation logs go to encrypt them with a customer key.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{KmsKeys, LogDestination, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::judge_key;

pub static RULE: Rule = Rule {
    id: "bedrock-invocation-logs-kms",
    aliases: &[],
    title: "Encrypt Amazon Bedrock Invocation Logs with a Customer-Managed KMS Key",
    fails_when: "the S3 bucket or CloudWatch Logs group a region's model invocation logs go to has no customer-managed KMS key (SSE-S3, `aws/s3`, a group without `kmsKeyId`)",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption", "Logging"],
    resource_kind: ResourceKind::InvocationLogging,
    property: crate::model::InvocationLogging::LOGGING_CONFIG,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::DestinationKeys,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_model_invocation_logs_encryption_enabled"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

/// How a destination is named in a verdict.
fn named(kind: &str, destination: &LogDestination) -> String {
    match kind {
        "bucket" => format!("the bucket s3://{}", destination.name),
        _ => format!("the log group {}", destination.name),
    }
}

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::InvocationLogging(logging) = resource else {
        return None;
    };
    let region = super::invocation_logging::region(logging);
    let to = match super::invocation_logging::when_on(logging) {
        Ok(to) => to,
        Err(verdict) => return verdict,
    };
    let destinations: Vec<(&str, &LogDestination)> = [("bucket", &to.s3_bucket), ("group", &to.log_group)]
        .into_iter()
        .filter_map(|(kind, d)| d.as_ref().map(|d| (kind, d)))
        .collect();
    if destinations.is_empty() {
        return None;
    }
    let (mut faults, mut unknowns, mut passes, mut notes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (kind, destination) in destinations {
        let subject = named(kind, destination);
        match judged(&logging.identity.keys, destination) {
            Fact::Unknown(why) => unknowns.push(format!("{subject}: {why}")),
            Fact::Known(Err(fault)) => faults.push(format!("{subject} encrypts them with {fault}")),
            Fact::Known(Ok(note)) => {
                let key = destination.kms_key.known().cloned().flatten().unwrap_or_default();
                passes.push(format!("{subject} with the customer-managed key {key}"));
                notes.extend(note);
            }
        }
    }
    Some(if !faults.is_empty() {
        Verdict {
            status: Status::Fail,
            message: format!(
                "The model invocation logs of {region} hold every prompt and answer, and {}: a key AWS manages, which you cannot restrict, audit apart or revoke.",
                faults.join("; ")
            ),
        }
    } else if !unknowns.is_empty() {
        Verdict::unknown(
            unknowns.join("; "),
            format!("Whether the model invocation logs of {region} are under a customer-managed key could not be read."),
        )
    } else {
        let mut message = format!(
            "Bedrock writes the model invocation logs of {region} to {}.",
            passes.join(" and ")
        );
        for note in notes {
            message = format!("{message} {note}");
        }
        Verdict {
            status: Status::Pass,
            message,
        }
    })
}

/// The destination's key judged as the key rules judge one: none (SSE-S3,
/// a group without a key) and AWS managed keys fail.
fn judged(keys: &KmsKeys, destination: &LogDestination) -> crate::rules::kms::KeyUse {
    match &destination.kms_key {
        Fact::Unknown(why) => Fact::Unknown(why.clone()),
        Fact::Known(None) => Fact::Known(Err("the encryption AWS applies to every one (no KMS key)".to_owned())),
        Fact::Known(Some(key)) => judge_key(keys, Some(key)),
    }
}

const ARTICLE: Article = Article {
    what: "\
Checks, in each audited region where model invocation logging is on, \
that every destination encrypts the logs with a KMS key of your own: the \
S3 bucket's default encryption (`GetBucketEncryption`) names a customer \
managed key, and the CloudWatch Logs group has a `kmsKeyId`. SSE-S3, \
SSE-KMS with the `aws/s3` key, a log group without a key, or a key KMS \
says is disabled or pending deletion fail. A bucket or group that cannot \
be read (gone, refused) is unknown, never a pass.",
    why: "\
Invocation logs are the most sensitive data Bedrock produces: every \
prompt and every answer, in full, often with customer records and \
documents pasted into the context. Both S3 and CloudWatch Logs encrypt \
them at rest with keys AWS manages by default, but anyone the bucket or \
log group lets in reads them, and AWS's keys cannot be restricted with a \
key policy, audited apart in CloudTrail or revoked. A key of your own \
adds a second, separate grant: reading the logs needs `kms:Decrypt` on \
your key, and disabling the key cuts every reader off at once.

Risk level Medium: the logs are encrypted either way; what is missing is \
your control over who can decrypt them.",
    audit_console: "\
1. Open the Amazon Bedrock console and choose **Settings**: note the S3 \
bucket and the log group of *Model invocation logging*.
2. In the S3 console, open the bucket, **Properties** > *Default \
encryption*: it must be SSE-KMS with a key of yours, not `aws/s3`.
3. In the CloudWatch console, **Log groups**: the group's *KMS key ID* \
must be set.
4. Repeat in every region where logging is on.",
    audit_cli: "\
```sh
aws bedrock get-model-invocation-logging-configuration \\
  --query 'loggingConfig.[s3Config.bucketName, cloudWatchConfig.logGroupName]' --output text
aws s3api get-bucket-encryption --bucket acme-bedrock-logs \\
  --query 'ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault' \\
  || echo 'no default encryption: SSE-S3'
aws logs describe-log-groups --log-group-name-prefix /bedrock/invocations \\
  --query 'logGroups[].[logGroupName, kmsKeyId]' --output text
```

`AES256`, `aws:kms` without a `KMSMasterKeyID`, or a group whose key is \
`None` fails.",
    remediate_console: "\
Create a customer managed key whose policy lets `logs.<region>.amazonaws.com` \
and `bedrock.amazonaws.com` use it (see the references). In the bucket's \
**Properties**, edit *Default encryption*: SSE-KMS with that key, bucket \
key on. In CloudWatch Logs the console cannot set a key on an existing \
group: use the CLI.",
    remediate_cli: "\
The key's policy must let CloudWatch Logs and Bedrock use it before \
`associate-kms-key` succeeds on AWS (see the references). The new key \
encrypts what is written from now on; objects and events written before \
keep their old encryption.

```sh
KEY=$(aws kms create-key --description \"Bedrock invocation logs\" --query KeyMetadata.Arn --output text)
aws s3api put-bucket-encryption --bucket acme-bedrock-logs --server-side-encryption-configuration \\
  \"{\\\"Rules\\\": [{\\\"ApplyServerSideEncryptionByDefault\\\": {\\\"SSEAlgorithm\\\": \\\"aws:kms\\\", \\\"KMSMasterKeyID\\\": \\\"$KEY\\\"}, \\\"BucketKeyEnabled\\\": true}]}\"
aws logs associate-kms-key --log-group-name /bedrock/invocations --kms-key-id \"$KEY\"
```",
    remediate_cloudformation: "\
CloudFormation has no resource for the region's logging configuration, \
but the bucket and the group are declared as usual:

```yaml
InvocationLogs:
  Type: AWS::S3::Bucket
  Properties:
    BucketEncryption:
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: aws:kms
            KMSMasterKeyID: !GetAtt LogsKey.Arn
          BucketKeyEnabled: true
InvocationLogGroup:
  Type: AWS::Logs::LogGroup
  Properties:
    LogGroupName: /bedrock/invocations
    KmsKeyId: !GetAtt LogsKey.Arn
```",
    remediate_terraform: "\
```hcl
resource \"aws_s3_bucket_server_side_encryption_configuration\" \"bedrock_logs\" {
  bucket = aws_s3_bucket.bedrock_logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = \"aws:kms\"
      kms_master_key_id = aws_kms_key.logs.arn
    }
    bucket_key_enabled = true
  }
}

resource \"aws_cloudwatch_log_group\" \"bedrock_invocations\" {
  name       = \"/bedrock/invocations\"
  kms_key_id = aws_kms_key.logs.arn
}
```",
    references: &[
        (
            "Amazon Bedrock: model invocation logging (destinations and their keys)",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html",
        ),
        (
            "Amazon CloudWatch Logs: encrypt log data using AWS KMS",
            "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
        ),
        (
            "Amazon S3: server-side encryption with AWS KMS keys (SSE-KMS)",
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Identity, InvocationLogging, KeyStanding, LoggingDestinations};

    fn logging(bucket: Option<Fact<Option<String>>>, group: Option<Fact<Option<String>>>) -> Resource {
        let mut identity = Identity::from_arn(
            InvocationLogging::NAME.to_owned(),
            Some(InvocationLogging::arn("eu-west-1", "123456789012")),
        );
        identity.keys.insert("arn:aws:kms:eu-west-1:123456789012:key/mine", Fact::Known(KeyStanding::Customer));
        identity.keys.insert("arn:aws:kms:eu-west-1:123456789012:key/theirs", Fact::Known(KeyStanding::AwsManaged));
        let destination = |name: &str, key: Option<Fact<Option<String>>>| {
            key.map(|kms_key| LogDestination {
                kms_key,
                ..LogDestination::named(name.to_owned())
            })
        };
        Resource::InvocationLogging(InvocationLogging {
            identity,
            destinations: Fact::Known(Some(LoggingDestinations {
                text: Some(true),
                s3_bucket: destination("logs", bucket),
                log_group: destination("/bedrock", group),
            })),
            in_use: Fact::unknown("not asked"),
        })
    }

    fn key(name: &str) -> Option<Fact<Option<String>>> {
        Some(Fact::Known(Some(format!("arn:aws:kms:eu-west-1:123456789012:key/{name}"))))
    }

    #[test]
    fn every_destination_must_name_a_customer_key() {
        let status = |r: Resource| check(&r).unwrap().status;
        assert_eq!(status(logging(key("mine"), key("mine"))), Status::Pass);
        assert_eq!(status(logging(key("mine"), None)), Status::Pass);
        assert_eq!(status(logging(key("mine"), key("theirs"))), Status::Fail);
        assert_eq!(status(logging(Some(Fact::Known(None)), key("mine"))), Status::Fail);
        let alias = Some(Fact::Known(Some("alias/aws/s3".to_owned())));
        assert_eq!(status(logging(alias, None)), Status::Fail);
    }

    #[test]
    fn a_destination_that_could_not_be_read_is_unknown_unless_another_fails() {
        let gone = || Some(Fact::unknown("s3:GetBucketEncryption: NoSuchBucket"));
        let unknown = check(&logging(gone(), key("mine"))).unwrap();
        let Status::Unknown { reason } = unknown.status else {
            panic!("{unknown:?}")
        };
        assert!(reason.contains("s3://logs: s3:GetBucketEncryption: NoSuchBucket"), "{reason}");
        assert_eq!(check(&logging(gone(), key("theirs"))).unwrap().status, Status::Fail);
    }
}
