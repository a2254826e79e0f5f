//! The Bedrock AgentCore and Bedrock Agents calls a CloudTrail event can
//! name (sources `aws.bedrock-agentcore` and `aws.bedrock`): which kind
//! changed, and the id its describe call takes. `event.rs` reads the rest.

use serde_json::Value;
use vigil_core::ResourceKind;

/// AgentCore's event source.
pub const AGENTCORE: &str = "aws.bedrock-agentcore";
/// Bedrock's event source (guardrails, custom models, agents, prompts,
/// flows, knowledge bases and their data sources).
pub const BEDROCK: &str = "aws.bedrock";

/// Bedrock AgentCore control-plane calls (source `aws.bedrock-agentcore`):
/// the call, the kind, and where the resource's id sits in the event (the
/// answer's for a create, the request's for an update).
const AGENTCORE_CALLS: &[(&str, ResourceKind, &str)] = &[
    (
        "CreateAgentRuntime",
        ResourceKind::AgentRuntime,
        "/responseElements/agentRuntimeId",
    ),
    (
        "UpdateAgentRuntime",
        ResourceKind::AgentRuntime,
        "/requestParameters/agentRuntimeId",
    ),
    (
        "CreateGateway",
        ResourceKind::AgentGateway,
        "/responseElements/gatewayId",
    ),
    (
        "UpdateGateway",
        ResourceKind::AgentGateway,
        "/requestParameters/gatewayIdentifier",
    ),
    ("CreateMemory", ResourceKind::AgentMemory, "/responseElements/memory/id"),
    ("UpdateMemory", ResourceKind::AgentMemory, "/requestParameters/memoryId"),
    (
        "CreateBrowser",
        ResourceKind::AgentBrowser,
        "/responseElements/browserId",
    ),
    (
        "CreateCodeInterpreter",
        ResourceKind::AgentCodeInterpreter,
        "/responseElements/codeInterpreterId",
    ),
];

/// Bedrock Agents calls (source `aws.bedrock`) on a resource named by one
/// id: the call, the kind, and where the id sits in the event.
const BEDROCK_CALLS: &[(&str, ResourceKind, &str)] = &[
    (
        "CreateAgent",
        ResourceKind::BedrockAgent,
        "/responseElements/agent/agentId",
    ),
    ("UpdateAgent", ResourceKind::BedrockAgent, "/requestParameters/agentId"),
    (
        "CreateGuardrail",
        ResourceKind::Guardrail,
        "/responseElements/guardrailId",
    ),
    (
        "UpdateGuardrail",
        ResourceKind::Guardrail,
        "/requestParameters/guardrailIdentifier",
    ),
    ("CreatePrompt", ResourceKind::BedrockPrompt, "/responseElements/id"),
    (
        "UpdatePrompt",
        ResourceKind::BedrockPrompt,
        "/requestParameters/promptIdentifier",
    ),
    ("CreateFlow", ResourceKind::BedrockFlow, "/responseElements/id"),
    (
        "UpdateFlow",
        ResourceKind::BedrockFlow,
        "/requestParameters/flowIdentifier",
    ),
    // No call makes a custom model: its customization job does, hours
    // later. Audits (and `vigil watch --reconcile`) judge custom models.
];

/// Bedrock calls (source `aws.bedrock`) on the region's model invocation
/// logging, which has no id: a change names it by its one name.
const LOGGING_CALLS: &[&str] = &[
    "PutModelInvocationLoggingConfiguration",
    "DeleteModelInvocationLoggingConfiguration",
];

/// Bedrock Agents calls (source `aws.bedrock`) on knowledge-base data
/// sources: the call, and where the knowledge base's and the data source's
/// ids sit (the answer's for a create, the request's for an update). The
/// change names the data source `<knowledge base id>/<data source id>`.
const DATA_SOURCE_CALLS: &[(&str, &str)] = &[
    ("CreateDataSource", "/responseElements/dataSource"),
    ("UpdateDataSource", "/requestParameters"),
];

/// What a call of one of these sources names: `Ok(None)` for a call that
/// changes nothing Vigil judges, `Err` for an event that lacks the ids it
/// must carry.
pub type Named = Result<Option<(ResourceKind, String)>, String>;

/// The (kind, name) an AgentCore or Bedrock call of `source` changed, or
/// `None` for another source.
pub fn named(source: &str, call: &str, detail: &Value) -> Option<Named> {
    let text = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    match source {
        BEDROCK if BEDROCK_CALLS.iter().any(|(name, ..)| *name == call) => Some(by_id(BEDROCK_CALLS, call, detail)),
        BEDROCK if LOGGING_CALLS.contains(&call) => Some(Ok(Some((
            ResourceKind::InvocationLogging,
            vigil_core::InvocationLogging::NAME.to_owned(),
        )))),
        BEDROCK => {
            let Some((_, at)) = DATA_SOURCE_CALLS.iter().find(|(name, _)| *name == call) else {
                return Some(Ok(None));
            };
            let ids = detail
                .pointer(at)
                .map(|v| (text(v, "knowledgeBaseId"), text(v, "dataSourceId")));
            Some(match ids {
                Some((Some(base), Some(source))) => Ok(Some((
                    ResourceKind::KnowledgeBaseDataSource,
                    format!("{base}/{source}"),
                ))),
                _ => Err(format!(
                    "{call} without {}.knowledgeBaseId and .dataSourceId",
                    at_text(at)
                )),
            })
        }
        AGENTCORE => Some(by_id(AGENTCORE_CALLS, call, detail)),
        _ => None,
    }
}

