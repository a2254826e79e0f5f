//! Finding, parsing and checking the policies named by `--policy` and
//! `vigil.toml`: every refusal names its file, line and column, and comes
//! before any AWS call or template read.

use crate::error::PolicyError;
use crate::judge::PolicyJudge;
use crate::metadata::Metadata;
use std::path::{Path, PathBuf};
use vigil_core::custom::Custom;
use vigil_core::model::{Property, Setting};
use vigil_core::{Article, CrossRefs, Lookup, Rule};

/// One policy, parsed and checked.
#[derive(Debug, Clone)]
pub struct Policy {
    pub file: PathBuf,
    pub source: String,
    /// The libraries (`package vigil.lib.…`) found beside it, which it may
    /// import: (file, text).
    pub libraries: std::sync::Arc<Vec<(String, String)>>,
    /// `data.vigil.rules.<name>`.
    pub package: String,
    pub metadata: Metadata,
}

/// The policies in `paths` (files, or folders searched for `*.rego` that
/// are not `*_test.rego`), in path order. Ids must not clash with a
/// built-in rule's or with each other.
pub fn load(paths: &[PathBuf]) -> Result<Vec<Policy>, PolicyError> {
    let mut texts = Vec::new();
    for file in files(paths, false)? {
        let text = read(&file)?;
        texts.push((file, text));
    }
    let (libraries, rules): (Vec<_>, Vec<_>) = texts
        .into_iter()
        .partition(|(_, text)| package_of(text).is_some_and(|p| p.starts_with(LIBRARIES)));
    let libraries: Vec<(String, String)> = libraries
        .into_iter()
        .map(|(file, text)| (file.display().to_string(), text))
        .collect();
    let libraries = std::sync::Arc::new(libraries);
    let mut policies: Vec<Policy> = Vec::new();
    for (file, source) in rules {
        let policy = {
            let (file, libraries) = (file.clone(), libraries.clone());
            within_deadline(&file.clone(), move || parse(&file, source, &libraries))?
        };
        let id = &policy.metadata.id;
        if vigil_core::registry::RULES.iter().any(|rule| rule.answers_to(id)) {
            return Err(policy.refused(format!("metadata.id {id:?} is a built-in rule's id")));
        }
        if let Some(first) = policies.iter().find(|p| &p.metadata.id == id) {
            let first = first.file.display().to_string();
            return Err(policy.refused(format!("metadata.id {id:?} is also the id of {first}")));
        }
        policies.push(policy);
    }
    Ok(policies)
}

/// The `.rego` files under `paths`, sorted within each folder: policies,
/// or (`tests`) policies and their `*_test.rego` files.
pub(crate) fn files(paths: &[PathBuf], tests: bool) -> Result<Vec<PathBuf>, PolicyError> {
    let mut found = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| PolicyError::at(path, 1, 1, format!("cannot read it: {e}")))?;
        match meta.is_dir() {
            true => walk(path, tests, &mut found)?,
            false => found.push(path.clone()),
        }
    }
    Ok(found)
}

fn walk(folder: &Path, tests: bool, found: &mut Vec<PathBuf>) -> Result<(), PolicyError> {
    let unreadable = |e: std::io::Error| PolicyError::at(folder, 1, 1, format!("cannot read the folder: {e}"));
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(unreadable)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(unreadable)?;
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.is_dir() {
            walk(&path, tests, found)?;
        } else if name.ends_with(".rego") && (tests || !name.ends_with("_test.rego")) {
            found.push(path);
        }
    }
    Ok(())
}

/// How long a policy (with its libraries) may take to parse and check.
/// Rego's parser takes time exponential in how deeply arrays and objects
/// nest (20 levels: half a minute), so a hostile file could hang a run.
pub const PARSE_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);

/// `work` on a thread of its own, given up after [`PARSE_LIMIT`]: the
/// refusal that follows ends the process, and the thread with it.
pub(crate) fn within_deadline<T: Send + 'static>(
    file: &Path,
    work: impl FnOnce() -> Result<T, PolicyError> + Send + 'static,
) -> Result<T, PolicyError> {
    let (done, outcome) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(work());
    });
    outcome.recv_timeout(PARSE_LIMIT).unwrap_or_else(|_| {
        Err(PolicyError::at(
            file,
            1,
            1,
            format!(
                "not parsed within {} s (arrays or objects nested too deeply?)",
                PARSE_LIMIT.as_secs()
            ),
        ))
    })
}

/// Where libraries live: `package vigil.lib.<name>`, imported by policies
/// as `data.vigil.lib.<name>`.
const LIBRARIES: &str = "vigil.lib.";

/// How deeply brackets may nest in a policy: far more than any policy
/// needs, and little enough that no parser recursion can exhaust a stack.
pub const MAX_NESTING: usize = 32;

/// A policy file's text, refused when it nests brackets deeper than
/// [`MAX_NESTING`] (before any parser sees it).
pub(crate) fn read(file: &Path) -> Result<String, PolicyError> {
    let text =
        std::fs::read_to_string(file).map_err(|e| PolicyError::at(file, 1, 1, format!("cannot read it: {e}")))?;
    match too_deep(&text) {
        Some((line, column)) => Err(PolicyError::at(
            file,
            line,
            column,
            format!("brackets nest deeper than {MAX_NESTING} levels"),
        )),
        None => Ok(text),
    }
}

