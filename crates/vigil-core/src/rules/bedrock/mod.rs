//! Amazon Bedrock (beyond AgentCore): agents, guardrails and knowledge bases, one file
//! per rule.

macro_rules! rules {
    ($($rule:ident),* $(,)?) => {
        $(pub mod $rule;)*
        /// Every Bedrock rule, in registry order.
        pub static RULES: &[&crate::rule::Rule] = &[$(&$rule::RULE),*];
    };
}

rules! {
    data_source_kms,
    agent_guardrail,
    agent_kms,
    guardrail_prompt_attack,
    guardrail_sensitive_information,
    guardrail_contextual_grounding,
    guardrail_kms,
}
