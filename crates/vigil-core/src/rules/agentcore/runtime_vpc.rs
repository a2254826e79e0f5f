//! `agentcore-runtime-vpc`: AgentCore agent runtimes run in the customer's
//! VPC, not on the public network.

use super::network::network_mode_verdict;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "agentcore-runtime-vpc",
    aliases: &[],
    title: "Run Amazon Bedrock AgentCore Runtimes in VPC Network Mode",
    fails_when: "an AgentCore agent runtime's `NetworkConfiguration.NetworkMode` is `PUBLIC`",
    risk: RiskLevel::High,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::AgentRuntime,
    property: crate::model::AgentRuntime::NETWORK_MODE,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["BedrockAgentCore.1"],
        aws_config: &["bedrockagentcore-runtime-private-network-required"],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::AgentRuntime(runtime) = resource else {
        return None;
    };
    Some(network_mode_verdict(
        &format!("Agent runtime {}", runtime.identity.name),
        &runtime.network_mode,
        "its agent is reachable from and reaches the internet outside your VPC's security groups, endpoints and flow logs.",
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock AgentCore agent runtime has its network \
mode (`NetworkConfiguration.NetworkMode`) set to `VPC`. `PUBLIC` fails. AWS \
requires a network mode, so a template that declares none is `unknown`.",
    why: "\
An agent runtime runs code that acts for your users: it calls models, \
tools and your own services with the runtime's IAM role. In `PUBLIC` mode \
it runs on AWS's network with a route to the internet, so anything the \
agent is talked into (a prompt injection, a poisoned tool answer) can send \
data anywhere, and nothing in your network sees or limits it.

In `VPC` mode the runtime gets network interfaces in subnets you choose: \
your security groups, route tables, VPC endpoints and flow logs govern and \
record every connection, and private resources are reached without the \
internet.

Risk level High: it is a direct, unmonitored path between an autonomous \
agent holding AWS credentials and the internet, and AWS Security Hub rates \
BedrockAgentCore.1 High.",
    audit_console: "\
1. Open the Amazon Bedrock AgentCore console and choose **Runtime**.
2. Open each agent runtime; under **Network configuration**, the network \
mode must read **VPC**.
3. Repeat in every region where AgentCore is offered.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agentcore-control list-agent-runtimes --query 'agentRuntimes[].agentRuntimeId' --output text); do
  echo \"$id $(aws bedrock-agentcore-control get-agent-runtime --agent-runtime-id \"$id\" \\
    --query networkConfiguration.networkMode --output text)\"
done
```

`PUBLIC` fails.",
    remediate_console: "\
1. Give the agent what it needs inside your VPC: private subnets in the \
Availability Zones AgentCore supports, a security group, and VPC endpoints \
(or a NAT gateway) for the AWS services and model endpoints it calls.
2. In the AgentCore console, open the runtime and choose **Update hosting**.
3. Under **Network configuration**, choose **VPC**, then the subnets and \
security groups, and save. Invoke the agent once to check it still reaches \
what it calls.",
    remediate_cli: "\
`update-agent-runtime` replaces the whole configuration, so carry the \
current one over and change only the network:

```sh
id=$(aws bedrock-agentcore-control list-agent-runtimes \\
  --query \"agentRuntimes[?agentRuntimeName=='support_agent'].agentRuntimeId | [0]\" --output text)
aws bedrock-agentcore-control get-agent-runtime --agent-runtime-id \"$id\" \\
  | jq '{agentRuntimeId, agentRuntimeArtifact, roleArn, description, authorizerConfiguration,
         requestHeaderConfiguration, protocolConfiguration, lifecycleConfiguration, environmentVariables}
        | with_entries(select(.value != null and .value != \"\"))
        | .networkConfiguration = {networkMode: \"VPC\",
            networkModeConfig: {subnets: [\"subnet-0a1b2c3d\"], securityGroups: [\"sg-0123abcd\"]}}' > runtime.json
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
    NetworkConfiguration:
      NetworkMode: VPC
      NetworkModeConfig:
        Subnets: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
        SecurityGroups: [!Ref AgentSecurityGroup]
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
    network_mode_config {
      subnets         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
      security_groups = [aws_security_group.agent.id]
    }
  }
}
```",
    references: &[
        (
            "Amazon Bedrock AgentCore: configure runtimes and tools for a VPC",
            "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/agentcore-vpc.html",
        ),
        (
            "AWS Security Hub: BedrockAgentCore.1",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/bedrockagentcore-controls.html#bedrockagentcore-1",
        ),
        (
            "AWS Config: bedrockagentcore-runtime-private-network-required",
            "https://docs.aws.amazon.com/config/latest/developerguide/bedrockagentcore-runtime-private-network-required.html",
        ),
    ],
};
