//! `vigil scan --fix` / `--diff`: the smallest edit per failing resource,
//! written atomically or shown as a unified diff. Every byte the fix does not
//! mean to change is kept: the file's mode, its byte order mark and its line
//! endings; a file that changed since it was read is refused, not patched at
//! stale offsets; one file that cannot be written does not stop the others.

use crate::{exit, output};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use vigil_core::{Finding, Status};
use vigil_iac::{Fix, TemplateResource};

const BOM: &str = "\u{feff}";

/// `findings[i]` are the judged findings of `resources[i]`; suppressed ones
/// are left alone, as the user decided. `digests` are the files' contents as
/// the scan read them.
pub fn run(
    resources: &[TemplateResource],
    findings: &[Vec<Finding>],
    digests: &BTreeMap<String, u64>,
    diff_only: bool,
) -> anyhow::Result<u8> {
    let mut by_file: BTreeMap<&str, Vec<&Fix>> = BTreeMap::new();
    let mut manual = Vec::new();
    let mut fixed_rules: Vec<&'static vigil_core::Rule> = Vec::new();
    for (resource, findings) in resources.iter().zip(findings) {
        let open = findings.iter().filter(|f| !f.suppressed && f.status != Status::Pass);
        for finding in open {
            let property = finding.rule.property.cloudformation;
            let place = format!(
                "{}:{}: {}",
                resource.location.file, resource.location.line, resource.location.logical_id
            );
            let said = match resource.fixes.iter().find(|(p, _)| *p == property).map(|(_, fix)| fix) {
                Some(Fix::Manual(why)) => format!("{place}: {why}"),
                Some(fix) => {
                    let fixes = by_file.entry(&resource.location.file).or_default();
                    if !fixes.contains(&fix) {
                        fixes.push(fix);
                        if !fixed_rules.contains(&finding.rule) {
                            fixed_rules.push(finding.rule);
                        }
                    }
                    continue;
                }
                None => format!("{place}: set {property} by hand ({})", finding.rule),
            };
            // Each once, in the template's own spelling.
            let said = spelled(&said, &resource.location.file);
            if !manual.contains(&said) {
                manual.push(said);
            }
        }
    }
    let mut patch = String::new();
    let (mut edits, mut files, mut refused) = (0, 0, 0);
    for (file, fixes) in &by_file {
        let done = fix_file(file, fixes, digests.get(*file).copied(), diff_only).and_then(|(before, after)| {
            if diff_only {
                patch.push_str(&unified_diff(file, &before, &after));
                Ok(())
            } else {
                write_keeping_mode(Path::new(file), &after)
            }
        });
        match done {
            Ok(()) => {
                edits += fixes.len();
                files += 1;
            }
            Err(why) => {
                refused += 1;
                let said = format!("{file}: {why:#} (not changed)");
                eprintln!("vigil: error: {}", vigil_report::safe(&said));
            }
        }
    }
    if diff_only {
        output::write(None, &patch)?;
    }
    let verb = if diff_only { "would set" } else { "set" };
    eprintln!("vigil: {verb} network isolation on {edits} resource(s) in {files} file(s)");
    for rule in fixed_rules.iter().filter(|_| edits > 0) {
        if let Some(vigil_core::FixSafety::Replaces(what)) = rule.template_fix {
            eprintln!("vigil: note: {}: {what}", rule.id);
        }
    }
    for line in &manual {
        eprintln!("vigil: needs a manual change: {}", vigil_report::safe(line));
    }
    Ok(if refused > 0 {
        exit::USAGE
    } else if manual.is_empty() {
        exit::CLEAN
    } else {
        exit::FAILURES
    })
}

