//! `vigil scan` decides a value the way the deployment would, or says why it
//! cannot: Terraform's tfvars files in JSON, CloudFormation's intrinsic
//! functions on literals, `AWS::NoValue`, and parameters whose default is
//! not the value (SSM parameter types). Never a pass for what deploys
//! without isolation.

mod support;

use std::path::Path;
use support::vigil;

const RULE: &str = "sagemaker-model-network-isolation";

fn write(dir: &Path, name: &str, content: &str) {
    std::fs::write(dir.join(name), content).unwrap();
}

/// (logical id, status, unknown reason or message) of the rule's findings.
fn scan(args: &[&str]) -> (i32, Vec<(String, String, String)>, serde_json::Value) {
    let mut all = vec!["scan", "--format", "json", "--rules", RULE];
    all.extend_from_slice(args);
    let out = vigil(&all);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let mut found: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["location"]["logical_id"].as_str().unwrap_or_default().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
                f["reason"]
                    .as_str()
                    .or(f["message"].as_str())
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    found.sort();
    (out.status.code().unwrap(), found, report)
}

const MAIN_TF: &str = r#"
variable "isolate" {
  default = false
}
variable "replicas" {
  default = 0
}
resource "aws_sagemaker_model" "scorer" {
  count                    = var.replicas
  name                     = "scorer"
  execution_role_arn       = "arn:aws:iam::123456789012:role/sm"
  enable_network_isolation = var.isolate
  primary_container {
    image = "img"
  }
}
"#;

#[test]
fn tfvars_json_files_count_and_load_in_terraforms_order() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", MAIN_TF);
    write(dir.path(), "terraform.tfvars.json", r#"{"replicas": 1}"#);
    let folder = dir.path().display().to_string();

    let (code, found, _) = scan(&[&folder]);
    assert_eq!(code, 1, "{found:?}");
    assert_eq!(
        found.len(),
        1,
        "created once count comes from terraform.tfvars.json: {found:?}"
    );
    assert_eq!(found[0].1, "fail");

    // terraform.tfvars, then terraform.tfvars.json, then *.auto.tfvars(.json) by name.
    write(dir.path(), "terraform.tfvars", "isolate = true\n");
    write(
        dir.path(),
        "terraform.tfvars.json",
        r#"{"replicas": 1, "isolate": false}"#,
    );
    write(dir.path(), "b.auto.tfvars.json", r#"{"isolate": true}"#);
    write(dir.path(), "a.auto.tfvars", "isolate = false\n");
    let (code, found, _) = scan(&[&folder]);
    assert_eq!(
        (code, found[0].1.as_str()),
        (0, "pass"),
        "b.auto.tfvars.json is last: {found:?}"
    );

    std::fs::remove_file(dir.path().join("b.auto.tfvars.json")).unwrap();
    let (_, found, _) = scan(&[&folder]);
    assert_eq!(found[0].1, "fail", "a.auto.tfvars beats terraform.tfvars: {found:?}");

    let var_file = dir.path().join("prod.tfvars.json");
    write(dir.path(), "prod.tfvars.json", r#"{"isolate": true}"#);
    let (code, found, report) = scan(&[&folder, "--var-file", var_file.to_str().unwrap()]);
    assert_eq!((code, found[0].1.as_str()), (0, "pass"), "{report:#}");
}

#[test]
fn a_broken_tfvars_json_file_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", MAIN_TF);
    write(dir.path(), "terraform.tfvars.json", "{\n  \"replicas\": [1,\n");
    let (code, _, report) = scan(&[&dir.path().display().to_string()]);
    let error = &report["errors"][0];
    assert!(
        error["file"].as_str().unwrap().ends_with("terraform.tfvars.json") && error["line"].as_u64().is_some(),
        "{report:#}"
    );
    assert_ne!(code, 0);
}

#[test]
fn cloudformation_intrinsics_on_literals_are_decided_and_deploy_time_values_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let model = |id: &str, isolation: &str| {
        format!(
            "  {id}:\n    Type: AWS::SageMaker::Model\n    Properties:\n      ExecutionRoleArn: arn:aws:iam::123456789012:role/sm\n      PrimaryContainer: {{Image: img}}\n      EnableNetworkIsolation: {isolation}\n"
        )
    };
    let template = [
        "Parameters:\n  FromSsm:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /ml/isolation\n  Stage:\n    Type: String\n    Default: prod\n".to_owned(),
        "Mappings:\n  ByStage:\n    prod: {Isolate: \"true\"}\n".to_owned(),
        "Conditions:\n  Never: !Equals [a, b]\n".to_owned(),
        "Resources:\n".to_owned(),
        model("SubModel", "!Sub \"true\""),
        model("SelectModel", "!Select [1, [\"false\", \"true\"]]"),
        model("MapModel", "!FindInMap [ByStage, !Ref Stage, Isolate]"),
        model("NoValueModel", "!If [Never, true, !Ref AWS::NoValue]"),
        model("SsmModel", "!Ref FromSsm"),
    ]
    .concat();
    write(dir.path(), "stack.yaml", &template);

    let (code, found, _) = scan(&[&dir.path().join("stack.yaml").display().to_string()]);

    let status: Vec<(&str, &str)> = found.iter().map(|(id, s, _)| (id.as_str(), s.as_str())).collect();
    assert_eq!(
        status,
        [
            ("MapModel", "pass"),
            ("NoValueModel", "fail"),
            ("SelectModel", "pass"),
            ("SsmModel", "unknown"),
            ("SubModel", "pass"),
        ]
    );
    let ssm = &found.iter().find(|f| f.0 == "SsmModel").unwrap().2;
    assert!(ssm.contains("SSM Parameter Store"), "{ssm}");
    assert_eq!(code, 1);
}

