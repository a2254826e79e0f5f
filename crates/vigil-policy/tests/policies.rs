//! Policies loaded from files and run on resources built in memory: what
//! they say of pass, fail and unknown, and how a bad policy is refused.
//! (The `vigil` binary's own tests run them live and on templates.)

use std::path::PathBuf;
use vigil_core::custom::Custom;
use vigil_core::model::{SageMakerModel, Settings, Value};
use vigil_core::{Fact, Identity, Resource, Status};

const ISOLATED_OR_IN_VPC: &str = r#"package vigil.rules.acme_model_isolated_or_in_vpc
import rego.v1
metadata := {
  "id": "acme-model-isolated-or-in-vpc",
  "title": "Models are isolated or run in our VPCs",
  "risk": "High",
  "kind": "AWS::SageMaker::Model",
  "reads": ["EnableNetworkIsolation", "VpcConfig"],
  "fails_when": "a model has neither network isolation nor a VpcConfig",
  "categories": ["Network"],
}
deny contains msg if {
  not input.EnableNetworkIsolation
  not input.VpcConfig
  msg := sprintf("model %s has neither isolation nor a VPC", [input.ModelName])
}
"#;

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn loaded(text: &str) -> Custom {
    let dir = folder(&[("policy.rego", text)]);
    let mut policies = vigil_policy::load(&[dir.path().to_owned()]).unwrap();
    assert_eq!(policies.len(), 1);
    policies.remove(0).into_custom()
}

fn refusal(text: &str) -> String {
    let dir = folder(&[("policy.rego", text)]);
    let err = vigil_policy::load(&[dir.path().to_owned()]).unwrap_err();
    let shown = err.to_string();
    let file = dir.path().join("policy.rego").display().to_string();
    assert!(shown.starts_with(&format!("{file}:")), "{shown}");
    assert_eq!(shown.lines().count(), 1, "{shown}");
    shown[file.len() + 1..].to_owned()
}

/// A model whose reads hold these values (`None`: not written).
fn model(custom: &Custom, values: &[Option<Fact<serde_json::Value>>]) -> Resource {
    let mut settings = Settings::default();
    for (setting, value) in custom.reads.iter().zip(values) {
        let value = match value {
            None => Fact::Known(Value::Absent),
            Some(Fact::Known(json)) => Fact::Known(Value::Json(json.clone())),
            Some(Fact::Unknown(why)) => Fact::Unknown(why.clone()),
        };
        settings.insert(setting, value);
    }
    let mut identity = Identity::declared("m1".into());
    identity.settings = settings;
    let mut model = SageMakerModel::unreadable(identity.clone(), "not read");
    model.identity = identity;
    Resource::SageMakerModel(model)
}

