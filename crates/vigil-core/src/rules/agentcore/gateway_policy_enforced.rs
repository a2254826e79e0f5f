//! `agentcore-gateway-policy-enforced`: a gateway's policy engine decides,
//! not merely logs; and a gateway that only authenticates its callers has
//! one that decides.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "agentcore-gateway-policy-enforced",
    aliases: &[],
    title: "Enforce the Policy Engine of Amazon Bedrock AgentCore Gateways",
    fails_when: "an AgentCore gateway's policy engine is in `LOG_ONLY` mode, or a gateway whose `AuthorizerType` is `AUTHENTICATE_ONLY` has no policy engine in `ENFORCE` mode",
    risk: RiskLevel::Medium,
    categories: &["Security", "IAM"],
    resource_kind: ResourceKind::AgentGateway,
    property: crate::model::AgentGateway::POLICY_ENGINE_MODE,
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
    let (mode, authorizer) = (&gateway.policy_engine_mode, &gateway.authorizer_type);
    let authenticates_only = matches!(authorizer, Fact::Known(Some(kind)) if kind == "AUTHENTICATE_ONLY");
    let verdict = |status, message: String| Verdict { status, message };
    Some(match mode {
        Fact::Unknown(why) => Verdict::unknown(
            why.clone(),
            format!("The policy engine of gateway {name} could not be read."),
        ),
        Fact::Known(Some(mode)) if mode == "ENFORCE" => verdict(
            Status::Pass,
            format!("Gateway {name} enforces its policy engine's decisions."),
        ),
        Fact::Known(Some(mode)) => verdict(
            Status::Fail,
            format!("Gateway {name} runs its policy engine in {mode} mode: calls the policies deny are logged and still made."),
        ),
        Fact::Known(None) if authenticates_only => verdict(
            Status::Fail,
            format!("Gateway {name} only authenticates its callers (AUTHENTICATE_ONLY) and has no policy engine to decide what they may call: every authenticated caller may call every tool."),
        ),
        Fact::Known(None) => match authorizer {
            Fact::Unknown(why) => Verdict::unknown(
                why.clone(),
                format!("How gateway {name} authorizes its callers could not be read."),
            ),
            _ => verdict(
                Status::Pass,
                format!("Gateway {name} has no policy engine, and its authorizer decides who may call it."),
            ),
        },
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that a policy engine attached to an Amazon Bedrock AgentCore \
gateway (`PolicyEngineConfiguration`) is in `ENFORCE` mode, not \
`LOG_ONLY`, and that a gateway whose authorizer only authenticates \
(`AUTHENTICATE_ONLY`) has one in `ENFORCE` mode. A gateway with a JWT or \
IAM authorizer and no policy engine passes: its authorizer decides.",
    why: "\
A policy engine holds the rules of which caller may use which tool with \
which arguments. In `LOG_ONLY` mode it records what it would deny and lets \
every call through: useful while writing the policies, an open door once \
the gateway is in use. A gateway set to `AUTHENTICATE_ONLY` checks who is \
calling but makes no decision itself; AWS's guide leaves that decision to \
a policy engine or to the targets, so without an enforcing engine every \
authenticated caller reaches every tool.

Risk level Medium: the callers are authenticated; what is missing is the \
decision on what each may do.",
    audit_console: "\
1. Open the Amazon Bedrock AgentCore console and choose **Gateways**.
2. Open each gateway; under *Policy*, an attached policy engine must be in \
**Enforce** mode, and a gateway that only authenticates must have one.
3. Repeat in every region where AgentCore is offered.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agentcore-control list-gateways --query 'items[].gatewayId' --output text); do
  aws bedrock-agentcore-control get-gateway --gateway-identifier \"$id\" \\
    --query '[name, authorizerType, policyEngineConfiguration.mode]' --output text
done
```

`LOG_ONLY` fails, and so does `AUTHENTICATE_ONLY` with `None`.",
    remediate_console: "\
Open the gateway, choose **Edit** under *Policy*, attach the policy engine \
in **Enforce** mode (after checking its logged decisions deny only what \
they should), and save.",
    remediate_cli: "\
`update-gateway` replaces the whole configuration, so carry the current one \
over and switch the engine to enforce:

```sh
id=$(aws bedrock-agentcore-control list-gateways --query \"items[?name=='tools-gateway'].gatewayId | [0]\" --output text)
aws bedrock-agentcore-control get-gateway --gateway-identifier \"$id\" \\
  | jq '{gatewayIdentifier: .gatewayId, name, description, roleArn, protocolType, protocolConfiguration,
         authorizerType, authorizerConfiguration, kmsKeyArn, interceptorConfigurations,
         policyEngineConfiguration, exceptionLevel}
        | with_entries(select(.value != null and .value != \"\"))
        | .policyEngineConfiguration.mode = \"ENFORCE\"' > gateway.json
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
    AuthorizerType: AUTHENTICATE_ONLY
    PolicyEngineConfiguration:
      Arn: !GetAtt ToolsPolicyEngine.PolicyEngineArn
      Mode: ENFORCE
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagentcore_gateway\" \"tools\" {
  name            = \"tools-gateway\"
  role_arn        = aws_iam_role.gateway.arn
  protocol_type   = \"MCP\"
  authorizer_type = \"AWS_IAM\"
  policy_engine_configuration {
    arn  = aws_bedrockagentcore_policy_engine.tools.arn
    mode = \"ENFORCE\"
  }
}
```",
    references: &[
        (
            "Amazon Bedrock AgentCore: offloaded inbound authorization",
            "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-inbound-auth.html",
        ),
        (
            "Amazon Bedrock AgentCore API: GatewayPolicyEngineConfiguration",
            "https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_GatewayPolicyEngineConfiguration.html",
        ),
        (
            "Prowler: AgentCore gateways enforce inbound authorization (#12625)",
            "https://github.com/prowler-cloud/prowler/issues/12625",
        ),
    ],
};