/// Where brackets first nest deeper than [`MAX_NESTING`], outside strings
/// and comments.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1, 0);
    let mut chars = text.chars();
    let mut quote: Option<char> = None;
    let mut comment = false;
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            (line, column, comment) = (line + 1, 0, false);
            continue;
        }
        match (quote, comment, c) {
            (_, true, _) => {}
            (Some('"'), _, '\\') => {
                chars.next();
                column += 1;
            }
            (Some(q), _, c) if c == q => quote = None,
            (Some(_), ..) => {}
            (None, _, '"' | '`') => quote = Some(c),
            (None, _, '#') => comment = true,
            (None, _, '[' | '{' | '(') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some((line, column));
                }
            }
            (None, _, ']' | '}' | ')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The package a file declares, as written (`vigil.rules.x`).
pub(crate) fn package_of(text: &str) -> Option<&str> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .find_map(|line| line.strip_prefix("package "))
        .map(str::trim)
}

/// An interpreter holding `sources`; a refusal names the file it is in.
pub(crate) fn interpreter_for(sources: &[(String, String)]) -> Result<regorus::Engine, PolicyError> {
    crate::interpreter::with(sources).map_err(|e| {
        let report = e.to_string();
        let file = sources
            .iter()
            .map(|(file, _)| file)
            .find(|file| report.contains(&format!("--> {file}:")))
            .or(sources.first().map(|(file, _)| file))
            .cloned()
            .unwrap_or_default();
        PolicyError::from_interpreter(Path::new(&file), &report)
    })
}

fn parse(
    file: &Path,
    source: String,
    libraries: &std::sync::Arc<Vec<(String, String)>>,
) -> Result<Policy, PolicyError> {
    let mut sources = vec![(file.display().to_string(), source.clone())];
    sources.extend(libraries.iter().cloned());
    let mut engine = interpreter_for(&sources)?;
    let package = format!("data.{}", package_of(&source).unwrap_or_default());
    let Some(name) = package.strip_prefix("data.vigil.rules.").filter(|n| !n.contains('.')) else {
        let written = package.trim_start_matches("data.");
        return Err(PolicyError::near(
            file,
            &source,
            "package",
            format!(
                "package {written} must be vigil.rules.<name> (one file is one rule) or vigil.lib.<name> (a library)"
            ),
        ));
    };
    let at_metadata = |message: String| PolicyError::near(file, &source, "metadata", message);
    let metadata = engine
        .eval_rule(format!("{package}.metadata"))
        .map_err(|e| at_metadata(format!("metadata cannot be evaluated: {}", one_line(&e.to_string()))))?;
    if metadata == regorus::Value::Undefined {
        return Err(at_metadata("the policy has no metadata".into()));
    }
    let metadata = serde_json::to_value(&metadata).map_err(|e| at_metadata(e.to_string()))?;
    let metadata = Metadata::read(&metadata).map_err(at_metadata)?;
    if !source.lines().any(|line| line.trim_start().starts_with("deny")) {
        return Err(PolicyError::near(
            file,
            &source,
            "package",
            format!("policy {name} has no deny rule: nothing could fail"),
        ));
    }
    Ok(Policy {
        file: file.to_owned(),
        source,
        libraries: libraries.clone(),
        package,
        metadata,
    })
}

/// The interpreter's several-line reports, as one line.
pub(crate) fn one_line(report: &str) -> String {
    report
        .lines()
        .map(str::trim)
        .rfind(|line| !line.is_empty())
        .unwrap_or(report)
        .to_owned()
}

/// A string that lives as long as the run, as a built-in rule's do.
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

impl Policy {
    fn refused(&self, message: String) -> PolicyError {
        PolicyError::near(&self.file, &self.source, "metadata", message)
    }

    /// What each read is looked up by, live and in templates.
    pub(crate) fn reads(&self) -> Vec<Setting> {
        self.metadata
            .reads
            .iter()
            .map(|path| {
                let path = leak(path.clone());
                Setting {
                    property: Property {
                        cloudformation: path,
                        terraform: leak(vigil_core::model::terraform_path(path)),
                    },
                    api: leak(self.metadata.spelling.api_path(path)),
                    presence: false,
                    whole: true,
                }
            })
            .collect()
    }

    /// The policy as a rule of the run.
    pub fn into_custom(self) -> Custom {
        let reads = self.reads();
        let meta = &self.metadata;
        let section = |field: &str| -> &'static str {
            meta.article
                .iter()
                .find(|(f, _)| f == field)
                .map_or("", |(_, body)| leak(body.clone()))
        };
        let what = match section("what") {
            "" => leak(format!(
                "A policy of your own ({}): fails when {}.",
                self.file.display(),
                meta.fails_when
            )),
            what => what,
        };
        let rule = Rule {
            id: leak(meta.id.clone()),
            aliases: &[],
            title: leak(meta.title.clone()),
            fails_when: leak(meta.fails_when.clone()),
            risk: meta.risk,
            categories: Box::leak(meta.categories.iter().map(|c| leak(c.clone())).collect()),
            resource_kind: meta.kind,
            property: reads[0].property,
            remediation: None,
            template_fix: None,
            opt_in: false,
            lookup: Lookup::Nothing,
            setting: None,
            xrefs: CrossRefs::NONE,
            article: Article {
                what,
                why: section("why"),
                audit_console: section("audit_console"),
                audit_cli: section("audit_cli"),
                remediate_console: section("remediate_console"),
                remediate_cli: section("remediate_cli"),
                remediate_cloudformation: section("remediate_cloudformation"),
                remediate_terraform: section("remediate_terraform"),
                references: &[],
            },
            check: vigil_core::custom::judged_by_its_engine,
        };
        Custom {
            origin: self.file.display().to_string(),
            judge: Box::new(PolicyJudge::new(&self, &reads)),
            rule,
            reads,
        }
    }
}
