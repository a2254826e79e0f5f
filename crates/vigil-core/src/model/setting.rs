//! Settings: a property a rule declares on itself, with its path in the
//! API's `Describe…` answer as well as in templates. Both sides read every
//! setting their kind's rules declare (`registry::settings`) the same way,
//! so a rule on a property the model does not hold needs no model field,
//! collector or kind-table line.

use super::{Property, ResourceKind};
use crate::fact::Fact;

/// The kinds whose collectors (and `vigil watch`) read settings: those
/// described by one call each, through the SageMaker SDK (its answer kept
/// by an interceptor) or a REST-JSON plane (Bedrock, AgentCore: their
/// answers spell members in camelCase). A rule declares a setting only on
/// these.
pub const READ_BY_PATH: &[ResourceKind] = &[
    ResourceKind::SageMakerModel,
    ResourceKind::NotebookInstance,
    ResourceKind::Domain,
    ResourceKind::TrainingJob,
    ResourceKind::ProcessingJob,
    ResourceKind::TuningJob,
    ResourceKind::EndpointConfig,
    ResourceKind::FeatureGroup,
    ResourceKind::HyperPodCluster,
    ResourceKind::NotebookLifecycleConfig,
    ResourceKind::InferenceExperiment,
    ResourceKind::FlowDefinition,
    ResourceKind::BedrockAgent,
    ResourceKind::BedrockPrompt,
    ResourceKind::BedrockFlow,
    ResourceKind::KnowledgeBaseDataSource,
    ResourceKind::Guardrail,
    ResourceKind::CustomModel,
    ResourceKind::ImportedModel,
    ResourceKind::InvocationJob,
    ResourceKind::AgentRuntime,
    ResourceKind::AgentGateway,
    ResourceKind::AgentMemory,
    ResourceKind::AgentBrowser,
    ResourceKind::AgentCodeInterpreter,
];

/// A property read by path from the live answer and from templates alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// Its paths in CloudFormation and Terraform.
    pub property: Property,
    /// Its path in the kind's `Describe…` answer (dots step into objects);
    /// SageMaker's API mostly spells it as CloudFormation does.
    pub api: &'static str,
    /// Whether anything written counts as set, even a value decided only at
    /// deployment (a key given by reference is still a key). Otherwise such
    /// a value is unknown.
    pub presence: bool,
    /// Whether the value is read whole, as JSON (a policy's `reads`),
    /// rather than as a scalar.
    pub whole: bool,
}

/// Where the AWS provider names a step otherwise than in snake case: its
/// repeated blocks named in the singular.
const TERRAFORM_STEPS: &[(&str, &str)] = &[
    ("Containers", "container"),
    ("FeatureDefinitions", "feature_definition"),
];

/// A CloudFormation path in Terraform's spelling (`VpcConfig.Subnets`:
/// `vpc_config.subnets`), as the AWS provider names attributes.
pub fn terraform_path(cloudformation: &str) -> String {
    let steps: Vec<String> = cloudformation
        .split('.')
        .map(|step| match TERRAFORM_STEPS.iter().find(|(cfn, _)| *cfn == step) {
            Some((_, terraform)) => (*terraform).to_owned(),
            None => {
                let mut out = String::with_capacity(step.len() + 4);
                let mut previous_lower = false;
                for c in step.chars() {
                    if c.is_ascii_uppercase() && previous_lower {
                        out.push('_');
                    }
                    previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
                    out.push(c.to_ascii_lowercase());
                }
                out
            }
        })
        .collect();
    steps.join(".")
}

/// A word with its first letter in upper (`agentName`: `AgentName`) or
/// lower case: how CloudFormation's and the camelCase APIs' names differ.
pub fn first_letter(word: &str, upper: bool) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) if upper => first.to_ascii_uppercase().to_string() + chars.as_str(),
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// A setting's value, as the answer or the template states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Not there: AWS's default applies.
    Absent,
    Bool(bool),
    /// A string or a number, as text.
    Text(String),
    /// An object or a list.
    Block,
    /// The value whole, as JSON: what a policy's `reads` are given.
    Json(serde_json::Value),
}

impl Value {
    /// Whether it is `expected`, ignoring case (`true` and `"true"` are).
    pub fn is(&self, expected: &str) -> bool {
        match self {
            Value::Bool(b) => b.to_string().eq_ignore_ascii_case(expected),
            Value::Text(t) => t.eq_ignore_ascii_case(expected),
            Value::Absent | Value::Block | Value::Json(_) => false,
        }
    }

