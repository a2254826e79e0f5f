//! Bedrock AgentCore agent runtimes: every `ListAgentRuntimes` page, then
//! one `GetAgentRuntime` per runtime (`rest_kinds::collect` does both, and
//! says once when a region has no AgentCore).

use crate::rest::{Listing, Paging};
use crate::rest_kinds::KindReads;
use serde_json::Value;
use vigil_core::{AgentRuntime, Fact, Identity, Resource, ResourceKind};

pub(crate) static READS: KindReads = KindReads {
    kind: ResourceKind::AgentRuntime,
    plane: &crate::agentcore::CONTROL,
    listing: Listing {
        method: "POST",
        path: "/runtimes/",
        field: "agentRuntimes",
        paging: Paging::Query,
    },
    list_operation: "bedrock-agentcore:ListAgentRuntimes",
    get_operation: "bedrock-agentcore:GetAgentRuntime",
    get_path: |id| format!("/runtimes/{id}/"),
    summary: |s| {
        let text = |field: &str| s[field].as_str().unwrap_or_default().to_owned();
        let arn = s["agentRuntimeArn"].as_str().map(str::to_owned);
        (text("agentRuntimeId"), text("agentRuntimeName"), arn)
    },
    read: |name, _, answer| Resource::AgentRuntime(from_answer(name, answer)),
    unreadable: |identity, why| Resource::AgentRuntime(AgentRuntime::unreadable(identity, why)),
    window: None,
};

/// Maps a `GetAgentRuntime` answer.
pub fn from_answer(name: String, answer: &Value) -> AgentRuntime {
    let name = answer["agentRuntimeName"].as_str().map_or(name, str::to_owned);
    AgentRuntime {
        identity: Identity::from_arn(name, answer["agentRuntimeArn"].as_str().map(str::to_owned)),
        network_mode: Fact::Known(
            answer["networkConfiguration"]["networkMode"]
                .as_str()
                .map(str::to_owned),
        ),
        jwt_authorizer: Fact::Known(answer["authorizerConfiguration"]["customJWTAuthorizer"].is_object()),
        forwarded_headers: Fact::Known(
            answer["requestHeaderConfiguration"]["requestHeaderAllowlist"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|h| h.as_str().map(str::to_owned))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_the_runtime_s_network_mode_and_place() {
        let answer = serde_json::json!({
            "agentRuntimeName": "support_agent",
            "agentRuntimeArn": "arn:aws:bedrock-agentcore:eu-west-1:123456789012:runtime/support_agent-abc",
            "networkConfiguration": {"networkMode": "PUBLIC"}
        });
        let runtime = from_answer("listed".into(), &answer);
        assert_eq!(runtime.identity.name, "support_agent");
        assert_eq!(runtime.identity.region.as_deref(), Some("eu-west-1"));
        assert_eq!(runtime.network_mode, Fact::Known(Some("PUBLIC".into())));
        let bare = from_answer("listed".into(), &serde_json::json!({}));
        assert_eq!(bare.identity.name, "listed");
        assert_eq!(bare.network_mode, Fact::Known(None));
    }
}
