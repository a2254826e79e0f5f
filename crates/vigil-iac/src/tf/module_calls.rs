//! The `module` calls of a Terraform module: the folders Vigil reads for
//! them, and one line for each call it cannot follow. A local source is a
//! folder beside the caller; a remote one (registry, git, HTTP, S3) is read
//! where `terraform init` put it, as `.terraform/modules/modules.json`
//! lists it. A call that cannot be followed is never silence: its line
//! names the call, its source and what to run, and counts as not judged.

use super::HclFile;
use crate::lines::LineIndex;
use hcl_edit::Span;
use std::path::{Path, PathBuf};
use vigil_core::report::ErrorScope;
use vigil_core::RunError;

/// What a module's calls lead to.
#[derive(Default)]
pub struct ModuleCalls {
    /// The folders to read, lexically normalised.
    pub folders: Vec<PathBuf>,
    /// A line for each call that cannot be followed.
    pub unread: Vec<RunError>,
}

/// The calls of the module made of `files`, which live in `dir`.
pub fn module_calls(dir: &Path, files: &[HclFile]) -> ModuleCalls {
    let mut calls = ModuleCalls::default();
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
            match found {
                Ok(folder) => calls.folders.push(folder),
                Err(message) => {
                    let lines = lines.get_or_insert_with(|| LineIndex::new(&file.text));
                    let at = block.span().map(|span| lines.position(&file.text, span.start));
                    calls
                        .unread
                        .push(RunError::in_file(ErrorScope::File, &file.path, at, message));
                }
            }
        }
    }
    calls
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
