//! `bedrock-prompt-kms`: a prompt of Bedrock's prompt management is
//! encrypted with a KMS key of the customer's.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{key_verdict, Storage};

pub static RULE: Rule = Rule {
    id: "bedrock-prompt-kms",
    aliases: &[],
    title: "Encrypt Amazon Bedrock Prompts with a Customer-Managed KMS Key",
    fails_when: "a Bedrock prompt has no `CustomerEncryptionKeyArn`, or names an AWS managed key",
    risk: RiskLevel::Low,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::BedrockPrompt,
    property: crate::model::BedrockPrompt::KMS_KEY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_prompt_encrypted_with_cmk"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::BedrockPrompt(prompt) = resource else {
        return None;
    };
    let name = &prompt.identity.name;
    Some(key_verdict(
        &prompt.identity.keys,
        &prompt.kms_key_arn,
        Storage {
            subject: &format!("Prompt {name}"),
            subject_lower: &format!("prompt {name}"),
            held: "its templates and variants",
            held_is: "its templates and variants are",
        },
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each prompt of Amazon Bedrock's prompt management names a \
KMS key of your own (`CustomerEncryptionKeyArn`). A prompt without one, \
or naming an AWS managed key, fails; a key KMS says is disabled or \
pending deletion fails too.",
    why: "\
A managed prompt holds the instructions your application gives a model: \
its system prompt, templates and variants, often with business rules, \
internal names and examples drawn from real data. Without a key of your \
own they are encrypted with a key AWS owns, which you cannot restrict \
with a key policy, audit apart in CloudTrail, or revoke.

Risk level Low: prompts are usually configuration rather than customer \
data, and they are encrypted either way.",
    audit_console: "\
1. Open the Amazon Bedrock console and choose **Prompt management**.
2. Open each prompt; under *Prompt details*, the KMS key must be one of \
yours.
3. Repeat in every region.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agent list-prompts --query 'promptSummaries[].id' --output text); do
  aws bedrock-agent get-prompt --prompt-identifier \"$id\" --query '[name, customerEncryptionKeyArn]' --output text
done
```

`None` fails.",
    remediate_console: "\
Open the prompt, choose **Edit**, choose a customer managed KMS key under \
*KMS key selection*, save, and create a version for the applications \
that name one.",
    remediate_cli: "\
`update-prompt` takes the prompt's name and variants again, so carry \
them over and set the key:

```sh
KEY=$(aws kms create-key --description \"Bedrock prompts\" --query KeyMetadata.Arn --output text)
id=$(aws bedrock-agent list-prompts --query \"promptSummaries[?name=='support-prompt'].id | [0]\" --output text)
aws bedrock-agent get-prompt --prompt-identifier \"$id\" \\
  | jq --arg id \"$id\" --arg key \"$KEY\" '{promptIdentifier: $id, name, description, defaultVariant, variants}
      | with_entries(select(.value != null))
      | .customerEncryptionKeyArn = $key' > prompt.json
aws bedrock-agent update-prompt --cli-input-json file://prompt.json
aws bedrock-agent create-prompt-version --prompt-identifier \"$id\"
```",
    remediate_cloudformation: "\
```yaml
SupportPrompt:
  Type: AWS::Bedrock::Prompt
  Properties:
    Name: support-prompt
    CustomerEncryptionKeyArn: !GetAtt PromptKey.Arn
    DefaultVariant: main
    Variants:
      - Name: main
        TemplateType: TEXT
        TemplateConfiguration:
          Text:
            Text: Answer the question {{question}} politely.
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagent_prompt\" \"support\" {
  name                        = \"support-prompt\"
  customer_encryption_key_arn = aws_kms_key.prompts.arn
  default_variant             = \"main\"
  variant {
    name          = \"main\"
    template_type = \"TEXT\"
    template_configuration {
      text {
        text = \"Answer the question {{question}} politely.\"
      }
    }
  }
}
```",
    references: &[(
        "Amazon Bedrock: encryption of Prompt management",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-prompt-management.html",
    )],
};
