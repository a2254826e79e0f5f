//! Terraform `module` calls are followed or said: a local source is read,
//! a remote one is read where `terraform init` installed it
//! (`.terraform/modules/modules.json`), and a call that cannot be followed
//! gives one line naming the call, its source and what to run, counts as
//! not followed in the closing line and makes the exit code 4, never a
//! silent "0 pass, 0 fail, 0 unknown".

mod support;

use std::path::Path;
use support::vigil;

const RULE: &str = "sagemaker-notebook-direct-internet-access";

const NOTEBOOK_MODULE: &str = r#"
resource "aws_sagemaker_notebook_instance" "this" {
  name                   = "research"
  instance_type          = "ml.t3.medium"
  role_arn               = "arn:aws:iam::123456789012:role/nb"
  direct_internet_access = "Enabled"
}
"#;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn call(source: &str) -> String {
    format!("module \"nb\" {{\n  source = \"{source}\"\n}}\n")
}

/// (exit code, text report, JSON report) of a scan of `dir`.
fn scan(dir: &Path) -> (i32, String, serde_json::Value) {
    let dir = dir.to_str().unwrap();
    let text = vigil(&["scan", dir, "--rules", RULE, "--no-store"]);
    let json = vigil(&["scan", dir, "--rules", RULE, "--no-store", "--format", "json"]);
    let report = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(text.status.code(), json.status.code());
    (
        text.status.code().unwrap(),
        String::from_utf8(text.stdout).unwrap(),
        report,
    )
}

fn statuses(report: &serde_json::Value) -> Vec<String> {
    let findings = report["findings"].as_array().unwrap();
    findings
        .iter()
        .map(|f| f["status"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_remote_module_without_terraform_init_is_said_and_not_judged() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("main.tf"),
        &call("github.com/acme/terraform-sagemaker-notebook"),
    );
    let (code, text, report) = scan(dir.path());
    assert_eq!(code, 4, "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("module \"nb\""))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("main.tf:1:1")
            && line.contains("github.com/acme/terraform-sagemaker-notebook")
            && line.contains("`terraform init`"),
        "{line}"
    );
    assert!(text.contains("1 module call(s) not followed"), "{text}");
    assert_eq!(report["files"]["modules_not_followed"], 1);
}

#[test]
fn a_missing_local_module_is_said_and_not_judged() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("main.tf"), &call("./modules/notebook"));
    let (code, text, report) = scan(dir.path());
    assert_eq!(code, 4, "{text}");
    assert!(
        text.contains("module \"nb\" calls ./modules/notebook, which is not a folder here"),
        "{text}"
    );
    assert_eq!(report["files"]["modules_not_followed"], 1);
}

#[test]
fn a_local_module_is_followed_even_outside_the_scanned_folder() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("live/main.tf"), &call("../modules/notebook"));
    write(&dir.path().join("modules/notebook/main.tf"), NOTEBOOK_MODULE);
    let (code, text, report) = scan(&dir.path().join("live"));
    assert_eq!(code, 1, "{text}");
    assert_eq!(statuses(&report), ["fail"]);
    assert_eq!(report["files"]["modules_not_followed"], 0);
}

#[test]
fn a_remote_module_is_read_where_terraform_init_installed_it() {
    let dir = tempfile::tempdir().unwrap();
    let source = "github.com/acme/terraform-sagemaker-notebook";
    write(&dir.path().join("main.tf"), &call(source));
    write(&dir.path().join(".terraform/modules/nb/main.tf"), NOTEBOOK_MODULE);
    let listed = serde_json::json!({"Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "nb", "Source": source, "Dir": ".terraform/modules/nb"},
    ]});
    write(&dir.path().join(".terraform/modules/modules.json"), &listed.to_string());
    let (code, text, report) = scan(dir.path());
    assert_eq!(code, 1, "{text}");
    assert_eq!(statuses(&report), ["fail"]);
    // Listed, but its folder is gone: said, as for a call never installed.
    std::fs::remove_dir_all(dir.path().join(".terraform/modules/nb")).unwrap();
    let (code, text, _) = scan(dir.path());
    assert_eq!(code, 4, "{text}");
    assert!(text.contains("is gone; run `terraform init` again"), "{text}");
}

const BOUND_MODULE: &str = r#"
variable "name" {}
variable "internet" {
  default = "Disabled"
}
resource "aws_sagemaker_notebook_instance" "this" {
  name                   = var.name
  instance_type          = "ml.t3.medium"
  role_arn               = "arn:aws:iam::123456789012:role/nb"
  direct_internet_access = var.internet
}
"#;

