//! `bedrock-guardrail-contextual-grounding`: a guardrail checks that
//! answers are grounded in their sources and relevant to the question.

use crate::finding::Status;
use crate::model::{GuardrailFilter, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "bedrock-guardrail-contextual-grounding",
    aliases: &[],
    title: "Check Grounding and Relevance in Amazon Bedrock Guardrails",
    fails_when: "a guardrail's contextual grounding policy lacks a `GROUNDING` or a `RELEVANCE` filter",
    risk: RiskLevel::Low,
    categories: &["Security", "Governance"],
    resource_kind: ResourceKind::Guardrail,
    property: crate::model::Guardrail::GROUNDING_FILTERS,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_guardrail_contextual_grounding_filter_enabled"],
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
            format!("The contextual grounding filters of guardrail {name} could not be read."),
        )
    };
    let kinds = match GuardrailFilter::by_kind(&guardrail.grounding_filters) {
        Err(why) => return Some(unknown(why)),
        Ok(kinds) => kinds,
    };
    let missing: Vec<&str> = ["GROUNDING", "RELEVANCE"]
        .into_iter()
        .filter(|wanted| !kinds.iter().any(|(kind, _)| kind == wanted))
        .collect();
    Some(match missing.as_slice() {
        [] => Verdict {
            status: Status::Pass,
            message: format!("Guardrail {name} checks that answers are grounded in their sources and relevant to the question."),
        },
        missing => Verdict {
            status: Status::Fail,
            message: format!(
                "Guardrail {name} has no contextual grounding {} filter: answers the sources do not support, or that miss the question, reach the user.",
                missing.join(" or ")
            ),
        },
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock guardrail has contextual grounding \
filters of both types: `GROUNDING` (the answer is supported by the \
source it was given) and `RELEVANCE` (the answer addresses the question). \
A guardrail that lacks either fails.",
    why: "\
Retrieval-augmented applications (knowledge bases, agents that read \
documents and tool results) answer from sources. A model may still \
invent facts the sources do not contain, or answer a different question. \
Contextual grounding checks score each answer against its source and the \
question, and block it below your thresholds. Without them, a confident \
hallucination reaches the user as if it came from your documents.

Risk level Low: it is a quality control with security consequences \
(wrong answers in regulated or support contexts), not a barrier against \
an attacker. The checks apply where the application passes the source \
and the question to the guardrail.",
    audit_console: "\
1. Open the Amazon Bedrock console and choose **Guardrails**.
2. Open each guardrail and its working draft; under *Contextual grounding \
check*, both *Grounding* and *Relevance* must be on.
3. Repeat in every region.",
    audit_cli: "\
```sh
for id in $(aws bedrock list-guardrails --query 'guardrails[].id' --output text); do
  aws bedrock get-guardrail --guardrail-identifier \"$id\" \\
    --query '[name, join(`,`, contextualGroundingPolicy.filters[].type || [`none`])]' --output text
done
```

A guardrail whose list lacks `GROUNDING` or `RELEVANCE` fails.",
    remediate_console: "\
Open the guardrail, choose **Edit** under *Contextual grounding check*, \
turn on *Grounding* and *Relevance* with thresholds (0.7 is a common \
start), save, and create a version for the applications that name one.",
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
        sensitiveInformationPolicyConfig: (.sensitiveInformationPolicy | if . then {piiEntitiesConfig: .piiEntities, regexesConfig: .regexes} else null end),
        contextualGroundingPolicyConfig: {filtersConfig: [{type: \"GROUNDING\", threshold: 0.7}, {type: \"RELEVANCE\", threshold: 0.7}]}}
      | with_entries(select(.value != null))' > guardrail.json
aws bedrock update-guardrail --cli-input-json file://guardrail.json
aws bedrock create-guardrail-version --guardrail-identifier \"$id\" --description 'grounding and relevance checked'
```",
    remediate_cloudformation: "\
```yaml
SupportGuardrail:
  Type: AWS::Bedrock::Guardrail
  Properties:
    Name: support-guardrail
    BlockedInputMessaging: Sorry, I cannot answer that.
    BlockedOutputsMessaging: Sorry, I cannot answer that.
    ContextualGroundingPolicyConfig:
      FiltersConfig:
        - {Type: GROUNDING, Threshold: 0.7}
        - {Type: RELEVANCE, Threshold: 0.7}
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrock_guardrail\" \"support\" {
  name                      = \"support-guardrail\"
  blocked_input_messaging   = \"Sorry, I cannot answer that.\"
  blocked_outputs_messaging = \"Sorry, I cannot answer that.\"
  contextual_grounding_policy_config {
    filters_config {
      type      = \"GROUNDING\"
      threshold = 0.7
    }
    filters_config {
      type      = \"RELEVANCE\"
      threshold = 0.7
    }
  }
}
```",
    references: &[(
        "Amazon Bedrock: contextual grounding check",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-contextual-grounding-check.html",
    )],
};