/// A JSON pointer as the event's field path (`/requestParameters/agentId`:
/// `requestParameters.agentId`), for messages.
fn at_text(at: &str) -> String {
    at.trim_start_matches('/').replace('/', ".")
}

/// What `call` names when `calls` says where its one id sits; a call not
/// in `calls` changes nothing Vigil judges.
fn by_id(calls: &[(&str, ResourceKind, &str)], call: &str, detail: &Value) -> Named {
    let Some((_, kind, at)) = calls.iter().find(|(name, ..)| *name == call) else {
        return Ok(None);
    };
    match detail.pointer(at).and_then(Value::as_str) {
        Some(id) if !id.is_empty() => Ok(Some((*kind, id.to_owned()))),
        _ => Err(format!("{call} without {}", at_text(at))),
    }
}

#[cfg(test)]
mod tests {
    use super::super::event::{parse, Change, Event};
    use super::*;
    use serde_json::json;

    /// A CloudTrail API-call event from `service` (`bedrock-agentcore`:
    /// source `aws.bedrock-agentcore`, event source `bedrock-agentcore.amazonaws.com`).
    fn cloudtrail(service: &str, name: &str, request: Value, response: Value) -> String {
        json!({
            "version": "0", "id": "e-1", "detail-type": "AWS API Call via CloudTrail",
            "source": format!("aws.{service}"), "account": "111111111111", "region": "eu-west-1",
            "time": "2026-11-27T10:00:00Z", "resources": [],
            "detail": {
                "eventSource": format!("{service}.amazonaws.com"), "eventName": name,
                "awsRegion": "eu-west-1", "recipientAccountId": "222222222222",
                "requestParameters": request, "responseElements": response
            }
        })
        .to_string()
    }

    fn agentcore_call(name: &str, request: Value, response: Value) -> String {
        cloudtrail("bedrock-agentcore", name, request, response)
    }

    fn change(event: Result<Event, String>) -> Change {
        match event {
            Ok(Event::Change(c)) => c,
            other => panic!("not a change: {other:?}"),
        }
    }

    #[test]
    fn agentcore_runtime_calls_name_the_runtime_by_its_id() {
        let created = change(parse(&agentcore_call(
            "CreateAgentRuntime",
            json!({"agentRuntimeName": "support_agent"}),
            json!({"agentRuntimeId": "support_agent-a1b2c3", "status": "CREATING"}),
        )));
        assert_eq!(
            (created.kind, created.name.as_str()),
            (ResourceKind::AgentRuntime, "support_agent-a1b2c3")
        );
        let updated = change(parse(&agentcore_call(
            "UpdateAgentRuntime",
            json!({"agentRuntimeId": "support_agent-a1b2c3"}),
            json!({}),
        )));
        assert_eq!(updated.name, "support_agent-a1b2c3");
        let memory = change(parse(&agentcore_call(
            "CreateMemory",
            json!({"name": "support_memory"}),
            json!({"memory": {"id": "support_memory-x1y2", "status": "CREATING"}}),
        )));
        assert_eq!(
            (memory.kind, memory.name.as_str()),
            (ResourceKind::AgentMemory, "support_memory-x1y2")
        );
        let gateway = change(parse(&agentcore_call(
            "UpdateGateway",
            json!({"gatewayIdentifier": "tools-gateway-q9w8"}),
            json!({}),
        )));
        assert_eq!(
            (gateway.kind, gateway.name.as_str()),
            (ResourceKind::AgentGateway, "tools-gateway-q9w8")
        );
        let browser = change(parse(&agentcore_call(
            "CreateBrowser",
            json!({"name": "research_browser"}),
            json!({"browserId": "research_browser-k3j4", "status": "CREATING"}),
        )));
        assert_eq!(
            (browser.kind, browser.name.as_str()),
            (ResourceKind::AgentBrowser, "research_browser-k3j4")
        );
    }

