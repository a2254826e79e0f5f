//! `bedrock-invocation-logging-text`: where model invocation logging is on,
//! it records the prompts and answers, not only that calls were made.

use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "bedrock-invocation-logging-text",
    aliases: &[],
    title: "Log the Text of Amazon Bedrock Model Invocations",
    fails_when: "a region's model invocation logging is on with `textDataDeliveryEnabled` false",
    risk: RiskLevel::Low,
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
        prowler: &["bedrock_model_invocation_logging_text_data_enabled"],
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
    Some(match to.text {
            Some(true) => Verdict {
                status: Status::Pass,
                message: format!("The model invocation logs of {region} record the text of prompts and answers."),
            },
            Some(false) => Verdict {
                status: Status::Fail,
                message: format!("Model invocation logging is on in {region} but leaves out text: the logs say a model was called, not what it was asked or answered."),
            },
            None => Verdict::unknown(
                "GetModelInvocationLoggingConfiguration answered no textDataDeliveryEnabled".to_owned(),
                format!("Whether the model invocation logs of {region} record text could not be told."),
            ),
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks, in each audited region where model invocation logging is on, \
that it delivers text data (`textDataDeliveryEnabled`): the prompts and \
the answers. A configuration that logs only images or embeddings, or no \
data at all, fails. Regions with logging off are the subject of \
`bedrock-invocation-logging`, not of this rule.",
    why: "\
Logging can be on and still record nothing useful: with text delivery \
off, a log entry has the model, the caller and the token counts, but not \
the prompt or the answer. That is the part an investigation needs: what \
a stolen key was used to generate, what data an insider extracted \
through a model, which prompt injection made an agent act.

Risk level Low: the configuration exists and records the calls; what is \
missing is their content.",
    audit_console: "\
1. Open the Amazon Bedrock console in each region and choose **Settings**.
2. Under *Model invocation logging*, *Text* must be selected among the \
data types.",
    audit_cli: "\
```sh
aws bedrock get-model-invocation-logging-configuration \\
  --query loggingConfig.textDataDeliveryEnabled
```

`false` fails; `null` means logging is off (see `bedrock-invocation-logging`).",
    remediate_console: "\
In **Settings**, select *Text* under *Model invocation logging*'s data \
types and save. Do it in every region where logging is on.",
    remediate_cli: "\
`put-model-invocation-logging-configuration` replaces the whole \
configuration: carry the current one over and turn text on.

```sh
aws bedrock get-model-invocation-logging-configuration --query loggingConfig \\
  | jq '{loggingConfig: (. + {textDataDeliveryEnabled: true})}' > logging.json
aws bedrock put-model-invocation-logging-configuration --cli-input-json file://logging.json
```",
    remediate_cloudformation: "\
CloudFormation has no resource for the region's logging configuration; \
set it with the CLI or Terraform.",
    remediate_terraform: super::invocation_logging::REMEDIATE_TERRAFORM,
    references: &[(
        "Amazon Bedrock: monitor model invocation using CloudWatch Logs and Amazon S3",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html",
    )],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::model::{Identity, InvocationLogging, LogDestination, LoggingDestinations};

    fn logging(text: Option<bool>) -> Resource {
        Resource::InvocationLogging(InvocationLogging {
            identity: Identity::from_arn(
                InvocationLogging::NAME.to_owned(),
                Some(InvocationLogging::arn("eu-west-1", "123456789012")),
            ),
            destinations: Fact::Known(Some(LoggingDestinations {
                text,
                s3_bucket: Some(LogDestination::named("logs".to_owned())),
                log_group: None,
            })),
            in_use: Fact::unknown("not asked"),
        })
    }

    #[test]
    fn text_on_passes_off_fails_and_unsaid_is_unknown() {
        let status = |text| check(&logging(text)).unwrap().status;
        assert_eq!(status(Some(true)), Status::Pass);
        assert_eq!(status(Some(false)), Status::Fail);
        assert!(matches!(status(None), Status::Unknown { .. }));
    }
}
