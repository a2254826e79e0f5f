//! `AWS::BedrockAgentCore::BrowserCustom` and `aws_bedrockagentcore_browser`.

use super::{CfnType, Declared, Kind, TfType};
use vigil_core::model::{AgentBrowser, Identity};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::AgentBrowser,
    cloudformation: &[CfnType::named("AWS::BedrockAgentCore::BrowserCustom")],
    terraform: &[TfType {
        name: "aws_bedrockagentcore_browser",
        reported_as: "AWS::BedrockAgentCore::BrowserCustom",
    }],
    properties: &[
        AgentBrowser::NETWORK_MODE,
        AgentBrowser::RECORDING_ENABLED,
        AgentBrowser::RECORDING_BUCKET,
    ],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    Resource::AgentBrowser(AgentBrowser {
        identity: Identity::declared(declared.name(&AgentBrowser::NAME)),
        network_mode: declared.text(&AgentBrowser::NETWORK_MODE),
        recording_enabled: declared.flag(&AgentBrowser::RECORDING_ENABLED),
        // A bucket chosen at deployment (a reference, a parameter) is still a bucket.
        recording_bucket: Fact::Known(declared.written(&AgentBrowser::RECORDING_BUCKET)),
    })
}
