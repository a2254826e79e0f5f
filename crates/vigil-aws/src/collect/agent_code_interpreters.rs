//! Bedrock AgentCore custom code interpreters: every `ListCodeInterpreters`
//! page of type `CUSTOM` (AWS's own system interpreter cannot be
//! configured), then one `GetCodeInterpreter` each (`rest_kinds::collect`).

use crate::rest::{Listing, Paging};
use crate::rest_kinds::KindReads;
use serde_json::Value;
use vigil_core::{AgentCodeInterpreter, Fact, Identity, Resource, ResourceKind};

pub(crate) static READS: KindReads = KindReads {
    kind: ResourceKind::AgentCodeInterpreter,
    plane: &crate::agentcore::CONTROL,
    listing: Listing {
        method: "POST",
        path: "/code-interpreters?type=CUSTOM",
        field: "codeInterpreterSummaries",
        paging: Paging::Query,
    },
    list_operation: "bedrock-agentcore:ListCodeInterpreters",
    get_operation: "bedrock-agentcore:GetCodeInterpreter",
    get_path: |id| format!("/code-interpreters/{id}"),
    summary: |s| {
        let text = |field: &str| s[field].as_str().unwrap_or_default().to_owned();
        let id = text("codeInterpreterId");
        let name = s["name"].as_str().map_or_else(|| id.clone(), str::to_owned);
        (id, name, s["codeInterpreterArn"].as_str().map(str::to_owned))
    },
    read: |name, _, answer| Resource::AgentCodeInterpreter(from_answer(name, answer)),
    unreadable: |identity, why| Resource::AgentCodeInterpreter(AgentCodeInterpreter::unreadable(identity, why)),
    window: None,
};

/// Maps a `GetCodeInterpreter` answer.
pub fn from_answer(name: String, answer: &Value) -> AgentCodeInterpreter {
    AgentCodeInterpreter {
        identity: Identity::from_arn(
            answer["name"].as_str().map_or(name, str::to_owned),
            answer["codeInterpreterArn"].as_str().map(str::to_owned),
        ),
        network_mode: Fact::Known(
            answer["networkConfiguration"]["networkMode"]
                .as_str()
                .map(str::to_owned),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_the_interpreter_s_network_mode() {
        let answer = serde_json::json!({"name": "analysis", "networkConfiguration": {"networkMode": "SANDBOX"}});
        let interpreter = from_answer("listed".into(), &answer);
        assert_eq!(interpreter.identity.name, "analysis");
        assert_eq!(interpreter.network_mode, Fact::Known(Some("SANDBOX".into())));
    }
}