const CALLS: &str = r#"
variable "prefix" {
  default = "team"
}
module "open" {
  source   = "../modules/nb"
  name     = "${var.prefix}-open"
  internet = "Enabled"
}
module "closed" {
  source = "../modules/nb"
  name   = "closed"
}
module "decided_later" {
  source   = "../modules/nb"
  name     = "later"
  internet = aws_ssm_parameter.mode.value
}
"#;

#[test]
fn a_call_s_arguments_are_bound_to_the_module_s_variables_as_terraform_plan_binds_them() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("live/main.tf"), CALLS);
    write(&dir.path().join("modules/nb/main.tf"), BOUND_MODULE);
    let (code, text, report) = scan(&dir.path().join("live"));
    assert_eq!(code, 1, "{text}");
    let mut found: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
            (
                text(&f["location"]["logical_id"]),
                text(&f["status"]),
                text(&f["message"]),
            )
        })
        .collect();
    found.sort();
    let ids: Vec<(&str, &str)> = found.iter().map(|(id, s, _)| (id.as_str(), s.as_str())).collect();
    assert_eq!(
        ids,
        [
            ("module.closed.aws_sagemaker_notebook_instance.this", "pass"),
            ("module.decided_later.aws_sagemaker_notebook_instance.this", "unknown"),
            ("module.open.aws_sagemaker_notebook_instance.this", "fail"),
        ]
    );
    // The caller's own variables resolve the argument.
    assert!(found[2].2.contains("Notebook instance team-open"), "{}", found[2].2);
    let unknown = &report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["status"] == "unknown")
        .unwrap();
    let reason = unknown["reason"].as_str().unwrap();
    assert!(reason.contains("the call of module \"decided_later\""), "{reason}");
}

#[test]
fn a_module_that_calls_itself_is_read_to_a_bounded_depth_and_said() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("main.tf"), &call("./"));
    let (code, text, _) = scan(dir.path());
    assert_eq!(code, 4, "{text}");
    assert!(text.contains("does a module call itself?"), "{text}");
}

const COUNTED_CALLS: &str = r#"
module "pair" {
  source   = "../modules/nb"
  count    = 2
  name     = "pair-${count.index}"
  internet = count.index == 0 ? "Enabled" : "Disabled"
}
module "by_team" {
  source   = "../modules/nb"
  for_each = { research = "Enabled", finance = "Disabled" }
  name     = each.key
  internet = each.value
}
module "switched_off" {
  source = "../modules/nb"
  count  = 0
  name   = "never"
}
"#;

#[test]
fn a_module_call_with_count_or_for_each_is_read_once_per_instance() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("live/main.tf"), COUNTED_CALLS);
    write(&dir.path().join("modules/nb/main.tf"), BOUND_MODULE);
    let (code, text, report) = scan(&dir.path().join("live"));
    assert_eq!(code, 1, "{text}");
    let mut found: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
            (text(&f["location"]["logical_id"]), text(&f["status"]))
        })
        .collect();
    found.sort();
    let ids: Vec<(&str, &str)> = found.iter().map(|(id, s)| (id.as_str(), s.as_str())).collect();
    assert_eq!(
        ids,
        [
            (
                "module.by_team[\"finance\"].aws_sagemaker_notebook_instance.this",
                "pass"
            ),
            (
                "module.by_team[\"research\"].aws_sagemaker_notebook_instance.this",
                "fail"
            ),
            ("module.pair[0].aws_sagemaker_notebook_instance.this", "fail"),
            ("module.pair[1].aws_sagemaker_notebook_instance.this", "pass"),
        ]
    );
    // A module whose count is 0 creates nothing, and the scan says so.
    assert!(
        text.contains("module.switched_off is not created: count is 0"),
        "{text}"
    );
}

#[test]
fn module_instances_that_multiply_past_the_bound_are_said_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let fan =
        |count: usize, source: &str| format!("module \"fan\" {{\n  source = \"{source}\"\n  count  = {count}\n}}\n");
    write(&dir.path().join("live/main.tf"), &fan(200, "../a"));
    write(&dir.path().join("a/main.tf"), &fan(200, "../b"));
    write(&dir.path().join("b/main.tf"), NOTEBOOK_MODULE);
    let (code, text, report) = scan(&dir.path().join("live"));
    assert_eq!(code, 4, "{text}");
    // The 200 instances of `a` are read, and each refuses its 200 of `b`:
    // one line says so, not 200.
    let refused: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("makes 40000 module instances"))
        .collect();
    assert_eq!(refused.len(), 1, "{text}");
    assert!(refused[0].contains("a/main.tf:1:1"), "{text}");
    assert_eq!(report["files"]["modules_not_followed"], 1);
    assert!(statuses(&report).is_empty(), "{text}");
}
