//! `AWS::Bedrock::Flow` and `aws_bedrockagent_flow`.

use super::bedrock_agent::guardrail_named;
use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{BedrockFlow, FlowModelNode, Identity};
use vigil_core::{Fact, Property, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::BedrockFlow,
    cloudformation: &[CfnType::named("AWS::Bedrock::Flow")],
    terraform: &[TfType {
        name: "aws_bedrockagent_flow",
        reported_as: "AWS::Bedrock::Flow",
    }],
    properties: &[BedrockFlow::NODES],
    fixes: &[],
    build,
};

const PROMPT_GUARDRAIL_BLOCK: Property = Property {
    cloudformation: "Configuration.Prompt.GuardrailConfiguration",
    terraform: "configuration.prompt.guardrail_configuration",
};
const KNOWLEDGE_BASE_GUARDRAIL_BLOCK: Property = Property {
    cloudformation: "Configuration.KnowledgeBase.GuardrailConfiguration",
    terraform: "configuration.knowledge_base.guardrail_configuration",
};

fn build(declared: &Declared) -> Resource {
    // CloudFormation also takes the definition as a JSON string or an S3
    // object, which the template does not show node by node.
    let elsewhere = [BedrockFlow::DEFINITION_STRING, BedrockFlow::DEFINITION_S3]
        .into_iter()
        .find(|p| declared.written(&BedrockFlow::NODES).is_none() && declared.written(p).is_some());
    let model_nodes = match elsewhere {
        Some(property) => Fact::Unknown(format!(
            "the flow's definition is in {}, which the template does not spell out node by node",
            declared.props.spelled(&property)
        )),
        None => model_nodes(declared, &BedrockFlow::NODES),
    };
    Resource::BedrockFlow(BedrockFlow {
        identity: Identity::declared(declared.name(&BedrockFlow::NAME)),
        model_nodes,
    })
}

/// The nodes at `property` that call a model, and those of their loops'.
/// A node whose type, or a loop whose nodes, are decided at deployment is
/// one whose guardrail is unknown, so a bare node beside it still fails.
fn model_nodes(declared: &Declared, property: &Property) -> Fact<Vec<FlowModelNode>> {
    let each = declared.each(property, |node| {
        let name = node.name(&BedrockFlow::NODE_NAME);
        let one = |node_type: &str, guardrail| {
            vec![FlowModelNode {
                name: name.clone(),
                node_type: node_type.to_owned(),
                guardrail,
            }]
        };
        match node.text(&BedrockFlow::NODE_TYPE) {
            Fact::Known(Some(t)) if t == "Prompt" => one(
                "Prompt",
                guardrail_named(node, &PROMPT_GUARDRAIL_BLOCK, &BedrockFlow::PROMPT_GUARDRAIL),
            ),
            // A knowledge-base node without a model only retrieves.
            Fact::Known(Some(t)) if t == "KnowledgeBase" => match node.written(&BedrockFlow::KNOWLEDGE_BASE_MODEL) {
                Some(_) => one(
                    "KnowledgeBase",
                    guardrail_named(
                        node,
                        &KNOWLEDGE_BASE_GUARDRAIL_BLOCK,
                        &BedrockFlow::KNOWLEDGE_BASE_GUARDRAIL,
                    ),
                ),
                None => Vec::new(),
            },
            Fact::Known(Some(t)) if t == "Loop" => match model_nodes(node, &BedrockFlow::LOOP_NODES) {
                Fact::Known(inner) => inner,
                Fact::Unknown(why) => one("Loop", Fact::Unknown(why)),
            },
            Fact::Known(_) => Vec::new(),
            Fact::Unknown(why) => one("", Fact::Unknown(why)),
        }
    });
    each.map(|per_node| per_node.into_iter().flatten().collect())
}
