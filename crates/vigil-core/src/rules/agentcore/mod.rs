//! Amazon Bedrock AgentCore: the rules of AWS's AI Security Best Practices
//! standard (Security Hub's BedrockAgentCore controls), one file each.

macro_rules! rules {
    ($($rule:ident),* $(,)?) => {
        $(pub mod $rule;)*
        /// Every AgentCore rule, in registry order.
        pub static RULES: &[&crate::rule::Rule] = &[$(&$rule::RULE),*];
    };
}

rules! {
    runtime_vpc,
    runtime_identity_propagation,
    gateway_authorizer,
    gateway_kms,
    gateway_debug_errors,
    gateway_policy_enforced,
    memory_kms,
    browser_network,
    browser_recording,
    code_interpreter_network,
}

// Shared by the network-mode rules; not a rule itself.
mod network;
