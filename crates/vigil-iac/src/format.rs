//! What one file is (a CloudFormation template, Terraform HCL or JSON, a
//! plan, several YAML documents, or none of these), told from its name and
//! text, and read into what the scan does next.

use crate::load::{load, parse_hcl};
use crate::scan::ScanOptions;
use crate::source::FileScan;
use crate::tf::HclFile;
use crate::{cfn, tf, tree};
use std::path::Path;
use vigil_core::{Position, RunError};

/// One file's outcome, before module-level work (Terraform variables).
pub(crate) enum Read {
    Template(FileScan),
    Hcl(HclFile),
    NotTemplate,
    Failed(RunError),
}

/// One file read, with the digest of its text.
pub(crate) fn read(path: &Path, options: &ScanOptions) -> (Read, Option<u64>) {
    let display = path.display().to_string();
    let text = match load(path, options.max_file_bytes) {
        Ok(Some(text)) => text,
        Ok(None) => return (Read::NotTemplate, None),
        Err((pos, message)) => {
            return (
                Read::Failed(RunError::in_file(
                    vigil_core::report::ErrorScope::File,
                    &display,
                    pos,
                    message,
                )),
                None,
            )
        }
    };
    let digest = vigil_core::hash::fnv1a64(text.as_bytes());
    (read_text(display, text, &options.parameters), Some(digest))
}

/// Reads one file's text; `display` is its path as reported, `parameters`
/// the CloudFormation parameter values given on the command line.
pub(crate) fn read_text(display: String, text: String, parameters: &[(String, String)]) -> Read {
    let fail = |pos: Option<Position>, message: String| {
        Read::Failed(RunError::in_file(
            vigil_core::report::ErrorScope::File,
            &display,
            pos,
            message,
        ))
    };
    let name = display.rsplit('/').next().unwrap_or_default().to_owned();
    if name.ends_with(".tf") || (unnamed_format(&name) && looks_like_hcl(&text)) {
        return match parse_hcl(&text) {
            Ok(body) => Read::Hcl(HclFile {
                path: display,
                text,
                body,
            }),
            Err((pos, message)) => fail(pos, message),
        };
    }
    // Cheap test before a full parse: most JSON/YAML in a repository
    // (package.json, Kubernetes manifests) is no template.
    if !["Resources", "resource", "format_version", "AWSTemplateFormatVersion"]
        .iter()
        .any(|k| text.contains(k))
    {
        return Read::NotTemplate;
    }
    let documents = match tree::parse_documents(&text) {
        Ok(documents) => documents,
        Err(err) => return fail(err.pos, format!("not valid YAML/JSON: {}", err.message)),
    };
    let Some(root) = documents.first() else {
        return Read::NotTemplate;
    };
    // A JSON template is read as YAML (a superset), but CloudFormation and
    // Terraform read it as JSON: what YAML forgives (a trailing comma) is an
    // error that names its place.
    let is_template = cfn::is_template(root) || tf::plan::is_plan(root) || name.ends_with(".tf.json");
    if name.ends_with(".json") && is_template {
        if let Err(err) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
            let pos = Position {
                line: err.line(),
                column: err.column(),
            };
            // The place is the error's line and column, not repeated in its text.
            let said = err.to_string();
            let said = said.split(" at line ").next().unwrap_or_default();
            return fail(Some(pos), format!("not valid JSON: {said}"));
        }
    }
    let parent = cfn::Parent {
        given: parameters.iter().map(|(k, v)| (k.clone(), Ok(v.clone()))).collect(),
        prefix: String::new(),
    };
    if documents.len() > 1 {
        return several_documents(&display, &text, &documents, &parent);
    }
    if cfn::is_template(root) {
        Read::Template(cfn::read(&display, &text, root, &parent))
    } else if tf::plan::is_plan(root) {
        Read::Template(tf::plan::read(&display, root))
    } else if name.ends_with(".tf.json") && tf::json::is_template(root) {
        Read::Template(tf::json::read(&display, root))
    } else {
        Read::NotTemplate
    }
}

/// A name that says nothing of the format: standard input, a FIFO, a
/// process substitution (`/dev/fd/63`).
fn unnamed_format(name: &str) -> bool {
    ![".yaml", ".yml", ".json", ".template", ".tf"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Terraform's top-level blocks, at the start of the first line that is
/// neither blank nor a comment.
fn looks_like_hcl(text: &str) -> bool {
    let first = text
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("//"));
    first.is_some_and(|line| {
        [
            "resource ",
            "module ",
            "variable ",
            "locals ",
            "data ",
            "provider ",
            "terraform ",
            "output ",
        ]
        .iter()
        .any(|block| line.starts_with(block))
    })
}

/// A YAML stream of several documents: CloudFormation deploys one document
/// per template, but none is dropped unsaid: each template among them is
/// read, and a note says so.
fn several_documents(display: &str, text: &str, documents: &[std::rc::Rc<tree::Node>], parent: &cfn::Parent) -> Read {
    let mut scan = FileScan::default();
    let mut templates = 0;
    for document in documents.iter().filter(|d| cfn::is_template(d)) {
        templates += 1;
        let one = cfn::read(display, text, document, parent);
        scan.resources.extend(one.resources);
        scan.absent.extend(one.absent);
        scan.errors.extend(one.errors);
        scan.nested.extend(one.nested);
        scan.unjudged.extend(one.unjudged);
    }
    if templates == 0 {
        return Read::NotTemplate;
    }
    scan.absent.push(format!(
        "{display}: holds {} YAML documents, {templates} of them CloudFormation templates; each was scanned, though CloudFormation deploys one document per template",
        documents.len()
    ));
    Read::Template(scan)
}
