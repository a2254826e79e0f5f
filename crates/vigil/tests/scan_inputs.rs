//! `vigil scan` reads everything it is given and drops nothing unsaid: a
//! FIFO, a process substitution, standard input (`-`), every document of a
//! YAML stream; a UTF-16 file is an error, not "no template"; a template a
//! macro rewrites never passes on faith; a logical id declared twice is one
//! verdict and an error; a file named twice is read once, and a file whose
//! name is not UTF-8 is read.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use support::vigil;

const FAILING: &str = "Resources:\n  Scorer:\n    Type: AWS::SageMaker::Model\n    Properties:\n      ExecutionRoleArn: arn:aws:iam::123456789012:role/sm\n      PrimaryContainer: {Image: img}\n      EnableNetworkIsolation: false\n";

fn statuses(stdout: &[u8]) -> (Vec<(String, String)>, serde_json::Value) {
    let report: serde_json::Value =
        serde_json::from_slice(stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(stdout)));
    let mut found: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "sagemaker-model-network-isolation")
        .map(|f| {
            (
                f["location"]["logical_id"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    (found, report)
}

fn scan_json(paths: &[&str]) -> (i32, Vec<(String, String)>, serde_json::Value) {
    let mut args = vec!["scan", "--format", "json"];
    args.extend_from_slice(paths);
    let out = vigil(&args);
    let (found, report) = statuses(&out.stdout);
    (out.status.code().unwrap(), found, report)
}

/// `vigil scan --format json PATH` with every rule: the output, the report
/// and its sorted (rule, status) pairs.
fn every_rule(path: &str) -> (std::process::Output, serde_json::Value, Vec<(String, String)>) {
    let out = vigil(&["scan", "--format", "json", path]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut verdicts: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    verdicts.sort();
    (out, report, verdicts)
}

fn failing_scorer() -> Vec<(String, String)> {
    vec![("Scorer".to_owned(), "fail".to_owned())]
}

#[test]
fn a_file_named_twice_or_inside_a_named_folder_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("stacks")).unwrap();
    std::fs::write(dir.path().join("stacks/model.yaml"), FAILING).unwrap();
    std::fs::create_dir(dir.path().join("tf")).unwrap();
    std::fs::write(
        dir.path().join("tf/main.tf"),
        "resource \"aws_sagemaker_model\" \"m\" {\n  execution_role_arn = \"arn:aws:iam::123456789012:role/sm\"\n}\n",
    )
    .unwrap();
    let root = dir.path().to_str().unwrap();
    let stacks = format!("{root}/stacks");
    let model = format!("{root}/stacks/model.yaml");
    let tf = format!("{root}/tf");
    let (code, found, report) = scan_json(&[root, &stacks, &model, &tf, root]);
    assert_eq!(code, 1);
    assert_eq!(report["files"]["templates"], 2, "{report}");
    assert_eq!(
        found,
        vec![
            ("Scorer".to_owned(), "fail".to_owned()),
            ("aws_sagemaker_model.m".to_owned(), "fail".to_owned())
        ]
    );
}

#[test]
fn a_template_whose_name_is_not_utf8_is_read_and_reported_by_its_lossy_name() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"mod\xe8le.yaml");
    std::fs::write(dir.path().join(name), FAILING).unwrap();
    std::fs::write(dir.path().join("other.yaml"), FAILING.replace("Scorer", "Other")).unwrap();
    let (code, found, report) = scan_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        vec![
            ("Other".to_owned(), "fail".to_owned()),
            ("Scorer".to_owned(), "fail".to_owned())
        ]
    );
    let files: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["location"]["file"].as_str())
        .collect();
    assert!(files[0].ends_with("/mod\u{fffd}le.yaml"), "{files:?}");
    assert!(
        files.last().unwrap().ends_with("/other.yaml"),
        "in order of name: {files:?}"
    );
    // SARIF names the file by its bytes, so code scanning can find it.
    let out = support::vigil(&["scan", dir.path().to_str().unwrap(), "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris[0].ends_with("/mod%E8le.yaml"), "{uris:?}");
    assert!(uris.last().unwrap().ends_with("/other.yaml"), "{uris:?}");
}

#[test]
fn standard_input_is_read_when_named_dash() {
    let mut child = support::vigil_command(&["scan", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(FAILING.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(statuses(&out.stdout).0, failing_scorer());
}

#[test]
fn a_fifo_and_a_process_substitution_named_on_the_command_line_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("stack.fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, FAILING).unwrap())
    };
    let (code, found, _) = scan_json(&[fifo.to_str().unwrap()]);
    writer.join().unwrap();
    assert_eq!((code, found), (1, failing_scorer()));

    let file = dir.path().join("stack.yaml");
    std::fs::write(&file, FAILING).unwrap();
    let out = Command::new("bash")
        .env("VIGIL_NO_STORE", "true")
        .arg("-c")
        .arg(format!(
            "{} scan --format json <(cat {})",
            env!("CARGO_BIN_EXE_vigil"),
            file.display()
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(statuses(&out.stdout).0, failing_scorer());
}

#[test]
fn every_document_of_a_yaml_stream_is_read_and_the_note_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.yaml");
    std::fs::write(&path, format!("kind: ConfigMap\nmetadata: {{name: x}}\n---\n{FAILING}")).unwrap();
    let (code, found, report) = scan_json(&[path.to_str().unwrap()]);
    assert_eq!((code, found), (1, failing_scorer()));
    let notes = report["notes"].to_string();
    assert!(notes.contains("holds 2 YAML documents"), "{notes}");
}

#[test]
fn a_utf16_template_is_an_error_not_a_skipped_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stack.yaml");
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(FAILING.encode_utf16().flat_map(|u| u.to_le_bytes()));
    std::fs::write(&path, bytes).unwrap();
    let (code, found, report) = scan_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 4, "{report:#}");
    assert!(found.is_empty());
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("UTF-16"), "{message}");
    assert_eq!(report["files"]["not_templates"], 0);
}

#[test]
fn a_custom_macro_turns_a_pass_into_unknown_and_keeps_the_fail() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stack.yaml");
    let passing = FAILING.replace("Scorer", "Isolated").replace(
        "EnableNetworkIsolation: false",
        "EnableNetworkIsolation: true\n      VpcConfig: {Subnets: [s], SecurityGroupIds: [g]}",
    );
    let body = format!("{FAILING}{}", passing.trim_start_matches("Resources:\n"));
    std::fs::write(
        &path,
        format!("Transform: [AWS::Serverless-2016-10-31, AddSidecars]\n{body}"),
    )
    .unwrap();

    let (_, found, report) = scan_json(&[path.to_str().unwrap(), "--rules", "sagemaker-model-network-isolation"]);

    assert_eq!(
        found,
        [
            ("Isolated".to_owned(), "unknown".to_owned()),
            ("Scorer".to_owned(), "fail".to_owned())
        ]
    );
    let reason = first_unknown_reason(&report);
    assert!(reason.contains("macro AddSidecars"), "{reason}");

    // AWS's own transforms are not macros Vigil cannot see.
    std::fs::write(&path, format!("Transform: AWS::Serverless-2016-10-31\n{body}")).unwrap();
    let (_, found, _) = scan_json(&[path.to_str().unwrap(), "--rules", "sagemaker-model-network-isolation"]);
    assert_eq!(found[0], ("Isolated".to_owned(), "pass".to_owned()));
}

