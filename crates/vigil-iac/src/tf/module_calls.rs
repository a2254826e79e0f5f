//! The `module` calls of a Terraform module: the folders Vigil reads for
//! them, with the call's arguments bound to the called module's variables
//! (as `terraform plan` binds them), and one line for each call it cannot
//! follow. A local source is a folder beside the caller; a remote one
//! (registry, git, HTTP, S3) is read where `terraform init` put it, as
//! `.terraform/modules/modules.json` lists it. A call that cannot be
//! followed is never silence: its line names the call, its source and what
//! to run, and counts as not judged. A call with `count` or `for_each` is
//! read once per instance (`module.nb[0].`), as Terraform makes them.

use super::resolve::{Literal, ModuleValues};
use super::HclFile;
use crate::lines::LineIndex;
use hcl_edit::Span;
use std::path::{Path, PathBuf};
use vigil_core::report::ErrorScope;
use vigil_core::RunError;

/// Calls nested deeper than this are refused: a module that calls itself
/// would otherwise be read for ever.
const MAX_DEPTH: usize = 16;

/// Most module instances one chain of calls may multiply to (a `count` of
/// 1,000 calling a `count` of 1,000 would be a million reads).
const MAX_FANOUT: usize = 10_000;

/// Arguments of a `module` block that are Terraform's, not the module's
/// variables.
const META_ARGUMENTS: &[&str] = &["source", "version", "count", "for_each", "providers", "depends_on"];

/// What a module's calls lead to.
#[derive(Default)]
pub struct ModuleCalls {
    /// The folders to read (lexically normalised), each with its call.
    pub folders: Vec<(PathBuf, ModuleCall)>,
    /// A line for each call that cannot be followed.
    pub unread: Vec<RunError>,
    /// A note for each call whose `count` is 0 or `for_each` empty.
    pub absent: Vec<String>,
}

/// One call of a module, as the called module reads it.
pub struct ModuleCall {
    /// `module.nb.` (nested: `module.a.module.b.`): the prefix of the
    /// called module's resource addresses.
    pub address: String,
    /// The arguments the caller resolved, written as a tfvars file would.
    pub arguments: HclFile,
    /// The arguments it could not resolve, with why: their variables are
    /// unknown, whatever their defaults.
    pub unresolved: Vec<(String, String)>,
    /// How many instances of the called module the chain of calls down to
    /// this one makes: the product of their instance counts.
    pub fanout: usize,
}

/// The calls of the module made of `files`, which live in `dir` and see
/// `values`.
pub fn module_calls(dir: &Path, files: &[&HclFile], values: &ModuleValues) -> ModuleCalls {
    let mut calls = ModuleCalls::default();
    let depth = values.address.matches("module.").count();
    let mut installed: Option<Option<Installed>> = None;
    for file in files {
        let mut lines: Option<LineIndex> = None;
        for block in file.body.get_blocks("module") {
            let name = block
                .labels
                .first()
                .map(|l| super::label(l).to_owned())
                .unwrap_or_default();
            let source = block.body.get_attribute("source").map(|a| &a.value);
            let found = match source.and_then(|s| s.as_str()) {
                _ if depth >= MAX_DEPTH => Err(format!(
                    "module \"{name}\" is called {MAX_DEPTH} modules deep (does a module call itself?): it is not read, and the resources it creates are not judged"
                )),
                None => Err(format!(
                    "module \"{name}\" has no literal source (Terraform requires one): the resources it creates are not judged"
                )),
                Some(source) if is_local(source) => {
                    let folder = crate::scan::normalise(&dir.join(source));
                    match folder.is_dir() {
                        true => Ok(folder),
                        false => Err(format!(
                            "module \"{name}\" calls {source}, which is not a folder here: the resources it creates are not judged"
                        )),
                    }
                }
                Some(source) => installed
                    .get_or_insert_with(|| Installed::find(dir))
                    .as_ref()
                    .ok_or_else(|| {
                        format!(
                            "module \"{name}\" (source {source}) is not read: `terraform init` fetches it and has not been run here (no .terraform/modules/modules.json); run it and scan again: the resources it creates are not judged"
                        )
                    })
                    .and_then(|installed| installed.folder(&name, source)),
            };
            let lines = lines.get_or_insert_with(|| LineIndex::new(&file.text));
            let at = block.span().map(|span| lines.position(&file.text, span.start));
            let line = at.map_or(1, |at| at.line);
            let instances = found.and_then(|folder| {
                let instances = super::instances(block, values, &file.text)
                    .map_err(|why| format!("module \"{name}\" {why}: the resources it creates are not judged"))?;
                match values.fanout.max(1).saturating_mul(instances.len()) {
                    fanout if fanout > MAX_FANOUT => Err(format!(
                        "module \"{name}\" makes {fanout} module instances with the calls above it, more than the {MAX_FANOUT} Vigil reads: the resources it creates are not judged"
                    )),
                    fanout => Ok((folder, instances, fanout)),
                }
            });
            match instances {
                Ok((_, instances, _)) if instances.is_empty() => calls.absent.push(format!(
                    "{}:{line}: {}module.{name} is not created: {}",
                    file.path,
                    values.address,
                    match block.body.get_attribute("count") {
                        Some(_) => "count is 0",
                        None => "for_each is empty",
                    }
                )),
                Ok((folder, instances, fanout)) => {
                    for instance in instances {
                        let call = bind(
                            (&name, &instance.suffix, fanout),
                            &block.body,
                            (file, line),
                            &instance.values,
                        );
                        calls.folders.push((folder.clone(), call));
                    }
                }
                Err(message) => calls
                    .unread
                    .push(RunError::in_file(ErrorScope::File, &file.path, at, message)),
            }
        }
    }
    calls
}

