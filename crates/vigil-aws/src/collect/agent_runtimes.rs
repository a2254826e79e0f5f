//! Bedrock AgentCore agent runtimes: every `ListAgentRuntimes` page, then
//! one `GetAgentRuntime` per runtime. A region where AgentCore is not
//! offered gives a note, never an error or a page of unknowns.

use super::{describe_each, Limits};
use crate::agentcore;
use crate::calls::CallCounter;
use crate::progress::Progress;
use crate::query::Refused;
use aws_config::SdkConfig;
use serde_json::Value;
use std::sync::Arc;
use vigil_core::report::ErrorScope;
use vigil_core::{AgentRuntime, Fact, Identity, Resource, RunError};

const LIST: &str = "bedrock-agentcore:ListAgentRuntimes";
pub(crate) const GET: &str = "bedrock-agentcore:GetAgentRuntime";

/// What one region holds: its runtimes, a listing error, or the note that
/// AgentCore is not offered there.
pub struct Found {
    pub resources: Vec<Resource>,
    pub error: Option<RunError>,
    pub note: Option<String>,
}

pub async fn collect(
    config: &SdkConfig,
    region: &str,
    counter: &CallCounter,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> Found {
    let listed = match agentcore::list(config, region, ("POST", "/runtimes/", "agentRuntimes"), counter, LIST).await {
        Ok(listed) => listed,
        Err(refused) if agentcore::is_not_offered(region, &refused) => {
            return Found {
                resources: Vec::new(),
                error: None,
                note: Some(agentcore::not_offered_note(region)),
            }
        }
        Err(refused) => {
            return Found {
                resources: Vec::new(),
                error: Some(RunError::in_region(
                    ErrorScope::Region,
                    Some(region.to_owned()),
                    Some(LIST.into()),
                    agentcore::reason(LIST, &refused),
                )),
                note: None,
            }
        }
    };
    let summaries: Vec<(String, String, Option<String>)> = listed
        .iter()
        .map(|s| {
            let text = |field: &str| s[field].as_str().unwrap_or_default().to_owned();
            let arn = s["agentRuntimeArn"].as_str().map(str::to_owned);
            (text("agentRuntimeId"), text("agentRuntimeName"), arn)
        })
        .collect();
    let resources = describe_each(summaries, limits, progress, |(id, name, arn)| {
        let (config, region, counter) = (config.clone(), region.to_owned(), counter.clone());
        async move {
            let runtime = match describe(&config, &region, &id, &counter).await {
                Ok(answer) => from_answer(name, &answer),
                Err(refused) => {
                    AgentRuntime::unreadable(Identity::from_arn(name, arn), &agentcore::reason(GET, &refused))
                }
            };
            Resource::AgentRuntime(runtime)
        }
    })
    .await;
    Found {
        resources,
        error: None,
        note: None,
    }
}

/// `GetAgentRuntime` of the runtime with this id.
pub(crate) async fn describe(
    config: &SdkConfig,
    region: &str,
    id: &str,
    counter: &CallCounter,
) -> Result<Value, Refused> {
    agentcore::call(config, region, ("GET", &format!("/runtimes/{id}/")), counter, GET).await
}

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
