//! `bedrock-agent-kms`: a Bedrock agent encrypts its session data with a
//! KMS key of the customer's.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{key_verdict, Storage};

pub static RULE: Rule = Rule {
    id: "bedrock-agent-kms",
    aliases: &[],
    title: "Encrypt Amazon Bedrock Agent Sessions with a Customer-Managed KMS Key",
    fails_when: "a Bedrock agent has no `CustomerEncryptionKeyArn`, or names an AWS managed key",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::BedrockAgent,
    property: crate::model::BedrockAgent::KMS_KEY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &[],
        checkov: &["CKV_AWS_373"],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::BedrockAgent(agent) = resource else {
        return None;
    };
    let name = &agent.identity.name;
    Some(key_verdict(
        &agent.identity.keys,
        &agent.kms_key_arn,
        Storage {
            subject: &format!("Agent {name}"),
            subject_lower: &format!("agent {name}"),
            held: "its sessions' data",
            held_is: "its sessions' data is",
        },
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock agent names a KMS key of your own \
(`CustomerEncryptionKeyArn`) for the data of its sessions. An agent \
without one, or naming an AWS managed key, fails; a key KMS says is \
disabled or pending deletion fails too.",
    why: "\
An agent keeps what its sessions hold: the conversation so far, the \
results of its action groups and knowledge-base queries, and its memory \
across sessions when memory is on. That is what users told it, often \
personal or confidential. Without a key of your own it is encrypted with \
a key AWS owns, which you cannot restrict with a key policy, audit apart \
in CloudTrail, or revoke.

Risk level Medium: the data is encrypted either way; what is missing is \
control over who can decrypt it.",
    audit_console: "\
1. Open the Amazon Bedrock console and choose **Agents**.
2. Open each agent; under *Additional settings*, the KMS key must be one \
of yours.
3. Repeat in every region.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agent list-agents --query 'agentSummaries[].agentId' --output text); do
  aws bedrock-agent get-agent --agent-id \"$id\" \\
    --query 'agent.[agentName, customerEncryptionKeyArn]' --output text
done
```

`None` fails.",
    remediate_console: "\
Open the agent, choose **Edit in Agent builder**, choose a customer \
managed KMS key under *Additional settings*, save, and choose **Prepare**. \
The agent's service role needs `kms:Decrypt` and `kms:GenerateDataKey` on \
the key.",
    remediate_cli: "\
`update-agent` takes the agent's name, role and model again, so carry \
them over and set the key, then prepare the agent:

```sh
KEY=$(aws kms create-key --description \"Bedrock agent sessions\" --query KeyMetadata.Arn --output text)
id=$(aws bedrock-agent list-agents --query \"agentSummaries[?agentName=='support-agent'].agentId | [0]\" --output text)
aws bedrock-agent get-agent --agent-id \"$id\" \\
  | jq --arg key \"$KEY\" '.agent | {agentId, agentName, agentResourceRoleArn, foundationModel,
        instruction, description, idleSessionTTLInSeconds, guardrailConfiguration, promptOverrideConfiguration}
      | with_entries(select(.value != null))
      | .customerEncryptionKeyArn = $key' > agent.json
aws bedrock-agent update-agent --cli-input-json file://agent.json
aws bedrock-agent prepare-agent --agent-id \"$id\"
```",
    remediate_cloudformation: "\
```yaml
SupportAgent:
  Type: AWS::Bedrock::Agent
  Properties:
    AgentName: support-agent
    AgentResourceRoleArn: !GetAtt AgentRole.Arn
    FoundationModel: anthropic.claude-3-5-sonnet-20240620-v1:0
    CustomerEncryptionKeyArn: !GetAtt AgentKey.Arn
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagent_agent\" \"support\" {
  agent_name                  = \"support-agent\"
  agent_resource_role_arn     = aws_iam_role.agent.arn
  foundation_model            = \"anthropic.claude-3-5-sonnet-20240620-v1:0\"
  customer_encryption_key_arn = aws_kms_key.agent.arn
}
```",
    references: &[
        (
            "Amazon Bedrock: encryption of agent resources",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-agents.html",
        ),
    ],
};
