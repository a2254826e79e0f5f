//! `agentcore-browser-network`: AgentCore custom browsers browse from the
//! customer's VPC, not the public network.

use super::network::network_mode_verdict;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "agentcore-browser-network",
    aliases: &[],
    title: "Run Amazon Bedrock AgentCore Custom Browsers in VPC Network Mode",
    fails_when: "an AgentCore custom browser's `NetworkConfiguration.NetworkMode` is `PUBLIC`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::AgentBrowser,
    property: crate::model::AgentBrowser::NETWORK_MODE,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["BedrockAgentCore.5"],
        aws_config: &["bedrockagentcore-browsercustom-network-mode-not-public"],
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
    Some(network_mode_verdict(
        &format!("Custom browser {}", browser.identity.name),
        &browser.network_mode,
        "the pages its agents open, and whatever they type into them, travel the internet outside your VPC's controls and logs.",
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock AgentCore custom browser has its network \
mode (`NetworkConfiguration.NetworkMode`) set to `VPC`. `PUBLIC` fails. \
AWS requires a network mode, so a template that declares none is \
`unknown`. AWS's own system browser is not judged: only custom ones can be \
configured.",
    why: "\
A custom browser is a cloud browser an agent drives: it opens pages, fills \
in forms and reads what comes back, often with data the agent was given. \
In `PUBLIC` mode it browses from AWS's network, so nothing in yours sees \
or limits where it goes, and a prompt injection on one page can send the \
agent's data to any other. In `VPC` mode its traffic leaves through your \
subnets: security groups, a proxy or firewall, and flow logs apply, and \
internal sites are reached without the internet.

Risk level Medium: the browser holds no credentials of its own, but it \
carries what the agent hands it.",
    audit_console: "\
1. Open the Amazon Bedrock AgentCore console and choose **Built-in tools > \
Browser**.
2. Open each custom browser; its *Network mode* must read **VPC**.
3. Repeat in every region where AgentCore is offered.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agentcore-control list-browsers --type CUSTOM --query 'browserSummaries[].browserId' --output text); do
  aws bedrock-agentcore-control get-browser --browser-id \"$id\" \\
    --query '[name, networkConfiguration.networkMode]' --output text
done
```

`PUBLIC` fails.",
    remediate_console: "\
A browser's network mode is chosen when it is created. Create a new custom \
browser with **VPC** network mode (subnets and security groups that reach \
what the agent browses), point the agent at its id, and delete the old one.",
    remediate_cli: "\
```sh
aws bedrock-agentcore-control create-browser --name research_browser_vpc \\
  --network-configuration '{\"networkMode\": \"VPC\", \"vpcConfig\": {\"subnets\": [\"subnet-0a1b2c3d\"], \"securityGroups\": [\"sg-0123abcd\"]}}'
```

Then point the agent at the new browser's id and delete the old one with \
`aws bedrock-agentcore-control delete-browser --browser-id ID`.",
    remediate_cloudformation: "\
```yaml
ResearchBrowser:
  Type: AWS::BedrockAgentCore::BrowserCustom
  Properties:
    Name: research_browser
    NetworkConfiguration:
      NetworkMode: VPC
      VpcConfig:
        Subnets: [!Ref PrivateSubnetA]
        SecurityGroups: [!Ref BrowserSecurityGroup]
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagentcore_browser\" \"research\" {
  name = \"research_browser\"
  network_configuration {
    network_mode = \"VPC\"
    vpc_config {
      subnets         = [aws_subnet.private_a.id]
      security_groups = [aws_security_group.browser.id]
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
            "AWS Security Hub: BedrockAgentCore.5",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/bedrockagentcore-controls.html#bedrockagentcore-5",
        ),
        (
            "AWS Config: bedrockagentcore-browsercustom-network-mode-not-public",
            "https://docs.aws.amazon.com/config/latest/developerguide/bedrockagentcore-browsercustom-network-mode-not-public.html",
        ),
    ],
};