    #[test]
    fn bedrock_data_source_calls_name_the_knowledge_base_and_the_source() {
        let bedrock = |name: &str, request: Value, response: Value| cloudtrail("bedrock", name, request, response);
        let created = change(parse(&bedrock(
            "CreateDataSource",
            json!({"knowledgeBaseId": "KB12345678", "name": "manuals-s3"}),
            json!({"dataSource": {"knowledgeBaseId": "KB12345678", "dataSourceId": "DS87654321"}}),
        )));
        assert_eq!(
            (created.kind, created.name.as_str()),
            (ResourceKind::KnowledgeBaseDataSource, "KB12345678/DS87654321")
        );
        let updated = change(parse(&bedrock(
            "UpdateDataSource",
            json!({"knowledgeBaseId": "KB12345678", "dataSourceId": "DS87654321"}),
            json!({}),
        )));
        assert_eq!(updated.name, "KB12345678/DS87654321");
        assert!(parse(&bedrock("CreateDataSource", json!({}), json!({}))).is_err());
        assert!(matches!(
            parse(&bedrock("InvokeModel", json!({}), json!({}))),
            Ok(Event::Ignored(_))
        ));
        assert_eq!(
            parse(&agentcore_call("CreateAgentRuntime", json!({}), json!({}))),
            Err("CreateAgentRuntime without responseElements.agentRuntimeId".to_owned())
        );
        // A SageMaker call name from AgentCore's source is not SageMaker's.
        assert!(matches!(
            parse(&agentcore_call("CreateModel", json!({"modelName": "m"}), json!({}))),
            Ok(Event::Ignored(_))
        ));
    }

    #[test]
    fn bedrock_agent_calls_name_the_agent_by_its_id() {
        let bedrock = |name: &str, request: Value, response: Value| cloudtrail("bedrock", name, request, response);
        let created = change(parse(&bedrock(
            "CreateAgent",
            json!({"agentName": "support-agent"}),
            json!({"agent": {"agentId": "AGENT12345", "agentName": "support-agent"}}),
        )));
        assert_eq!(
            (created.kind, created.name.as_str()),
            (ResourceKind::BedrockAgent, "AGENT12345")
        );
        let updated = change(parse(&bedrock(
            "UpdateAgent",
            json!({"agentId": "AGENT12345"}),
            json!({}),
        )));
        assert_eq!(
            (updated.kind, updated.name.as_str()),
            (ResourceKind::BedrockAgent, "AGENT12345")
        );
        assert_eq!(
            parse(&bedrock("UpdateAgent", json!({}), json!({}))),
            Err("UpdateAgent without requestParameters.agentId".to_owned())
        );
    }

    #[test]
    fn bedrock_guardrail_calls_name_the_guardrail_by_its_id() {
        let bedrock = |name: &str, request: Value, response: Value| cloudtrail("bedrock", name, request, response);
        let created = change(parse(&bedrock(
            "CreateGuardrail",
            json!({"name": "support-guardrail"}),
            json!({"guardrailId": "a1b2c3d4e5f6", "version": "DRAFT"}),
        )));
        assert_eq!(
            (created.kind, created.name.as_str()),
            (ResourceKind::Guardrail, "a1b2c3d4e5f6")
        );
        let updated = change(parse(&bedrock(
            "UpdateGuardrail",
            json!({"guardrailIdentifier": "a1b2c3d4e5f6"}),
            json!({}),
        )));
        assert_eq!(updated.name, "a1b2c3d4e5f6");
    }

    #[test]
    fn bedrock_prompt_and_flow_calls_name_them_and_customization_jobs_name_nothing() {
        let bedrock = |name: &str, request: Value, response: Value| cloudtrail("bedrock", name, request, response);
        let created = change(parse(&bedrock(
            "CreatePrompt",
            json!({"name": "support-prompt"}),
            json!({"id": "PROMPT1234", "version": "DRAFT"}),
        )));
        assert_eq!(
            (created.kind, created.name.as_str()),
            (ResourceKind::BedrockPrompt, "PROMPT1234")
        );
        let updated = change(parse(&bedrock(
            "UpdatePrompt",
            json!({"promptIdentifier": "PROMPT1234"}),
            json!({}),
        )));
        assert_eq!(updated.name, "PROMPT1234");
        let flow = change(parse(&bedrock(
            "UpdateFlow",
            json!({"flowIdentifier": "FLOW123456"}),
            json!({}),
        )));
        assert_eq!(
            (flow.kind, flow.name.as_str()),
            (ResourceKind::BedrockFlow, "FLOW123456")
        );
        // The model a job makes exists only when the job completes.
        assert!(matches!(
            parse(&bedrock(
                "CreateModelCustomizationJob",
                json!({"customModelName": "m"}),
                json!({})
            )),
            Ok(Event::Ignored(_))
        ));
    }

    #[test]
    fn logging_calls_name_the_region_s_one_configuration() {
        let bedrock = |name: &str| cloudtrail("bedrock", name, json!(null), json!(null));
        for call in [
            "PutModelInvocationLoggingConfiguration",
            "DeleteModelInvocationLoggingConfiguration",
        ] {
            let changed = change(parse(&bedrock(call)));
            assert_eq!(
                (changed.kind, changed.name.as_str()),
                (ResourceKind::InvocationLogging, "model-invocation-logging"),
                "{call}"
            );
        }
    }
}
