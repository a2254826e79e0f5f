//! Amazon Bedrock prompts (Prompt management): every `ListPrompts` page
//! (paged in its query), then one `GetPrompt` per prompt, its draft
//! (`rest_kinds::collect` does both, and says once when a region has no
//! Bedrock Agents).

use crate::rest::{Listing, Paging};
use crate::rest_kinds::KindReads;
use serde_json::Value;
use vigil_core::{BedrockPrompt, Fact, Identity, Resource, ResourceKind};

pub(crate) static READS: KindReads = KindReads {
    kind: ResourceKind::BedrockPrompt,
    plane: &crate::bedrock::AGENTS,
    listing: Listing {
        method: "GET",
        path: "/prompts/",
        field: "promptSummaries",
        paging: Paging::Query,
    },
    list_operation: "bedrock:ListPrompts",
    get_operation: "bedrock:GetPrompt",
    get_path: |id| format!("/prompts/{id}/"),
    summary: |s| {
        let text = |field: &str| s[field].as_str().unwrap_or_default().to_owned();
        (text("id"), text("name"), s["arn"].as_str().map(str::to_owned))
    },
    read: |name, arn, answer| Resource::BedrockPrompt(from_answer(name, arn, answer)),
    unreadable: |identity, why| Resource::BedrockPrompt(BedrockPrompt::unreadable(identity, why)),
    window: None,
};

/// Maps a `GetPrompt` answer.
pub fn from_answer(name: String, arn: Option<String>, answer: &Value) -> BedrockPrompt {
    let text = |value: &Value| value.as_str().filter(|t| !t.is_empty()).map(str::to_owned);
    BedrockPrompt {
        identity: Identity::from_arn(text(&answer["name"]).unwrap_or(name), text(&answer["arn"]).or(arn)),
        kms_key_arn: Fact::Known(text(&answer["customerEncryptionKeyArn"])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_the_prompt_s_name_and_key() {
        let answer = serde_json::json!({
            "id": "PROMPT1234", "name": "support-prompt", "version": "DRAFT",
            "arn": "arn:aws:bedrock:eu-west-1:123456789012:prompt/PROMPT1234",
            "customerEncryptionKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/k"
        });
        let prompt = from_answer("PROMPT1234".into(), None, &answer);
        assert_eq!(prompt.identity.name, "support-prompt");
        assert_eq!(prompt.identity.account.as_deref(), Some("123456789012"));
        assert_eq!(
            prompt.kms_key_arn,
            Fact::Known(Some("arn:aws:kms:eu-west-1:123456789012:key/k".into()))
        );
        let bare = from_answer("p".into(), None, &serde_json::json!({"name": "p"}));
        assert_eq!(bare.kms_key_arn, Fact::Known(None));
    }
}
