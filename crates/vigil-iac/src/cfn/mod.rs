//! CloudFormation (YAML or JSON, SAM and CDK output alike): each resource
//! whose type a kind table maps is read through that table.

mod for_each;
mod keys;
mod networks;
mod props;
mod resolve;
mod roles;

use crate::kinds::{self, Declared};
use crate::source::{FileScan, TemplateResource};
use crate::suppress::{self, RawSuppression};
use crate::tree::Node;
use props::CfnProps;
use resolve::Context;
use std::rc::Rc;
use vigil_core::Location;

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
        scan.errors.push(vigil_core::RunError::in_file(
            vigil_core::report::ErrorScope::File,
            file,
            Some(at.pos),
            message,
        ));
    }
    let neighbours = crate::neighbours::Neighbours {
        roles: roles::declared(&ctx, &resources),
        networks: networks::declared(&ctx, &resources),
        keys: keys::declared(&ctx, &resources),
    };
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
                vigil_core::report::ErrorScope::File,
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
        let Some((table, cfn_type)) = kind.and_then(kinds::cloudformation) else {
            if let Some(kind) = kind.filter(|k| kinds::is_unjudged(k)) {
                scan.unjudged.push(kind.to_owned());
            }
            continue;
        };
        let mut root = decl.get("Properties").map(|p| p.as_ref());
        for step in cfn_type.root.split('.').filter(|s| !s.is_empty()) {
            root = root.and_then(|node| node.get(step)).map(|n| n.as_ref());
        }
        // A schedule that names a separate definition is judged through it.
        if !cfn_type.root.is_empty() && root.is_none() {
            continue;
        }
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
        let props = CfnProps {
            ctx: &ctx,
            root,
            cfn_type: Some(cfn_type),
        };
        let resource = table.read(&Declared::new(&props, logical_id, cfn_type.name, &neighbours));
        let properties = table.positions(&props);
        let fixes = table.fixes(&props, |property| {
            let (path, root) = (property.cloudformation, props.root);
            match path.contains('.') {
                true => Some(crate::source::Fix::Manual(format!("set {path} to true by hand"))),
                false => crate::edit::cfn_fix(text, path, root, root.and_then(|r| r.get(path)).map(|v| v.as_ref())),
            }
        });
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
            spliced: decl
                .get("Properties")
                .and_then(|p| included(find_key(p, "Fn::Transform", 0))),
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

/// Why no verdict on a resource holds when `AWS::Include` splices a
/// snippet into its properties at deployment: the snippet may set any of
/// them, and Vigil does not read it.
fn included(transform: Option<&Node>) -> Option<String> {
    let transform = transform?;
    let items: Vec<&Node> = match transform.as_seq() {
        Some(items) => items.iter().map(|i| i.as_ref()).collect(),
        None => vec![transform],
    };
    let include = items.into_iter().find(|i| macro_name(i) == Some("AWS::Include"))?;
    let location = include
        .get("Parameters")
        .and_then(|p| p.get("Location"))
        .and_then(|l| l.as_str())
        .map_or_else(String::new, |l| format!(" {l}"));
    Some(format!(
        "AWS::Include splices the snippet{location} into its properties at deployment, and it may set what the rule reads"
    ))
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
