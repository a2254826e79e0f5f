//! Bedrock AgentCore custom browsers: every `ListBrowsers` page of type
//! `CUSTOM` (AWS's own system browser cannot be configured), then one
//! `GetBrowser` per browser (`rest_kinds::collect` does both).

use crate::rest::{Listing, Paging};
use crate::rest_kinds::KindReads;
use serde_json::Value;
use vigil_core::{AgentBrowser, Fact, Identity, Resource, ResourceKind};

pub(crate) static READS: KindReads = KindReads {
    kind: ResourceKind::AgentBrowser,
    plane: &crate::agentcore::CONTROL,
    listing: Listing {
        method: "POST",
        path: "/browsers?type=CUSTOM",
        field: "browserSummaries",
        paging: Paging::Query,
    },
    list_operation: "bedrock-agentcore:ListBrowsers",
    get_operation: "bedrock-agentcore:GetBrowser",
    get_path: |id| format!("/browsers/{id}"),
    summary: |s| {
        let text = |field: &str| s[field].as_str().unwrap_or_default().to_owned();
        let id = text("browserId");
        let name = s["name"].as_str().map_or_else(|| id.clone(), str::to_owned);
        (id, name, s["browserArn"].as_str().map(str::to_owned))
    },
    read: |name, _, answer| Resource::AgentBrowser(from_answer(name, answer)),
    unreadable: |identity, why| Resource::AgentBrowser(AgentBrowser::unreadable(identity, why)),
    window: None,
};

/// Maps a `GetBrowser` answer.
pub fn from_answer(name: String, answer: &Value) -> AgentBrowser {
    let text = |value: &Value| value.as_str().filter(|v| !v.is_empty()).map(str::to_owned);
    let recording = &answer["recording"];
    AgentBrowser {
        identity: Identity::from_arn(
            answer["name"].as_str().map_or(name, str::to_owned),
            text(&answer["browserArn"]),
        ),
        network_mode: Fact::Known(text(&answer["networkConfiguration"]["networkMode"])),
        recording_enabled: Fact::Known(recording["enabled"].as_bool().unwrap_or(false)),
        recording_bucket: Fact::Known(text(&recording["s3Location"]["bucket"])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_the_network_mode_and_the_recording() {
        let answer = serde_json::json!({
            "name": "research_browser",
            "browserArn": "arn:aws:bedrock-agentcore:eu-west-1:123456789012:browser-custom/research_browser-abc",
            "networkConfiguration": {"networkMode": "VPC"},
            "recording": {"enabled": true, "s3Location": {"bucket": "acme-recordings", "prefix": "r/"}}
        });
        let browser = from_answer("listed".into(), &answer);
        assert_eq!(browser.network_mode, Fact::Known(Some("VPC".into())));
        assert_eq!(browser.recording_enabled, Fact::Known(true));
        assert_eq!(browser.recording_bucket, Fact::Known(Some("acme-recordings".into())));
        let bare = from_answer(
            "listed".into(),
            &serde_json::json!({"networkConfiguration": {"networkMode": "PUBLIC"}}),
        );
        assert_eq!(bare.recording_enabled, Fact::Known(false));
        assert_eq!(bare.recording_bucket, Fact::Known(None));
    }
}