/// CloudFormation property names as a Terraform file spells them
/// (`VpcConfig` -> `vpc_config`, `NetworkConfig.EnableNetworkIsolation` ->
/// `network_config.enable_network_isolation`); other files keep them.
fn spelled(text: &str, file: &str) -> String {
    let terraform = file.ends_with(".tf") || file.ends_with(".tf.json") || file.ends_with("plan.json");
    if !terraform {
        return text.to_owned();
    }
    text.split(' ')
        .map(|word| {
            let is_property = word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && word.chars().skip(1).any(|c| c.is_ascii_uppercase())
                && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
            if !is_property {
                return word.to_owned();
            }
            let mut snake = String::new();
            let mut previous = '.';
            for c in word.chars() {
                if c.is_ascii_uppercase() && previous != '.' {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
                previous = c;
            }
            snake
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The file's text before and after the fixes, as bytes to write: the byte
/// order mark and CRLF line endings of the original are kept.
fn fix_file(file: &str, fixes: &[&Fix], digest: Option<u64>, diff_only: bool) -> anyhow::Result<(String, String)> {
    let meta = std::fs::metadata(file)?;
    if !meta.is_file() {
        anyhow::bail!("not a regular file: fix the template it came from");
    }
    if !diff_only && meta.permissions().mode() & 0o200 == 0 {
        anyhow::bail!("the file is read-only");
    }
    let raw = std::fs::read_to_string(file)?;
    let (bom, text) = match raw.strip_prefix(BOM) {
        Some(text) => (BOM, text),
        None => ("", raw.as_str()),
    };
    if digest != Some(vigil_core::hash::fnv1a64(text.as_bytes())) {
        anyhow::bail!("the file changed since it was scanned; scan it again");
    }
    let after = if text.contains("\r\n") {
        let crlf: Vec<Fix> = fixes.iter().map(|f| with_crlf(f)).collect();
        vigil_iac::edit::apply(text, &crlf.iter().collect::<Vec<_>>())
    } else {
        vigil_iac::edit::apply(text, fixes)
    };
    Ok((raw.clone(), format!("{bom}{after}")))
}

/// The same edit with its new lines written as CRLF.
fn with_crlf(fix: &Fix) -> Fix {
    let crlf = |text: &str| text.replace("\r\n", "\n").replace('\n', "\r\n");
    match fix {
        Fix::Replace { start, end, text } => Fix::Replace {
            start: *start,
            end: *end,
            text: crlf(text),
        },
        Fix::Insert { at, text } => Fix::Insert {
            at: *at,
            text: crlf(text),
        },
        Fix::Manual(why) => Fix::Manual(why.clone()),
    }
}

/// Replaces `path` atomically with `content`, keeping its permission bits.
fn write_keeping_mode(path: &Path, content: &str) -> anyhow::Result<()> {
    let mode = std::fs::metadata(path)?.permissions().mode();
    output::write_with_mode(path, content, mode & 0o7777)
}

fn unified_diff(file: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{file}"), &format!("b/{file}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terraform_files_hear_terraform_names() {
        assert_eq!(
            spelled(
                "x.tf:3: aws_sagemaker_model.a: add a VpcConfig with your private subnets",
                "x.tf"
            ),
            "x.tf:3: aws_sagemaker_model.a: add a vpc_config with your private subnets"
        );
        assert_eq!(
            spelled("set NetworkConfig.EnableNetworkIsolation by hand", "m/main.tf.json"),
            "set network_config.enable_network_isolation by hand"
        );
        assert_eq!(spelled("add a VpcConfig", "stack.yaml"), "add a VpcConfig");
    }

    #[test]
    fn a_file_changed_since_the_scan_is_refused_not_patched_at_stale_offsets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stack.yaml");
        let scanned = "Properties:\n  Role: arn:aws:iam::123456789012:role/x\n";
        std::fs::write(
            &path,
            "Properties:\n  NewKey: 1\n  Role: arn:aws:iam::123456789012:role/x\n",
        )
        .unwrap();
        let fix = Fix::Replace {
            start: 33,
            end: 45,
            text: "true".into(),
        };
        let digest = vigil_core::hash::fnv1a64(scanned.as_bytes());

        let err = fix_file(path.to_str().unwrap(), &[&fix], Some(digest), false).unwrap_err();

        assert!(err.to_string().contains("changed since it was scanned"), "{err}");
        std::fs::write(&path, scanned).unwrap();
        let (_, after) = fix_file(path.to_str().unwrap(), &[&fix], Some(digest), false).unwrap();
        assert_eq!(
            after, "Properties:\n  Role: arn:aws:iam::true:role/x\n",
            "offsets hold on the text scanned"
        );
    }
}