/// The call of module `name` (the instance `suffix` of it, one of `fanout`
/// on its chain) whose arguments are `body`, written at (`file`, line), as
/// the called module reads it: each argument its caller can resolve (with
/// the instance's `count.index` or `each.*`), and why the others cannot be.
fn bind(
    (name, suffix, fanout): (&str, &str, usize),
    body: &hcl_edit::structure::Body,
    (file, line): (&HclFile, usize),
    values: &ModuleValues,
) -> ModuleCall {
    let mut text = String::new();
    let mut unresolved = Vec::new();
    for attr in body.attributes() {
        let key = attr.key.as_str();
        if META_ARGUMENTS.contains(&key) {
            continue;
        }
        match values.literal(key, &attr.value, &file.text, 0) {
            Ok(value) => text.push_str(&format!("{key} = {}\n", hcl(&value))),
            Err(why) => unresolved.push((
                key.to_owned(),
                format!(
                    "the call of module \"{name}\" ({}:{line}) sets from what is not known before apply: {why}",
                    file.path
                ),
            )),
        }
    }
    // Values written by `hcl` always parse; should one not, nothing is bound.
    let arguments = crate::load::parse_hcl(&text).unwrap_or_default();
    ModuleCall {
        address: format!("{}module.{name}{suffix}.", values.address),
        arguments: HclFile {
            path: file.path.clone(),
            text,
            body: arguments,
        },
        unresolved,
        fanout,
    }
}

/// A resolved value written in HCL.
fn hcl(value: &Literal) -> String {
    match value {
        Literal::Null => "null".to_owned(),
        Literal::Bool(b) => b.to_string(),
        Literal::Number(n) => n.to_string(),
        Literal::String(s) => quoted(s),
        Literal::List(items) => format!("[{}]", items.iter().map(hcl).collect::<Vec<_>>().join(", ")),
        Literal::Map(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{} = {}", quoted(k), hcl(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

/// A string as an HCL quoted template that means exactly it.
fn quoted(s: &str) -> String {
    let mut out = String::new();
    super::tfvars_json::string(s, &mut out);
    out
}

/// `./…` or `../…`, as Terraform tells a local source.
fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

/// The modules `terraform init` installed for a root module.
struct Installed {
    /// The root module's folder, which the entries' `Dir` is relative to.
    root: PathBuf,
    /// (key, source, dir) of each entry; a nested call's key is
    /// `parent.child`.
    entries: Vec<(String, String, String)>,
}

impl Installed {
    /// The `.terraform/modules/modules.json` of `dir` or of the nearest
    /// folder above it (a module installed under `.terraform` calls its
    /// own modules from there).
    fn find(dir: &Path) -> Option<Installed> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        dir.ancestors().find_map(|root| {
            let text = std::fs::read_to_string(root.join(".terraform/modules/modules.json")).ok()?;
            let json: serde_json::Value = serde_json::from_str(&text).ok()?;
            let text_of = |entry: &serde_json::Value, field: &str| entry[field].as_str().unwrap_or_default().to_owned();
            let entries = json["Modules"]
                .as_array()?
                .iter()
                .map(|entry| (text_of(entry, "Key"), text_of(entry, "Source"), text_of(entry, "Dir")))
                .collect();
            Some(Installed {
                root: root.to_path_buf(),
                entries,
            })
        })
    }

    /// Where the call `name` of `source` was installed. The registry's
    /// sources are written down with their host (`registry.terraform.io/…`).
    fn folder(&self, name: &str, source: &str) -> Result<PathBuf, String> {
        let nested = format!(".{name}");
        let entry = self.entries.iter().find(|(key, installed, _)| {
            (key == name || key.ends_with(&nested))
                && (installed == source || installed.ends_with(&format!("/{source}")))
        });
        match entry {
            Some((_, _, dir)) if self.root.join(dir).is_dir() => Ok(crate::scan::normalise(&self.root.join(dir))),
            Some((_, _, dir)) => Err(format!(
                "module \"{name}\" (source {source}) is listed in .terraform/modules/modules.json, but its folder {dir} is gone; run `terraform init` again: the resources it creates are not judged"
            )),
            None => Err(format!(
                "module \"{name}\" (source {source}) is not in .terraform/modules/modules.json: run `terraform init` again and scan again: the resources it creates are not judged"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resolved_argument_is_written_so_that_the_module_reads_back_the_same_value() {
        let value = Literal::Map(vec![
            ("name".into(), Literal::String("a \"${b}\" %{c}\n\\".into())),
            (
                "sizes".into(),
                Literal::List(vec![Literal::Number(1.5), Literal::Bool(true), Literal::Null]),
            ),
        ]);
        let text = format!("x = {}\n", hcl(&value));
        let body = crate::load::parse_hcl(&text).unwrap();
        let attr = body.get_attribute("x").unwrap();
        let read = ModuleValues::default().literal("x", &attr.value, &text, 0).unwrap();
        assert_eq!(read, value);
    }
}
