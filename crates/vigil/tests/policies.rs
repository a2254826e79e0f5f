//! Your own rules: the Rego policies of `examples/policies`, named by
//! `--policy` or vigil.toml's `policies`, judged by the real binary live on
//! the emulator and in CloudFormation and Terraform templates alike, with
//! unknown kept exact; bad policies refused in one line; `vigil policy
//! test` passing and failing as it should.

mod support;

use serde_json::json;
use std::collections::BTreeMap;
use support::seed::{self, Isolation, Spec};
use support::{audit_json, vigil, vigil_command, Emulator, FaultProxy};

const REGION: &str = "eu-west-1";
const RULE: &str = "acme-model-isolated-or-in-vpc";

fn policies() -> String {
    format!("{}/../../examples/policies", env!("CARGO_MANIFEST_DIR"))
}

/// Each finding of `rule`: name, then status and message.
fn judged_by(report: &serde_json::Value, rule: &str) -> BTreeMap<String, (String, String)> {
    let text = |v: &serde_json::Value| v.as_str().unwrap().to_owned();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| (text(&f["resource"]["name"]), (text(&f["status"]), text(&f["message"]))))
        .collect()
}

/// The first finding of the resource named `name`.
fn finding_named<'r>(report: &'r serde_json::Value, name: &str) -> &'r serde_json::Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource"]["name"] == name)
        .unwrap_or_else(|| panic!("no finding of {name}: {report:#}"))
}

/// Each finding of the README's example.
fn judged(report: &serde_json::Value) -> BTreeMap<String, (String, String)> {
    judged_by(report, RULE)
}

#[test]
fn live_models_with_neither_isolation_nor_a_vpc_fail_and_a_refused_one_is_unknown() {
    let emulator = Emulator::start();
    seed::create_all(
        &emulator.url,
        &[
            Spec::new(REGION, "neither", Isolation::Absent),
            Spec::new(REGION, "isolated", Isolation::On),
            Spec::new(REGION, "in-vpc", Isolation::Off).in_vpc(),
            Spec::new(REGION, "refused", Isolation::On),
        ],
    );
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([
        {"service": "sagemaker", "operation": "DescribeModel", "body": "contains(ModelName, 'refused')",
         "error": {"code": "AccessDeniedException", "status": 400, "message": "not authorized to perform sagemaker:DescribeModel"}}
    ]));
    let policies = policies();
    let (code, report) = audit_json(
        &proxy.url,
        &["--regions", REGION, "--rules", RULE, "--policy", &policies],
    );
    let judged = judged(&report);
    assert_eq!(
        judged["neither"],
        ("fail".into(), "model neither has neither isolation nor a VPC".into())
    );
    assert_eq!(judged["isolated"].0, "pass");
    assert_eq!(judged["in-vpc"].0, "pass", "{:?}", judged["in-vpc"]);
    assert_eq!(judged["refused"].0, "unknown");
    let refused = finding_named(&report, "refused");
    assert!(
        refused["reason"].as_str().unwrap().contains("AccessDenied"),
        "{refused:#}"
    );
    assert_eq!(judged.len(), 4, "{judged:?}");
    assert_eq!(code, 1);
    // The other report formats carry the policy's rule as they do a built-in one's.
    for (format, field, expected) in [
        ("ocsf", "/metadata/event_code", RULE.to_owned()),
        ("asff", "/GeneratorId", format!("vigil/{RULE}")),
    ] {
        let out = vigil(&[
            "audit",
            "--format",
            format,
            "--endpoint-url",
            &proxy.url,
            "--regions",
            REGION,
            "--rules",
            RULE,
            "--policy",
            &policies,
        ]);
        let records: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let records = records.as_array().unwrap();
        assert_eq!(records.len(), 4, "{format}: {records:#?}");
        assert!(
            records.iter().all(|r| r.pointer(field) == Some(&json!(expected))),
            "{format}: {records:#?}"
        );
    }
}

#[test]
fn templates_give_the_same_verdicts_in_cloudformation_and_terraform() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("models.yaml"),
        r#"Parameters:
  Isolate: {Type: String}
