//! `vigil scan --fix` / `--diff`: the smallest edit per failing resource,
//! written atomically or shown as a unified diff.

use crate::{exit, output};
use std::collections::BTreeMap;
use vigil_core::{Finding, Status};
use vigil_iac::{Fix, TemplateResource};

/// `findings[i]` are the judged findings of `resources[i]`; suppressed ones
/// are left alone, as the user decided.
pub fn run(
    resources: &[TemplateResource],
    findings: &[Vec<Finding>],
    diff_only: bool,
) -> anyhow::Result<u8> {
    let mut by_file: BTreeMap<&str, Vec<&Fix>> = BTreeMap::new();
    let mut manual = Vec::new();
    for (resource, findings) in resources.iter().zip(findings) {
        let failing = findings
            .iter()
            .any(|f| !f.suppressed && f.status != Status::Pass);
        match (&resource.fix, failing) {
            (Some(Fix::Manual(why)), true) => manual.push(format!(
                "{}:{}: {}: {why}",
                resource.location.file, resource.location.line, resource.location.logical_id
            )),
            (Some(fix), true) => by_file
                .entry(&resource.location.file)
                .or_default()
                .push(fix),
            _ => {}
        }
    }
    let mut patch = String::new();
    let mut edits = 0;
    for (file, fixes) in &by_file {
        let before = std::fs::read_to_string(file)?;
        let before = before
            .strip_prefix('\u{feff}')
            .unwrap_or(&before)
            .to_owned();
        let after = vigil_iac::edit::apply(&before, fixes);
        edits += fixes.len();
        if diff_only {
            let diff = similar::TextDiff::from_lines(&before, &after);
            patch.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{file}"), &format!("b/{file}"))
                    .to_string(),
            );
        } else {
            output::write(Some(std::path::Path::new(file)), &after)?;
        }
    }
    if diff_only {
        output::write(None, &patch)?;
    }
    let verb = if diff_only { "would set" } else { "set" };
    eprintln!(
        "vigil: {verb} network isolation on {edits} resource(s) in {} file(s)",
        by_file.len()
    );
    for line in &manual {
        eprintln!("vigil: needs a manual change: {line}");
    }
    Ok(if manual.is_empty() {
        exit::CLEAN
    } else {
        exit::FAILURES
    })
}
