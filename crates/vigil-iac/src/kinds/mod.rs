//! One table per resource kind, as `vigil-aws/src/collect/` has one
//! collector per kind: the CloudFormation and Terraform types a kind is
//! declared as, the properties it reads (paths declared once, on the core
//! model) and how a resource is built from them. Every template reader
//! (CloudFormation, HCL, `.tf.json`, plan JSON) looks types up here and reads
//! properties through [`Props`]; none names a kind itself.

mod agent_browser;
mod agent_code_interpreter;
mod agent_gateway;
mod agent_memory;
mod agent_runtime;
mod bedrock_agent;
mod bedrock_flow;
mod bedrock_prompt;
mod custom_model;
mod declared;
mod domain;
mod endpoint_config;
mod feature_group;
mod flow_definition;
mod guardrail;
mod hyperpod_cluster;
mod inference_experiment;
mod knowledge_base_data_source;
mod model;
mod monitoring;
mod notebook_instance;
mod notebook_lifecycle_config;
mod studio_image;
pub mod whole;

pub use declared::{Declared, Items, Props, Raw};

use crate::source::Fix;

use vigil_core::{Position, Property, Resource, ResourceKind};

/// A kind a template can declare.
pub struct Kind {
    pub resource_kind: ResourceKind,
    pub cloudformation: &'static [CfnType],
    pub terraform: &'static [TfType],
    /// Every property a rule may point at, so findings can be placed.
    pub properties: &'static [Property],
    /// How each property a rule reads is made compliant in a template.
    pub fixes: &'static [Remedy],
    pub build: fn(&Declared) -> Resource,
}

/// A CloudFormation type of a kind, and where its judged properties live
/// below `Properties` (empty: right there). A declaration without that
/// object is judged elsewhere (a schedule naming a separate definition).
pub struct CfnType {
    pub name: &'static str,
    pub root: &'static str,
    /// How this type spells a path's first step where it differs from the
    /// property's (a data-quality definition's `JobResources` is an
    /// embedded definition's `MonitoringResources`).
    pub renames: &'static [(&'static str, &'static str)],
}

impl CfnType {
    /// A type whose properties are right under `Properties`, spelled as declared.
    pub const fn named(name: &'static str) -> Self {
        CfnType {
            name,
            root: "",
            renames: &[],
        }
    }

    /// A property's path as this type spells it.
    pub fn spell(&self, path: &'static str) -> std::borrow::Cow<'static, str> {
        let (first, rest) = path.split_once('.').unwrap_or((path, ""));
        match self.renames.iter().find(|(from, _)| *from == first) {
            Some((_, to)) if rest.is_empty() => (*to).into(),
            Some((_, to)) => format!("{to}.{rest}").into(),
            None => path.into(),
        }
    }
}

/// A Terraform type of a kind, and the CloudFormation type reports name it by.
pub struct TfType {
    pub name: &'static str,
    pub reported_as: &'static str,
}

/// How a template fix makes a property compliant.
pub enum Remedy {
    /// Set the flag to `true` (a text edit where the reader can make one).
    SetTrue(Property),
    /// Only a person can choose the value; said when the property is unset.
    ByHand(Property, &'static str),
}

/// Every kind templates can declare.
pub static KINDS: &[&Kind] = &[
    &model::KIND,
    &notebook_instance::KIND,
    &domain::KIND,
    &monitoring::KIND,
    &endpoint_config::KIND,
    &feature_group::KIND,
    &hyperpod_cluster::KIND,
    &notebook_lifecycle_config::KIND,
    &studio_image::KIND,
    &inference_experiment::KIND,
    &flow_definition::KIND,
    &agent_runtime::KIND,
    &agent_gateway::KIND,
    &agent_memory::KIND,
    &agent_browser::KIND,
    &agent_code_interpreter::KIND,
    &knowledge_base_data_source::KIND,
    &bedrock_agent::KIND,
    &guardrail::KIND,
    &bedrock_prompt::KIND,
    &bedrock_flow::KIND,
    &custom_model::KIND,
];

/// The kind (and type entry) a CloudFormation type is read as.
pub fn cloudformation(type_name: &str) -> Option<(&'static Kind, &'static CfnType)> {
    KINDS
        .iter()
        .find_map(|kind| Some((*kind, kind.cloudformation.iter().find(|t| t.name == type_name)?)))
}

/// The kind (and type entry) a Terraform type is read as.
pub fn terraform(type_name: &str) -> Option<(&'static Kind, &'static TfType)> {
    KINDS
        .iter()
        .find_map(|kind| Some((*kind, kind.terraform.iter().find(|t| t.name == type_name)?)))
}

/// Where a kind's resources can be read from: live always (every kind has a
/// collector), and each template language whose types the tables map.
pub fn sources(kind: ResourceKind) -> Vec<&'static str> {
    let table = KINDS.iter().find(|k| k.resource_kind == kind);
    let mut sources = vec!["live"];
    if table.is_some_and(|k| !k.cloudformation.is_empty()) {
        sources.push("cloudformation");
    }
    if table.is_some_and(|k| !k.terraform.is_empty()) {
        sources.push("terraform");
    }
    sources
}

/// Where a rule judges: its kind's sources, or live only when it reads what
/// only the account can tell.
pub fn rule_sources(rule: &vigil_core::Rule) -> Vec<&'static str> {
    match rule.property.is_live_only() {
        true => vec!["live"],
        false => sources(rule.resource_kind),
    }
}

