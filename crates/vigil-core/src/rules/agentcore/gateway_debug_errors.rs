//! `agentcore-gateway-debug-errors`: AgentCore gateways do not tell callers
//! their internal errors.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "agentcore-gateway-debug-errors",
    aliases: &[],
    title: "Do Not Return Debug Errors from Amazon Bedrock AgentCore Gateways",
    fails_when: "an AgentCore gateway's `ExceptionLevel` is `DEBUG`",
    risk: RiskLevel::Low,
    categories: &["Security", "Logging"],
    resource_kind: ResourceKind::AgentGateway,
    property: crate::model::AgentGateway::EXCEPTION_LEVEL,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs::NONE,
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::AgentGateway(gateway) = resource else {
        return None;
    };
    let name = &gateway.identity.name;
    Some(match &gateway.exception_level {
        Fact::Known(Some(level)) if level == "DEBUG" => Verdict {
            status: Status::Fail,
            message: format!(
                "Gateway {name} returns DEBUG errors: callers see its targets' internal error messages, which can name hosts, functions and data."
            ),
        },
        Fact::Known(_) => Verdict {
            status: Status::Pass,
            message: format!("Gateway {name} returns generic errors to callers."),
        },
        Fact::Unknown(why) => Verdict::unknown(
            why.clone(),
            format!("The exception level of gateway {name} could not be read."),
        ),
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that no Amazon Bedrock AgentCore gateway has `ExceptionLevel` set to \
`DEBUG`. Without it (the default) a gateway returns generic errors.",
    why: "\
With `DEBUG`, a gateway passes its targets' detailed error messages back to \
whoever called it: stack traces, Lambda function names, downstream hosts, \
validation errors quoting the data. That helps while building; in \
production it tells an attacker, or an agent steered by a prompt \
injection, how the tools behind the gateway work.

Risk level Low: it discloses information but grants no access by itself.",
    audit_console: "\
1. Open the Amazon Bedrock AgentCore console and choose **Gateways**.
2. Open each gateway; *Exception level* must not be **Debug**.
3. Repeat in every region where AgentCore is offered.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agentcore-control list-gateways --query 'items[].gatewayId' --output text); do
  aws bedrock-agentcore-control get-gateway --gateway-identifier \"$id\" \\
    --query '[name, exceptionLevel]' --output text
done
```

`DEBUG` fails.",
    remediate_console: "\
Open the gateway, choose **Edit**, turn off debug exception messages, and save.",
    remediate_cli: "\
`update-gateway` replaces the whole configuration: carry the current one \
over without the exception level, which resets it to generic errors:

```sh
id=$(aws bedrock-agentcore-control list-gateways --query \"items[?name=='tools-gateway'].gatewayId | [0]\" --output text)
aws bedrock-agentcore-control get-gateway --gateway-identifier \"$id\" \\
  | jq '{gatewayIdentifier: .gatewayId, name, description, roleArn, protocolType, protocolConfiguration,
         authorizerType, authorizerConfiguration, kmsKeyArn, interceptorConfigurations,
         policyEngineConfiguration, exceptionLevel}
        | with_entries(select(.value != null and .value != \"\"))
        | del(.exceptionLevel)' > gateway.json
aws bedrock-agentcore-control update-gateway --cli-input-json file://gateway.json
```",
    remediate_cloudformation: "\
Leave `ExceptionLevel` out:

```yaml
ToolsGateway:
  Type: AWS::BedrockAgentCore::Gateway
  Properties:
    Name: tools-gateway
    RoleArn: !GetAtt GatewayRole.Arn
    ProtocolType: MCP
    AuthorizerType: AWS_IAM
```",
    remediate_terraform: "\
Leave `exception_level` out:

```hcl
resource \"aws_bedrockagentcore_gateway\" \"tools\" {
  name            = \"tools-gateway\"
  role_arn        = aws_iam_role.gateway.arn
  protocol_type   = \"MCP\"
  authorizer_type = \"AWS_IAM\"
}
```",
    references: &[(
        "Amazon Bedrock AgentCore API: CreateGateway (exceptionLevel)",
        "https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateGateway.html",
    )],
};
