//! `agentcore-browser-recording`: AgentCore custom browsers record their
//! sessions to S3, so what an agent did on the web can be reviewed.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "agentcore-browser-recording",
    aliases: &[],
    title: "Record Amazon Bedrock AgentCore Custom Browser Sessions to S3",
    fails_when: "an AgentCore custom browser's `RecordingConfig` is not enabled with an S3 location",
    risk: RiskLevel::Medium,
    categories: &["Security", "Logging"],
    resource_kind: ResourceKind::AgentBrowser,
    property: crate::model::AgentBrowser::RECORDING_ENABLED,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["BedrockAgentCore.6"],
        aws_config: &["bedrockagentcore-browsercustom-recording-enabled"],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::AgentBrowser(browser) = resource else {
        return None;
    };
    let name = &browser.identity.name;
    let unreadable = || format!("Whether custom browser {name} records its sessions could not be read.");
    Some(match (&browser.recording_enabled, &browser.recording_bucket) {
        (Fact::Unknown(why), _) | (Fact::Known(true), Fact::Unknown(why)) => Verdict::unknown(why.clone(), unreadable()),
        (Fact::Known(true), Fact::Known(Some(bucket))) => Verdict {
            status: Status::Pass,
            message: format!("Custom browser {name} records its sessions to s3://{bucket}."),
        },
        (Fact::Known(true), Fact::Known(None)) => Verdict {
            status: Status::Fail,
            message: format!(
                "Custom browser {name} has recording enabled but no S3 location: no session is kept to review."
            ),
        },
        (Fact::Known(false), _) => Verdict {
            status: Status::Fail,
            message: format!(
                "Custom browser {name} does not record its sessions: what its agents opened, clicked and typed leaves no record to review."
            ),
        },
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock AgentCore custom browser records its \
sessions (`RecordingConfig.Enabled`) to an S3 location \
(`RecordingConfig.S3Location`). Recording off, not configured, or on \
without a location fails.",
    why: "\
An agent driving a browser acts on the web for your users: it signs in to \
sites, fills in forms, downloads files. Without a recording, nobody can \
tell afterwards what it did, whether a page steered it somewhere it should \
not have gone, or what it typed where. A recording keeps the session's \
page changes, clicks, console and network events in your S3 bucket, for \
audits and for incidents.

Risk level Medium: it does not stop misuse, but without it misuse cannot \
be reviewed.",
    audit_console: "\
1. Open the Amazon Bedrock AgentCore console and choose **Built-in tools > \
Browser**.
2. Open each custom browser; *Session recording* must be on, with an S3 \
location.
3. Repeat in every region where AgentCore is offered.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agentcore-control list-browsers --type CUSTOM --query 'browserSummaries[].browserId' --output text); do
  aws bedrock-agentcore-control get-browser --browser-id \"$id\" \\
    --query '[name, recording.enabled, recording.s3Location.bucket]' --output text
done
```

`None` or `False` fails.",
    remediate_console: "\
Recording is chosen when a browser is created. Create a new custom browser \
with **Session recording** on, an S3 bucket and prefix, and an execution \
role that may write there; point the agent at its id, and delete the old \
browser.",
    remediate_cli: "\
```sh
aws bedrock-agentcore-control create-browser --name research_browser_recorded \\
  --network-configuration '{\"networkMode\": \"VPC\", \"vpcConfig\": {\"subnets\": [\"subnet-0a1b2c3d\"], \"securityGroups\": [\"sg-0123abcd\"]}}' \\
  --execution-role-arn arn:aws:iam::123456789012:role/browser-recording \\
  --recording '{\"enabled\": true, \"s3Location\": {\"bucket\": \"acme-browser-recordings\", \"prefix\": \"research/\"}}'
```

The execution role needs `s3:PutObject` on the prefix.",
    remediate_cloudformation: "\
```yaml
ResearchBrowser:
  Type: AWS::BedrockAgentCore::BrowserCustom
  Properties:
    Name: research_browser
    ExecutionRoleArn: !GetAtt BrowserRole.Arn
    NetworkConfiguration:
      NetworkMode: VPC
      VpcConfig:
        Subnets: [!Ref PrivateSubnetA]
        SecurityGroups: [!Ref BrowserSecurityGroup]
    RecordingConfig:
      Enabled: true
      S3Location:
        Bucket: !Ref RecordingBucket
        Prefix: research/
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagentcore_browser\" \"research\" {
  name               = \"research_browser\"
  execution_role_arn = aws_iam_role.browser.arn
  network_configuration {
    network_mode = \"VPC\"
    vpc_config {
      subnets         = [aws_subnet.private_a.id]
      security_groups = [aws_security_group.browser.id]
    }
  }
  recording {
    enabled = true
    s3_location {
      bucket = aws_s3_bucket.recordings.bucket
      prefix = \"research/\"
    }
  }
}
```",
    references: &[
        (
            "Amazon Bedrock AgentCore: browser session recording and replay",
            "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/browser-session-replay.html",
        ),
        (
            "AWS Security Hub: BedrockAgentCore.6",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/bedrockagentcore-controls.html#bedrockagentcore-6",
        ),
        (
            "AWS Config: bedrockagentcore-browsercustom-recording-enabled",
            "https://docs.aws.amazon.com/config/latest/developerguide/bedrockagentcore-browsercustom-recording-enabled.html",
        ),
    ],
};