#[test]
fn a_logical_id_declared_twice_is_one_verdict_and_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stack.yaml");
    let second = FAILING
        .trim_start_matches("Resources:\n")
        .replace("EnableNetworkIsolation: false", "EnableNetworkIsolation: true");
    std::fs::write(&path, format!("{FAILING}{second}")).unwrap();
    let (code, found, report) = scan_json(&[path.to_str().unwrap()]);
    assert_eq!(found.len(), 1, "{found:?}");
    let error = &report["errors"][0];
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("Scorer is declared again on line 8")
            && error["line"] == 2,
        "{report:#}"
    );
    assert_ne!(code, 0);
    assert!(Path::new(&path).exists());
}

#[test]
fn a_plan_of_notebooks_domains_and_monitoring_is_judged_and_what_no_rule_reads_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::write(
        &plan,
        r#"{"format_version": "1.2", "resource_changes": [
  {"address": "aws_sagemaker_notebook_instance.lab", "type": "aws_sagemaker_notebook_instance",
   "change": {"actions": ["create"], "after": {"name": "lab", "direct_internet_access": "Enabled", "root_access": null},
              "after_unknown": {"subnet_id": false}}},
  {"address": "aws_sagemaker_domain.studio", "type": "aws_sagemaker_domain",
   "change": {"actions": ["create"], "after": {"domain_name": "studio", "app_network_access_type": "PublicInternetOnly"}}},
  {"address": "aws_sagemaker_data_quality_job_definition.dq", "type": "aws_sagemaker_data_quality_job_definition",
   "change": {"actions": ["create"], "after": {"name": "dq", "network_config": [{"enable_network_isolation": false}],
              "job_resources": [{"cluster_config": [{"instance_count": 2, "instance_type": "ml.m5.large"}]}]}}},
  {"address": "aws_sagemaker_endpoint.serve", "type": "aws_sagemaker_endpoint",
   "change": {"actions": ["create"], "after": {"name": "serve"}}}
]}"#,
    )
    .unwrap();
    let (out, report, verdicts) = every_rule(plan.to_str().unwrap());
    let expect = |rule: &str| (rule.to_owned(), "fail".to_owned());
    assert_eq!(
        verdicts,
        [
            expect("sagemaker-domain-kms-key"),
            // No sharing settings: AWS shares notebooks without output.
            ("sagemaker-domain-notebook-output-sharing".to_owned(), "pass".to_owned()),
            expect("sagemaker-domain-sso"),
            expect("sagemaker-domain-vpc-only"),
            expect("sagemaker-monitoring-inter-container-encryption"),
            expect("sagemaker-monitoring-kms"),
            expect("sagemaker-monitoring-network-isolation"),
            expect("sagemaker-notebook-direct-internet-access"),
            expect("sagemaker-notebook-imdsv2"),
            expect("sagemaker-notebook-in-vpc"),
            expect("sagemaker-notebook-kms-key"),
            // No role_arn in the plan: no role, no grant.
            ("sagemaker-notebook-role-all-actions".to_owned(), "pass".to_owned()),
            expect("sagemaker-notebook-root-access"),
            // No platform given: SageMaker's default, Amazon Linux 2023.
            ("sagemaker-notebook-supported-platform".to_owned(), "pass".to_owned()),
            // Direct internet access: SageMaker's network is its way out.
            ("sagemaker-notebook-vpc-egress".to_owned(), "pass".to_owned()),
        ],
        "a plan of notebooks, domains and monitoring is judged, never an empty pass: {report:#}"
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        report["files"]["unjudged"],
        serde_json::json!({"aws_sagemaker_endpoint": 1}),
        "a kind no rule reads is counted"
    );
    let stack = dir.path().join("stack.yaml");
    std::fs::write(
        &stack,
        format!("{FAILING}  Lab:\n    Type: AWS::SageMaker::NotebookInstance\n    Properties: {{InstanceType: ml.t3.medium, RoleArn: r}}\n"),
    )
    .unwrap();
    let out = vigil(&[
        "scan",
        stack.to_str().unwrap(),
        "--rules",
        "sagemaker-model-network-isolation",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("not judged: 1 AWS::SageMaker::NotebookInstance (no chosen rule reads them)"),
        "{stdout}"
    );
}

