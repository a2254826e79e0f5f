//! Every rule has pass and fail fixtures for CloudFormation (YAML and JSON)
//! and Terraform; scanning each gives exactly the verdict its name promises,
//! and the full result (places, reasons) is pinned by a snapshot.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use vigil_core::registry::RULES;
use vigil_iac::{judge, scan, ScanOptions};

/// Fixture files or folders every rule must have.
const REQUIRED: &[&str] = &["pass.yaml", "fail.yaml", "pass.json", "fail.json", "tf-pass", "tf-fail"];

/// Rules of kinds that templates declare; jobs are started by code and are
/// checked live only.
fn has_templates(rule: &vigil_core::Rule) -> bool {
    rule.resource_kind.sources().contains(&"cloudformation")
}

fn fixtures(rule: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rule)
}

#[test]
fn every_rule_has_pass_and_fail_fixtures_for_every_source() {
    for rule in RULES.iter().filter(|r| has_templates(r)) {
        for name in REQUIRED {
            let path = fixtures(rule.id).join(name);
            assert!(path.exists(), "{} lacks the fixture {}", rule.id, path.display());
        }
    }
}

#[test]
fn each_fixture_gets_the_verdict_its_name_promises() {
    for rule in RULES.iter().filter(|r| has_templates(r)) {
        let dir = fixtures(rule.id);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        for name in names {
            let expected = ["pass", "fail", "unknown"]
                .into_iter()
                .find(|s| name.trim_start_matches("tf-").starts_with(s))
                .unwrap_or_else(|| panic!("fixture {name} says neither pass, fail nor unknown"));
            let out = scan(&[dir.join(&name)], &ScanOptions::default());
            assert!(out.errors.is_empty(), "{name}: {:?}", out.errors);
            let mut snapshot = String::new();
            let mut judged = 0;
            for resource in &out.resources {
                for finding in judge(resource, RULES, "2026-01-01", &mut Vec::new())
                    .into_iter()
                    .filter(|f| f.rule == rule.id)
                {
                    judged += 1;
                    let location = finding.location.as_ref().unwrap();
                    assert_eq!(finding.status.as_str(), expected, "{name}: {}", location.logical_id);
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
            assert!(judged > 0, "{name} produced no finding for {}", rule.id);
            insta::assert_snapshot!(format!("{}__{}", rule.id, name.replace('.', "_")), snapshot);
        }
    }
}
