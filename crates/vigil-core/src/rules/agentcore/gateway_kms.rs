//! `agentcore-gateway-kms`: AgentCore gateways encrypt their data with a
//! KMS key of the customer's.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{key_verdict, Storage};

pub static RULE: Rule = Rule {
    id: "agentcore-gateway-kms",
    aliases: &[],
    title: "Encrypt Amazon Bedrock AgentCore Gateways with a Customer-Managed KMS Key",
    fails_when: "an AgentCore gateway has no `KmsKeyArn`, or names an AWS managed key",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::AgentGateway,
    property: crate::model::AgentGateway::KMS_KEY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["BedrockAgentCore.4"],
        aws_config: &["bedrockagentcore-gateway-encryption-enabled"],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::AgentGateway(gateway) = resource else {
        return None;
    };
    let name = &gateway.identity.name;
    Some(key_verdict(
        &gateway.identity.keys,
        &gateway.kms_key_arn,
        Storage {
            subject: &format!("Gateway {name}"),
            subject_lower: &format!("gateway {name}"),
            held: "its tool definitions and credentials configuration",
            held_is: "its tool definitions and credentials configuration are",
        },
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock AgentCore gateway names a KMS key of your \
own (`KmsKeyArn`). A gateway without one, or naming an AWS managed key, \
fails; a key KMS says is disabled or pending deletion fails too.",
    why: "\
A gateway is the front door of an agent's tools: it holds their \
definitions, the targets behind them (APIs, Lambda functions, MCP servers) \
and how it authenticates to them. Without a key of your own that data is \
encrypted with a key AWS owns, which you cannot restrict with a key policy, \
audit apart in CloudTrail, or revoke.

Risk level Medium: the data is encrypted either way; what is missing is \
control over who can decrypt it.",
    audit_console: "\
1. Open the Amazon Bedrock AgentCore console and choose **Gateways**.
2. Open each gateway; its details must show a KMS key of yours.
3. Repeat in every region where AgentCore is offered.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agentcore-control list-gateways --query 'items[].gatewayId' --output text); do
  aws bedrock-agentcore-control get-gateway --gateway-identifier \"$id\" \\
    --query '[name, kmsKeyArn]' --output text
done
```

`None` fails.",
    remediate_console: "\
Open the gateway, choose **Edit**, choose a customer managed KMS key under \
*Encryption*, and save. The gateway's role needs `kms:Decrypt` and \
`kms:GenerateDataKey` on the key.",
    remediate_cli: "\
`update-gateway` replaces the whole configuration, so carry the current one \
over and set only the key:

```sh
KEY=$(aws kms create-key --description \"AgentCore gateway\" --query KeyMetadata.Arn --output text)
id=$(aws bedrock-agentcore-control list-gateways --query \"items[?name=='tools-gateway'].gatewayId | [0]\" --output text)
aws bedrock-agentcore-control get-gateway --gateway-identifier \"$id\" \\
  | jq --arg key \"$KEY\" '{gatewayIdentifier: .gatewayId, name, description, roleArn, protocolType, protocolConfiguration,
         authorizerType, authorizerConfiguration, kmsKeyArn, interceptorConfigurations,
         policyEngineConfiguration, exceptionLevel}
        | with_entries(select(.value != null and .value != \"\"))
        | .kmsKeyArn = $key' > gateway.json
aws bedrock-agentcore-control update-gateway --cli-input-json file://gateway.json
```

The gateway's role needs `kms:Decrypt` and `kms:GenerateDataKey` on the key.",
    remediate_cloudformation: "\
```yaml
ToolsGateway:
  Type: AWS::BedrockAgentCore::Gateway
  Properties:
    Name: tools-gateway
    RoleArn: !GetAtt GatewayRole.Arn
    ProtocolType: MCP
    AuthorizerType: AWS_IAM
    KmsKeyArn: !GetAtt GatewayKey.Arn
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagentcore_gateway\" \"tools\" {
  name            = \"tools-gateway\"
  role_arn        = aws_iam_role.gateway.arn
  protocol_type   = \"MCP\"
  authorizer_type = \"AWS_IAM\"
  kms_key_arn     = aws_kms_key.gateway.arn
}
```",
    references: &[
        (
            "Amazon Bedrock AgentCore: data encryption",
            "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/data-encryption.html",
        ),
        (
            "AWS Security Hub: BedrockAgentCore.4",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/bedrockagentcore-controls.html#bedrockagentcore-4",
        ),
        (
            "AWS Config: bedrockagentcore-gateway-encryption-enabled",
            "https://docs.aws.amazon.com/config/latest/developerguide/bedrockagentcore-gateway-encryption-enabled.html",
        ),
    ],
};
