//! The articles of the Amazon Bedrock agent rules, run as written.

use super::*;

/// An agent as the agent articles assume it: `support-agent`, with an
/// instruction each fix must carry over.
fn agent() -> String {
    format!(
        r#"aws bedrock-agent create-agent --agent-name support-agent --agent-resource-role-arn {ROLE} \
  --foundation-model anthropic.claude-3-5-sonnet-20240620-v1:0 --instruction 'Answer the support questions of our customers politely.'"#
    )
}

/// The agent kept its instruction through the fix's update.
fn instruction_kept() -> Option<String> {
    Some("aws bedrock-agent get-agent --agent-id \"$(aws bedrock-agent list-agents --query 'agentSummaries[0].agentId' --output text)\" --query agent.instruction --output text | grep -qx 'Answer the support questions of our customers politely.'".into())
}

#[test]
fn bedrock_agent_guardrail() {
    check(Case {
        rule: "bedrock-agent-guardrail",
        scene: agent(),
        audit_shows: &["support-agent\tNone"],
        after: &[("support-agent", Some("pass"))],
        then: instruction_kept(),
    });
}

#[test]
fn bedrock_agent_kms() {
    check(Case {
        rule: "bedrock-agent-kms",
        scene: agent(),
        audit_shows: &["support-agent\tNone"],
        after: &[("support-agent", Some("pass"))],
        then: instruction_kept(),
    });
}
