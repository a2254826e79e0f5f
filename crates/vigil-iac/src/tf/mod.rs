//! Terraform HCL: every `.tf` file of a directory is one module; variables
//! (with defaults, `terraform.tfvars`, `*.auto.tfvars` and `--var-file`) and
//! locals are shared across its files. Each resource whose type a kind
//! table maps is read through that table.

pub mod json;
mod keys;
pub(crate) mod module_calls;
mod networks;
pub mod plan;
mod props;
mod resolve;
mod roles;
pub(crate) use roles::reference_key;
pub mod tfvars_json;
mod values;

use crate::kinds::{self, Declared, Props};
use crate::lines::LineIndex;
use crate::source::{FileScan, Fix, TemplateResource};
use crate::suppress::{self, RawSuppression};
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, BlockLabel, Body};
use hcl_edit::Span;
use props::{HclProps, View};
use resolve::{Literal, ModuleValues};
use std::collections::HashMap;
use vigil_core::{Location, Position};

/// A parsed `.tf` or `.tfvars` file.
pub struct HclFile {
    pub path: String,
    pub text: String,
    pub body: Body,
}

/// Reads one module: its `.tf` files, plus tfvars that assign its variables
/// (later files win, as Terraform applies them), or, for a module another
/// calls, the arguments of that call; with where its own `module` calls lead.
pub fn read_module(
    files: &[HclFile],
    tfvars: &[&HclFile],
    call: Option<&module_calls::ModuleCall>,
) -> (Vec<FileScan>, module_calls::ModuleCalls) {
    let dir = files.first().and_then(|f| std::path::Path::new(&f.path).parent());
    let mut values = ModuleValues {
        module_dir: dir,
        ..ModuleValues::default()
    };
    let tfvars: Vec<&HclFile> = match call {
        Some(call) => {
            values.address = call.address.clone();
            values.fanout = call.fanout;
            values.unresolved = call.unresolved.iter().cloned().collect();
            vec![&call.arguments]
        }
        None => tfvars.to_vec(),
    };
    for file in files {
        for block in file.body.get_blocks("variable") {
            let Some(name) = block.labels.first().map(label) else {
                continue;
            };
            let default = block
                .body
                .get_attribute("default")
                .map(|a| (&a.value, file.text.as_str()));
            values.variables.insert(name.to_owned(), default);
        }
        for block in file.body.get_blocks("locals") {
            for attr in block.body.attributes() {
                values
                    .locals
                    .insert(attr.key.as_str().to_owned(), (&attr.value, file.text.as_str()));
            }
        }
    }
    for vars in &tfvars {
        for attr in vars.body.attributes() {
            if values.variables.contains_key(attr.key.as_str()) {
                values
                    .variables
                    .insert(attr.key.as_str().to_owned(), Some((&attr.value, vars.text.as_str())));
            }
        }
    }
    // Override files are merged into the resources they name, in the order
    // Terraform reads them, and make no resources of their own.
    let (overrides, files): (Vec<&HclFile>, Vec<&HclFile>) = files.iter().partition(|f| is_override(&f.path));
    let mut layered: Overrides = HashMap::new();
    for file in overrides {
        for block in file.body.get_blocks("resource") {
            if let (Some(kind), Some(name)) = (block.labels.first().map(label), block.labels.get(1).map(label)) {
                layered
                    .entry((kind.to_owned(), name.to_owned()))
                    .or_default()
                    .push((block, file));
            }
        }
    }
    let neighbours = crate::neighbours::Neighbours {
        roles: roles::from_hcl(&files, &values),
        networks: networks::from_hcl(&files, &values),
        keys: keys::from_hcl(&files, &values),
    };
    let calls = module_calls::module_calls(dir.unwrap_or(std::path::Path::new("")), &files, &values);
    let scans = files
        .iter()
        .map(|file| read_file(file, &values, &layered, &neighbours))
        .collect();
    (scans, calls)
}

/// The override blocks of each resource, by (type, name).
type Overrides<'a> = HashMap<(String, String), Vec<(&'a Block, &'a HclFile)>>;

/// `override.tf` and `*_override.tf` (and their `.tf.json` twins).
fn is_override(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.strip_suffix(".tf").or_else(|| name.strip_suffix(".tf.json"));
    stem.is_some_and(|s| s == "override" || s.ends_with("_override"))
}

fn label(l: &BlockLabel) -> &str {
    match l {
        BlockLabel::Ident(i) => i.as_str(),
        BlockLabel::String(s) => s.value(),
    }
}