#[test]
fn the_issues_example_fails_passes_and_passes() {
    let custom = loaded(ISOLATED_OR_IN_VPC);
    assert_eq!(custom.rule.id, "acme-model-isolated-or-in-vpc");
    assert_eq!(custom.rule.resource_kind.type_name(), "AWS::SageMaker::Model");
    let judge = |values: &[Option<Fact<serde_json::Value>>]| custom.judge.judge(&model(&custom, values));
    let neither = judge(&[Some(Fact::Known(false.into())), None]);
    assert_eq!(neither.status, Status::Fail);
    assert_eq!(neither.message, "model m1 has neither isolation nor a VPC");
    assert_eq!(judge(&[Some(Fact::Known(true.into())), None]).status, Status::Pass);
    let vpc = serde_json::json!({"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]});
    assert_eq!(judge(&[None, Some(Fact::Known(vpc))]).status, Status::Pass);
}

#[test]
fn a_read_that_could_not_be_read_is_unknown_and_the_policy_is_not_run() {
    let custom = loaded(ISOLATED_OR_IN_VPC);
    let verdict = custom.judge.judge(&model(
        &custom,
        &[
            Some(Fact::unknown(
                "EnableNetworkIsolation is !Ref Isolate, a parameter with no default",
            )),
            None,
        ],
    ));
    assert_eq!(
        verdict.status,
        Status::Unknown {
            reason: "EnableNetworkIsolation is !Ref Isolate, a parameter with no default".into()
        }
    );
    assert!(
        verdict.message.contains("EnableNetworkIsolation of m1"),
        "{}",
        verdict.message
    );
}

fn runaway(condition: &str) -> Custom {
    loaded(&ISOLATED_OR_IN_VPC.replace(
        "not input.VpcConfig\n",
        &format!("not input.VpcConfig\n  {condition}\n"),
    ))
}

#[test]
fn a_policy_that_runs_too_long_is_stopped_and_not_run_again() {
    let custom = runaway("count([1 | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000)]) > 0");
    let started = std::time::Instant::now();
    let verdict = custom.judge.judge(&model(&custom, &[None, None]));
    assert!(started.elapsed() < vigil_policy::LIMIT * 2, "{:?}", started.elapsed());
    let Status::Unknown { reason } = verdict.status else {
        panic!("{verdict:?}")
    };
    assert!(
        reason.starts_with("policy acme-model-isolated-or-in-vpc stopped: "),
        "{reason}"
    );
    assert!(reason.contains("time limit"), "{reason}");
    // The next resource is not run: one runaway policy costs one limit.
    let started = std::time::Instant::now();
    let again = custom.judge.judge(&model(&custom, &[None, None]));
    assert!(started.elapsed() < vigil_policy::LIMIT / 4, "{:?}", started.elapsed());
    assert!(matches!(again.status, Status::Unknown { reason } if reason.contains("not run again")));
}

#[test]
fn a_range_too_large_for_memory_is_refused_at_once() {
    let custom = runaway("count(numbers.range(1, 1000000000000)) > 0");
    let verdict = custom.judge.judge(&model(&custom, &[None, None]));
    let Status::Unknown { reason } = verdict.status else {
        panic!("{verdict:?}")
    };
    assert!(reason.contains("a policy may make at most 100000"), "{reason}");
}

#[test]
fn a_policy_cannot_read_the_environment_files_or_network() {
    for call in [
        "opa.runtime()",
        "http.send({\"method\": \"get\", \"url\": \"http://x\"})",
        "time.now_ns()",
    ] {
        let text = ISOLATED_OR_IN_VPC.replace(
            "not input.VpcConfig\n",
            &format!("not input.VpcConfig\n  x := {call}\n  x\n"),
        );
        let dir = folder(&[("policy.rego", &text)]);
        let outcome = vigil_policy::load(&[dir.path().to_owned()]);
        let refused = match outcome {
            Err(err) => err.to_string(),
            Ok(mut policies) => {
                let custom = policies.remove(0).into_custom();
                format!("{:?}", custom.judge.judge(&model(&custom, &[None, None])).status)
            }
        };
        assert!(
            !refused.contains("Fail") && !refused.contains("Pass"),
            "{call}: {refused}"
        );
    }
}

#[test]
fn bad_policies_are_refused_with_their_place() {
    let syntax = refusal(&ISOLATED_OR_IN_VPC.replace("deny contains msg if {", "deny contains msg if {{"));
    assert!(syntax.starts_with("13:3:"), "{syntax}");
    let package = refusal(&ISOLATED_OR_IN_VPC.replace("vigil.rules.acme_model_isolated_or_in_vpc", "acme"));
    assert_eq!(
        package,
        "1:1: package acme must be vigil.rules.<name> (one file is one rule) or vigil.lib.<name> (a library)"
    );
    let kind = refusal(&ISOLATED_OR_IN_VPC.replace("AWS::SageMaker::Model", "AWS::S3::Bucket"));
    assert!(kind.starts_with("3:1: metadata.kind \"AWS::S3::Bucket\""), "{kind}");
    let missing =
        refusal(&ISOLATED_OR_IN_VPC.replace("  \"title\": \"Models are isolated or run in our VPCs\",\n", ""));
    assert_eq!(missing, "3:1: metadata has no title");
    let clash = refusal(&ISOLATED_OR_IN_VPC.replace("acme-model-isolated-or-in-vpc", "sagemaker-model-in-vpc"));
    assert!(clash.contains("built-in rule's id"), "{clash}");
    let read = refusal(&ISOLATED_OR_IN_VPC.replace("\"VpcConfig\"]", "\"vpc_config\"]"));
    assert!(read.contains("reads entry \"vpc_config\""), "{read}");
}

#[test]
fn two_policies_with_one_id_are_refused() {
    let dir = folder(&[
        ("a.rego", ISOLATED_OR_IN_VPC),
        ("b.rego", &ISOLATED_OR_IN_VPC.replace("acme_model", "acme_other")),
    ]);
    let err = vigil_policy::load(&[dir.path().to_owned()]).unwrap_err().to_string();
    assert!(err.contains("b.rego:3:1") && err.contains("also the id of"), "{err}");
}

#[test]
fn policy_tests_pass_and_fail_as_written() {
    let tests = r#"package vigil.rules.acme_model_isolated_or_in_vpc_test
import rego.v1
import data.vigil.rules.acme_model_isolated_or_in_vpc as policy
test_neither_fails if {
  count(policy.deny) == 1 with input as {"ModelName": "m", "EnableNetworkIsolation": false}
}
test_isolated_passes if {
  count(policy.deny) == 0 with input as {"ModelName": "m", "EnableNetworkIsolation": true}
}
test_wrongly_expects_a_pass if {
  count(policy.deny) == 0 with input as {"ModelName": "m"}
}
"#;
    let dir = folder(&[("policy.rego", ISOLATED_OR_IN_VPC), ("policy_test.rego", tests)]);
    let outcomes = vigil_policy::run_tests(&[dir.path().to_owned()]).unwrap();
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.failure.is_some())
        .map(|o| o.test.as_str())
        .collect();
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");
    assert_eq!(
        failed,
        ["data.vigil.rules.acme_model_isolated_or_in_vpc_test.test_wrongly_expects_a_pass"]
    );
    // Test files are not policies.
    assert_eq!(vigil_policy::load(&[PathBuf::from(dir.path())]).unwrap().len(), 1);
}

#[test]
fn a_library_beside_the_policies_is_imported_by_them_and_is_no_rule() {
    let library = "package vigil.lib.acme\nimport rego.v1\napproved_types := {\"ml.t3.medium\"}\n";
    let policy = r#"package vigil.rules.acme_types
import rego.v1
import data.vigil.lib.acme
metadata := {"id": "acme-types", "title": "t", "risk": "Low", "kind": "AWS::SageMaker::NotebookInstance",
  "reads": ["InstanceType"], "fails_when": "f"}
deny contains msg if {
  not input.InstanceType in acme.approved_types
  msg := sprintf("%s is not approved", [input.InstanceType])
}
"#;
    let dir = folder(&[("acme.rego", library), ("types.rego", policy)]);
    let mut policies = vigil_policy::load(&[dir.path().to_owned()]).unwrap();
    assert_eq!(policies.len(), 1, "the library is not a rule");
    let custom = policies.remove(0).into_custom();
    let notebook = |instance_type: &str| {
        let mut settings = Settings::default();
        settings.insert(&custom.reads[0], Fact::Known(Value::Json(instance_type.into())));
        let mut identity = Identity::declared("n".into());
        identity.settings = settings;
        let mut notebook = vigil_core::model::NotebookInstance::unreadable(identity.clone(), "not read");
        notebook.identity = identity;
        Resource::NotebookInstance(notebook)
    };
    assert_eq!(custom.judge.judge(&notebook("ml.t3.medium")).status, Status::Pass);
    let other = custom.judge.judge(&notebook("ml.p4d.24xlarge"));
    assert_eq!(
        (other.status, other.message.as_str()),
        (Status::Fail, "ml.p4d.24xlarge is not approved")
    );
}

/// The example policy with an array nested `depth` levels deep.
fn nested_arrays(depth: usize) -> String {
    let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    ISOLATED_OR_IN_VPC.replace(
        "deny contains msg if {",
        &format!("x := {nested}\ndeny contains msg if {{"),
    )
}

#[test]
fn a_policy_nested_to_hang_the_parser_is_refused_within_the_limit() {
    let depth = 30;
    let text = nested_arrays(depth);
    let started = std::time::Instant::now();
    let refused = refusal(&text);
    assert!(
        started.elapsed() < vigil_policy::PARSE_LIMIT * 2,
        "{:?}",
        started.elapsed()
    );
    assert!(refused.starts_with("1:1: not parsed within 5 s"), "{refused}");
}

#[test]
fn brackets_nested_past_the_limit_are_refused_where_they_go_too_deep() {
    let depth = 100_000;
    let text = nested_arrays(depth);
    let refused = refusal(&text);
    assert_eq!(refused, "12:38: brackets nest deeper than 32 levels");
    // Brackets inside strings and comments do not count.
    let quoted = format!("# {}\nx := \"{}\"\n", "[".repeat(40), "{".repeat(40));
    let dir = folder(&[(
        "policy.rego",
        &ISOLATED_OR_IN_VPC.replace("deny contains msg if {", &format!("{quoted}deny contains msg if {{")),
    )]);
    assert_eq!(vigil_policy::load(&[dir.path().to_owned()]).unwrap().len(), 1);
}
