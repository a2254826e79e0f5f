//! `agentcore-gateway-authorizer`: AgentCore gateways authorize the calls
//! they receive.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "agentcore-gateway-authorizer",
    aliases: &[],
    title: "Require Authorization on Amazon Bedrock AgentCore Gateways",
    fails_when: "an AgentCore gateway's `AuthorizerType` is `NONE`",
    risk: RiskLevel::High,
    categories: &["Security", "IAM"],
    resource_kind: ResourceKind::AgentGateway,
    property: crate::model::AgentGateway::AUTHORIZER_TYPE,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["BedrockAgentCore.2"],
        aws_config: &["bedrockagentcore-gateway-authorizer-enabled"],
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
    Some(match &gateway.authorizer_type {
        Fact::Known(Some(kind)) if kind == "NONE" => Verdict {
            status: Status::Fail,
            message: format!(
                "Gateway {name} authorizes no inbound call (AuthorizerType NONE): anyone who finds its URL can list and invoke the tools behind it."
            ),
        },
        Fact::Known(Some(kind)) => Verdict {
            status: Status::Pass,
            message: format!("Gateway {name} authorizes inbound calls ({kind})."),
        },
        Fact::Known(None) => Verdict::unknown(
            "no AuthorizerType is declared, and AWS requires one".to_owned(),
            format!("How gateway {name} authorizes inbound calls is not declared."),
        ),
        Fact::Unknown(why) => Verdict::unknown(
            why.clone(),
            format!("How gateway {name} authorizes inbound calls could not be read."),
        ),
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock AgentCore gateway authorizes the calls it \
receives: its `AuthorizerType` is `CUSTOM_JWT` or `AWS_IAM` (or \
`AUTHENTICATE_ONLY`, which AWS's control accepts: the caller is \
authenticated and a policy engine or the targets decide). `NONE` fails.",
    why: "\
A gateway turns APIs, Lambda functions and MCP servers into tools an agent \
can call, and calls them with the gateway's own role and stored \
credentials. A gateway that authorizes nothing lets anyone who learns its \
URL list those tools and invoke them as you: read data, change records, \
run up costs. AWS's own guide warns that a gateway without authorization \
is only for tools you mean to make public.

Risk level High: it is unauthenticated access to whatever the gateway's \
role and targets can do, and AWS Security Hub rates BedrockAgentCore.2 High.",
    audit_console: "\
1. Open the Amazon Bedrock AgentCore console and choose **Gateways**.
2. Open each gateway; *Inbound auth* must show a JWT authorizer or IAM, \
never *No authorization*.
3. Repeat in every region where AgentCore is offered.",
    audit_cli: "\
```sh
aws bedrock-agentcore-control list-gateways --query 'items[].[name, authorizerType]' --output text
```

`NONE` fails.",
    remediate_console: "\
Open the gateway, choose **Edit** under *Inbound auth*, choose **Use IAM \
permissions** (callers sign with SigV4) or **Use JSON Web Tokens** with your \
identity provider's discovery URL and allowed audiences or clients, and \
save. Give the callers what they need first: an IAM policy allowing \
`bedrock-agentcore:InvokeGateway`, or tokens from the identity provider.",
    remediate_cli: "\
`update-gateway` replaces the whole configuration, so carry the current one \
over and change only the authorizer (here to IAM):

```sh
id=$(aws bedrock-agentcore-control list-gateways --query \"items[?name=='tools-gateway'].gatewayId | [0]\" --output text)
aws bedrock-agentcore-control get-gateway --gateway-identifier \"$id\" \\
  | jq '{gatewayIdentifier: .gatewayId, name, description, roleArn, protocolType, protocolConfiguration,
         authorizerType, authorizerConfiguration, kmsKeyArn, interceptorConfigurations,
         policyEngineConfiguration, exceptionLevel}
        | with_entries(select(.value != null and .value != \"\"))
        | .authorizerType = \"AWS_IAM\" | del(.authorizerConfiguration)' > gateway.json
aws bedrock-agentcore-control update-gateway --cli-input-json file://gateway.json
```",
    remediate_cloudformation: "\
```yaml
ToolsGateway:
  Type: AWS::BedrockAgentCore::Gateway
  Properties:
    Name: tools-gateway
    RoleArn: !GetAtt GatewayRole.Arn
    ProtocolType: MCP
    AuthorizerType: CUSTOM_JWT
    AuthorizerConfiguration:
      CustomJWTAuthorizer:
        DiscoveryUrl: https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/openid-configuration
        AllowedClients: [4a1b2c3d4e5f6g7h8i9j0k1l2m]
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagentcore_gateway\" \"tools\" {
  name            = \"tools-gateway\"
  role_arn        = aws_iam_role.gateway.arn
  protocol_type   = \"MCP\"
  authorizer_type = \"AWS_IAM\"
}
```",
    references: &[
        (
            "Amazon Bedrock AgentCore: set up inbound authorization for your gateway",
            "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-inbound-auth.html",
        ),
        (
            "AWS Security Hub: BedrockAgentCore.2",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/bedrockagentcore-controls.html#bedrockagentcore-2",
        ),
        (
            "AWS Config: bedrockagentcore-gateway-authorizer-enabled",
            "https://docs.aws.amazon.com/config/latest/developerguide/bedrockagentcore-gateway-authorizer-enabled.html",
        ),
    ],
};
