//! Amazon Bedrock agents: every `ListAgents` page (paged in its body), then
//! one `GetAgent` per agent (`rest_kinds::collect` does both, and says once
//! when a region has no Bedrock Agents).

use crate::rest::{Listing, Paging};
use crate::rest_kinds::KindReads;
use serde_json::Value;
use vigil_core::{BedrockAgent, Fact, Identity, Resource, ResourceKind};

pub(crate) static READS: KindReads = KindReads {
    kind: ResourceKind::BedrockAgent,
    plane: &crate::bedrock::AGENTS,
    listing: Listing {
        method: "POST",
        path: "/agents/",
        field: "agentSummaries",
        paging: Paging::Body,
    },
    list_operation: "bedrock:ListAgents",
    get_operation: "bedrock:GetAgent",
    get_path: |id| format!("/agents/{id}/"),
    summary: |s| {
        let text = |field: &str| s[field].as_str().unwrap_or_default().to_owned();
        (text("agentId"), text("agentName"), None)
    },
    read: |name, _, answer| Resource::BedrockAgent(from_answer(name, answer)),
    unreadable: |identity, why| Resource::BedrockAgent(BedrockAgent::unreadable(identity, why)),
    window: None,
};

/// Maps a `GetAgent` answer (its `agent` object).
pub fn from_answer(name: String, answer: &Value) -> BedrockAgent {
    let agent = &answer["agent"];
    let text = |value: &Value| value.as_str().filter(|t| !t.is_empty()).map(str::to_owned);
    BedrockAgent {
        identity: Identity::from_arn(text(&agent["agentName"]).unwrap_or(name), text(&agent["agentArn"])),
        guardrail: Fact::Known(text(&agent["guardrailConfiguration"]["guardrailIdentifier"])),
        kms_key_arn: Fact::Known(text(&agent["customerEncryptionKeyArn"])),
        role_arn: Fact::Known(text(&agent["agentResourceRoleArn"])),
        role_policies: Fact::unknown(BedrockAgent::POLICIES_NOT_READ),
        role_shared_with: Fact::unknown(BedrockAgent::SHARING_NOT_READ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_the_agent_s_name_guardrail_and_key() {
        let answer = serde_json::json!({"agent": {
            "agentId": "AGENT12345", "agentName": "support-agent",
            "agentArn": "arn:aws:bedrock:eu-west-1:123456789012:agent/AGENT12345",
            "guardrailConfiguration": {"guardrailIdentifier": "gr-1", "guardrailVersion": "1"},
            "customerEncryptionKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/k"
        }});
        let agent = from_answer("AGENT12345".into(), &answer);
        assert_eq!(agent.identity.name, "support-agent");
        assert_eq!(agent.identity.account.as_deref(), Some("123456789012"));
        assert_eq!(agent.guardrail, Fact::Known(Some("gr-1".into())));
        assert_eq!(agent.role_arn, Fact::Known(None));
        assert_eq!(
            agent.kms_key_arn,
            Fact::Known(Some("arn:aws:kms:eu-west-1:123456789012:key/k".into()))
        );
        let bare = from_answer("AGENT1".into(), &serde_json::json!({"agent": {"agentId": "AGENT1"}}));
        assert_eq!(bare.identity.name, "AGENT1");
        assert_eq!(
            (bare.guardrail, bare.kms_key_arn),
            (Fact::Known(None), Fact::Known(None))
        );
    }
}
