//! The judged Terraform resources read through a `View`: the resource's
//! block with the blocks of the module's override files (`override.tf`,
//! `*_override.tf`) laid over it, as Terraform merges them. An attribute set
//! in an override replaces the original; a nested block type set in one
//! replaces every block of that type. Positions are given for what the
//! resource's own file sets; a value an override sets is read with its text.

use super::resolve::{self, Literal, ModuleValues};
use super::HclFile;
use crate::lines::LineIndex;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block};
use hcl_edit::Span;
use vigil_core::model::{Container, Domain, IsolatedJob, NotebookInstance, SageMakerModel, VpcConfig};
use vigil_core::{Fact, Position};

pub(super) type Properties = Vec<(&'static str, Position)>;

/// One resource with its overrides, last one winning.
pub(super) struct View<'a> {
    pub block: &'a Block,
    pub file: &'a HclFile,
    pub index: &'a LineIndex,
    pub overrides: Vec<(&'a Block, &'a HclFile)>,
}

impl<'a> View<'a> {
    /// The attribute, the text it was read from, and its position when it
    /// is the resource's own.
    fn attr(&self, key: &'a str) -> Option<(&'a Attribute, &'a str, Option<Position>)> {
        for (block, file) in self.overrides.iter().rev() {
            if let Some(attr) = block.body.get_attribute(key) {
                return Some((attr, file.text.as_str(), None));
            }
        }
        let attr = self.block.body.get_attribute(key)?;
        Some((attr, self.file.text.as_str(), Some(self.at(attr.key.span()))))
    }

    /// Every nested block of a type, from the last layer that has any.
    fn blocks(&self, ident: &'a str) -> (Vec<&'a Block>, &'a str, Option<Position>) {
        for (block, file) in self.overrides.iter().rev() {
            let found: Vec<&Block> = block.body.get_blocks(ident).collect();
            if !found.is_empty() {
                return (found, file.text.as_str(), None);
            }
        }
        let found: Vec<&Block> = self.block.body.get_blocks(ident).collect();
        let pos = found.first().map(|b| self.at(b.span()));
        (found, self.file.text.as_str(), pos)
    }

    fn at(&self, span: Option<std::ops::Range<usize>>) -> Position {
        self.index.position(&self.file.text, span.map_or(0, |r| r.start))
    }
}

fn string(values: &ModuleValues, expr: &Expression, text: &str) -> Option<String> {
    match values.literal("", expr, text, 0) {
        Ok(Literal::String(s)) => Some(s),
        _ => None,
    }
}

/// The attribute's value as a string, if it resolves to one.
fn attr_string(view: &View, values: &ModuleValues, key: &str) -> Option<String> {
    view.attr(key).and_then(|(a, text, _)| string(values, &a.value, text))
}

/// A boolean attribute that is false when unset (or `null`).
fn flag(values: &ModuleValues, attr: Option<(&Attribute, &str, Option<Position>)>, what: &str) -> Fact<bool> {
    match attr {
        None => Fact::Known(false),
        Some((attr, text, _)) => values
            .boolean(what, &attr.value, text)
            .map_or_else(Fact::Unknown, |b| Fact::Known(b.unwrap_or(false))),
    }
}

pub(super) fn model(view: &View, values: &ModuleValues, name: &str) -> (SageMakerModel, Properties) {
    let mut properties = Vec::new();
    for (tf, cfn) in [
        ("enable_network_isolation", "EnableNetworkIsolation"),
        ("execution_role_arn", "ExecutionRoleArn"),
    ] {
        if let Some((_, _, Some(pos))) = view.attr(tf) {
            properties.push((cfn, pos));
        }
    }
    for (tf, cfn) in [
        ("vpc_config", "VpcConfig"),
        ("primary_container", "PrimaryContainer"),
        ("container", "Containers"),
    ] {
        if let (_, _, Some(pos)) = view.blocks(tf) {
            properties.push((cfn, pos));
        }
    }
    let network_isolation = flag(
        values,
        view.attr("enable_network_isolation"),
        "enable_network_isolation",
    );
    let (primary, primary_text, _) = view.blocks("primary_container");
    let (more, more_text, _) = view.blocks("container");
    let containers = primary
        .into_iter()
        .map(|c| (c, primary_text))
        .chain(more.into_iter().map(|c| (c, more_text)))
        .map(|(c, text)| {
            let field = |key: &str| c.body.get_attribute(key).and_then(|a| string(values, &a.value, text));
            Container {
                image: field("image"),
                model_data_url: field("model_data_url"),
                model_package_name: field("model_package_name"),
                mode: field("mode"),
            }
        })
        .collect();
    let model = SageMakerModel {
        name: attr_string(view, values, "name").unwrap_or_else(|| name.to_owned()),
        arn: None,
        account: None,
        region: None,
        network_isolation,
        execution_role_arn: Fact::Known(
            view.attr("execution_role_arn")
                .map(|(a, text, _)| resolve::text_of(&a.value, text)),
        ),
        containers: Fact::Known(containers),
        vpc: Fact::Known((!view.blocks("vpc_config").0.is_empty()).then(VpcConfig::default)),
    };
    (model, properties)
}

