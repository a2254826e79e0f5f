//! CloudFormation (YAML or JSON, SAM and CDK output alike): maps
//! `AWS::SageMaker::Model` onto Vigil's model type.

mod for_each;
mod resolve;

use crate::source::{FileScan, TemplateResource};
use crate::suppress::{self, RawSuppression};
use crate::tree::Node;
use resolve::Context;
use std::rc::Rc;
use vigil_core::model::{Container, Domain, IsolatedJob, NotebookInstance, SageMakerModel, VpcConfig};
use vigil_core::{Fact, Location, Resource};

/// Whether a parsed document is a CloudFormation template.
pub fn is_template(root: &Node) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    root.get("Resources").and_then(|r| r.as_map()).is_some_and(|resources| {
        resources.iter().any(|(id, r)| {
            id.as_str().is_some_and(|id| id.starts_with("Fn::ForEach::"))
                || r.get("Type")
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| t.starts_with("AWS::") || t.starts_with("Custom::"))
        })
    })
}

/// How a parent stack (or the command line) deploys this template: the values it passes and its
/// stack's logical id (a prefix of the ids read here: `Stack/Model`).
#[derive(Default)]
pub struct Parent {
    pub given: Vec<(String, Result<String, String>)>,
    pub prefix: String,
}

/// Reads a template as `parent` deploys it (`Parent::default()`: on its
/// own, with its parameter defaults).
pub fn read(file: &str, text: &str, root: &Node, parent: &Parent) -> FileScan {
    let mut ctx = Context::new(root);
    ctx.given = parent
        .given
        .iter()
        .map(|(name, value)| (name.clone(), value.clone().map(|v| Rc::new(Node::string(v)))))
        .collect();
    let mut scan = FileScan::default();
    let Some(resources) = root.get("Resources").and_then(|r| r.as_map()) else {
        return scan;
    };
    let template_macro = custom_macros(root.get("Transform").map(|t| t.as_ref()));
    let (resources, loop_errors) = for_each::expand(&ctx, resources);
    for (at, message) in loop_errors {
        scan.errors
            .push(vigil_core::RunError::in_file("file", file, Some(at.pos), message));
    }
    let mut last: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (index, entry) in resources.iter().enumerate() {
        if let Some(id) = entry.id.as_str() {
            last.insert(id, index);
        }
    }
    for (index, entry) in resources.iter().enumerate() {
        let (id, decl) = (&entry.id, &entry.decl);
        let Some(logical_id) = id.as_str() else {
            continue;
        };
        // A logical id declared twice is one resource, not two verdicts:
        // the last declaration is judged (as a JSON parser keeps it).
        if let Some(later) = last.get(logical_id).filter(|&&l| l != index).map(|&l| &resources[l].id) {
            scan.errors.push(vigil_core::RunError::in_file(
                "file",
                file,
                Some(id.pos),
                format!(
                    "logical id {logical_id} is declared again on line {}; CloudFormation refuses duplicate keys, and only the last is judged",
                    later.pos.line
                ),
            ));
            continue;
        }
        // What this resource's verdict assumes starts here.
        ctx.take_assumed();
        let kind = decl.get("Type").and_then(|t| t.as_str());
        let logical_id = &format!("{}{logical_id}", parent.prefix);
        if kind == Some("AWS::CloudFormation::Stack") {
            nested_stack(&ctx, file, logical_id, id.pos, decl, &mut scan);
            continue;
        }
        let monitoring = kind.and_then(monitoring_type);
        if monitoring.is_none()
            && !matches!(
                kind,
                Some("AWS::SageMaker::Model" | "AWS::SageMaker::NotebookInstance" | "AWS::SageMaker::Domain")
            )
        {
            if let Some(kind) = kind.filter(|k| k.starts_with("AWS::SageMaker::")) {
                scan.unjudged.push(kind.to_owned());
            }
            continue;
        }
        // A schedule that names a separate definition is judged through it.
        let props_node = decl.get("Properties").map(|p| p.as_ref());
        let network = match monitoring {
            Some("AWS::SageMaker::MonitoringSchedule") => {
                let embedded = props_node
                    .and_then(|p| p.get("MonitoringScheduleConfig"))
                    .and_then(|c| c.get("MonitoringJobDefinition"));
                match embedded {
                    Some(definition) => definition.get("NetworkConfig").cloned(),
                    None => continue,
                }
            }
            Some(_) => props_node.and_then(|p| p.get("NetworkConfig")).cloned(),
            None => None,
        };
        if let Some(condition) = decl.get("Condition").and_then(|c| c.as_str()) {
            if ctx.condition(condition) == Ok(false) {
                scan.absent.push(format!(
                    "{file}:{}: {logical_id} is not created: condition {condition} is false with the parameter defaults",
                    id.pos.line
                ));
                continue;
            }
        }
        let raw = suppressions(decl);
        let suppressions = suppress::validate(file, raw, &mut scan.errors);
        let props = decl.get("Properties").map(|p| p.as_ref());
        let (resource, properties, fixes) = if let Some(type_name) = monitoring {
            let (job, properties) = monitoring_job(&ctx, logical_id, network.as_deref());
            (Resource::MonitoringJob(job, type_name), properties, Vec::new())
        } else if kind == Some("AWS::SageMaker::Domain") {
            let (domain, properties) = domain(&ctx, logical_id, decl);
            (Resource::Domain(domain), properties, Vec::new())
        } else if kind == Some("AWS::SageMaker::NotebookInstance") {
            let (notebook, properties) = notebook(&ctx, logical_id, decl);
            (Resource::NotebookInstance(notebook), properties, Vec::new())
        } else {
            let (model, properties) = model(&ctx, logical_id, decl);
            let current = props.and_then(|p| p.get("EnableNetworkIsolation")).map(|v| v.as_ref());
            let isolation_fix = crate::edit::cfn_fix(text, props, current);
            let has_vpc = props.is_some_and(|p| p.get("VpcConfig").is_some());
            (
                Resource::SageMakerModel(model),
                properties,
                crate::edit::model_fixes(isolation_fix, has_vpc),
            )
        };
        // One fragment serves every resource its loop makes: an edit for one
        // would change them all, so the fix is said, not made.
        let fixes = match &entry.made_by {
            Some(made_by) => fixes
                .into_iter()
                .map(|(property, _)| {
                    let why = format!("made by {made_by}: set {property} in its template fragment");
                    (property, crate::source::Fix::Manual(why))
                })
                .collect(),
            None => fixes,
        };
        scan.resources.push(TemplateResource {
            resource,
            location: Location {
                file: file.to_owned(),
                line: id.pos.line,
                column: id.pos.column,
                logical_id: logical_id.to_owned(),
                property: None,
            },
            properties,
            suppressions,
            fixes,
            unproven: template_macro
                .clone()
                .or_else(|| custom_macros(find_key(decl, "Fn::Transform", 0))),
            assumed: ctx.take_assumed(),
        });
    }
    scan
}

