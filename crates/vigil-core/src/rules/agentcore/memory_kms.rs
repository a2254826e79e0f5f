//! `agentcore-memory-kms`: AgentCore memories encrypt what agents remember
//! with a KMS key of the customer's.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{key_verdict, Storage};

pub static RULE: Rule = Rule {
    id: "agentcore-memory-kms",
    aliases: &[],
    title: "Encrypt Amazon Bedrock AgentCore Memories with a Customer-Managed KMS Key",
    fails_when: "an AgentCore memory has no `EncryptionKeyArn`, or names an AWS managed key",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::AgentMemory,
    property: crate::model::AgentMemory::ENCRYPTION_KEY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["BedrockAgentCore.3"],
        aws_config: &["bedrock-agentcore-memory-encryption-enabled"],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::AgentMemory(memory) = resource else {
        return None;
    };
    let name = &memory.identity.name;
    Some(key_verdict(
        &memory.identity.keys,
        &memory.encryption_key_arn,
        Storage {
            subject: &format!("Memory {name}"),
            subject_lower: &format!("memory {name}"),
            held: "the conversations and long-term memories it stores",
            held_is: "the conversations and long-term memories it stores are",
        },
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock AgentCore memory names a KMS key of your \
own (`EncryptionKeyArn`). A memory without one, or naming an AWS managed \
key, fails; a key KMS says is disabled or pending deletion fails too.",
    why: "\
An agent's memory keeps what users told it (raw conversation events) and \
what it extracted from them (preferences, facts, summaries): personal data, \
kept for as long as the memory's event expiry says. Without a key of your \
own it is encrypted with a key AWS owns, which you cannot restrict with a \
key policy, audit apart in CloudTrail, or revoke to make the data \
unreadable.

Risk level Medium: the data is encrypted either way; what is missing is \
control over who can decrypt it.",
    audit_console: "\
1. Open the Amazon Bedrock AgentCore console and choose **Memory**.
2. Open each memory; its details must show a KMS key of yours.
3. Repeat in every region where AgentCore is offered.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agentcore-control list-memories --query 'memories[].id' --output text); do
  aws bedrock-agentcore-control get-memory --memory-id \"$id\" \\
    --query 'memory.[name, encryptionKeyArn]' --output text
done
```

`None` fails.",
    remediate_console: "\
A memory's key is chosen when it is created. Create a new memory with the \
same strategies and **Use a customer managed key**, point the agents at its \
id, and delete the old memory once its events have expired or are no \
longer needed.",
    remediate_cli: "\
```sh
KEY=$(aws kms create-key --description \"AgentCore memory\" --query KeyMetadata.Arn --output text)
aws bedrock-agentcore-control create-memory --name support_memory_kms \\
  --event-expiry-duration 30 --encryption-key-arn \"$KEY\"
```

Then point the agents at the new memory's id and delete the old one with \
`aws bedrock-agentcore-control delete-memory --memory-id ID`.",
    remediate_cloudformation: "\
```yaml
SupportMemory:
  Type: AWS::BedrockAgentCore::Memory
  Properties:
    Name: support_memory
    EventExpiryDuration: 30
    EncryptionKeyArn: !GetAtt MemoryKey.Arn
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagentcore_memory\" \"support\" {
  name                  = \"support_memory\"
  event_expiry_duration = 30
  encryption_key_arn    = aws_kms_key.memory.arn
}
```",
    references: &[
        (
            "Amazon Bedrock AgentCore: encrypt your memory",
            "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/storage-encryption.html",
        ),
        (
            "AWS Security Hub: BedrockAgentCore.3",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/bedrockagentcore-controls.html#bedrockagentcore-3",
        ),
        (
            "AWS Config: bedrock-agentcore-memory-encryption-enabled",
            "https://docs.aws.amazon.com/config/latest/developerguide/bedrock-agentcore-memory-encryption-enabled.html",
        ),
    ],
};