fn read_file(
    file: &HclFile,
    values: &ModuleValues,
    overrides: &Overrides,
    neighbours: &crate::neighbours::Neighbours,
) -> FileScan {
    let index = LineIndex::new(&file.text);
    let mut scan = FileScan::default();
    let at = |span: Option<std::ops::Range<usize>>| index.position(&file.text, span.map_or(0, |r| r.start));
    for block in file.body.get_blocks("resource") {
        let (Some(kind), Some(name)) = (block.labels.first().map(label), block.labels.get(1).map(label)) else {
            continue;
        };
        if kinds::terraform(kind).is_none() {
            if kinds::is_unjudged(kind) {
                scan.unjudged.push(kind.to_owned());
            }
            continue;
        }
        let pos = at(block.span());
        let instances = match instances(block, values, &file.text) {
            Ok(instances) if instances.is_empty() => {
                scan.absent.push(format!(
                    "{}:{}: {kind}.{name} is not created: {}",
                    file.path,
                    pos.line,
                    if block.body.get_attribute("count").is_some() {
                        "count is 0"
                    } else {
                        "for_each is empty"
                    }
                ));
                continue;
            }
            Ok(instances) => instances,
            Err(error) => {
                scan.errors.push(vigil_core::RunError::in_file(
                    vigil_core::report::ErrorScope::File,
                    &file.path,
                    Some(pos),
                    error,
                ));
                continue;
            }
        };
        let layers = overrides
            .get(&(kind.to_owned(), name.to_owned()))
            .map(Vec::as_slice)
            .unwrap_or_default();
        for instance in instances {
            let address = format!("{}{kind}.{name}{}", values.address, instance.suffix);
            read_resource(
                file,
                block,
                kind,
                name,
                address,
                &instance.values,
                &index,
                layers,
                neighbours,
                &mut scan,
            );
        }
    }
    scan
}

/// One instance of a resource: its address suffix (`[0]`, `["eu"]`, or
/// nothing) and the values it sees.
pub(super) struct Instance<'v, 'a> {
    pub(super) suffix: String,
    /// The module's values, copied only when the instance adds its own.
    pub(super) values: std::borrow::Cow<'v, ModuleValues<'a>>,
}

/// Most instances one `count` or `for_each` may make before the resource is
/// refused (a hostile `count = 1e12` must not exhaust memory).
const MAX_INSTANCES: usize = 10_000;

/// The instances `count` or `for_each` make when they are known; else one,
/// whose `count.index` / `each.*` stay unknown with the reason.
pub(super) fn instances<'v, 'a>(
    block: &Block,
    values: &'v ModuleValues<'a>,
    text: &str,
) -> Result<Vec<Instance<'v, 'a>>, String> {
    let one = || {
        vec![Instance {
            suffix: String::new(),
            values: std::borrow::Cow::Borrowed(values),
        }]
    };
    let too_many = |n: usize| format!("makes {n} instances, more than the {MAX_INSTANCES} Vigil reads");
    if let Some(count) = block.body.get_attribute("count") {
        return Ok(match values.literal("count", &count.value, text, 0) {
            Ok(Literal::Number(n)) if n >= 0.0 && n.fract() == 0.0 => {
                let n = n as usize;
                if n > MAX_INSTANCES {
                    return Err(format!("count {}", too_many(n)));
                }
                (0..n)
                    .map(|i| Instance {
                        suffix: format!("[{i}]"),
                        values: std::borrow::Cow::Owned(ModuleValues {
                            count_index: Some(i),
                            ..values.clone()
                        }),
                    })
                    .collect()
            }
            _ => one(),
        });
    }
    let Some(for_each) = block.body.get_attribute("for_each") else {
        return Ok(one());
    };
    let entries: Vec<(String, Literal)> = match values.literal("for_each", &for_each.value, text, 0) {
        Ok(Literal::Map(entries)) => entries,
        // A set of strings: each.key and each.value are the item.
        Ok(Literal::List(items)) => items
            .into_iter()
            .filter_map(|item| match item {
                Literal::String(s) => Some((s.clone(), Literal::String(s))),
                _ => None,
            })
            .collect(),
        _ => return Ok(one()),
    };
    if entries.len() > MAX_INSTANCES {
        return Err(format!("for_each {}", too_many(entries.len())));
    }
    Ok(entries
        .into_iter()
        .map(|(key, value)| Instance {
            suffix: format!("[{key:?}]"),
            values: std::borrow::Cow::Owned(ModuleValues {
                each: Some((key, value)),
                ..values.clone()
            }),
        })
        .collect())
}

/// Reads one instance of a judged resource into `scan`.
#[allow(clippy::too_many_arguments)]
fn read_resource(
    file: &HclFile,
    block: &Block,
    kind: &str,
    name: &str,
    address: String,
    values: &ModuleValues,
    index: &LineIndex,
    overrides: &[(&Block, &HclFile)],
    neighbours: &crate::neighbours::Neighbours,
    scan: &mut FileScan,
) {
    let pos = index.position(&file.text, block.span().map_or(0, |r| r.start));
    let raw = suppressions(index, &file.text, pos.line);
    let suppressions = suppress::validate(&file.path, raw, &mut scan.errors);
    let Some((table, tf_type)) = kinds::terraform(kind) else {
        return;
    };
    let props = HclProps {
        view: View {
            block,
            file,
            index,
            overrides: overrides.to_vec(),
            placed: true,
        },
        values,
    };
    let resource = table.read(&Declared::new(&props, name, tf_type.reported_as, neighbours));
    let properties = table.positions(&props);
    // An override file decides the value: the fix belongs there.
    let fixes = table.fixes(&props, |property| match overrides.is_empty() {
        true => fix(block, &file.text, property.terraform),
        false => Some(Fix::Manual(format!(
            "{address} is merged with an override file: set {} there",
            property.terraform
        ))),
    });
    scan.resources.push(TemplateResource {
        resource,
        location: Location {
            file: file.path.clone(),
            line: pos.line,
            column: pos.column,
            logical_id: address,
            property: None,
        },
        properties,
        suppressions,
        fixes,
        unproven: None,
        spliced: None,
        assumed: Vec::new(),
    });
}

