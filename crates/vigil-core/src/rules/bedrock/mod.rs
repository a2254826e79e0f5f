//! Amazon Bedrock (beyond AgentCore): invocation logging, agents, guardrails, knowledge bases,
//! prompts, flows and custom models, one file
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
    agent_role_least_privilege,
    agent_role_dedicated,
    guardrail_prompt_attack,
    guardrail_sensitive_information,
    guardrail_contextual_grounding,
    guardrail_kms,
    prompt_kms,
    flow_guardrail,
    vpc_endpoints,
    full_access_role,
    api_key_long_term,
    api_key_admin,
    custom_model_kms,
    custom_model_vpc,
    imported_model_kms,
    invocation_job_kms,
    invocation_logging,
    invocation_logging_text,
    invocation_logs_kms,
    invocation_logs_public,
}
