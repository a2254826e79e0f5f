//! The articles of the Bedrock AgentCore rules, run as written.

use super::*;

#[test]
fn agentcore_runtime_vpc() {
    let scene = format!(
        r#"aws bedrock-agentcore-control create-agent-runtime --agent-runtime-name support_agent \
  --agent-runtime-artifact '{{"containerConfiguration": {{"containerUri": "123456789012.dkr.ecr.{REGION}.amazonaws.com/support-agent:1.0"}}}}' \
  --role-arn {ROLE} --network-configuration networkMode=PUBLIC"#
    );
    check(Case {
        rule: "agentcore-runtime-vpc",
        scene,
        audit_shows: &[" PUBLIC"],
        after: &[("support_agent", Some("pass"))],
        then: None,
    });
}