#[test]
fn terraform_null_conversions_count_index_and_a_known_for_each_are_decided() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        r#"
variable "stages" {
  default = { prod = true, dev = false }
}
resource "aws_sagemaker_model" "nulled" {
  execution_role_arn       = "arn:aws:iam::123456789012:role/sm"
  enable_network_isolation = null
}
resource "aws_sagemaker_model" "converted" {
  execution_role_arn       = "arn:aws:iam::123456789012:role/sm"
  enable_network_isolation = tobool("true")
}
resource "aws_sagemaker_model" "per_stage" {
  for_each                 = var.stages
  name                     = "scorer-${each.key}"
  execution_role_arn       = "arn:aws:iam::123456789012:role/sm"
  enable_network_isolation = each.value
}
resource "aws_sagemaker_model" "pair" {
  count                    = 2
  execution_role_arn       = "arn:aws:iam::123456789012:role/sm"
  enable_network_isolation = [true, false][count.index]
}
resource "aws_sagemaker_model" "huge" {
  count                    = 100000000
  execution_role_arn       = "arn:aws:iam::123456789012:role/sm"
}
"#,
    );
    let (_, found, report) = scan(&[&dir.path().display().to_string()]);
    let status: Vec<(&str, &str)> = found.iter().map(|(id, s, _)| (id.as_str(), s.as_str())).collect();
    assert_eq!(
        status,
        [
            ("aws_sagemaker_model.converted", "pass"),
            ("aws_sagemaker_model.nulled", "fail"),
            ("aws_sagemaker_model.pair[0]", "pass"),
            ("aws_sagemaker_model.pair[1]", "fail"),
            ("aws_sagemaker_model.per_stage[\"dev\"]", "fail"),
            ("aws_sagemaker_model.per_stage[\"prod\"]", "pass"),
        ],
        "{report:#}"
    );
    let error = report["errors"][0]["message"].as_str().unwrap();
    assert!(error.contains("count makes 100000000 instances"), "{error}");
}

#[test]
fn fn_for_each_loops_are_expanded_and_an_unknown_collection_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "loop.yaml",
        r#"Transform: AWS::LanguageExtensions
Parameters:
  Isolated: { Type: CommaDelimitedList, Default: "fraud,churn" }
  Deployed: { Type: CommaDelimitedList }
Resources:
  Fn::ForEach::Models:
    - Name
    - [fraud, churn, legacy]
    - Model${Name}:
        Type: AWS::SageMaker::Model
        Properties:
          ModelName: !Sub "${Name}-model"
          ExecutionRoleArn: arn:aws:iam::123456789012:role/sm
          PrimaryContainer: {Image: img}
          EnableNetworkIsolation: !If [IsLegacy, false, true]
  Fn::ForEach::Unknown:
    - Name
    - !Ref Deployed
    - Other&{Name}:
        Type: AWS::SageMaker::Model
        Properties:
          ExecutionRoleArn: arn:aws:iam::123456789012:role/sm
