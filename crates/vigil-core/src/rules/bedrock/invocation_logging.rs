//! `bedrock-invocation-logging`: a region that invokes Bedrock models logs
//! the invocations.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{InvocationLogging, LoggingDestinations, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "bedrock-invocation-logging",
    aliases: &[],
    title: "Enable Model Invocation Logging for Amazon Bedrock",
    fails_when: "a region where Bedrock models were invoked in the last two weeks has no model invocation logging configuration",
    risk: RiskLevel::Medium,
    categories: &["Security", "Logging"],
    resource_kind: ResourceKind::InvocationLogging,
    property: crate::model::InvocationLogging::LOGGING_CONFIG,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_model_invocation_logging_enabled"],
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
    let region = region(logging);
    Some(match (&logging.destinations, &logging.in_use) {
        (Fact::Unknown(why), _) => unreadable(logging, why),
        (Fact::Known(Some(to)), _) => {
            let places: Vec<String> = [
                to.s3_bucket.as_ref().map(|b| format!("s3://{}", b.name)),
                to.log_group.as_ref().map(|g| format!("the log group {}", g.name)),
            ]
            .into_iter()
            .flatten()
            .collect();
            Verdict {
                status: Status::Pass,
                message: format!("Bedrock logs the model invocations of {region} to {}.", places.join(" and ")),
            }
        }
        // Not used: the audit says so in one note for the region.
        (Fact::Known(None), Fact::Known(false)) => return None,
        (Fact::Known(None), Fact::Known(true)) => Verdict {
            status: Status::Fail,
            message: format!("Models are invoked in {region}, and Bedrock logs none of the invocations: who asked what, and what the models answered, is not recorded."),
        },
        (Fact::Known(None), Fact::Unknown(why)) => Verdict::unknown(
            why.clone(),
            format!("Model invocation logging is off in {region}, and whether models are invoked there could not be read."),
        ),
    })
}

/// How the logging rules name the region of a configuration.
pub(super) fn region(logging: &InvocationLogging) -> &str {
    logging.identity.region.as_deref().unwrap_or("this region")
}

/// The verdict of each logging rule on a configuration that could not be read.
fn unreadable(logging: &InvocationLogging, why: &str) -> Verdict {
    let region = region(logging);
    Verdict::unknown(
        why.to_owned(),
        format!("The model invocation logging of {region} could not be read."),
    )
}

/// Where the rules on logging that is on look: its destinations; `Err`
/// with the verdict where it could not be read, and with none where it is
/// off (this rule's to judge).
pub(super) fn when_on(logging: &InvocationLogging) -> Result<&LoggingDestinations, Option<Verdict>> {
    match &logging.destinations {
        Fact::Unknown(why) => Err(Some(unreadable(logging, why))),
        Fact::Known(None) => Err(None),
        Fact::Known(Some(to)) => Ok(to),
    }
}

const ARTICLE: Article = Article {
    what: "\
Checks, in each audited region where Bedrock models were invoked in the \
last two weeks, that model invocation logging is configured \
(`GetModelInvocationLoggingConfiguration` answers a `loggingConfig`). A \
region that invoked no model (CloudWatch lists no `AWS/Bedrock` metric \
there) gets one note instead of a failure: there is nothing to log yet.",
    why: "\
CloudTrail records that `InvokeModel` was called, not what was asked or \
answered. Invocation logs hold the prompts, the answers and their token \
counts: what you need to investigate misuse (a stolen key generating \
content on your bill, an insider extracting data through a model), to \
answer an auditor, or to find a prompt injection after the fact. \
Logging is off by default, per region, and nothing is recorded for the \
invocations made before it is turned on.

Risk level Medium: logging prevents nothing, but without it an incident \
involving a model cannot be reconstructed.",
    audit_console: "\
1. Open the Amazon Bedrock console in each region and choose **Settings**.
2. *Model invocation logging* must be on, with an S3 or CloudWatch Logs \
destination.",
    audit_cli: "\
```sh
aws bedrock get-model-invocation-logging-configuration --query loggingConfig
# in use? any metric means a model was invoked in the last two weeks
aws cloudwatch list-metrics --namespace AWS/Bedrock --query 'length(Metrics)'
```

`null` (with metrics listed) fails.",
    remediate_console: "\
In **Settings**, turn on *Model invocation logging*, choose the data to \
log (text at least) and a destination: an S3 bucket, a CloudWatch Logs \
group (with a role Bedrock can assume to write to it), or both. Do it in \
every region that invokes models.",
    remediate_cli: "\
The bucket's policy must let `bedrock.amazonaws.com` write to it (see \
the references):

```sh
aws bedrock put-model-invocation-logging-configuration --logging-config \\
  's3Config={bucketName=acme-bedrock-logs,keyPrefix=invocations},textDataDeliveryEnabled=true,imageDataDeliveryEnabled=false,embeddingDataDeliveryEnabled=false'
```",
    remediate_cloudformation: "\
CloudFormation has no resource for the region's logging configuration; \
set it with the CLI or Terraform.",
    remediate_terraform: REMEDIATE_TERRAFORM,
    references: &[
        (
            "Amazon Bedrock: monitor model invocation using CloudWatch Logs and Amazon S3",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html",
        ),
        (
            "Amazon Bedrock: runtime metrics in CloudWatch",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring.html",
        ),
    ],
};

/// The region's logging configuration in Terraform, with text on: the
/// fix of this rule and of `bedrock-invocation-logging-text`.
pub(super) const REMEDIATE_TERRAFORM: &str = "\
```hcl
resource \"aws_bedrock_model_invocation_logging_configuration\" \"this\" {
  logging_config {
    text_data_delivery_enabled      = true
    image_data_delivery_enabled     = false
    embedding_data_delivery_enabled = false
    s3_config {
      bucket_name = aws_s3_bucket.bedrock_logs.id
      key_prefix  = \"invocations\"
    }
  }
}
```";