/// Why a pass proves nothing when macros other than AWS's own transform
/// the template (their code runs in the account, out of Vigil's sight).
fn custom_macros(transform: Option<&Node>) -> Option<String> {
    let transform = transform?;
    let names: Vec<&str> = match transform.as_seq() {
        Some(items) => items.iter().filter_map(|i| macro_name(i)).collect(),
        None => macro_name(transform).into_iter().collect(),
    };
    let custom: Vec<&str> = names.into_iter().filter(|n| !n.starts_with("AWS::")).collect();
    (!custom.is_empty()).then(|| {
        format!(
            "the template is transformed by macro {} at deployment, by code Vigil cannot see",
            custom.join(", ")
        )
    })
}

/// Notes a nested stack for the scan to follow: its template and the
/// parameters it passes, resolved here where the parent's values are known.
fn nested_stack(
    ctx: &Context,
    file: &str,
    logical_id: &str,
    pos: vigil_core::Position,
    decl: &Node,
    scan: &mut FileScan,
) {
    if let Some(condition) = decl.get("Condition").and_then(|c| c.as_str()) {
        if ctx.condition(condition) == Ok(false) {
            return;
        }
    }
    let props = decl.get("Properties");
    let url = props.and_then(|p| p.get("TemplateURL"));
    let template_url = match url.map(|u| ctx.string("TemplateURL", u)) {
        Some(Ok(Some(url))) => url,
        Some(Err(why)) => {
            scan.absent.push(format!(
                "{file}:{}: nested stack {logical_id} is not judged: {why}",
                pos.line
            ));
            return;
        }
        _ => return,
    };
    let parameters = props
        .and_then(|p| p.get("Parameters"))
        .and_then(|p| p.as_map())
        .unwrap_or_default()
        .iter()
        .filter_map(|(name, value)| {
            let name = name.as_str()?.to_owned();
            match ctx.string(&name, value) {
                Ok(Some(v)) => Some((name, Ok(v))),
                // AWS::NoValue: the child's default applies.
                Ok(None) => None,
                Err(why) => Some((name, Err(format!("{}, and {why}", value.describe())))),
            }
        })
        .collect();
    scan.nested.push(crate::source::NestedStack {
        parent_file: file.to_owned(),
        logical_id: logical_id.to_owned(),
        template_url,
        parameters,
        pos,
    });
}

