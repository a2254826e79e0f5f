//! `bedrock-invocation-logs-public`: the S3 bucket model invocation logs
//! go to is not public.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "bedrock-invocation-logs-public",
    aliases: &[],
    title: "Keep the Amazon Bedrock Invocation Log Bucket Private",
    fails_when: "the S3 bucket a region's model invocation logs go to is public: its bucket policy (as S3 judges it) or its ACL grants access to anyone, and Block Public Access (the bucket's or the account's) does not override it",
    risk: RiskLevel::VeryHigh,
    categories: &["Security", "Data Protection", "Logging"],
    resource_kind: ResourceKind::InvocationLogging,
    property: crate::model::InvocationLogging::LOGGING_CONFIG,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::BucketExposure,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::InvocationLogging(logging) = resource else {
        return None;
    };
    let region = super::invocation_logging::region(logging);
    let to = match super::invocation_logging::when_on(logging) {
        Ok(to) => to,
        Err(verdict) => return verdict,
    };
    // Logs that go to CloudWatch Logs only have no bucket to expose.
    let bucket = to.s3_bucket.as_ref()?;
    let name = &bucket.name;
    Some(match &bucket.public_by {
        Fact::Unknown(why) => Verdict::unknown(
            why.clone(),
            format!("Whether the bucket s3://{name} that holds the model invocation logs of {region} is public could not be read."),
        ),
        Fact::Known(grants) if grants.is_empty() => Verdict {
            status: Status::Pass,
            message: format!("The bucket s3://{name} that holds the model invocation logs of {region} is not public."),
        },
        Fact::Known(grants) => Verdict {
            status: Status::Fail,
            message: format!(
                "The bucket s3://{name} holds every prompt and answer of {region}'s model invocations, and anyone can read it through {}.",
                grants.join(" and ")
            ),
        },
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks, in each audited region where model invocation logging writes to \
S3, that the bucket is not public. Public means what S3 itself says: \
`GetBucketPolicyStatus` calls the bucket policy public, or the ACL \
grants access to `AllUsers` or `AuthenticatedUsers` (any AWS account); \
and neither the bucket's nor the account's Block Public Access settings \
override it (`RestrictPublicBuckets` for a policy, `IgnorePublicAcls` for \
an ACL). A bucket or setting that cannot be read is unknown, never a pass. \
Logging to CloudWatch Logs only is not judged. No peer checks this.",
    why: "\
Invocation logs hold every prompt and every answer in full: customer \
records, documents pasted into a context, the system prompts that encode \
how your application works. A public bucket hands all of it to anyone \
who finds the bucket's name, which is easy to guess and shows up in \
error messages and CloudTrail. Encryption does not help: S3 decrypts \
for whoever the bucket lets in.

Risk level Very High: a public log bucket is a standing leak of the most \
sensitive data Bedrock produces, with no exploit needed.",
    audit_console: "\
1. Open the Amazon Bedrock console, choose **Settings**, and note the S3 \
bucket under *Model invocation logging*.
2. Open that bucket in the Amazon S3 console: its *Access* column must \
not say *Public*; under **Permissions**, *Block public access* should be \
on.
3. Repeat in every region.",
    audit_cli: "\
```sh
bucket=$(aws bedrock get-model-invocation-logging-configuration \\
  --query loggingConfig.s3Config.bucketName --output text)
aws s3api get-bucket-policy-status --bucket \"$bucket\" --query PolicyStatus.IsPublic --output text
aws s3api get-bucket-acl --bucket \"$bucket\" \\
  --query \"Grants[?Grantee.URI=='http://acs.amazonaws.com/groups/global/AllUsers'].Permission\" --output text
```

`True`, or a permission on the second line, fails unless Block Public \
Access overrides it (`aws s3api get-public-access-block --bucket \"$bucket\"`).",
    remediate_console: "\
In the Amazon S3 console open the bucket, choose **Permissions**, edit \
*Block public access (bucket settings)* and turn on *Block all public \
access*. Then remove the bucket policy statements and ACL grants that \
named everyone, so that turning the block off later exposes nothing.",
    remediate_cli: "\
```sh
bucket=$(aws bedrock get-model-invocation-logging-configuration \\
  --query loggingConfig.s3Config.bucketName --output text)
aws s3api put-public-access-block --bucket \"$bucket\" --public-access-block-configuration \\
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
aws s3api put-bucket-acl --bucket \"$bucket\" --acl private
```

Turn the same settings on for the whole account with \
`aws s3control put-public-access-block --account-id ACCOUNT_ID`, once \
no bucket relies on being public.",
    remediate_cloudformation: "\
```yaml
BedrockLogs:
  Type: AWS::S3::Bucket
  Properties:
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      IgnorePublicAcls: true
      BlockPublicPolicy: true
      RestrictPublicBuckets: true
    OwnershipControls:
      Rules:
        - ObjectOwnership: BucketOwnerEnforced
```",
    remediate_terraform: "\
```hcl
resource \"aws_s3_bucket_public_access_block\" \"bedrock_logs\" {
  bucket                  = aws_s3_bucket.bedrock_logs.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}
```",
    references: &[
        (
            "Amazon S3: blocking public access to your storage",
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        ),
        (
            "Amazon Bedrock: monitor model invocation using CloudWatch Logs and Amazon S3",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Identity, InvocationLogging, LogDestination, LoggingDestinations};

    fn logging(bucket: Option<Fact<Vec<String>>>) -> Resource {
        Resource::InvocationLogging(InvocationLogging {
            identity: Identity::from_arn(
                InvocationLogging::NAME.to_owned(),
                Some(InvocationLogging::arn("eu-west-1", "123456789012")),
            ),
            destinations: Fact::Known(Some(LoggingDestinations {
                text: Some(true),
                s3_bucket: bucket.map(|public_by| LogDestination {
                    public_by,
                    ..LogDestination::named("acme-logs".to_owned())
                }),
                log_group: Some(LogDestination::named("/bedrock".to_owned())),
            })),
            in_use: Fact::unknown("not asked"),
        })
    }

    #[test]
    fn a_public_bucket_fails_a_private_one_passes_and_no_bucket_is_not_judged() {
        let public = check(&logging(Some(Fact::Known(vec!["its ACL".into()])))).unwrap();
        assert_eq!(public.status, Status::Fail);
        assert!(public.message.contains("s3://acme-logs") && public.message.contains("its ACL"), "{}", public.message);
        assert_eq!(check(&logging(Some(Fact::Known(Vec::new())))).unwrap().status, Status::Pass);
        let unread = check(&logging(Some(Fact::unknown("access denied")))).unwrap();
        assert!(matches!(unread.status, Status::Unknown { .. }), "{:?}", unread.status);
        assert!(check(&logging(None)).is_none());
    }
}