/// A data-quality job definition; without `network_config.enable_network_isolation` it is not isolated.
pub(super) fn monitoring_job(view: &View, values: &ModuleValues, address: &str) -> (IsolatedJob, Properties) {
    let (network, text, own) = view.blocks("network_config");
    let flag_attr = network
        .first()
        .and_then(|n| n.body.get_attribute("enable_network_isolation"));
    let isolation = flag(values, flag_attr.map(|a| (a, text, None)), "enable_network_isolation");
    let properties = match (flag_attr, own) {
        (Some(a), Some(_)) => vec![("NetworkConfig.EnableNetworkIsolation", view.at(a.key.span()))],
        _ => Vec::new(),
    };
    let name = attr_string(view, values, "name").unwrap_or_else(|| address.to_owned());
    (IsolatedJob::new(name, None, isolation), properties)
}

/// An `aws_sagemaker_domain`; without `app_network_access_type` it is public, as on AWS.
pub(super) fn domain(view: &View, values: &ModuleValues, name: &str) -> (Domain, Properties) {
    let attr = view.attr("app_network_access_type");
    let vpc_only = match attr.map(|(a, text, _)| values.literal("app_network_access_type", &a.value, text, 0)) {
        None | Some(Ok(Literal::Null)) => Fact::Known(false),
        Some(Ok(Literal::String(s))) => Fact::Known(s == "VpcOnly"),
        Some(Ok(other)) => Fact::Unknown(format!("app_network_access_type is {other:?}, not a string")),
        Some(Err(reason)) => Fact::Unknown(reason),
    };
    let domain = Domain {
        name: attr_string(view, values, "domain_name").unwrap_or_else(|| name.to_owned()),
        arn: None,
        account: None,
        region: None,
        vpc_only,
    };
    let properties = attr
        .and_then(|(_, _, pos)| Some(("AppNetworkAccessType", pos?)))
        .into_iter()
        .collect();
    (domain, properties)
}

/// An `aws_sagemaker_notebook_instance`; `Enabled` settings default to on, as AWS applies them.
pub(super) fn notebook(view: &View, values: &ModuleValues, name: &str) -> (NotebookInstance, Properties) {
    let mut properties = Vec::new();
    for (tf, cfn) in [
        ("direct_internet_access", "DirectInternetAccess"),
        ("subnet_id", "SubnetId"),
        ("root_access", "RootAccess"),
    ] {
        if let Some((_, _, Some(pos))) = view.attr(tf) {
            properties.push((cfn, pos));
        }
    }
    let enabled = |key: &str| match view.attr(key) {
        None => Fact::Known(true),
        Some((a, text, _)) => match values.literal(key, &a.value, text, 0) {
            Ok(Literal::Null) => Fact::Known(true),
            Ok(Literal::String(s)) if s.eq_ignore_ascii_case("enabled") => Fact::Known(true),
            Ok(Literal::String(s)) if s.eq_ignore_ascii_case("disabled") => Fact::Known(false),
            Ok(other) => Fact::Unknown(format!("{key} is {other:?}, neither Enabled nor Disabled")),
            Err(reason) => Fact::Unknown(reason),
        },
    };
    let notebook = NotebookInstance {
        name: attr_string(view, values, "name").unwrap_or_else(|| name.to_owned()),
        arn: None,
        account: None,
        region: None,
        direct_internet_access: enabled("direct_internet_access"),
        // Any subnet, even one known only at apply time, puts the instance in a VPC.
        subnet_id: Fact::Known(
            view.attr("subnet_id")
                .map(|(a, text, _)| resolve::text_of(&a.value, text)),
        ),
        root_access: enabled("root_access"),
    };
    (notebook, properties)
}
