//! Bedrock AgentCore gateways: every `ListGateways` page, then one
//! `GetGateway` per gateway (`rest_kinds::collect` does both).

use crate::rest::{Listing, Paging};
use crate::rest_kinds::KindReads;
use serde_json::Value;
use vigil_core::{AgentGateway, Fact, Identity, Resource, ResourceKind};

pub(crate) static READS: KindReads = KindReads {
    kind: ResourceKind::AgentGateway,
    plane: &crate::agentcore::CONTROL,
    listing: Listing {
        method: "GET",
        path: "/gateways/",
        field: "items",
        paging: Paging::Query,
    },
    list_operation: "bedrock-agentcore:ListGateways",
    get_operation: "bedrock-agentcore:GetGateway",
    get_path: |id| format!("/gateways/{id}/"),
    summary: |s| {
        let text = |field: &str| s[field].as_str().unwrap_or_default().to_owned();
        (text("gatewayId"), text("name"), None)
    },
    read: |name, _, answer| Resource::AgentGateway(from_answer(name, answer)),
    unreadable: |identity, why| Resource::AgentGateway(AgentGateway::unreadable(identity, why)),
    window: None,
};

/// Maps a `GetGateway` answer.
pub fn from_answer(name: String, answer: &Value) -> AgentGateway {
    let text = |field: &str| Fact::Known(answer[field].as_str().filter(|v| !v.is_empty()).map(str::to_owned));
    AgentGateway {
        identity: Identity::from_arn(
            answer["name"].as_str().map_or(name, str::to_owned),
            answer["gatewayArn"].as_str().map(str::to_owned),
        ),
        authorizer_type: text("authorizerType"),
        kms_key_arn: text("kmsKeyArn"),
        exception_level: text("exceptionLevel"),
        policy_engine_mode: Fact::Known(
            answer["policyEngineConfiguration"]["mode"]
                .as_str()
                .filter(|m| !m.is_empty())
                .map(str::to_owned),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_the_authorizer_key_and_exception_level() {
        let answer = serde_json::json!({
            "name": "tools-gateway",
            "gatewayArn": "arn:aws:bedrock-agentcore:eu-west-1:123456789012:gateway/tools-gateway-abc",
            "authorizerType": "NONE",
            "exceptionLevel": "DEBUG"
        });
        let gateway = from_answer("listed".into(), &answer);
        assert_eq!(gateway.identity.name, "tools-gateway");
        assert_eq!(gateway.authorizer_type, Fact::Known(Some("NONE".into())));
        assert_eq!(gateway.kms_key_arn, Fact::Known(None));
        assert_eq!(gateway.exception_level, Fact::Known(Some("DEBUG".into())));
    }
}
