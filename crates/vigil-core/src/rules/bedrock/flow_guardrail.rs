//! `bedrock-flow-guardrail`: every node of a Bedrock flow that calls a
//! model screens its input and output with a guardrail.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "bedrock-flow-guardrail",
    aliases: &[],
    title: "Attach a Guardrail to Every Model Node of Amazon Bedrock Flows",
    fails_when: "a prompt node, or a knowledge-base node that generates an answer, of a Bedrock flow has no `GuardrailConfiguration.GuardrailIdentifier`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Governance"],
    resource_kind: ResourceKind::BedrockFlow,
    property: crate::model::BedrockFlow::NODES,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_flow_guardrail_enabled"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::BedrockFlow(flow) = resource else {
        return None;
    };
    let name = &flow.identity.name;
    let nodes = match &flow.model_nodes {
        Fact::Unknown(why) => {
            return Some(Verdict::unknown(
                why.clone(),
                format!("Which nodes of flow {name} call a model, and with which guardrail, could not be read."),
            ))
        }
        Fact::Known(nodes) => nodes,
    };
    if nodes.is_empty() {
        return Some(Verdict {
            status: Status::Pass,
            message: format!("No node of flow {name} calls a model (no prompt node, no knowledge-base node that generates an answer)."),
        });
    }
    let (mut bare, mut unknown, mut guarded) = (Vec::new(), Vec::new(), Vec::new());
    for node in nodes {
        // A node whose type is decided at deployment has none to name.
        let named = format!("{} node {}", node.node_type, node.name).trim_start().to_owned();
        match &node.guardrail {
            Fact::Known(Some(guardrail)) if !guardrail.trim().is_empty() => guarded.push(format!("{named} ({guardrail})")),
            Fact::Known(_) => bare.push(named),
            Fact::Unknown(why) => unknown.push(format!("{named}: {why}")),
        }
    }
    Some(if !bare.is_empty() {
        Verdict {
            status: Status::Fail,
            message: format!(
                "Flow {name} calls a model without a guardrail in {}: prompt attacks, harmful content and personal data pass those steps unfiltered.",
                bare.join(", ")
            ),
        }
    } else if !unknown.is_empty() {
        Verdict::unknown(
            unknown.join("; "),
            format!("Whether every model node of flow {name} has a guardrail could not be read."),
        )
    } else {
        Verdict {
            status: Status::Pass,
            message: format!("Every node of flow {name} that calls a model has a guardrail: {}.", guarded.join(", ")),
        }
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks, in each Amazon Bedrock flow's working draft, that every node that \
calls a model names a guardrail: prompt nodes, and knowledge-base nodes \
that generate an answer (`ModelId` set), \
`Configuration.…GuardrailConfiguration.GuardrailIdentifier`. Nodes inside \
loops count too. A knowledge-base node that only retrieves calls no model \
and cannot take a guardrail, so it is not judged; a flow without any \
model node passes. A definition that cannot be read (a template's \
`DefinitionString` or `DefinitionS3Location`) is unknown.",
    why: "\
A flow chains prompts, knowledge-base queries, Lambda functions and \
agents into one application, and its input usually comes straight from a \
user. Each model node is a separate model call: a guardrail on one node \
does not screen another, and a guardrail on an agent the flow calls does \
not screen the flow's own prompts. A node without one sends whatever \
reaches it (a prompt attack, personal data, a retrieved document with \
injected instructions) to the model and passes the model's answer on \
unfiltered.

Risk level Medium: a guardrail is one layer among several, but it is the \
one that sees each prompt and answer of the flow.",
    audit_console: "\
1. Open the Amazon Bedrock console and choose **Flows**.
2. Open each flow and its flow builder; select each *Prompt* node and each \
*Knowledge base* node that generates responses, and check that a \
guardrail is chosen under *Guardrails*.
3. Repeat in every region.",
    audit_cli: "\
```sh
for id in $(aws bedrock-agent list-flows --query 'flowSummaries[].id' --output text); do
  aws bedrock-agent get-flow --flow-identifier \"$id\" | jq -r '.name as $flow
    | [.definition.nodes[]?
       | select(.type == \"Prompt\" or (.type == \"KnowledgeBase\" and .configuration.knowledgeBase.modelId != null))
       | select((.configuration.prompt // .configuration.knowledgeBase).guardrailConfiguration.guardrailIdentifier == null)
       | .name] | \"\\($flow): \\(if length == 0 then \"every model node guarded\" else \"no guardrail on \" + join(\", \") end)\"'
done
```

A flow listed with `no guardrail on` fails.",
    remediate_console: "\
Open the flow's builder, select each unguarded node, choose a guardrail \
and its version under *Guardrails*, save, then create a version and point \
the flow's aliases at it.",
    remediate_cli: "\
`update-flow` replaces the whole definition, so read it, add the \
guardrail to each model node, and write it back with the flow's name and \
role:

```sh
GUARDRAIL=$(aws bedrock create-guardrail --name flow-guardrail \\
  --blocked-input-messaging 'Sorry, I cannot answer that.' \\
  --blocked-outputs-messaging 'Sorry, I cannot answer that.' \\
  --content-policy-config 'filtersConfig=[{type=PROMPT_ATTACK,inputStrength=HIGH,outputStrength=NONE}]' \\
  --query guardrailId --output text)
id=$(aws bedrock-agent list-flows --query \"flowSummaries[?name=='support-flow'].id | [0]\" --output text)
aws bedrock-agent get-flow --flow-identifier \"$id\" \\
  | jq --arg guardrail \"$GUARDRAIL\" '{flowIdentifier: .id, name, executionRoleArn, definition}
      | .definition.nodes |= map(
          if .type == \"Prompt\" then .configuration.prompt.guardrailConfiguration = {guardrailIdentifier: $guardrail, guardrailVersion: \"DRAFT\"}
          elif .type == \"KnowledgeBase\" and .configuration.knowledgeBase.modelId != null
          then .configuration.knowledgeBase.guardrailConfiguration = {guardrailIdentifier: $guardrail, guardrailVersion: \"DRAFT\"}
          else . end)' > flow.json
aws bedrock-agent update-flow --cli-input-json file://flow.json
```

Publish a version of the guardrail (`aws bedrock create-guardrail-version`) \
and name it instead of `DRAFT` once its filters are settled.",
    remediate_cloudformation: "\
```yaml
SupportFlow:
  Type: AWS::Bedrock::Flow
  Properties:
    Name: support-flow
    ExecutionRoleArn: !GetAtt FlowRole.Arn
    Definition:
      Nodes:
        - Name: Answer
          Type: Prompt
          Configuration:
            Prompt:
              SourceConfiguration:
                Resource:
                  PromptArn: !GetAtt SupportPrompt.Arn
              GuardrailConfiguration:
                GuardrailIdentifier: !GetAtt FlowGuardrail.GuardrailId
                GuardrailVersion: !GetAtt FlowGuardrailVersion.Version
```",
    remediate_terraform: "\
```hcl
resource \"aws_bedrockagent_flow\" \"support\" {
  name               = \"support-flow\"
  execution_role_arn = aws_iam_role.flow.arn
  definition {
    node {
      name = \"Answer\"
      type = \"Prompt\"
      configuration {
        prompt {
          source_configuration {
            resource {
              prompt_arn = aws_bedrockagent_prompt.support.arn
            }
          }
          guardrail_configuration {
            guardrail_identifier = aws_bedrock_guardrail.flow.guardrail_id
            guardrail_version    = aws_bedrock_guardrail.flow.version
          }
        }
      }
    }
  }
}
```",
    references: &[
        (
            "Amazon Bedrock: node types in a flow",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/flows-nodes.html",
        ),
        (
            "Amazon Bedrock: how guardrails work",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-how.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BedrockFlow, FlowModelNode, Identity};

    fn flow(nodes: Fact<Vec<FlowModelNode>>) -> Resource {
        Resource::BedrockFlow(BedrockFlow {
            identity: Identity::declared("support-flow".into()),
            model_nodes: nodes,
        })
    }

    fn node(name: &str, guardrail: Fact<Option<String>>) -> FlowModelNode {
        FlowModelNode {
            name: name.into(),
            node_type: "Prompt".into(),
            guardrail,
        }
    }

    #[test]
    fn one_bare_node_fails_the_flow_even_beside_an_unknown_one() {
        let verdict = check(&flow(Fact::Known(vec![
            node("Answer", Fact::Known(Some("g1".into()))),
            node("Summarise", Fact::Known(None)),
            node("Rewrite", Fact::unknown("a parameter")),
        ])))
        .unwrap();
        assert_eq!(verdict.status, Status::Fail);
        assert!(verdict.message.contains("Prompt node Summarise"), "{}", verdict.message);
        assert!(!verdict.message.contains("Answer"), "{}", verdict.message);
    }

    #[test]
    fn guarded_nodes_pass_an_unknown_one_is_unknown_and_no_node_passes() {
        let guarded = check(&flow(Fact::Known(vec![node("Answer", Fact::Known(Some("g1".into())))]))).unwrap();
        assert_eq!(guarded.status, Status::Pass);
        let unknown = check(&flow(Fact::Known(vec![node("Answer", Fact::unknown("a parameter"))]))).unwrap();
        assert!(matches!(unknown.status, Status::Unknown { .. }), "{:?}", unknown.status);
        let blank = check(&flow(Fact::Known(vec![node("Answer", Fact::Known(Some(" ".into())))]))).unwrap();
        assert_eq!(blank.status, Status::Fail);
        let none = check(&flow(Fact::Known(Vec::new()))).unwrap();
        assert_eq!(none.status, Status::Pass);
        let unread = check(&flow(Fact::unknown("GetFlow was refused"))).unwrap();
        assert!(matches!(unread.status, Status::Unknown { .. }), "{:?}", unread.status);
    }
}