#[test]
fn terraform_json_notebooks_and_domains_are_judged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("main.tf.json");
    std::fs::write(
        &path,
        r#"{"resource": {
  "aws_sagemaker_notebook_instance": {"lab": {"name": "lab", "direct_internet_access": "${var.internet}",
                                               "root_access": "Disabled", "subnet_id": "subnet-1"}},
  "aws_sagemaker_domain": {"studio": {"domain_name": "studio", "app_network_access_type": "VpcOnly"}}
}}"#,
    )
    .unwrap();
    let (_, report, verdicts) = every_rule(path.to_str().unwrap());
    let v = |rule: &str, status: &str| (rule.to_owned(), status.to_owned());
    assert_eq!(
        verdicts,
        [
            v("sagemaker-domain-kms-key", "fail"),
            v("sagemaker-domain-notebook-output-sharing", "pass"),
            v("sagemaker-domain-sso", "fail"),
            v("sagemaker-domain-vpc-only", "pass"),
            v("sagemaker-notebook-direct-internet-access", "unknown"),
            v("sagemaker-notebook-imdsv2", "fail"),
            v("sagemaker-notebook-in-vpc", "pass"),
            v("sagemaker-notebook-kms-key", "fail"),
            v("sagemaker-notebook-role-all-actions", "pass"),
            v("sagemaker-notebook-root-access", "pass"),
            v("sagemaker-notebook-supported-platform", "pass"),
            // Whether it has direct internet access is a variable.
            v("sagemaker-notebook-vpc-egress", "unknown"),
        ],
        "{report:#}"
    );
}