    /// The value a JSON answer holds at `path`; `null` is absent.
    pub fn at(document: &serde_json::Value, path: &str) -> Value {
        let found = path.split('.').try_fold(document, |value, step| value.get(step));
        match found {
            None | Some(serde_json::Value::Null) => Value::Absent,
            Some(serde_json::Value::Bool(b)) => Value::Bool(*b),
            Some(serde_json::Value::String(s)) => Value::Text(s.clone()),
            Some(serde_json::Value::Number(n)) => Value::Text(n.to_string()),
            Some(_) => Value::Block,
        }
    }

    /// The value a JSON answer holds at `path`, whole; `null` is absent.
    pub fn whole_at(document: &serde_json::Value, path: &str) -> Value {
        match path.split('.').try_fold(document, |value, step| value.get(step)) {
            None | Some(serde_json::Value::Null) => Value::Absent,
            Some(found) => Value::Json(found.clone()),
        }
    }
}

/// The settings read for one resource, by their API path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    /// By API path, and whether read whole.
    read: Vec<((&'static str, bool), Fact<Value>)>,
    /// Why none could be read (the resource's answer failed).
    unreadable: Option<String>,
}

impl Settings {
    /// A resource none of whose settings could be read, for one reason.
    pub fn unreadable(reason: &str) -> Self {
        Settings {
            read: Vec::new(),
            unreadable: Some(reason.to_owned()),
        }
    }

    /// Whether none could be read, for a reason already given.
    pub fn is_unreadable(&self) -> bool {
        self.unreadable.is_some()
    }

    pub fn insert(&mut self, setting: &Setting, value: Fact<Value>) {
        let key = (setting.api, setting.whole);
        self.read.retain(|(read, _)| *read != key);
        self.read.push((key, value));
    }

    /// The setting's value; unknown, with the reason, when it was not read.
    pub fn get(&self, setting: &Setting) -> Fact<Value> {
        match self.read.iter().find(|(read, _)| *read == (setting.api, setting.whole)) {
            Some((_, value)) => value.clone(),
            None => Fact::Unknown(
                self.unreadable
                    .clone()
                    .unwrap_or_else(|| format!("{} was not read", setting.property.cloudformation)),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: Setting = Setting {
        property: Property {
            cloudformation: "Sharing.Output",
            terraform: "sharing.output",
        },
        api: "Sharing.Output",
        presence: false,
        whole: false,
    };

    #[test]
    fn a_value_is_found_by_its_path_and_null_or_missing_is_absent() {
        let answer = serde_json::json!({"Sharing": {"Output": "Allowed", "On": true, "N": 2, "L": []}, "X": null});
        assert_eq!(Value::at(&answer, "Sharing.Output"), Value::Text("Allowed".into()));
        assert_eq!(Value::at(&answer, "Sharing.On"), Value::Bool(true));
        assert_eq!(Value::at(&answer, "Sharing.N"), Value::Text("2".into()));
        assert_eq!(Value::at(&answer, "Sharing.L"), Value::Block);
        assert_eq!(Value::at(&answer, "X"), Value::Absent);
        assert_eq!(Value::at(&answer, "Sharing.Missing.Deeper"), Value::Absent);
        assert_eq!(Value::whole_at(&answer, "Sharing.N"), Value::Json(serde_json::json!(2)));
        assert_eq!(
            Value::whole_at(&answer, "Sharing.L"),
            Value::Json(serde_json::json!([]))
        );
        assert_eq!(Value::whole_at(&answer, "X"), Value::Absent);
        assert!(Value::Bool(true).is("TRUE") && Value::Text("allowed".into()).is("Allowed"));
        assert!(!Value::Absent.is("") && !Value::Block.is(""));
    }

    #[test]
    fn a_cloudformation_path_is_spelled_as_terraform_does() {
        assert_eq!(terraform_path("EnableNetworkIsolation"), "enable_network_isolation");
        assert_eq!(terraform_path("VpcConfig.Subnets"), "vpc_config.subnets");
        assert_eq!(terraform_path("KmsKeyId"), "kms_key_id");
        assert_eq!(terraform_path("Containers"), "container");
    }

    #[test]
    fn a_setting_not_read_is_unknown_with_the_reason() {
        assert_eq!(
            Settings::default().get(&OUTPUT),
            Fact::unknown("Sharing.Output was not read")
        );
        assert_eq!(
            Settings::unreadable("throttled").get(&OUTPUT),
            Fact::unknown("throttled")
        );
        let mut settings = Settings::unreadable("throttled");
        settings.insert(&OUTPUT, Fact::Known(Value::Absent));
        settings.insert(&OUTPUT, Fact::Known(Value::Text("Disabled".into())));
        assert_eq!(settings.get(&OUTPUT), Fact::Known(Value::Text("Disabled".into())));
    }
}
