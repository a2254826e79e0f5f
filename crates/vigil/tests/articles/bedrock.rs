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

/// A guardrail as the guardrail articles assume it: `support-guardrail`,
/// with a hate filter and a denied topic each fix must carry over, and
/// `extra` (the policy the article fixes).
fn guardrail(extra: &str) -> String {
    format!(
        r#"aws bedrock create-guardrail --name support-guardrail \
  --blocked-input-messaging 'Sorry.' --blocked-outputs-messaging 'Sorry.' \
  --topic-policy-config 'topicsConfig=[{{name=investment,definition=Investment advice,type=DENY}}]' {extra}"#
    )
}

/// The guardrail kept its denied topic through the fix's update.
fn topic_kept() -> Option<String> {
    Some("aws bedrock get-guardrail --guardrail-identifier \"$(aws bedrock list-guardrails --query 'guardrails[0].id' --output text)\" --query 'topicPolicy.topics[0].name' --output text | grep -qx investment".into())
}

#[test]
fn bedrock_guardrail_prompt_attack() {
    check(Case {
        rule: "bedrock-guardrail-prompt-attack",
        scene: guardrail(
            "--content-policy-config 'filtersConfig=[{type=HATE,inputStrength=HIGH,outputStrength=HIGH},{type=PROMPT_ATTACK,inputStrength=LOW,outputStrength=NONE}]'",
        ),
        audit_shows: &["support-guardrail\tLOW"],
        after: &[("support-guardrail", Some("pass"))],
        // The hate filter is still there beside the new prompt-attack one.
        then: Some(format!("{} && aws bedrock get-guardrail --guardrail-identifier \"$(aws bedrock list-guardrails --query 'guardrails[0].id' --output text)\" --query \"contentPolicy.filters[?type=='HATE'].inputStrength\" --output text | grep -qx HIGH", topic_kept().unwrap())),
    });
}

#[test]
fn bedrock_guardrail_sensitive_information() {
    check(Case {
        rule: "bedrock-guardrail-sensitive-information",
        scene: guardrail("--sensitive-information-policy-config 'piiEntitiesConfig=[{type=EMAIL,action=NONE}]'"),
        audit_shows: &["support-guardrail\tNONE"],
        after: &[("support-guardrail", Some("pass"))],
        then: topic_kept(),
    });
}

#[test]
fn bedrock_guardrail_contextual_grounding() {
    check(Case {
        rule: "bedrock-guardrail-contextual-grounding",
        scene: guardrail(""),
        audit_shows: &["support-guardrail\tnone"],
        after: &[("support-guardrail", Some("pass"))],
        then: topic_kept(),
    });
}

#[test]
fn bedrock_guardrail_kms() {
    check(Case {
        rule: "bedrock-guardrail-kms",
        scene: guardrail(""),
        audit_shows: &["support-guardrail\tNone"],
        after: &[("support-guardrail", Some("pass"))],
        then: topic_kept(),
    });
}