/// `# vigil:suppress RULE -- reason` on the resource's first line or in the
/// comment lines right above it.
fn suppressions(index: &LineIndex, text: &str, line: usize) -> Vec<RawSuppression> {
    let mut found = Vec::new();
    let mut n = line;
    loop {
        let content = index.line(text, n);
        let trimmed = content.trim_start();
        if n != line && !(trimmed.starts_with('#') || trimmed.starts_with("//")) {
            break;
        }
        if let Some(at) = content.find("vigil:suppress") {
            let rest = &content[at + "vigil:suppress".len()..];
            let (rule, reason) = match rest.split_once("--") {
                Some((rule, reason)) => (rule.trim(), Some(reason.trim().to_owned())),
                None => (rest.trim(), None),
            };
            found.push(RawSuppression {
                rule: Some(rule.to_owned()).filter(|r| !r.is_empty()),
                reason: reason.filter(|r| !r.is_empty()),
                expires: None,
                pos: Position {
                    line: n,
                    column: at + 1,
                },
            });
        }
        if n == 1 {
            break;
        }
        n -= 1;
    }
    found
}

/// The smallest edit that sets the flag `key` to true; `None` if it is.
fn fix(block: &Block, text: &str, key: &str) -> Option<Fix> {
    if key.contains('.') {
        return Some(Fix::Manual(format!("set {key} to true by hand")));
    }
    if let Some(attr) = block.body.get_attribute(key) {
        let replace = || {
            attr.value.span().map(|r| Fix::Replace {
                start: r.start,
                end: r.end,
                text: "true".into(),
            })
        };
        return match &attr.value {
            Expression::Bool(b) if *b.value() => None,
            Expression::Bool(_) => replace(),
            Expression::String(s) if s.value().eq_ignore_ascii_case("true") => None,
            Expression::String(s) if s.value().eq_ignore_ascii_case("false") => replace(),
            other => Some(Fix::Manual(format!(
                "{key} is `{}`; set it to true by hand",
                resolve::text_of(other, text)
            ))),
        };
    }
    let start = block.span()?.start;
    let brace = start + text[start..].find('{')?;
    let newline = brace + text[brace..].find('\n')?;
    if !text[brace + 1..newline].trim().is_empty() {
        return Some(Fix::Manual(format!(
            "the block is written on one line; add {key} = true by hand"
        )));
    }
    let (_, block_indent) = crate::edit::line_start_and_indent(text, start);
    let next = &text[newline + 1..];
    let inner = next
        .lines()
        .find(|l| !l.trim().is_empty())
        .filter(|l| !l.trim_start().starts_with('}'));
    let indent = match inner {
        Some(line) => line[..line.len() - line.trim_start().len()].to_owned(),
        None => format!("{block_indent}  "),
    };
    Some(Fix::Insert {
        at: newline + 1,
        text: format!("{indent}{key} = true\n"),
    })
}

/// A resource read from Terraform's JSON forms (plan JSON, `.tf.json`), if
/// a kind table maps its type: never suppressed there, and fixed in the
/// configuration it came from (`why_manual` says so). An unmapped SageMaker
/// type is counted as unjudged.
pub(crate) fn read_values(
    kind: &str,
    address: String,
    (values, unknown): (Option<&crate::tree::Node>, Option<&crate::tree::Node>),
    (file, pos): (&str, Position),
    why_manual: &str,
    neighbours: &crate::neighbours::Neighbours,
    scan: &mut FileScan,
) {
    let Some((table, tf_type)) = kinds::terraform(kind) else {
        if kinds::is_unjudged(kind) {
            scan.unjudged.push(kind.to_owned());
        }
        return;
    };
    let props = values::JsonProps { values, unknown };
    let resource = table.read(&Declared::new(&props, &address, tf_type.reported_as, neighbours));
    let fixes = table.fixes(&props, |property| match props.value(property) {
        crate::kinds::Raw::Bool(true) => None,
        _ => Some(Fix::Manual(why_manual.into())),
    });
    scan.resources.push(TemplateResource {
        resource,
        location: Location {
            file: file.to_owned(),
            line: pos.line,
            column: pos.column,
            logical_id: address,
            property: None,
        },
        properties: table.positions(&props),
        suppressions: Vec::new(),
        fixes,
        unproven: None,
        spliced: None,
        assumed: Vec::new(),
    });
}