#[test]
fn a_json_template_is_strict_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stack.json");
    std::fs::write(
        &path,
        "{\n  \"Resources\": {\n    \"M\": {\"Type\": \"AWS::SageMaker::Model\", \"Properties\": {\"EnableNetworkIsolation\": true},}\n  }\n}\n",
    )
    .unwrap();
    let (code, found, report) = scan_json(&[path.to_str().unwrap()]);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(code, 4, "{report:#}");
    let error = &report["errors"][0];
    assert!(
        error["message"] == "not valid JSON: key must be a string" && error["line"] == 3 && error["column"] == 91,
        "{error:#}"
    );
    // Other JSON that is no template is not held to it.
    std::fs::write(
        dir.path().join("stack.json"),
        "{\"compilerOptions\": {\"strict\": true,},}\n",
    )
    .unwrap();
    assert_eq!(scan_json(&[path.to_str().unwrap()]).0, 0);
}

#[test]
fn an_include_spliced_into_a_resource_s_properties_makes_its_verdicts_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stack.yaml");
    let included = FAILING.replace(
        "      EnableNetworkIsolation: false",
        "      EnableNetworkIsolation: false\n      Fn::Transform:\n        Name: AWS::Include\n        Parameters: {Location: s3://bucket/isolation.yaml}",
    );
    let untouched = FAILING.replace("Scorer", "Plain");
    let body = format!("{included}{}", untouched.trim_start_matches("Resources:\n"));
    std::fs::write(&path, body).unwrap();
    let (_, found, report) = scan_json(&[path.to_str().unwrap(), "--rules", "sagemaker-model-network-isolation"]);
    assert_eq!(
        found,
        [
            ("Plain".to_owned(), "fail".to_owned()),
            ("Scorer".to_owned(), "unknown".to_owned())
        ],
        "a fail the snippet may undo is unknown; a resource without one keeps its fail"
    );
    let reason = first_unknown_reason(&report);
    assert!(
        reason.contains("AWS::Include splices the snippet s3://bucket/isolation.yaml"),
        "{reason}"
    );
}

/// The reason of the report's first `unknown` finding.
fn first_unknown_reason(report: &serde_json::Value) -> String {
    let findings = report["findings"].as_array().unwrap();
    let unknown = findings.iter().find(|f| f["status"] == "unknown").unwrap();
    unknown["reason"].to_string()
}
