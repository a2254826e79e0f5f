//! Amazon Bedrock flows: every `ListFlows` page (paged in its query), then
//! one `GetFlow` per flow, its working draft (`rest_kinds::collect` does
//! both, and says once when a region has no Bedrock Agents).

use crate::rest::{Listing, Paging};
use crate::rest_kinds::KindReads;
use serde_json::Value;
use vigil_core::model::FlowModelNode;
use vigil_core::{BedrockFlow, Fact, Identity, Resource, ResourceKind};

pub(crate) static READS: KindReads = KindReads {
    kind: ResourceKind::BedrockFlow,
    plane: &crate::bedrock::AGENTS,
    listing: Listing {
        method: "GET",
        path: "/flows/",
        field: "flowSummaries",
        paging: Paging::Query,
    },
    list_operation: "bedrock:ListFlows",
    get_operation: "bedrock:GetFlow",
    get_path: |id| format!("/flows/{id}/"),
    summary: |s| {
        let text = |field: &str| s[field].as_str().unwrap_or_default().to_owned();
        (text("id"), text("name"), s["arn"].as_str().map(str::to_owned))
    },
    read: |name, arn, answer| Resource::BedrockFlow(from_answer(name, arn, answer)),
    unreadable: |identity, why| Resource::BedrockFlow(BedrockFlow::unreadable(identity, why)),
    window: None,
};

/// Maps a `GetFlow` answer.
pub fn from_answer(name: String, arn: Option<String>, answer: &Value) -> BedrockFlow {
    let text = |value: &Value| value.as_str().filter(|t| !t.is_empty()).map(str::to_owned);
    let mut nodes = Vec::new();
    model_nodes(&answer["definition"], &mut nodes);
    BedrockFlow {
        identity: Identity::from_arn(text(&answer["name"]).unwrap_or(name), text(&answer["arn"]).or(arn)),
        model_nodes: Fact::Known(nodes),
    }
}

/// The nodes of `definition` that call a model, and those of its loops'.
fn model_nodes(definition: &Value, into: &mut Vec<FlowModelNode>) {
    for node in definition["nodes"].as_array().into_iter().flatten() {
        let configuration = &node["configuration"];
        let model_call = match node["type"].as_str() {
            Some("Prompt") => Some(&configuration["prompt"]),
            // A knowledge-base node without a model only retrieves.
            Some("KnowledgeBase") if configuration["knowledgeBase"]["modelId"].is_string() => {
                Some(&configuration["knowledgeBase"])
            }
            Some("Loop") => {
                model_nodes(&configuration["loop"]["definition"], into);
                None
            }
            _ => None,
        };
        if let Some(call) = model_call {
            let guardrail = call["guardrailConfiguration"]["guardrailIdentifier"].as_str();
            into.push(FlowModelNode {
                name: node["name"].as_str().unwrap_or_default().to_owned(),
                node_type: node["type"].as_str().unwrap_or_default().to_owned(),
                guardrail: Fact::Known(guardrail.filter(|g| !g.is_empty()).map(str::to_owned)),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_the_model_nodes_those_in_loops_included() {
        let guard = serde_json::json!({"guardrailIdentifier": "g1", "guardrailVersion": "1"});
        let answer = serde_json::json!({
            "id": "FLOW123456", "name": "support-flow", "version": "DRAFT",
            "arn": "arn:aws:bedrock:eu-west-1:123456789012:flow/FLOW123456",
            "definition": {"nodes": [
                {"name": "In", "type": "Input", "configuration": {"input": {}}},
                {"name": "Answer", "type": "Prompt", "configuration": {"prompt": {"guardrailConfiguration": guard}}},
                {"name": "Search", "type": "KnowledgeBase", "configuration": {"knowledgeBase": {"knowledgeBaseId": "KB1"}}},
                {"name": "Ask", "type": "KnowledgeBase", "configuration": {"knowledgeBase": {"knowledgeBaseId": "KB1", "modelId": "m"}}},
                {"name": "Each", "type": "Loop", "configuration": {"loop": {"definition": {"nodes": [
                    {"name": "Inner", "type": "Prompt", "configuration": {"prompt": {}}}
                ]}}}}
            ]}
        });
        let flow = from_answer("FLOW123456".into(), None, &answer);
        assert_eq!(flow.identity.name, "support-flow");
        assert_eq!(flow.identity.account.as_deref(), Some("123456789012"));
        let nodes = flow.model_nodes.known().unwrap();
        let seen: Vec<(&str, Option<&str>)> = nodes
            .iter()
            .map(|n| (n.name.as_str(), n.guardrail.known().unwrap().as_deref()))
            .collect();
        assert_eq!(seen, [("Answer", Some("g1")), ("Ask", None), ("Inner", None)]);
        let empty = from_answer("f".into(), None, &serde_json::json!({"name": "f"}));
        assert_eq!(empty.model_nodes, Fact::Known(Vec::new()));
    }
}
