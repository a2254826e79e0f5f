//! `agentcore-code-interpreter-network`: AgentCore custom code interpreters
//! run code inside the customer's VPC.

use super::network::network_mode_verdict;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "agentcore-code-interpreter-network",
    aliases: &[],
    title: "Run Amazon Bedrock AgentCore Custom Code Interpreters in VPC Network Mode",
    fails_when: "an AgentCore custom code interpreter's `NetworkConfiguration.NetworkMode` is `PUBLIC` or `SANDBOX`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::AgentCodeInterpreter,
    property: crate::model::AgentCodeInterpreter::NETWORK_MODE,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["BedrockAgentCore.7"],
        aws_config: &["bedrockagentcore-codeinterpreter-networkmode-check"],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::AgentCodeInterpreter(interpreter) = resource else {
        return None;
    };
    Some(network_mode_verdict(
        &format!("Code interpreter {}", interpreter.identity.name),
        &interpreter.network_mode,
        "the code its agents write and run reaches the network outside your VPC, where your security groups, endpoints and flow logs do not apply.",
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock AgentCore custom code interpreter has its \
network mode (`NetworkConfiguration.NetworkMode`) set to `VPC`. `PUBLIC` \
fails, and so does `SANDBOX`, as AWS's control has it: a sandbox still \
reaches Amazon S3 on AWS's network rather than through yours. AWS requires \
a network mode, so a template that declares none is `unknown`. AWS's own \
system code interpreter is not judged.",
    why: "\
A code interpreter runs code an agent wrote, often from a user's request or \
a document it was given: the code an attacker would most like to run. In \
`PUBLIC` mode that code can reach anything on the internet; in `SANDBOX` \
mode it can still reach Amazon S3, any bucket its role or a presigned URL \
allows, outside your VPC endpoints and their policies. In `VPC` mode its \
traffic goes through your subnets, where security groups, endpoint \
policies and flow logs decide and record what it reaches.

Risk level Medium: the code runs isolated, but with a path out for data.",
    audit_console: "\
1. Open the Amazon Bedrock AgentCore console and choose **Built-in tools > \
Code interpreter**.
2. Open each custom code interpreter; its *Network mode* must read **VPC**.
3. Repeat in every region where AgentCore is offered.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agentcore-control list-code-interpreters --type CUSTOM --query 'codeInterpreterSummaries[].codeInterpreterId' --output text); do
  aws bedrock-agentcore-control get-code-interpreter --code-interpreter-id \"$id\" \\
    --query '[name, networkConfiguration.networkMode]' --output text
done
```

`PUBLIC` or `SANDBOX` fails.",
    remediate_console: "\
A code interpreter's network mode is chosen when it is created. Create a \
new custom code interpreter with **VPC** network mode (subnets and security \
groups, and VPC endpoints for what the code may read), point the agent at \
its id, and delete the old one.",
    remediate_cli: "\
```sh
aws bedrock-agentcore-control create-code-interpreter --name analysis_interpreter_vpc \\
  --network-configuration '{\"networkMode\": \"VPC\", \"vpcConfig\": {\"subnets\": [\"subnet-0a1b2c3d\"], \"securityGroups\": [\"sg-0123abcd\"]}}'
```

Then point the agent at the new interpreter's id and delete the old one \
with `aws bedrock-agentcore-control delete-code-interpreter --code-interpreter-id ID`.",
    remediate_cloudformation: "\
```yaml
AnalysisInterpreter:
  Type: AWS::BedrockAgentCore::CodeInterpreterCustom
  Properties:
    Name: analysis_interpreter
    NetworkConfiguration:
      NetworkMode: VPC
      VpcConfig:
        Subnets: [!Ref PrivateSubnetA]
        SecurityGroups: [!Ref InterpreterSecurityGroup]
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagentcore_code_interpreter\" \"analysis\" {
  name = \"analysis_interpreter\"
  network_configuration {
    network_mode = \"VPC\"
    vpc_config {
      subnets         = [aws_subnet.private_a.id]
      security_groups = [aws_security_group.interpreter.id]
    }
  }
}
```",
    references: &[
        (
            "Amazon Bedrock AgentCore: code interpreter resource management (network modes)",
            "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/code-interpreter-resource-management.html",
        ),
        (
            "AWS Security Hub: BedrockAgentCore.7",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/bedrockagentcore-controls.html#bedrockagentcore-7",
        ),
        (
            "AWS Config: bedrockagentcore-codeinterpreter-networkmode-check",
            "https://docs.aws.amazon.com/config/latest/developerguide/bedrockagentcore-codeinterpreter-networkmode-check.html",
        ),
    ],
};
