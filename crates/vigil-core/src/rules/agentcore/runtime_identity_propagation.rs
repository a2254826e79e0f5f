//! `agentcore-runtime-identity-propagation`: an agent runtime that acts for
//! users receives the caller's own token, so the tools it calls can
//! authorize the user and not only the agent's role.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "agentcore-runtime-identity-propagation",
    aliases: &[],
    title: "Propagate the Caller's Identity into Amazon Bedrock AgentCore Runtimes",
    fails_when: "an AgentCore agent runtime has no custom JWT authorizer, or does not pass the `Authorization` header through to its code (opt-in: for runtimes that call tools for their users)",
    risk: RiskLevel::Medium,
    categories: &["Security", "IAM"],
    resource_kind: ResourceKind::AgentRuntime,
    property: crate::model::AgentRuntime::FORWARDED_HEADERS,
    remediation: None,
    template_fix: None,
    opt_in: true,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs::NONE,
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::AgentRuntime(runtime) = resource else {
        return None;
    };
    let name = &runtime.identity.name;
    let unreadable = || format!("How agent runtime {name} receives its callers' identity could not be read.");
    let forwards = |headers: &[String]| headers.iter().any(|h| h.eq_ignore_ascii_case("Authorization"));
    Some(match (&runtime.jwt_authorizer, &runtime.forwarded_headers) {
        (Fact::Unknown(why), _) | (_, Fact::Unknown(why)) => Verdict::unknown(why.clone(), unreadable()),
        (Fact::Known(false), _) => Verdict {
            status: Status::Fail,
            message: format!(
                "Agent runtime {name} has no custom JWT authorizer: it knows its callers only as IAM principals, so the tools it calls can authorize no user, only the runtime's role."
            ),
        },
        (Fact::Known(true), Fact::Known(headers)) if !forwards(headers) => Verdict {
            status: Status::Fail,
            message: format!(
                "Agent runtime {name} authorizes its callers' tokens but does not pass the Authorization header to its code: the tools it calls see only the runtime's role."
            ),
        },
        (Fact::Known(true), Fact::Known(_)) => Verdict {
            status: Status::Pass,
            message: format!(
                "Agent runtime {name} authorizes its callers' tokens and passes them to its code, so its tools can act as the user."
            ),
        },
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock AgentCore agent runtime authorizes its \
callers with a custom JWT authorizer \
(`AuthorizerConfiguration.CustomJWTAuthorizer`) and passes the caller's \
`Authorization` header through to the agent's code \
(`RequestHeaderConfiguration.RequestHeaderAllowlist`). Opt-in: it matters \
for runtimes that call tools on behalf of users, and Vigil cannot tell \
those from the others; choose it by id.",
    why: "\
An agent that calls tools with nothing but its runtime's role can do, for \
any user, whatever that role may do: one user's prompt can read another \
user's records. When the runtime checks the caller's own token and hands \
it to the agent's code, the agent can pass it on (or exchange it through \
AgentCore Identity) and the tools authorize the user, not the agent.

Risk level Medium: the runtime's role still bounds what can happen; what \
is missing is the per-user decision.",
    audit_console: "\
1. Open the Amazon Bedrock AgentCore console and choose **Runtime**.
2. Open each runtime that acts for users; *Inbound auth* must be a JSON \
Web Token authorizer, and *Request header allowlist* must include \
`Authorization`.
3. Repeat in every region where AgentCore is offered.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agentcore-control list-agent-runtimes --query 'agentRuntimes[].agentRuntimeId' --output text); do
  aws bedrock-agentcore-control get-agent-runtime --agent-runtime-id \"$id\" --output json \\
    --query '{name: agentRuntimeName, jwt: authorizerConfiguration.customJWTAuthorizer.discoveryUrl, headers: requestHeaderConfiguration.requestHeaderAllowlist}'
done
```

A `null` `jwt`, or `headers` without `Authorization`, fails.",
    remediate_console: "\
Open the runtime, choose **Update hosting**, set *Inbound auth* to **Use \
JSON Web Tokens** with your identity provider's discovery URL and allowed \
audiences or clients, add `Authorization` to the *Request header \
allowlist*, and save. Callers then invoke it with a bearer token instead \
of SigV4.",
    remediate_cli: "\
`update-agent-runtime` replaces the whole configuration, so carry the \
current one over and set the authorizer and the header:

```sh
id=$(aws bedrock-agentcore-control list-agent-runtimes \\
  --query \"agentRuntimes[?agentRuntimeName=='support_agent'].agentRuntimeId | [0]\" --output text)
aws bedrock-agentcore-control get-agent-runtime --agent-runtime-id \"$id\" \\
  | jq '{agentRuntimeId, agentRuntimeArtifact, roleArn, networkConfiguration, description,
         protocolConfiguration, lifecycleConfiguration, environmentVariables}
        | with_entries(select(.value != null and .value != \"\"))
        | .authorizerConfiguration = {customJWTAuthorizer: {
            discoveryUrl: \"https://idp.example.com/.well-known/openid-configuration\",
            allowedClients: [\"support-web\"]}}
        | .requestHeaderConfiguration = {requestHeaderAllowlist: [\"Authorization\"]}' > runtime.json
aws bedrock-agentcore-control update-agent-runtime --cli-input-json file://runtime.json
```",
    remediate_cloudformation: "\
```yaml
SupportAgent:
  Type: AWS::BedrockAgentCore::Runtime
  Properties:
    AgentRuntimeName: support_agent
    RoleArn: !GetAtt AgentRole.Arn
    AgentRuntimeArtifact:
      ContainerConfiguration:
        ContainerUri: !Sub ${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/support-agent:1.0
    NetworkConfiguration: {NetworkMode: VPC, NetworkModeConfig: {Subnets: [!Ref PrivateSubnetA], SecurityGroups: [!Ref AgentSecurityGroup]}}
    AuthorizerConfiguration:
      CustomJWTAuthorizer:
        DiscoveryUrl: https://idp.example.com/.well-known/openid-configuration
        AllowedClients: [support-web]
    RequestHeaderConfiguration:
      RequestHeaderAllowlist: [Authorization]
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagentcore_agent_runtime\" \"support\" {
  agent_runtime_name = \"support_agent\"
  role_arn           = aws_iam_role.agent.arn
  agent_runtime_artifact {
    container_configuration {
      container_uri = \"${aws_ecr_repository.agent.repository_url}:1.0\"
    }
  }
  network_configuration {
    network_mode = \"VPC\"
  }
  authorizer_configuration {
    custom_jwt_authorizer {
      discovery_url   = \"https://idp.example.com/.well-known/openid-configuration\"
      allowed_clients = [\"support-web\"]
    }
  }
  request_header_configuration {
    request_header_allowlist = [\"Authorization\"]
  }
}
```",
    references: &[
        (
            "Amazon Bedrock AgentCore: runtime inbound and outbound authentication",
            "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/runtime-oauth.html",
        ),
        (
            "Prowler: AgentCore runtimes propagate end-user identity (#12638)",
            "https://github.com/prowler-cloud/prowler/issues/12638",
        ),
    ],
};
