//! `bedrock-guardrail-prompt-attack`: a guardrail blocks prompt attacks at
//! the highest strength.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{GuardrailFilter, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "bedrock-guardrail-prompt-attack",
    aliases: &[],
    title: "Block Prompt Attacks at High Strength in Amazon Bedrock Guardrails",
    fails_when: "a guardrail has no `PROMPT_ATTACK` content filter, or its `InputStrength` is not `HIGH`",
    risk: RiskLevel::High,
    categories: &["Security", "Governance"],
    resource_kind: ResourceKind::Guardrail,
    property: crate::model::Guardrail::CONTENT_FILTERS,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_guardrail_prompt_attack_filter_enabled"],
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
            format!("The prompt-attack filter of guardrail {name} could not be read."),
        )
    };
    let filters = match GuardrailFilter::by_kind(&guardrail.content_filters) {
        Err(why) => return Some(unknown(why)),
        Ok(filters) => filters,
    };
    let strength = filters
        .iter()
        .find(|(kind, _)| kind == "PROMPT_ATTACK")
        .map(|(_, strength)| *strength);
    let fail = |message: String| Verdict {
        status: Status::Fail,
        message,
    };
    Some(match strength {
        None => fail(format!("Guardrail {name} has no prompt-attack filter: jailbreaks and injected instructions reach the model.")),
        Some(Fact::Unknown(why)) => unknown(why),
        Some(Fact::Known(Some(level))) if level.eq_ignore_ascii_case("HIGH") => Verdict {
            status: Status::Pass,
            message: format!("Guardrail {name} blocks prompt attacks at HIGH strength."),
        },
        Some(Fact::Known(level)) => fail(format!(
            "Guardrail {name} filters prompt attacks at {} strength: attacks it judges less than certain get through.",
            level.as_deref().unwrap_or("no")
        )),
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock guardrail has a content filter of type \
`PROMPT_ATTACK` whose input strength is `HIGH`. A guardrail without one, \
or with a lower strength, fails.",
    why: "\
A prompt attack is text written to make the model ignore its instructions: \
a jailbreak typed by a user, or an instruction hidden in a document, web \
page or tool result the model reads (prompt injection). An agent that \
follows one can leak its instructions and data or misuse its tools. The \
prompt-attack filter scores every input for such attempts; at `HIGH` it \
blocks inputs it judges attacks even with low confidence, at `LOW` only \
the most obvious. The filter applies to user input (tag the parts of a \
prompt it should screen when you call the model directly).

Risk level High: it is the guardrail's one defence against the attacks \
that turn an assistant against its owner.",
    audit_console: "\
1. Open the Amazon Bedrock console and choose **Guardrails**.
2. Open each guardrail and its working draft; under *Content filters*, \
*Prompt attacks* must be on with the input strength *High*.
3. Repeat in every region.",
    audit_cli: "\
```sh
for id in $(aws bedrock list-guardrails --query 'guardrails[].id' --output text); do
  aws bedrock get-guardrail --guardrail-identifier \"$id\" \\
    --query \"[name, contentPolicy.filters[?type=='PROMPT_ATTACK'].inputStrength | [0]]\" --output text
done
```

Anything but `HIGH` fails.",
    remediate_console: "\
Open the guardrail, choose **Edit** under *Content filters*, turn on \
*Prompt attacks* with the strength *High*, save, and create a version for \
the agents and applications that name one.",
    remediate_cli: "\
`update-guardrail` replaces every policy, so carry over the others and \
set the filter:

```sh
id=$(aws bedrock list-guardrails --query \"guardrails[?name=='support-guardrail'].id | [0]\" --output text)
aws bedrock get-guardrail --guardrail-identifier \"$id\" \\
  | jq --arg id \"$id\" '{guardrailIdentifier: $id, name, description, blockedInputMessaging, blockedOutputsMessaging,
        kmsKeyId: .kmsKeyArn,
        topicPolicyConfig: (.topicPolicy | if . then {topicsConfig: .topics} else null end),
        wordPolicyConfig: (.wordPolicy | if . then {wordsConfig: .words, managedWordListsConfig: .managedWordLists} else null end),
        sensitiveInformationPolicyConfig: (.sensitiveInformationPolicy | if . then {piiEntitiesConfig: .piiEntities, regexesConfig: .regexes} else null end),
        contextualGroundingPolicyConfig: (.contextualGroundingPolicy | if . then {filtersConfig: .filters} else null end),
        contentPolicyConfig: {filtersConfig: ([(.contentPolicy.filters // [])[] | select(.type != \"PROMPT_ATTACK\")]
          + [{type: \"PROMPT_ATTACK\", inputStrength: \"HIGH\", outputStrength: \"NONE\"}])}}
      | with_entries(select(.value != null))' > guardrail.json
aws bedrock update-guardrail --cli-input-json file://guardrail.json
aws bedrock create-guardrail-version --guardrail-identifier \"$id\" --description 'prompt attacks blocked at HIGH'
```

Agents and applications that name a numbered version keep the old one \
until you point them at the new version.",
    remediate_cloudformation: "\
```yaml
SupportGuardrail:
  Type: AWS::Bedrock::Guardrail
  Properties:
    Name: support-guardrail
    BlockedInputMessaging: Sorry, I cannot answer that.
    BlockedOutputsMessaging: Sorry, I cannot answer that.
    ContentPolicyConfig:
      FiltersConfig:
        - Type: PROMPT_ATTACK
          InputStrength: HIGH
          OutputStrength: NONE
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrock_guardrail\" \"support\" {
  name                      = \"support-guardrail\"
  blocked_input_messaging   = \"Sorry, I cannot answer that.\"
  blocked_outputs_messaging = \"Sorry, I cannot answer that.\"
  content_policy_config {
    filters_config {
      type            = \"PROMPT_ATTACK\"
      input_strength  = \"HIGH\"
      output_strength = \"NONE\"
    }
  }
}
```",
    references: &[
        (
            "Amazon Bedrock: detect prompt attacks with guardrails",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-prompt-attack.html",
        ),
        (
            "Amazon Bedrock: content filters",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-content-filters.html",
        ),
    ],
};
