//! The registry test: for every rule and every template source its kind
//! table maps, pass and fail fixtures in CloudFormation YAML and JSON,
//! Terraform HCL, Terraform JSON and plan JSON (and unknown ones where a
//! value can be unresolvable). Each fixture is its own test case, named
//! `RULE/FIXTURE`: scanning it gives exactly the verdict its name promises,
//! and the full result (places, reasons) is pinned by a snapshot.

use libtest_mimic::{Arguments, Failed, Trial};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use vigil_core::registry::RULES;
use vigil_core::Rule;
use vigil_iac::{judge, kinds, scan, ScanOptions};

/// Fixture files or folders every rule must have, per source it claims.
const REQUIRED: &[(&str, &[&str])] = &[
    ("cloudformation", &["pass.yaml", "fail.yaml", "pass.json", "fail.json"]),
    (
        "terraform",
        &[
            "tf-pass",
            "tf-fail",
            "pass.tf.json",
            "fail.tf.json",
            "pass.plan.json",
            "fail.plan.json",
        ],
    ),
];

fn fixtures(rule: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rule)
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for rule in RULES.iter().copied() {
        let sources = kinds::rule_sources(rule);
        for (source, names) in REQUIRED.iter().filter(|(s, _)| sources.contains(s)) {
            for name in names.iter().copied() {
                let path = fixtures(rule.id).join(name);
                trials.push(Trial::test(
                    format!("{}/has/{source}/{name}", rule.id),
                    move || match path.exists() {
                        true => Ok(()),
                        false => Err(format!("{} claims {source} but lacks {}", rule.id, path.display()).into()),
                    },
                ));
            }
        }
        let Ok(entries) = std::fs::read_dir(fixtures(rule.id)) else {
            continue;
        };
        let mut names: Vec<String> = entries.map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        // `live.json` is what the live audit creates (`vigil/tests/audit_settings.rs`), not a template.
        for name in names.into_iter().filter(|name| name != "live.json") {
            trials.push(Trial::test(format!("{}/{name}", rule.id), move || verdict(rule, &name)));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

/// Scans one fixture: every finding of `rule` has the status its name says.
fn verdict(rule: &'static Rule, name: &str) -> Result<(), Failed> {
    let expected = ["pass", "fail", "unknown"]
        .into_iter()
        .find(|s| name.trim_start_matches("tf-").starts_with(s))
        .ok_or_else(|| format!("fixture {name} says neither pass, fail nor unknown"))?;
    let out = scan(&[fixtures(rule.id).join(name)], &ScanOptions::default());
    if !out.errors.is_empty() {
        return Err(format!("{name}: {:?}", out.errors).into());
    }
    let mut snapshot = String::new();
    let mut judged = 0;
    for resource in &out.resources {
        for finding in judge(resource, RULES, "2026-01-01", &mut Vec::new())
            .into_iter()
            .filter(|f| f.rule.id == rule.id)
        {
            judged += 1;
            let location = finding.location.as_ref().ok_or("a template finding without a place")?;
            if finding.status.as_str() != expected {
                return Err(format!(
                    "{name}: {} is {}, not {expected}",
                    location.logical_id,
                    finding.status.as_str()
                )
                .into());
            }
            let property = location.property.as_ref().map(|p| format!("{}:{}", p.line, p.column));
            let _ = writeln!(
                snapshot,
                "{} {}:{} property={} {} {}",
                location.logical_id,
                location.line,
                location.column,
                property.unwrap_or_else(|| "-".into()),
                finding.status.as_str(),
                finding.reason.as_deref().unwrap_or("")
            );
        }
    }
    if judged == 0 {
        return Err(format!("{name} produced no finding for {}", rule.id).into());
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("fixtures__{}__{}", rule.id, name.replace('.', "_")), snapshot));
    Ok(())
}
