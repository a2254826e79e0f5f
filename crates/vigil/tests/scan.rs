//! `vigil scan` end to end on the shipped examples and on hostile input: exact
//! verdicts, every output format, fixes that touch only what they must.

mod support;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};
use support::vigil;

fn examples() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .canonicalize()
        .unwrap()
        .display()
        .to_string()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// (logical id, status, suppressed) of every network-isolation finding.
fn verdicts(report: &serde_json::Value) -> Vec<(String, String, bool)> {
    verdicts_for(report, "sagemaker-model-network-isolation")
}

fn verdicts_for(report: &serde_json::Value, rule: &str) -> Vec<(String, String, bool)> {
    let mut v: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            (
                f["location"]["logical_id"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
                f["suppressed"].as_bool().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// A scan puts its findings in a temporary file as each file is judged;
/// with no folder to make one in, it holds them, and says the same.
#[test]
fn a_scan_with_no_temporary_folder_reports_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("vigil.toml");
    let suppress =
        "[[suppress]]\nrule = \"sagemaker-model-network-isolation\"\nresources = [\"Recommender*\"]\nreason = \"r\"\n";
    std::fs::write(&config, suppress).unwrap();
    let (examples, config) = (examples(), config.display().to_string());
    let args = ["scan", &examples, "--format", "json", "--config", &config];
    let spilled = vigil(&args);
    let held = support::vigil_command(&args)
        .env("TMPDIR", "/nonexistent/vigil-tmp")
        .output()
        .unwrap();
    assert_eq!(held.status.code(), spilled.status.code());
    let timeless = |out: &Output| {
        let mut report = json(out);
        report["started_at"] = serde_json::Value::Null;
        report["finished_at"] = serde_json::Value::Null;
        report
    };
    let report = timeless(&spilled);
    assert!(report["summary"]["findings"].as_u64() > Some(5), "{report}");
    assert!(verdicts(&report).contains(&("RecommenderModel".into(), "fail".into(), true)));
    assert_eq!(timeless(&held), report);
}

#[test]
fn the_examples_get_exact_verdicts() {
    let out = vigil(&["scan", &examples(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let expect = |id: &str, status: &str, suppressed: bool| (id.to_owned(), status.to_owned(), suppressed);
    assert_eq!(
        verdicts(&report),
        vec![
            expect("EnrichmentModel", "fail", true),
            expect("FraudModel", "pass", false),
            expect("RecommenderModel", "fail", false),
            expect("SharedModel", "unknown", false),
            expect("StagedModel", "fail", false),
            expect("aws_sagemaker_model.churn", "unknown", false),
            expect("aws_sagemaker_model.forecast", "pass", false),
            expect("aws_sagemaker_model.partner_scoring", "fail", true),
            expect("aws_sagemaker_model.pricing", "fail", false),
            expect("module.nlp.aws_sagemaker_model.classifier", "pass", false),
            expect("module.nlp.aws_sagemaker_model.summariser", "fail", false),
        ]
    );
    assert_eq!(
        report["files"]["not_templates"], 1,
        "the Kubernetes manifest is skipped quietly"
    );
    let notes = report["notes"].as_array().unwrap();
    assert!(notes
        .iter()
        .any(|n| n.as_str().unwrap().contains("ProdOnlyShadowModel is not created")));
    assert!(notes.iter().any(|n| n
        .as_str()
        .unwrap()
        .contains("aws_sagemaker_model.legacy is not created: count is 0")));
    let pricing = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["location"]["logical_id"] == "aws_sagemaker_model.pricing")
        .unwrap();
    assert_eq!(pricing["location"]["line"], 19);
    assert_eq!(pricing["location"]["property"]["line"], 22);
    assert!(pricing["location"]["file"]
        .as_str()
        .unwrap()
        .ends_with("examples/terraform/inference/main.tf"));
}

/// The two model rules the format tests count findings of (the examples
/// also hold an endpoint configuration other rules judge).
const MODEL_RULES: &str = "sagemaker-model-network-isolation,sagemaker-model-in-vpc";

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let out = vigil(&["scan", &examples(), "--format", "sarif", "--rules", MODEL_RULES]);
    let sarif = json(&out);
    // The official OASIS schema (a copy of sarif-schema-2.1.0.json, as shipped
    // in the serde-sarif 0.8.0 crate). Its `language` patterns have an
    // unbalanced bracket that strict validators refuse to compile; mend only
    // that, as the spec's errata do.
    let text = include_str!("sarif-schema-2.1.0.json").replace(
        r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        r"^[a-zA-Z]{2}$|^[a-zA-Z]{2}-[a-zA-Z]{2}$",
    );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        8 + 9,
        "fails, unknowns and suppressed fails of both rules; no passes"
    );
    let rule = &sarif["runs"][0]["tool"]["driver"]["rules"][1];
    assert_eq!(rule["id"], "sagemaker-model-network-isolation");
    assert!(rule["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## Remediate: Terraform"));
    assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
    assert!(results
        .iter()
        .all(|r| r["partialFingerprints"]["vigilResource/v1"].as_str().unwrap().len() == 16));
    assert_eq!(results.iter().filter(|r| r.get("suppressions").is_some()).count(), 2);
    // The schema check must be able to fail.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "severe".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn junit_output_has_a_case_per_resource() {
    let out = vigil(&["scan", &examples(), "--format", "junit", "--rules", MODEL_RULES]);
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(
        xml.contains(r#"<testsuite name="sagemaker-model-network-isolation" tests="11""#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<testsuite name="sagemaker-model-in-vpc" tests="11""#),
        "{xml}"
    );
    assert_eq!(xml.matches("<failure").count(), 4 + 9);
    assert_eq!(xml.matches("<error").count(), 2);
    assert_eq!(xml.matches("<skipped").count(), 2);
}

#[test]
fn text_output_groups_by_file_and_quotes_the_line() {
    let out = vigil(&["scan", &examples()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("22:3  fail  aws_sagemaker_model.pricing"), "{text}");
    assert!(text.contains("22 |   enable_network_isolation = false"));
    assert!(text.contains("why unknown: EnableNetworkIsolation is !Ref IsolationParam, which has no default"));
}

fn copy_examples(to: &Path) {
    for entry in walk(Path::new(&examples())) {
        let rel = entry.strip_prefix(examples()).unwrap();
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&entry, dest).unwrap();
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn fix_changes_only_the_failing_properties_and_then_they_pass() {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path());
    let root = dir.path().to_str().unwrap();
    let before: Vec<(std::path::PathBuf, String)> = walk(dir.path())
        .into_iter()
        .map(|p| (p.clone(), std::fs::read_to_string(&p).unwrap()))
        .collect();

    let diff = vigil(&["scan", root, "--diff"]);
    let patch = String::from_utf8(diff.stdout).unwrap();
    assert_eq!(
        patch
            .lines()
            .filter(|l| l.starts_with("+ ")
                || l.starts_with("+\t")
                || l.starts_with("+E")
                || (l.starts_with('+') && !l.starts_with("+++")))
            .count(),
        2,
        "{patch}"
    );
    for (path, text) in &before {
        assert_eq!(
            &std::fs::read_to_string(path).unwrap(),
            text,
            "--diff wrote {}",
            path.display()
        );
    }

    let fixed = vigil(&["scan", root, "--fix"]);
    assert!(
        String::from_utf8_lossy(&fixed.stderr).contains("needs a manual change"),
        "unresolvable values are left to a person"
    );
    let recommender = std::fs::read_to_string(dir.path().join("cloudformation/recommender.yaml")).unwrap();
    let original = &before
        .iter()
        .find(|(p, _)| p.ends_with("cloudformation/recommender.yaml"))
        .unwrap()
        .1;
    let mut expected = original.replacen(
        "    Properties:\n      ModelName",
        "    Properties:\n      EnableNetworkIsolation: true\n      ModelName",
        1,
    );
    assert_eq!(recommender, expected, "one line added, every other byte kept");
    let main_tf = std::fs::read_to_string(dir.path().join("terraform/inference/main.tf")).unwrap();
    let original_tf = &before
        .iter()
        .find(|(p, _)| p.ends_with("terraform/inference/main.tf"))
        .unwrap()
        .1;
    expected = original_tf.replacen("enable_network_isolation = false", "enable_network_isolation = true", 1);
    assert_eq!(main_tf, expected);

    let rescan = json(&vigil(&["scan", root, "--format", "json"]));
    let after = verdicts(&rescan);
    assert!(after.contains(&("RecommenderModel".into(), "pass".into(), false)));
    assert!(after.contains(&("aws_sagemaker_model.pricing".into(), "pass".into(), false)));
    assert!(
        after.contains(&("EnrichmentModel".into(), "fail".into(), true)),
        "suppressed resources are left as they are"
    );
}

fn write(dir: &Path, name: &str, content: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

/// Runs vigil and fails the test if it takes longer than `limit`.
fn vigil_within(args: &[&str], limit: Duration) -> Output {
    let start = Instant::now();
    let child = support::vigil_command(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(start.elapsed() < limit, "took {:?}", start.elapsed());
    out
}

#[test]
fn hostile_and_broken_files_are_reported_and_the_rest_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let good = "Resources:\n  M:\n    Type: AWS::SageMaker::Model\n    Properties:\n      EnableNetworkIsolation: true\n      VpcConfig: {Subnets: [subnet-1], SecurityGroupIds: [sg-1]}\n";
    write(dir.path(), "good.yaml", good.as_bytes());
    write(
        dir.path(),
        "broken.yaml",
        b"Resources:\n  M:\n    Type: [AWS::SageMaker::Model\n",
    );
    let mut bomb = String::from("Resources: {}\na0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
            p = i - 1
        ));
    }
    write(dir.path(), "bomb.yaml", bomb.as_bytes());
    write(
        dir.path(),
        "deep.yaml",
        format!("Resources: {}{}", "[".repeat(50_000), "]".repeat(50_000)).as_bytes(),
    );
    write(
        dir.path(),
        "deep.tf",
        format!("locals {{\n  x = {}{}\n}}\n", "[".repeat(50_000), "]".repeat(50_000)).as_bytes(),
    );
    write(dir.path(), "binary.json", &[0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 3]);
    write(
        dir.path(),
        "latin1.yaml",
        b"Resources:\n  M: # caf\xe9\n    Type: AWS::SageMaker::Model\n",
    );
    write(
        dir.path(),
        "bad.tf",
        b"resource \"aws_sagemaker_model\" \"m\" {\n  name = \n}\n",
    );
    write(
        dir.path(),
        "big.json",
        format!("{{\"Resources\": {{}}, \"pad\": \"{}\"}}", "x".repeat(300_000)).as_bytes(),
    );

    let out = vigil_within(
        &[
            "scan",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
            "--max-file-size",
            "200000",
        ],
        Duration::from_secs(20),
    );

    assert_eq!(
        out.status.code(),
        Some(4),
        "some files could not be parsed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["summary"]["pass"], 2, "good.yaml is still judged, by both rules");
    let errors: Vec<(String, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let file = e["file"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
            (file, format!("{}:{} {}", e["line"], e["column"], e["message"]))
        })
        .collect();
    let error_of = |name: &str| {
        errors
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    };
    assert!(
        error_of("broken.yaml").starts_with("4:1") || error_of("broken.yaml").starts_with("3:"),
        "{errors:?}"
    );
    let deep = error_of("deep.yaml");
    assert!(
        deep.contains("nesting deeper than") || deep.contains("recursion limit"),
        "{errors:?}"
    );
    assert!(error_of("deep.tf").contains("nesting deeper than"), "{errors:?}");
    assert!(
        error_of("latin1.yaml").starts_with("2:") && error_of("latin1.yaml").contains("UTF-8"),
        "{errors:?}"
    );
    assert!(error_of("bad.tf").contains("not valid HCL"), "{errors:?}");
    assert!(
        error_of("big.json").contains("over the limit of 200000 bytes"),
        "{errors:?}"
    );
    assert!(
        error_of("bomb.yaml").is_empty(),
        "an alias bomb is harmless: its aliases are shared"
    );
    assert_eq!(errors.len(), 6, "{errors:?}");
}

#[test]
fn a_missing_path_is_a_usage_error_and_an_empty_scan_says_so() {
    let out = vigil(&["scan", "/nonexistent/infra", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).lines().next().unwrap_or_default(),
        "vigil: error: /nonexistent/infra: no such file or folder"
    );
    let empty = tempfile::tempdir().unwrap();
    write(empty.path(), "package.json", b"{\"name\": \"x\"}");
    let folder = empty.path().to_str().unwrap();
    let out = vigil(&["scan", folder]);
    assert_eq!(out.status.code(), Some(0), "no template is no failure by default");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).lines().next().unwrap_or_default(),
        "vigil: no template found (1 other YAML/JSON file(s) skipped): nothing was judged"
    );
    assert_eq!(vigil(&["scan", folder, "--fail-on-empty"]).status.code(), Some(2));
}

#[test]
fn local_terraform_modules_are_followed_from_the_scanned_root() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("live/prod")).unwrap();
    std::fs::create_dir_all(dir.path().join("modules/model")).unwrap();
    write(
        &dir.path().join("live/prod"),
        "main.tf",
        b"module \"model\" {\n  source = \"../../modules/model\"\n}\n",
    );
    write(
        &dir.path().join("modules/model"),
        "main.tf",
        b"resource \"aws_sagemaker_model\" \"inner\" {\n  name = \"inner\"\n  execution_role_arn = \"r\"\n}\n",
    );

    let out = vigil(&[
        "scan",
        dir.path().join("live/prod").to_str().unwrap(),
        "--format",
        "json",
    ]);

    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(
        verdicts(&report),
        // Named by its address, as Terraform names a called module's resource.
        vec![(
            "module.model.aws_sagemaker_model.inner".to_owned(),
            "fail".to_owned(),
            false
        )]
    );
    assert!(report["findings"][0]["location"]["file"]
        .as_str()
        .unwrap()
        .ends_with("modules/model/main.tf"));
}

