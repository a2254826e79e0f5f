//! Amazon Bedrock guardrails: every `ListGuardrails` page (paged in its
//! query), then one `GetGuardrail` per guardrail, its working draft
//! (`rest_kinds::collect` does both, and says once when a region has no
//! Bedrock). The draft is what the next version will be made from, and
//! what applications that name no version use.

use crate::rest::{Listing, Paging};
use crate::rest_kinds::KindReads;
use serde_json::Value;
use vigil_core::{Fact, Guardrail, GuardrailFilter, Identity, Resource, ResourceKind};

pub(crate) static READS: KindReads = KindReads {
    kind: ResourceKind::Guardrail,
    plane: &crate::bedrock::CONTROL,
    listing: Listing {
        method: "GET",
        path: "/guardrails",
        field: "guardrails",
        paging: Paging::Query,
    },
    list_operation: "bedrock:ListGuardrails",
    get_operation: "bedrock:GetGuardrail",
    get_path: |id| format!("/guardrails/{id}"),
    summary: |s| {
        let text = |field: &str| s[field].as_str().unwrap_or_default().to_owned();
        (text("id"), text("name"), s["arn"].as_str().map(str::to_owned))
    },
    read: |name, arn, answer| Resource::Guardrail(from_answer(name, arn, answer)),
    unreadable: |identity, why| Resource::Guardrail(Guardrail::unreadable(identity, why)),
    window: None,
};

/// Maps a `GetGuardrail` answer.
pub fn from_answer(name: String, arn: Option<String>, answer: &Value) -> Guardrail {
    let text = |value: &Value| value.as_str().filter(|t| !t.is_empty()).map(str::to_owned);
    let list = |value: &Value| value.as_array().cloned().unwrap_or_default();
    let filters = |filters: &Value, setting: &str| {
        let read = |filter: &Value| GuardrailFilter {
            kind: Fact::Known(text(&filter["type"])),
            setting: Fact::Known(match &filter[setting] {
                Value::Number(n) => Some(n.to_string()),
                other => text(other),
            }),
        };
        Fact::Known(list(filters).iter().map(read).collect())
    };
    let policy = &answer["sensitiveInformationPolicy"];
    let actions = list(&policy["piiEntities"])
        .iter()
        .chain(list(&policy["regexes"]).iter())
        .map(|filter| Fact::Known(text(&filter["action"])))
        .collect();
    Guardrail {
        identity: Identity::from_arn(
            text(&answer["name"]).unwrap_or(name),
            text(&answer["guardrailArn"]).or(arn),
        ),
        content_filters: filters(&answer["contentPolicy"]["filters"], "inputStrength"),
        sensitive_actions: Fact::Known(actions),
        grounding_filters: filters(&answer["contextualGroundingPolicy"]["filters"], "threshold"),
        kms_key_arn: Fact::Known(text(&answer["kmsKeyArn"])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_the_guardrail_s_filters_and_key() {
        let answer = serde_json::json!({
            "name": "support-guardrail", "guardrailId": "a1b2c3d4e5f6",
            "guardrailArn": "arn:aws:bedrock:eu-west-1:123456789012:guardrail/a1b2c3d4e5f6",
            "contentPolicy": {"filters": [{"type": "PROMPT_ATTACK", "inputStrength": "HIGH", "outputStrength": "NONE"}]},
            "sensitiveInformationPolicy": {"piiEntities": [{"type": "EMAIL", "action": "NONE"}],
                                           "regexes": [{"name": "id", "pattern": "x", "action": "BLOCK"}]},
            "contextualGroundingPolicy": {"filters": [{"type": "GROUNDING", "threshold": 0.7}]},
            "kmsKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/k"
        });
        let guardrail = from_answer("a1b2c3d4e5f6".into(), None, &answer);
        assert_eq!(guardrail.identity.name, "support-guardrail");
        assert_eq!(guardrail.identity.account.as_deref(), Some("123456789012"));
        let filter = |kind: &str, setting: &str| GuardrailFilter {
            kind: Fact::Known(Some(kind.into())),
            setting: Fact::Known(Some(setting.into())),
        };
        assert_eq!(
            guardrail.content_filters,
            Fact::Known(vec![filter("PROMPT_ATTACK", "HIGH")])
        );
        assert_eq!(
            guardrail.sensitive_actions,
            Fact::Known(vec![
                Fact::Known(Some("NONE".into())),
                Fact::Known(Some("BLOCK".into()))
            ])
        );
        assert_eq!(
            guardrail.grounding_filters,
            Fact::Known(vec![filter("GROUNDING", "0.7")])
        );
        assert_eq!(
            guardrail.kms_key_arn,
            Fact::Known(Some("arn:aws:kms:eu-west-1:123456789012:key/k".into()))
        );
        let bare = from_answer("g".into(), None, &serde_json::json!({"name": "g"}));
        assert_eq!(bare.content_filters, Fact::Known(Vec::new()));
        assert_eq!(bare.sensitive_actions, Fact::Known(Vec::new()));
        assert_eq!(bare.kms_key_arn, Fact::Known(None));
    }
}