Conditions:
  IsLegacy: !Equals [a, b]
"#,
    );
    let (code, found, report) = scan(&[&dir.path().join("loop.yaml").display().to_string()]);
    let status: Vec<(&str, &str)> = found.iter().map(|(id, s, _)| (id.as_str(), s.as_str())).collect();
    assert_eq!(
        status,
        [("Modelchurn", "pass"), ("Modelfraud", "pass"), ("Modellegacy", "pass")],
        "{report:#}"
    );
    let error = report["errors"][0]["message"].as_str().unwrap();
    assert!(
        error.starts_with("Fn::ForEach::Unknown:") && error.contains("Deployed") && error.contains("not judged"),
        "{error}"
    );
    assert_ne!(code, 0);
}

#[test]
fn a_nested_stack_is_judged_with_the_parameters_its_parent_passes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("stacks")).unwrap();
    write(
        &dir.path().join("stacks"),
        "model.yaml",
        "Parameters:\n  Isolate: {Type: String, Default: \"true\"}\n  Role: {Type: String}\nResources:\n  Scorer:\n    Type: AWS::SageMaker::Model\n    Properties:\n      ExecutionRoleArn: !Ref Role\n      PrimaryContainer: {Image: img}\n      EnableNetworkIsolation: !Ref Isolate\n",
    );
    write(
        dir.path(),
        "parent.yaml",
        "Parameters:\n  Unknown: {Type: String}\nResources:\n  Prod:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./stacks/model.yaml\n      Parameters: {Isolate: \"false\", Role: arn:aws:iam::123456789012:role/sm}\n  Dev:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: stacks/model.yaml\n      Parameters: {Isolate: !Ref Unknown}\n  Remote:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://example-bucket.s3.amazonaws.com/model.yaml\n",
    );

    let (code, found, report) = scan(&[&dir.path().display().to_string()]);

    let status: Vec<(&str, &str)> = found.iter().map(|(id, s, _)| (id.as_str(), s.as_str())).collect();
    assert_eq!(
        status,
        [("Dev/Scorer", "unknown"), ("Prod/Scorer", "fail")],
        "the child as each parent deploys it, and no standalone pass: {report:#}"
    );
    let dev = &found[0].2;
    assert!(dev.contains("parent stack passes") && dev.contains("Unknown"), "{dev}");
    assert!(
        report["notes"].to_string().contains("Remote deploys https://"),
        "{:#}",
        report["notes"]
    );
    assert_eq!(code, 1);
}

/// A child deployed by two parents is reported in the order of its
/// deployments' logical ids, whichever parent was followed first.
#[test]
fn a_child_deployed_twice_is_reported_in_logical_id_order() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "model.yaml",
        "Parameters:\n  Isolate: {Type: String, Default: \"true\"}\nResources:\n  Scorer:\n    Type: AWS::SageMaker::Model\n    Properties:\n      ExecutionRoleArn: arn:aws:iam::123456789012:role/sm\n      PrimaryContainer: {Image: img}\n      EnableNetworkIsolation: !Ref Isolate\n",
    );
    let stack = |id: &str, isolate: &str| {
        format!("  {id}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./model.yaml\n      Parameters: {{Isolate: \"{isolate}\"}}\n")
    };
    // Followed last declared first: Zed before Alpha.
    let parent = format!("Resources:\n{}{}", stack("Alpha", "false"), stack("Zed", "true"));
    write(dir.path(), "parent.yaml", &parent);
    let (_, _, report) = scan(&[&dir.path().display().to_string()]);
    let order: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["location"]["logical_id"].as_str())
        .collect();
    assert_eq!(order, ["Alpha/Scorer", "Zed/Scorer"], "{report:#}");
}