#[test]
fn a_pathological_hcl_file_is_abandoned_at_the_deadline() {
    // Found by the terraform fuzz target: unclosed blocks that make the HCL
    // parser backtrack exponentially. Twice the original takes minutes unguarded.
    let dir = tempfile::tempdir().unwrap();
    let slow = include_str!("fixtures/slow-hcl.txt");
    write(dir.path(), "main.tf", format!("{slow}\n{slow}").as_bytes());
    write(
        dir.path(),
        "ok.yaml",
        b"Resources:\n  M:\n    Type: AWS::SageMaker::Model\n    Properties: {}\n",
    );

    let out = vigil_within(
        &["scan", dir.path().to_str().unwrap(), "--format", "json"],
        Duration::from_secs(30),
    );

    let report = json(&out);
    assert_eq!(out.status.code(), Some(1), "ok.yaml still fails on its own");
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("abandoned"), "{message}");
}

#[test]
fn a_suppression_without_reason_or_for_an_unknown_rule_is_reported_and_suppresses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let template = b"Resources:
  NoReason:
    Type: AWS::SageMaker::Model
    Metadata: {vigil: {suppress: [{rule: sagemaker-model-network-isolation}]}}
    Properties: {VpcConfig: {Subnets: [s]}}
  UnknownRule:
    Type: AWS::SageMaker::Model
    Metadata: {vigil: {suppress: [{rule: sagemaker-model-nope, reason: typo}]}}
    Properties: {VpcConfig: {Subnets: [s]}}
