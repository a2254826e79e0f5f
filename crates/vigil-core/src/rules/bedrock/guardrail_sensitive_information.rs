//! `bedrock-guardrail-sensitive-information`: a guardrail blocks or masks
//! sensitive information, not merely detects it.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "bedrock-guardrail-sensitive-information",
    aliases: &[],
    title: "Block or Mask Sensitive Information in Amazon Bedrock Guardrails",
    fails_when: "a guardrail has no sensitive-information filter (PII entity or regular expression) whose `Action` is `BLOCK` or `ANONYMIZE`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Governance"],
    resource_kind: ResourceKind::Guardrail,
    property: crate::model::Guardrail::PII_ENTITIES,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_guardrail_sensitive_information_filter_enabled"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::Guardrail(guardrail) = resource else {
        return None;
    };
    let name = &guardrail.identity.name;
    let unknown = |why: &String| {
        Verdict::unknown(
            why.clone(),
            format!("The sensitive-information filters of guardrail {name} could not be read."),
        )
    };
    let actions = match &guardrail.sensitive_actions {
        Fact::Unknown(why) => return Some(unknown(why)),
        Fact::Known(actions) => actions,
    };
    let acts = |action: &str| action.eq_ignore_ascii_case("BLOCK") || action.eq_ignore_ascii_case("ANONYMIZE");
    if actions.iter().any(|a| matches!(a, Fact::Known(Some(a)) if acts(a))) {
        return Some(Verdict {
            status: Status::Pass,
            message: format!("Guardrail {name} blocks or masks the sensitive information it detects."),
        });
    }
    // No filter acts; one that cannot be read might.
    if let Some(why) = actions.iter().find_map(|a| match a {
        Fact::Unknown(why) => Some(why),
        Fact::Known(_) => None,
    }) {
        return Some(unknown(why));
    }
    let message = if actions.is_empty() {
        format!("Guardrail {name} has no sensitive-information filter: personal data in prompts and answers passes unfiltered.")
    } else {
        format!("Guardrail {name} only detects sensitive information (every filter's action is NONE): personal data in prompts and answers still passes.")
    };
    Some(Verdict {
        status: Status::Fail,
        message,
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock guardrail has at least one \
sensitive-information filter (a PII entity type or a regular expression) \
whose action is `BLOCK` or `ANONYMIZE`. A guardrail without such a \
filter fails, and so does one whose every filter only detects (`NONE`).",
    why: "\
Users paste what they have into a chat: names, addresses, card and \
account numbers, credentials. A model can also repeat personal data it \
was given through a knowledge base or a tool. A sensitive-information \
filter finds such data in prompts and answers and either blocks the \
message or masks the data (`ANONYMIZE`) before it reaches the model or \
the user. A filter in detect-only mode (`NONE`) reports what it finds in \
the guardrail's trace and lets it through: it looks configured, and \
protects nothing.

Risk level Medium: the data leaks only where a prompt or an answer \
carries it, but then it reaches the model's logs, the application and the \
user unmasked.",
    audit_console: "\
1. Open the Amazon Bedrock console and choose **Guardrails**.
2. Open each guardrail and its working draft; under *Sensitive \
information filters*, at least one PII type or regular expression must \
*Block* or *Mask*.
3. Repeat in every region.",
    audit_cli: "\
```sh
for id in $(aws bedrock list-guardrails --query 'guardrails[].id' --output text); do
  aws bedrock get-guardrail --guardrail-identifier \"$id\" \\
    --query '[name, join(`,`, [sensitiveInformationPolicy.piiEntities[].action, sensitiveInformationPolicy.regexes[].action][] || [`none`])]' --output text
done
```

A guardrail whose list has neither `BLOCK` nor `ANONYMIZE` fails.",
    remediate_console: "\
Open the guardrail, choose **Edit** under *Sensitive information \
filters*, add the PII types your users may send (or your own regular \
expressions) with the behaviour *Block* or *Mask*, save, and create a \
version for the agents and applications that name one.",
    remediate_cli: "\
`update-guardrail` replaces every policy, so carry over the others and \
set the filters:

```sh
id=$(aws bedrock list-guardrails --query \"guardrails[?name=='support-guardrail'].id | [0]\" --output text)
aws bedrock get-guardrail --guardrail-identifier \"$id\" \\
  | jq --arg id \"$id\" '{guardrailIdentifier: $id, name, description, blockedInputMessaging, blockedOutputsMessaging,
        kmsKeyId: .kmsKeyArn,
        topicPolicyConfig: (.topicPolicy | if . then {topicsConfig: .topics} else null end),
        contentPolicyConfig: (.contentPolicy | if . then {filtersConfig: .filters} else null end),
        wordPolicyConfig: (.wordPolicy | if . then {wordsConfig: .words, managedWordListsConfig: .managedWordLists} else null end),
        contextualGroundingPolicyConfig: (.contextualGroundingPolicy | if . then {filtersConfig: .filters} else null end),
        sensitiveInformationPolicyConfig: {piiEntitiesConfig: [
          {type: \"EMAIL\", action: \"ANONYMIZE\"}, {type: \"PHONE\", action: \"ANONYMIZE\"},
          {type: \"CREDIT_DEBIT_CARD_NUMBER\", action: \"BLOCK\"}, {type: \"AWS_SECRET_KEY\", action: \"BLOCK\"}]}}
      | with_entries(select(.value != null))' > guardrail.json
aws bedrock update-guardrail --cli-input-json file://guardrail.json
aws bedrock create-guardrail-version --guardrail-identifier \"$id\" --description 'sensitive information blocked or masked'
```

Choose the PII types that matter to your users; the filters above replace \
the guardrail's previous ones.",
    remediate_cloudformation: "\
```yaml
SupportGuardrail:
  Type: AWS::Bedrock::Guardrail
  Properties:
    Name: support-guardrail
    BlockedInputMessaging: Sorry, I cannot answer that.
    BlockedOutputsMessaging: Sorry, I cannot answer that.
    SensitiveInformationPolicyConfig:
      PiiEntitiesConfig:
        - {Type: EMAIL, Action: ANONYMIZE}
        - {Type: CREDIT_DEBIT_CARD_NUMBER, Action: BLOCK}
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrock_guardrail\" \"support\" {
  name                      = \"support-guardrail\"
  blocked_input_messaging   = \"Sorry, I cannot answer that.\"
  blocked_outputs_messaging = \"Sorry, I cannot answer that.\"
  sensitive_information_policy_config {
    pii_entities_config {
      type   = \"EMAIL\"
      action = \"ANONYMIZE\"
    }
    pii_entities_config {
      type   = \"CREDIT_DEBIT_CARD_NUMBER\"
      action = \"BLOCK\"
    }
  }
}
```",
    references: &[(
        "Amazon Bedrock: remove PII from conversations with sensitive information filters",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-sensitive-filters.html",
    )],
};
