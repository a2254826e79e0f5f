//! `vigil scan --fix` / `--diff`: the smallest edit per failing resource,
//! written atomically or shown as a unified diff.

use crate::{exit, output};
use std::collections::BTreeMap;
use vigil_core::{registry, Finding, Status};
use vigil_iac::{Fix, TemplateResource};

/// `findings[i]` are the judged findings of `resources[i]`; suppressed ones
/// are left alone, as the user decided.
pub fn run(resources: &[TemplateResource], findings: &[Vec<Finding>], diff_only: bool) -> anyhow::Result<u8> {
    let mut by_file: BTreeMap<&str, Vec<&Fix>> = BTreeMap::new();
    let mut manual = Vec::new();
    for (resource, findings) in resources.iter().zip(findings) {
        let open = findings.iter().filter(|f| !f.suppressed && f.status != Status::Pass);
        for finding in open {
            let property = registry::find(finding.rule).map_or("", |rule| rule.property);
            let place = format!(
                "{}:{}: {}",
                resource.location.file, resource.location.line, resource.location.logical_id
            );
            match resource.fixes.iter().find(|(p, _)| *p == property).map(|(_, fix)| fix) {
                Some(Fix::Manual(why)) => manual.push(format!("{place}: {why}")),
                Some(fix) => by_file.entry(&resource.location.file).or_default().push(fix),
                None => manual.push(format!("{place}: set {property} by hand ({})", finding.rule)),
            }
        }
    }
    let mut patch = String::new();
    let mut edits = 0;
    for (file, fixes) in &by_file {
        let before = std::fs::read_to_string(file)?;
        let before = before.strip_prefix('\u{feff}').unwrap_or(&before).to_owned();
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
    Ok(if manual.is_empty() { exit::CLEAN } else { exit::FAILURES })
}
