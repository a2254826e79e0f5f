//! `bedrock-guardrail-kms`: a guardrail encrypts its policies with a KMS
//! key of the customer's.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{key_verdict, Storage};

pub static RULE: Rule = Rule {
    id: "bedrock-guardrail-kms",
    aliases: &[],
    title: "Encrypt Amazon Bedrock Guardrails with a Customer-Managed KMS Key",
    fails_when: "a guardrail has no `KmsKeyArn`, or names an AWS managed key",
    risk: RiskLevel::Low,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::Guardrail,
    property: crate::model::Guardrail::KMS_KEY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs::NONE,
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::Guardrail(guardrail) = resource else {
        return None;
    };
    let name = &guardrail.identity.name;
    Some(key_verdict(
        &guardrail.identity.keys,
        &guardrail.kms_key_arn,
        Storage {
            subject: &format!("Guardrail {name}"),
            subject_lower: &format!("guardrail {name}"),
            held: "its policies (denied topics, word lists, patterns of sensitive data)",
            held_is: "its policies are",
        },
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock guardrail names a KMS key of your own \
(`KmsKeyArn`). A guardrail without one, or naming an AWS managed key, \
fails; a key KMS says is disabled or pending deletion fails too.",
    why: "\
A guardrail's policies describe what you protect: the topics you deny, \
the words you block, the regular expressions that match your account \
numbers and internal identifiers. Without a key of your own they are \
encrypted with a key AWS owns, which you cannot restrict with a key \
policy, audit apart in CloudTrail, or revoke; with your key, reading or \
changing the guardrail needs a grant on it too.

Risk level Low: the policies are configuration rather than customer \
data, and they are encrypted either way.",
    audit_console: "\
1. Open the Amazon Bedrock console and choose **Guardrails**.
2. Open each guardrail; under *Guardrail overview*, the KMS key must be \
one of yours.
3. Repeat in every region.",
    audit_cli: "\
```sh
for id in $(aws bedrock list-guardrails --query 'guardrails[].id' --output text); do
  aws bedrock get-guardrail --guardrail-identifier \"$id\" --query '[name, kmsKeyArn]' --output text
done
```

`None` fails.",
    remediate_console: "\
Open the guardrail, choose **Edit** under *Guardrail overview*, choose a \
customer managed KMS key, save, and create a version. Who uses the \
guardrail needs `kms:Decrypt` on the key.",
    remediate_cli: "\
`update-guardrail` replaces every policy, so carry them over and set the \
key:

```sh
KEY=$(aws kms create-key --description \"Bedrock guardrail\" --query KeyMetadata.Arn --output text)
id=$(aws bedrock list-guardrails --query \"guardrails[?name=='support-guardrail'].id | [0]\" --output text)
aws bedrock get-guardrail --guardrail-identifier \"$id\" \\
  | jq --arg id \"$id\" --arg key \"$KEY\" '{guardrailIdentifier: $id, name, description, blockedInputMessaging, blockedOutputsMessaging,
        kmsKeyId: $key,
        topicPolicyConfig: (.topicPolicy | if . then {topicsConfig: .topics} else null end),
        contentPolicyConfig: (.contentPolicy | if . then {filtersConfig: .filters} else null end),
        wordPolicyConfig: (.wordPolicy | if . then {wordsConfig: .words, managedWordListsConfig: .managedWordLists} else null end),
        sensitiveInformationPolicyConfig: (.sensitiveInformationPolicy | if . then {piiEntitiesConfig: .piiEntities, regexesConfig: .regexes} else null end),
        contextualGroundingPolicyConfig: (.contextualGroundingPolicy | if . then {filtersConfig: .filters} else null end)}
      | with_entries(select(.value != null))' > guardrail.json
aws bedrock update-guardrail --cli-input-json file://guardrail.json
aws bedrock create-guardrail-version --guardrail-identifier \"$id\" --description 'encrypted with our key'
```",
    remediate_cloudformation: "\
```yaml
SupportGuardrail:
  Type: AWS::Bedrock::Guardrail
  Properties:
    Name: support-guardrail
    BlockedInputMessaging: Sorry, I cannot answer that.
    BlockedOutputsMessaging: Sorry, I cannot answer that.
    KmsKeyArn: !GetAtt GuardrailKey.Arn
    ContentPolicyConfig:
      FiltersConfig:
        - {Type: PROMPT_ATTACK, InputStrength: HIGH, OutputStrength: NONE}
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrock_guardrail\" \"support\" {
  name                      = \"support-guardrail\"
  blocked_input_messaging   = \"Sorry, I cannot answer that.\"
  blocked_outputs_messaging = \"Sorry, I cannot answer that.\"
  kms_key_arn               = aws_kms_key.guardrail.arn
  content_policy_config {
    filters_config {
      type            = \"PROMPT_ATTACK\"
      input_strength  = \"HIGH\"
      output_strength = \"NONE\"
    }
  }
}
```",
    references: &[(
        "Amazon Bedrock: encryption of guardrails",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-kms.html",
    )],
};