Resources:
  Neither:
    Type: AWS::SageMaker::Model
    Properties:
      ExecutionRoleArn: arn:aws:iam::123456789012:role/r
  Isolated:
    Type: AWS::SageMaker::Model
    Properties:
      ExecutionRoleArn: arn:aws:iam::123456789012:role/r
      EnableNetworkIsolation: "true"
  InVpc:
    Type: AWS::SageMaker::Model
    Properties:
      ExecutionRoleArn: arn:aws:iam::123456789012:role/r
      EnableNetworkIsolation: false
      VpcConfig: {Subnets: [subnet-1], SecurityGroupIds: [sg-1]}
  Unresolved:
    Type: AWS::SageMaker::Model
    Properties:
      ExecutionRoleArn: arn:aws:iam::123456789012:role/r
      EnableNetworkIsolation: !Ref Isolate
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"variable "isolate" {}
resource "aws_sagemaker_model" "neither" {
  name               = "tf-neither"
  execution_role_arn = "arn:aws:iam::123456789012:role/r"
}
resource "aws_sagemaker_model" "isolated" {
  name                     = "tf-isolated"
  execution_role_arn       = "arn:aws:iam::123456789012:role/r"
  enable_network_isolation = true
}
resource "aws_sagemaker_model" "in_vpc" {
  name               = "tf-in-vpc"
  execution_role_arn = "arn:aws:iam::123456789012:role/r"
  vpc_config {
    subnets            = ["subnet-1"]
    security_group_ids = ["sg-1"]
  }
}
resource "aws_sagemaker_model" "unresolved" {
  name                     = "tf-unresolved"
  execution_role_arn       = "arn:aws:iam::123456789012:role/r"
  enable_network_isolation = var.isolate
}
"#,
    )
    .unwrap();
    let folder = dir.path().to_str().unwrap();
    let out = vigil(&[
        "scan",
        "--format",
        "json",
        "--rules",
        RULE,
        "--policy",
        &policies(),
        folder,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let statuses: BTreeMap<String, String> = judged(&report)
        .into_iter()
        .map(|(name, (status, _))| (name, status))
        .collect();
    let expected: BTreeMap<String, String> = [
        ("Neither", "fail"),
        ("Isolated", "pass"),
        ("InVpc", "pass"),
        ("Unresolved", "unknown"),
        ("aws_sagemaker_model.neither", "fail"),
        ("aws_sagemaker_model.isolated", "pass"),
        ("aws_sagemaker_model.in_vpc", "pass"),
        ("aws_sagemaker_model.unresolved", "unknown"),
    ]
    .into_iter()
    .map(|(name, status)| (name.to_owned(), status.to_owned()))
    .collect();
    assert_eq!(statuses, expected);
    let unresolved = finding_named(&report, "Unresolved");
    assert!(
        unresolved["reason"].as_str().unwrap().contains("!Ref Isolate"),
        "{unresolved:#}"
    );
    // The finding is placed where the property is written.
    assert_eq!(unresolved["location"]["property"]["line"], 23, "{unresolved:#}");
}

#[test]
fn bedrock_agents_are_judged_live_and_in_templates_alike() {
    let rule = "acme-agent-approved-models";
    let emulator = Emulator::start();
    support::python_scene(
        &format!(
            r#"
import boto3, sys
c = boto3.client('bedrock-agent', endpoint_url=sys.argv[1], region_name='{REGION}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
for name, model in [('approved', 'amazon.nova-pro-v1:0'), ('other', 'meta.llama3-8b-instruct-v1:0')]:
    c.create_agent(agentName=name, agentResourceRoleArn='arn:aws:iam::123456789012:role/agent', foundationModel=model)
"#
        ),
        &emulator.url,
    );
    let policies = policies();
    let (_, report) = audit_json(
        &emulator.url,
        &["--regions", REGION, "--rules", rule, "--policy", &policies],
    );
    let live = judged_by(&report, rule);
    assert_eq!(live["approved"].0, "pass", "{report:#}");
    assert_eq!(
        live["other"],
        (
            "fail".to_owned(),
            "agent other runs on meta.llama3-8b-instruct-v1:0, which is not an approved model".to_owned()
        )
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("agents.yaml"),
        "Resources:\n  Approved:\n    Type: AWS::Bedrock::Agent\n    Properties:\n      AgentName: approved\n      FoundationModel: amazon.nova-pro-v1:0\n  Other:\n    Type: AWS::Bedrock::Agent\n    Properties:\n      AgentName: other\n      FoundationModel: meta.llama3-8b-instruct-v1:0\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("agents.tf"),
        "resource \"aws_bedrockagent_agent\" \"approved\" {\n  agent_name = \"tf-approved\"\n  foundation_model = \"amazon.nova-pro-v1:0\"\n  agent_resource_role_arn = \"arn:aws:iam::1:role/a\"\n}\nresource \"aws_bedrockagent_agent\" \"other\" {\n  agent_name = \"tf-other\"\n  foundation_model = var.model\n  agent_resource_role_arn = \"arn:aws:iam::1:role/a\"\n}\nvariable \"model\" {}\n",
    )
    .unwrap();
    let out = vigil(&[
        "scan",
        "--format",
        "json",
        "--rules",
        rule,
        "--policy",
        &policies,
        dir.path().to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let scanned: BTreeMap<String, String> = judged_by(&report, rule)
        .into_iter()
        .map(|(name, (status, _))| (name, status))
        .collect();
    let expected: BTreeMap<String, String> = [
        ("Approved", "pass"),
        ("Other", "fail"),
        ("aws_bedrockagent_agent.approved", "pass"),
        ("aws_bedrockagent_agent.other", "unknown"),
    ]
    .into_iter()
    .map(|(name, status)| (name.to_owned(), status.to_owned()))
    .collect();
    assert_eq!(scanned, expected, "{report:#}");
}

#[test]
fn a_policy_in_vigil_toml_is_a_rule_like_the_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("vigil.toml"),
        format!(
            "policies = [\"{}\"]\n\n[[suppress]]\nrule = \"{RULE}\"\nresources = [\"Neither\"]\nreason = \"a sandbox model\"\n",
            policies()
        ),
    )
    .unwrap();
    let template = dir.path().join("t.yaml");
    std::fs::write(
        &template,
        "Resources:\n  Neither:\n    Type: AWS::SageMaker::Model\n    Properties:\n      ExecutionRoleArn: arn:aws:iam::1:role/r\n",
    )
    .unwrap();
    let config = dir.path().join("vigil.toml");
    let out = vigil(&[
        "scan",
        "--config",
        config.to_str().unwrap(),
        "--format",
        "sarif",
        "--rules",
        RULE,
        template.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &sarif["runs"][0];
    let rule = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == RULE)
        .expect("the policy's rule is described");
    assert_eq!(
        rule["shortDescription"]["text"],
        "Models are isolated or run in our VPCs"
    );
    assert_eq!(run["results"][0]["suppressions"][0]["justification"], "a sandbox model");
    let listed = vigil(&["rules", "--format", "json", "--policy", &policies()]);
    let rules: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let ours_by_file: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["policy"].as_str())
        .collect();
    assert_eq!(ours_by_file.len(), 4, "{ours_by_file:?}");
    assert!(ours_by_file.iter().all(|f| f.ends_with(".rego")), "{ours_by_file:?}");
    let ours: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_str().filter(|id| id.starts_with("acme-")))
        .collect();
    assert_eq!(
        ours,
        [
            "acme-agent-approved-models",
            "acme-endpoint-variants-redundant",
            "acme-model-isolated-or-in-vpc",
            "acme-notebook-instance-types"
        ]
    );
    let explained = vigil(&["explain", "--policy", &policies(), RULE, "--format", "markdown"]);
    let article = String::from_utf8_lossy(&explained.stdout);
    assert!(
        article.contains("## Remediate: CloudFormation") && !article.contains("## Audit: console"),
        "{article}"
    );
}

#[test]
fn a_bad_policy_stops_the_run_before_any_call_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.rego");
    let example = std::fs::read_to_string(format!("{}/model_isolated_or_in_vpc.rego", policies())).unwrap();
    std::fs::write(&bad, example.replace("not input.VpcConfig", "not input.VpcConfig +")).unwrap();
    // An endpoint nothing listens on: the run must stop before calling it.
    let out = vigil(&[
        "audit",
        "--endpoint-url",
        "http://127.0.0.1:9",
        "--regions",
        REGION,
        "--policy",
        bad.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!("vigil: error: {}:24:", bad.display())),
        "{stderr}"
    );
    for (written, refusal) in [
        ("\"AWS::SageMaker::Model\"", "\"AWS::S3::Bucket\""),
        (
            "\"EnableNetworkIsolation\", \"VpcConfig\"",
            "\"EnableNetworkIsolation\", \"Tags\"",
        ),
        ("acme-model-isolated-or-in-vpc", "sagemaker-model-in-vpc"),
    ] {
        std::fs::write(&bad, example.replace(written, refusal)).unwrap();
        let out = vigil(&["scan", "--policy", bad.to_str().unwrap(), dir.path().to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.starts_with(&format!("vigil: error: {}:7:1: metadata", bad.display())),
            "{stderr}"
        );
    }
}

#[test]
fn policy_tests_pass_and_a_failing_one_exits_one() {
    let out = vigil(&["policy", "test", &policies()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.ends_with("10 tests, 10 passed, 0 failed\n"), "{stdout}");
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(policies()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let test = dir.path().join("notebook_instance_types_test.rego");
    let text = std::fs::read_to_string(&test).unwrap();
    std::fs::write(&test, text.replace("ml.p4d.24xlarge", "ml.t3.large")).unwrap();
    let out = vigil_command(&["policy", "test", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL data.vigil.rules.acme_notebook_instance_types_test.test_a_large_gpu_type_fails: false")
            || stdout.contains(
                "FAIL data.vigil.rules.acme_notebook_instance_types_test.test_a_large_gpu_type_fails: undefined"
            ),
        "{stdout}"
    );
}

#[test]
fn the_input_schema_in_docs_is_what_botocore_says() {
    let script = format!("{}/../../scripts/policy-schema.py", env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(support::python())
        .args([script.as_str(), "--check"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_command_that_judges_nothing_refuses_a_policy_rather_than_ignoring_it() {
    let policies = policies();
    for args in [
        vec!["remediate", "sagemaker-model-network-isolation", "--policy", &policies],
        vec!["policy", "test", &policies, "--policy", &policies],
        vec!["completions", "bash", "--policy", &policies],
    ] {
        let out = vigil(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("vigil: error: --policy does not apply to `vigil "),
            "{stderr}"
        );
    }
}
