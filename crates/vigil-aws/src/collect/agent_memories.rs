//! Bedrock AgentCore memories: every `ListMemories` page (paged in its
//! body), then one `GetMemory` per memory (`rest_kinds::collect` does both).

use crate::rest::{Listing, Paging};
use crate::rest_kinds::KindReads;
use serde_json::Value;
use vigil_core::{AgentMemory, Fact, Identity, Resource, ResourceKind};

pub(crate) static READS: KindReads = KindReads {
    kind: ResourceKind::AgentMemory,
    plane: &crate::agentcore::CONTROL,
    listing: Listing {
        method: "POST",
        path: "/memories/",
        field: "memories",
        paging: Paging::Body,
    },
    list_operation: "bedrock-agentcore:ListMemories",
    get_operation: "bedrock-agentcore:GetMemory",
    get_path: |id| format!("/memories/{id}/details"),
    // The listing names no memory: it is named by its id until described.
    summary: |s| {
        let id = s["id"].as_str().unwrap_or_default().to_owned();
        (id.clone(), id, s["arn"].as_str().map(str::to_owned))
    },
    read: |name, _, answer| Resource::AgentMemory(from_answer(name, answer)),
    unreadable: |identity, why| Resource::AgentMemory(AgentMemory::unreadable(identity, why)),
    window: None,
};

/// Maps a `GetMemory` answer (its `memory` object).
pub fn from_answer(name: String, answer: &Value) -> AgentMemory {
    let memory = &answer["memory"];
    AgentMemory {
        identity: Identity::from_arn(
            memory["name"].as_str().map_or(name, str::to_owned),
            memory["arn"].as_str().map(str::to_owned),
        ),
        encryption_key_arn: Fact::Known(
            memory["encryptionKeyArn"]
                .as_str()
                .filter(|k| !k.is_empty())
                .map(str::to_owned),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_the_memory_s_name_and_key() {
        let answer = serde_json::json!({"memory": {
            "id": "support_memory-abc", "name": "support_memory",
            "arn": "arn:aws:bedrock-agentcore:eu-west-1:123456789012:memory/support_memory-abc",
            "encryptionKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/k"
        }});
        let memory = from_answer("support_memory-abc".into(), &answer);
        assert_eq!(memory.identity.name, "support_memory");
        assert_eq!(memory.identity.account.as_deref(), Some("123456789012"));
        assert_eq!(
            memory.encryption_key_arn,
            Fact::Known(Some("arn:aws:kms:eu-west-1:123456789012:key/k".into()))
        );
    }
}
