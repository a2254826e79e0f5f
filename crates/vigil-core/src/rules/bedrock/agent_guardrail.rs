//! `bedrock-agent-guardrail`: a Bedrock agent screens what it is asked and
//! what it answers with a guardrail.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "bedrock-agent-guardrail",
    aliases: &[],
    title: "Attach a Guardrail to Amazon Bedrock Agents",
    fails_when: "a Bedrock agent has no `GuardrailConfiguration.GuardrailIdentifier`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Governance"],
    resource_kind: ResourceKind::BedrockAgent,
    property: crate::model::BedrockAgent::GUARDRAIL,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_agent_guardrail_enabled"],
        checkov: &["CKV_AWS_383"],
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
    Some(match &agent.guardrail {
        Fact::Unknown(why) => Verdict::unknown(
            why.clone(),
            format!("Whether agent {name} has a guardrail could not be read."),
        ),
        Fact::Known(Some(guardrail)) if !guardrail.trim().is_empty() => Verdict {
            status: Status::Pass,
            message: format!("Agent {name} screens its prompts and answers with guardrail {guardrail}."),
        },
        Fact::Known(_) => Verdict {
            status: Status::Fail,
            message: format!("Agent {name} has no guardrail: prompt attacks, harmful content and personal data in its prompts and answers pass unfiltered."),
        },
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock agent names a guardrail \
(`GuardrailConfiguration.GuardrailIdentifier`). An agent without one fails.",
    why: "\
An agent turns what a user types into model calls and actions: it runs \
action groups (Lambda functions, APIs) and queries knowledge bases on the \
user's behalf. A guardrail screens every prompt and every answer of the \
agent's sessions: it blocks prompt attacks (jailbreaks, injected \
instructions), denied topics and harmful content, and blocks or masks \
personal data. Without one, the only defence is the model's own training, \
which you can neither tune nor audit, and an injected instruction can \
steer the agent's tools.

Risk level Medium: a guardrail is one layer among several (the agent's \
role and its action groups' permissions bound what it can do), but for \
an agent that faces users it is the layer that sees the prompts.",
    audit_console: "\
1. Open the Amazon Bedrock console and choose **Agents**.
2. Open each agent; under *Guardrails*, one must be selected.
3. Repeat in every region.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agent list-agents --query 'agentSummaries[].agentId' --output text); do
  aws bedrock-agent get-agent --agent-id \"$id\" \\
    --query 'agent.[agentName, guardrailConfiguration.guardrailIdentifier]' --output text
done
```

`None` fails.",
    remediate_console: "\
Open the agent, choose **Edit in Agent builder**, choose a guardrail and \
its version under *Guardrails*, save, and choose **Prepare** so that the \
agent's aliases can use the new draft.",
    remediate_cli: "\
`update-agent` takes the agent's name, role and model again, so carry \
them over, then prepare the agent:

```sh
GUARDRAIL=$(aws bedrock create-guardrail --name support-guardrail \\
  --blocked-input-messaging 'Sorry, I cannot answer that.' \\
  --blocked-outputs-messaging 'Sorry, I cannot answer that.' \\
  --content-policy-config 'filtersConfig=[{type=PROMPT_ATTACK,inputStrength=HIGH,outputStrength=NONE}]' \\
  --query guardrailId --output text)
id=$(aws bedrock-agent list-agents --query \"agentSummaries[?agentName=='support-agent'].agentId | [0]\" --output text)
aws bedrock-agent get-agent --agent-id \"$id\" \\
  | jq --arg guardrail \"$GUARDRAIL\" '.agent | {agentId, agentName, agentResourceRoleArn, foundationModel,
        instruction, description, idleSessionTTLInSeconds, customerEncryptionKeyArn, promptOverrideConfiguration}
      | with_entries(select(.value != null))
      | .guardrailConfiguration = {guardrailIdentifier: $guardrail, guardrailVersion: \"DRAFT\"}' > agent.json
aws bedrock-agent update-agent --cli-input-json file://agent.json
aws bedrock-agent prepare-agent --agent-id \"$id\"
```

Publish a version of the guardrail (`aws bedrock create-guardrail-version`) \
and name it instead of `DRAFT` once its filters are settled.",
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
SupportAgent:
  Type: AWS::Bedrock::Agent
  Properties:
    AgentName: support-agent
    AgentResourceRoleArn: !GetAtt AgentRole.Arn
    FoundationModel: anthropic.claude-3-5-sonnet-20240620-v1:0
    GuardrailConfiguration:
      GuardrailIdentifier: !GetAtt SupportGuardrail.GuardrailId
      GuardrailVersion: DRAFT
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagent_agent\" \"support\" {
  agent_name              = \"support-agent\"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = \"anthropic.claude-3-5-sonnet-20240620-v1:0\"
  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.support.guardrail_id
    guardrail_version    = aws_bedrock_guardrail.support.version
  }
}
```",
    references: &[
        (
            "Amazon Bedrock: guardrails for agents",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/agents-guardrail.html",
        ),
        (
            "Amazon Bedrock: how guardrails work",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-how.html",
        ),
    ],
};