#[test]
fn terraform_override_files_are_merged_as_terraform_merges_them() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        r#"
resource "aws_sagemaker_model" "scorer" {
  execution_role_arn       = "arn:aws:iam::123456789012:role/sm"
  enable_network_isolation = true
  vpc_config {
    subnets            = ["subnet-1"]
    security_group_ids = ["sg-1"]
  }
}
resource "aws_sagemaker_notebook_instance" "lab" {
  name                   = "lab"
  role_arn               = "arn:aws:iam::123456789012:role/sm"
  instance_type          = "ml.t3.medium"
  direct_internet_access = "Disabled"
}
"#,
    );
    write(
        dir.path(),
        "override.tf",
        "resource \"aws_sagemaker_model\" \"scorer\" {\n  enable_network_isolation = false\n}\n",
    );
    write(
        dir.path(),
        "debug_override.tf",
        "resource \"aws_sagemaker_notebook_instance\" \"lab\" {\n  direct_internet_access = \"Enabled\"\n}\n",
    );
    let folder = dir.path().display().to_string();
    let (_, found, report) = scan(&[&folder]);
    assert_eq!(
        found
            .iter()
            .map(|(id, s, _)| (id.as_str(), s.as_str()))
            .collect::<Vec<_>>(),
        [("aws_sagemaker_model.scorer", "fail")],
        "one resource, as deployed: {report:#}"
    );
    let out = vigil(&[
        "scan",
        "--format",
        "json",
        "--rules",
        "sagemaker-notebook-direct-internet-access",
        &folder,
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let statuses: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["fail"], "{report:#}");
}

#[test]
fn parameters_given_on_the_command_line_or_in_a_file_scan_the_template_as_deployed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "stack.yaml",
        "Parameters:\n  Isolate: {Type: String, Default: \"true\"}\n  Role: {Type: String}\nResources:\n  Scorer:\n    Type: AWS::SageMaker::Model\n    Properties:\n      ExecutionRoleArn: !Ref Role\n      PrimaryContainer: {Image: img}\n      EnableNetworkIsolation: !Ref Isolate\n",
    );
    write(
        dir.path(),
        "prod.json",
        r#"[{"ParameterKey": "Isolate", "ParameterValue": "false"}, {"ParameterKey": "Role", "ParameterValue": "arn:aws:iam::1:role/r"}]"#,
    );
    write(dir.path(), "pipeline.json", r#"{"Parameters": {"Isolate": "true"}}"#);
    write(dir.path(), "broken.json", r#"{"Isolate": "true"}"#);
    let stack = dir.path().join("stack.yaml").display().to_string();
    let file = |name: &str| dir.path().join(name).display().to_string();

    let (_, defaults, _) = scan(&[&stack]);
    let (_, given, _) = scan(&[&stack, "--parameter-file", &file("prod.json")]);
    let (_, both, _) = scan(&[
        &stack,
        "--parameter-file",
        &file("prod.json"),
        "--parameter-file",
        &file("pipeline.json"),
    ]);
    let (_, overridden, _) = scan(&[
        &stack,
        "--parameter-file",
        &file("prod.json"),
        "--parameter",
        "Isolate=true",
    ]);

    assert_eq!(defaults[0].1, "pass", "the default");
    assert!(
        defaults[0].2.ends_with("(assuming parameter defaults: Isolate=true)"),
        "a verdict decided on a default says so: {}",
        defaults[0].2
    );
    assert_eq!(given[0].1, "fail", "as deployed with prod.json");
    assert!(!given[0].2.contains("assuming"), "{}", given[0].2);
    assert_eq!(both[0].1, "pass", "a later file wins");
    assert_eq!(overridden[0].1, "pass", "--parameter wins over files");
    let out = vigil(&["scan", &stack, "--parameter-file", &file("broken.json")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(&format!("vigil: error: {}: expected [", file("broken.json"))),
        "{stderr}"
    );
}

#[test]
fn one_named_tf_file_is_read_with_its_module_and_reported_alone() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "variables.tf",
        "variable \"isolate\" {\n  default = true\n}\n",
    );
    write(
        dir.path(),
        "main.tf",
        "resource \"aws_sagemaker_model\" \"scorer\" {\n  execution_role_arn = \"arn:aws:iam::1:role/r\"\n  enable_network_isolation = var.isolate\n}\n",
    );
    write(
        dir.path(),
        "other.tf",
        "resource \"aws_sagemaker_model\" \"legacy\" {\n  execution_role_arn = \"arn:aws:iam::1:role/r\"\n}\n",
    );
    let main = dir.path().join("main.tf").display().to_string();
    let (code, found, report) = scan(&[&main]);
    assert_eq!(
        found
            .iter()
            .map(|(id, s, _)| (id.as_str(), s.as_str()))
            .collect::<Vec<_>>(),
        [("aws_sagemaker_model.scorer", "pass")],
        "the variable comes from variables.tf; other.tf is not reported: {report:#}"
    );
    assert_eq!((code, report["files"]["templates"].as_u64()), (0, Some(1)));
}