";
    write(dir.path(), "stack.yaml", template);
    write(dir.path(), "main.tf", b"# vigil:suppress sagemaker-model-network-isolation\nresource \"aws_sagemaker_model\" \"m\" {\n  vpc_config {\n    subnets = [\"s\"]\n  }\n}\n");

    let out = vigil(&["scan", dir.path().to_str().unwrap(), "--format", "json"]);

    assert_eq!(out.status.code(), Some(1), "the failures still count");
    let report = json(&out);
    assert!(
        verdicts(&report)
            .iter()
            .all(|(_, status, suppressed)| status == "fail" && !suppressed),
        "{report}"
    );
    let errors: Vec<String> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["scope"] == "suppression")
        .map(|e| {
            format!(
                "{}:{} {}",
                e["file"].as_str().unwrap().rsplit('/').next().unwrap(),
                e["line"],
                e["message"]
            )
        })
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("stack.yaml:4") && e.contains("gives no reason")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("'sagemaker-model-nope', which is not a Vigil rule")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("main.tf:1") && e.contains("gives no reason")),
        "{errors:?}"
    );
}

#[test]
fn fix_inserts_the_property_into_json_templates_keeping_their_layout() {
    let dir = tempfile::tempdir().unwrap();
    let before = "{\n  \"Resources\": {\n    \"Model\": {\n      \"Type\": \"AWS::SageMaker::Model\",\n      \"Properties\": {\n        \"ExecutionRoleArn\": \"arn:aws:iam::123456789012:role/r\",\n        \"PrimaryContainer\": { \"Image\": \"img\" }\n      }\n    },\n    \"Flipped\": {\n      \"Type\": \"AWS::SageMaker::Model\",\n      \"Properties\": { \"EnableNetworkIsolation\": \"false\", \"PrimaryContainer\": { \"Image\": \"img\" } }\n    }\n  }\n}\n";
    let path = write(dir.path(), "stack.json", before.as_bytes());

    vigil(&["scan", &path, "--fix"]);

    let after = std::fs::read_to_string(&path).unwrap();
    let expected = before
        .replace(
            "\"Properties\": {\n        \"ExecutionRoleArn\"",
            "\"Properties\": {\n        \"EnableNetworkIsolation\": true,\n        \"ExecutionRoleArn\"",
        )
        .replace(
            "\"EnableNetworkIsolation\": \"false\"",
            "\"EnableNetworkIsolation\": true",
        );
    assert_eq!(after, expected);
    serde_json::from_str::<serde_json::Value>(&after).expect("still valid JSON");
    let rescan = json(&vigil(&["scan", &path, "--format", "json"]));
    assert!(
        verdicts(&rescan).iter().all(|(_, status, _)| status == "pass"),
        "{rescan}"
    );
}