/// A SageMaker, AgentCore or Bedrock type no table maps, so no rule can judge it:
/// counted, never dropped unsaid.
pub fn is_unjudged(type_name: &str) -> bool {
    let cfn = ["AWS::SageMaker::", "AWS::BedrockAgentCore::", "AWS::Bedrock::"];
    let tf = ["aws_sagemaker_", "aws_bedrockagentcore_", "aws_bedrockagent_"];
    (cfn.iter().any(|p| type_name.starts_with(p)) && cloudformation(type_name).is_none())
        || (tf.iter().any(|p| type_name.starts_with(p)) && terraform(type_name).is_none())
}

impl Kind {
    /// The resource a declaration makes: the table's `build`, with every
    /// setting the kind's rules declare read by its path.
    pub fn read(&self, declared: &Declared) -> Resource {
        let mut resource = (self.build)(declared);
        for rule in vigil_core::registry::RULES.iter() {
            // A key read as a setting (by path) is judged as one.
            if let (vigil_core::Lookup::KeyStanding, Some(setting)) = (rule.lookup, rule.setting) {
                if rule.resource_kind == self.resource_kind {
                    declared.key(&setting.property);
                }
            }
        }
        let identity = resource.identity_mut();
        identity.keys = declared.keys.take();
        for setting in vigil_core::registry::settings(self.resource_kind) {
            identity.settings.insert(setting, declared.setting(setting));
        }
        resource
    }

    /// Where each of the kind's properties (and its rules' settings) is
    /// written, by CloudFormation path.
    pub fn positions(&self, props: &dyn Props) -> Vec<(&'static str, Position)> {
        let settings = vigil_core::registry::settings(self.resource_kind);
        self.properties
            .iter()
            .chain(settings.iter().map(|s| &s.property))
            .filter_map(|p| Some((p.cloudformation, props.position(p)?)))
            .collect()
    }

    /// The fixes a template needs, given how the reader edits a flag
    /// (`set_true` returns `None` when the flag already holds).
    pub fn fixes(
        &self,
        props: &dyn Props,
        mut set_true: impl FnMut(&Property) -> Option<Fix>,
    ) -> Vec<(&'static str, Fix)> {
        self.fixes
            .iter()
            .filter_map(|remedy| match remedy {
                Remedy::SetTrue(p) => Some((p.cloudformation, set_true(p)?)),
                Remedy::ByHand(p, what) => {
                    (props.value(p) == Raw::Unset).then(|| (p.cloudformation, Fix::Manual((*what).into())))
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::registry::RULES;

    #[test]
    fn every_rule_of_a_declarable_kind_points_at_a_property_its_table_maps() {
        for rule in RULES.iter().filter(|r| !r.property.is_live_only()) {
            let Some(kind) = KINDS.iter().find(|k| k.resource_kind == rule.resource_kind) else {
                continue;
            };
            assert!(
                kind.properties.contains(&rule.property) || rule.setting.is_some_and(|s| s.property == rule.property),
                "{} reads {:?}, which the {:?} table does not map",
                rule.id,
                rule.property,
                rule.resource_kind
            );
        }
    }

    #[test]
    fn a_rule_declares_its_template_fix_exactly_when_its_table_makes_one() {
        for rule in RULES {
            let Some(kind) = KINDS.iter().find(|k| k.resource_kind == rule.resource_kind) else {
                assert!(rule.template_fix.is_none(), "{} has no template kind", rule.id);
                continue;
            };
            let sets = kind
                .fixes
                .iter()
                .any(|r| matches!(r, Remedy::SetTrue(p) if *p == rule.property));
            assert_eq!(sets, rule.template_fix.is_some(), "{}", rule.id);
        }
    }

    #[test]
    fn each_type_names_one_kind() {
        let mut seen = std::collections::HashSet::new();
        for kind in KINDS {
            for name in kind
                .cloudformation
                .iter()
                .map(|t| t.name)
                .chain(kind.terraform.iter().map(|t| t.name))
            {
                assert!(seen.insert(name), "{name} is mapped twice");
            }
        }
        assert!(is_unjudged("AWS::SageMaker::Workteam"));
        assert!(!is_unjudged("aws_sagemaker_model"));
        assert!(!is_unjudged("AWS::S3::Bucket"));
    }
}