/// `Name` or `{Name: Name, Parameters: …}` (the form `Fn::Transform` takes).
fn macro_name(node: &Node) -> Option<&str> {
    node.as_str().or_else(|| node.get("Name")?.as_str())
}

/// The first value under `key` anywhere below `node`.
fn find_key<'n>(node: &'n Node, key: &str, depth: usize) -> Option<&'n Node> {
    if depth > crate::tree::MAX_DEPTH {
        return None;
    }
    if let Some(found) = node.get(key) {
        return Some(found);
    }
    let children: Vec<&Rc<Node>> = match (node.as_map(), node.as_seq()) {
        (Some(entries), _) => entries.iter().map(|(_, v)| v).collect(),
        (_, Some(items)) => items.iter().collect(),
        _ => Vec::new(),
    };
    children.into_iter().find_map(|child| find_key(child, key, depth + 1))
}

type Properties = Vec<(&'static str, vigil_core::Position)>;

/// Where each of `names` is written in `props`.
fn positions(props: &Node, names: &[&'static str]) -> Properties {
    names
        .iter()
        .filter_map(|name| props.entry(name).map(|(key, _)| (*name, key.pos)))
        .collect()
}

/// `Enabled`/`Disabled` settings whose absence means `Enabled`, as AWS applies.
fn enabled(ctx: &Context, props: &Node, property: &str) -> Fact<bool> {
    match props.get(property) {
        None => Fact::Known(true),
        Some(value) => match ctx.string(property, value) {
            Ok(None) => Fact::Known(true),
            Ok(Some(s)) if s.eq_ignore_ascii_case("enabled") => Fact::Known(true),
            Ok(Some(s)) if s.eq_ignore_ascii_case("disabled") => Fact::Known(false),
            Ok(Some(s)) => Fact::Unknown(format!("{property} is {s:?}, neither Enabled nor Disabled")),
            Err(reason) => Fact::Unknown(reason),
        },
    }
}

/// The CloudFormation types the monitoring rule judges, as `&'static str`.
fn monitoring_type(kind: &str) -> Option<&'static str> {
    [
        "AWS::SageMaker::DataQualityJobDefinition",
        "AWS::SageMaker::ModelQualityJobDefinition",
        "AWS::SageMaker::ModelBiasJobDefinition",
        "AWS::SageMaker::ModelExplainabilityJobDefinition",
        "AWS::SageMaker::MonitoringSchedule",
    ]
    .into_iter()
    .find(|t| *t == kind)
}

/// A monitoring job from its `NetworkConfig`; a missing flag is false.
fn monitoring_job(ctx: &Context, logical_id: &str, network: Option<&Node>) -> (IsolatedJob, Properties) {
    let flag = network.and_then(|n| n.entry("EnableNetworkIsolation"));
    let isolation = match flag {
        None => Fact::Known(false),
        Some((_, value)) => ctx
            .boolean("EnableNetworkIsolation", value)
            .map_or_else(Fact::Unknown, |b| Fact::Known(b.unwrap_or(false))),
    };
    let properties = flag
        .map(|(key, _)| ("NetworkConfig.EnableNetworkIsolation", key.pos))
        .into_iter()
        .collect();
    (IsolatedJob::new(logical_id.to_owned(), None, isolation), properties)
}

fn domain(ctx: &Context, logical_id: &str, decl: &Node) -> (Domain, Properties) {
    let empty = Node::empty_map();
    let props = decl.get("Properties").map(|p| p.as_ref()).unwrap_or(&empty);
    let vpc_only = match props.get("AppNetworkAccessType") {
        None => Fact::Known(false),
        Some(value) => ctx
            .string("AppNetworkAccessType", value)
            .map_or_else(Fact::Unknown, |s| Fact::Known(s.as_deref() == Some("VpcOnly"))),
    };
    let domain = Domain {
        name: props
            .get("DomainName")
            .and_then(|n| ctx.string("DomainName", n).ok().flatten())
            .unwrap_or_else(|| logical_id.to_owned()),
        arn: None,
        account: None,
        region: None,
        vpc_only,
    };
    (domain, positions(props, &["AppNetworkAccessType"]))
}

fn notebook(ctx: &Context, logical_id: &str, decl: &Node) -> (NotebookInstance, Properties) {
    let empty = Node::empty_map();
    let props = decl.get("Properties").map(|p| p.as_ref()).unwrap_or(&empty);
    let notebook = NotebookInstance {
        name: props
            .get("NotebookInstanceName")
            .and_then(|n| ctx.string("NotebookInstanceName", n).ok().flatten())
            .unwrap_or_else(|| logical_id.to_owned()),
        arn: None,
        account: None,
        region: None,
        direct_internet_access: enabled(ctx, props, "DirectInternetAccess"),
        // Any subnet, even one chosen at deploy time, puts the instance in a VPC.
        subnet_id: Fact::Known(
            props
                .get("SubnetId")
                .map(|s| s.as_str().map_or_else(|| s.describe(), str::to_owned)),
        ),
        root_access: enabled(ctx, props, "RootAccess"),
    };
    (
        notebook,
        positions(props, &["DirectInternetAccess", "SubnetId", "RootAccess"]),
    )
}

fn model(ctx: &Context, logical_id: &str, decl: &Node) -> (SageMakerModel, Properties) {
    let empty = Node::empty_map();
    let props = decl.get("Properties").map(|p| p.as_ref()).unwrap_or(&empty);
    let mut positions = Vec::new();
    for name in [
        "EnableNetworkIsolation",
        "VpcConfig",
        "ExecutionRoleArn",
        "PrimaryContainer",
        "Containers",
    ] {
        if let Some((key, _)) = props.entry(name) {
            positions.push((name, key.pos));
        }
    }
    let network_isolation = match props.get("EnableNetworkIsolation") {
        None => Fact::Known(false),
        // `AWS::NoValue` leaves the flag out, which AWS reads as false.
        Some(value) => match ctx.boolean("EnableNetworkIsolation", value) {
            Ok(b) => Fact::Known(b.unwrap_or(false)),
            Err(reason) => Fact::Unknown(reason),
        },
    };
    let model = SageMakerModel {
        name: props
            .get("ModelName")
            .and_then(|n| ctx.string("ModelName", n).ok().flatten())
            .unwrap_or_else(|| logical_id.to_owned()),
        arn: None,
        account: None,
        region: None,
        network_isolation,
        execution_role_arn: match props.get("ExecutionRoleArn") {
            None => Fact::Known(None),
            Some(role) => ctx
                .string("ExecutionRoleArn", role)
                .map_or_else(Fact::Unknown, Fact::Known),
        },
        containers: Fact::Known(containers(props)),
        vpc: Fact::Known(props.get("VpcConfig").map(|vpc| VpcConfig {
            subnets: strings(vpc.get("Subnets")),
            security_group_ids: strings(vpc.get("SecurityGroupIds")),
        })),
    };
    (model, positions)
}

fn containers(props: &Node) -> Vec<Container> {
    let primary = props.get("PrimaryContainer").into_iter();
    let more = props
        .get("Containers")
        .and_then(|c| c.as_seq())
        .unwrap_or_default()
        .iter();
    primary
        .chain(more)
        .map(|c| Container {
            image: c.get("Image").and_then(|i| i.as_str()).map(str::to_owned),
            model_data_url: c.get("ModelDataUrl").and_then(|i| i.as_str()).map(str::to_owned),
            model_package_name: c.get("ModelPackageName").and_then(|i| i.as_str()).map(str::to_owned),
            mode: c.get("Mode").and_then(|i| i.as_str()).map(str::to_owned),
        })
        .collect()
}

/// A list of literal strings; intrinsics are kept as their description.
fn strings(node: Option<&Rc<Node>>) -> Vec<String> {
    node.and_then(|n| n.as_seq())
        .unwrap_or_default()
        .iter()
        .map(|item| item.as_str().map(str::to_owned).unwrap_or_else(|| item.describe()))
        .collect()
}

/// `Metadata: { vigil: { suppress: [ { rule, reason, expires } ] } }`.
fn suppressions(decl: &Node) -> Vec<RawSuppression> {
    let Some(list) = decl
        .get("Metadata")
        .and_then(|m| m.get("vigil"))
        .and_then(|v| v.get("suppress"))
    else {
        return Vec::new();
    };
    let text = |entry: &Node, key: &str| entry.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    list.as_seq()
        .unwrap_or(std::slice::from_ref(list))
        .iter()
        .map(|entry| RawSuppression {
            rule: text(entry, "rule"),
            reason: text(entry, "reason"),
            expires: text(entry, "expires"),
            pos: entry.pos,
        })
        .collect()
}
