//! `vigil audit` end to end: the real binary, the official SDK, and a patched
//! moto server (plus microburst for faults), asserting exact verdicts.

mod support;

use serde_json::json;
use support::seed::{self, Isolation, Spec};
use support::{audit_json, calls, verdicts, Emulator, FaultProxy};

const RULE: &str = "sagemaker-model-network-isolation";
/// The two rules these tests count the verdicts of (the other model rules
/// read the same answers and are tested on their own).
const MODEL_RULES: &str = "sagemaker-model-network-isolation,sagemaker-model-in-vpc";

/// 255 models over three regions, built every way the rule must tell apart.
fn estate() -> Vec<Spec> {
    let mut specs = Vec::new();
    for (region, count) in [("us-east-1", 120), ("eu-west-1", 90), ("ap-southeast-2", 45)] {
        for i in 0..count {
            let isolation = [Isolation::On, Isolation::Off, Isolation::Absent][i % 3];
            let mut spec = Spec::new(region, &format!("{region}-model-{i:03}"), isolation);
            spec.containers = if i % 5 == 0 { 3 } else { 1 };
            spec.in_vpc = i % 4 == 0;
            specs.push(spec);
        }
    }
    specs
}

#[test]
fn every_model_in_every_region_gets_its_exact_verdict() {
    let emulator = Emulator::start();
    let specs = estate();
    seed::create_all(&emulator.url, &specs);

    let regions = "us-east-1,eu-west-1,ap-southeast-2,us-west-2"; // us-west-2 is empty
    let (code, report) = audit_json(&emulator.url, &["--regions", regions, "--rules", MODEL_RULES]);

    assert_eq!(code, 1, "failures were found");
    let found = verdicts(&report);
    assert_eq!(found.len(), specs.len());
    for spec in &specs {
        let finding = &found[&(spec.region.clone(), spec.name.clone())];
        assert_eq!(finding["status"], spec.expected_status(), "{}", spec.name);
        assert_eq!(finding["rule"], RULE);
        assert_eq!(finding["risk"], "medium");
        assert_eq!(finding["suppressed"], false);
        assert_eq!(finding["resource"]["type"], "AWS::SageMaker::Model");
        assert_eq!(finding["resource"]["account"], "123456789012");
        let arn = format!("arn:aws:sagemaker:{}:123456789012:model/{}", spec.region, spec.name);
        assert_eq!(finding["resource"]["arn"], arn.as_str());
    }
    // The VPC rule judges the same models from the same DescribeModel answers.
    let in_vpc = support::verdicts_for(&report, "sagemaker-model-in-vpc");
    assert_eq!(in_vpc.len(), specs.len());
    for spec in &specs {
        let expected = if spec.in_vpc { "pass" } else { "fail" };
        assert_eq!(
            in_vpc[&(spec.region.clone(), spec.name.clone())]["status"],
            expected,
            "{}",
            spec.name
        );
    }
    let failing =
        specs.iter().filter(|s| s.expected_status() == "fail").count() + specs.iter().filter(|s| !s.in_vpc).count();
    assert_eq!(report["summary"]["fail"], failing);
    assert_eq!(report["summary"]["pass"], 2 * specs.len() - failing);
    assert_eq!(report["summary"]["regions"]["us-east-1"]["fail"], 80 + 90);
    assert!(report["errors"].as_array().unwrap().is_empty());

    // No wasted calls: one DescribeModel per model, full pages of 100.
    assert_eq!(
        calls(&report, "sagemaker:DescribeModel", "operations"),
        specs.len() as u64
    );
    assert_eq!(calls(&report, "sagemaker:ListModels", "operations"), 2 + 1 + 1 + 1);
    assert_eq!(
        calls(&report, "ec2:DescribeRegions", "operations"),
        0,
        "regions were given"
    );
}

#[test]
fn empty_pages_that_carry_a_token_are_followed() {
    let emulator = Emulator::start_with(&["--empty-first-page"]);
    let specs: Vec<Spec> = (0..3)
        .map(|i| Spec::new("eu-west-1", &format!("m{i}"), Isolation::On).in_vpc())
        .collect();
    seed::create_all(&emulator.url, &specs);

    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", MODEL_RULES]);

    assert_eq!(code, 0);
    assert_eq!(verdicts(&report).len(), 3);
    assert_eq!(calls(&report, "sagemaker:ListModels", "operations"), 2);
}

#[test]
fn what_cannot_be_read_is_unknown_or_an_error_never_a_pass() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    let names = ["ok-a", "ok-b", "denied", "throttled-twice", "throttled-always"];
    let mut specs: Vec<Spec> = names
        .iter()
        .map(|n| Spec::new("us-east-1", n, Isolation::On).in_vpc())
        .collect();
    specs.push(Spec::new("eu-west-1", "hidden", Isolation::Off));
    seed::create_all(&emulator.url, &specs);
    let describe = |model: &str| format!("ModelName == '{model}'");
    proxy.set_rules(json!([
        {"service": "sagemaker", "operation": "ListModels", "region": "eu-west-1",
         "error": {"code": "AccessDeniedException", "status": 400,
                   "message": "User is not authorized to perform: sagemaker:ListModels"}},
        {"service": "sagemaker", "operation": "DescribeModel", "body": describe("denied"),
         "error": {"code": "AccessDeniedException", "status": 400,
                   "message": "User is not authorized to perform: sagemaker:DescribeModel"}},
        {"service": "sagemaker", "operation": "DescribeModel", "body": describe("throttled-twice"), "times": 2,
         "error": {"code": "ThrottlingException", "status": 400, "message": "Rate exceeded"}},
        {"service": "sagemaker", "operation": "DescribeModel", "body": describe("throttled-always"),
         "error": {"code": "ThrottlingException", "status": 400, "message": "Rate exceeded"}},
    ]));

    let (code, report) = audit_json(
        &proxy.url,
        &[
            "--regions",
            "us-east-1,eu-west-1",
            "--max-attempts",
            "3",
            "--rules",
            MODEL_RULES,
        ],
    );

    assert_eq!(code, 3, "nothing failed, but not everything could be read");
    let found = verdicts(&report);
    let status = |name: &str| found[&("us-east-1".to_owned(), name.to_owned())]["status"].clone();
    let reason = |name: &str| {
        found[&("us-east-1".to_owned(), name.to_owned())]["reason"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(status("ok-a"), "pass");
    assert_eq!(status("ok-b"), "pass");
    assert_eq!(status("throttled-twice"), "pass", "retries got through");
    assert_eq!(status("denied"), "unknown");
    assert!(reason("denied").contains("access denied"), "{}", reason("denied"));
    assert_eq!(status("throttled-always"), "unknown");
    assert!(
        reason("throttled-always").contains("throttled after 3 attempts"),
        "{}",
        reason("throttled-always")
    );
    assert_eq!(found.len(), 5, "the unreadable region contributes no verdict");

    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["region"], "eu-west-1");
    assert_eq!(errors[0]["operation"], "sagemaker:ListModels");
    assert!(errors[0]["message"].as_str().unwrap().contains("access denied"));

    // One operation per model; the retries show up as attempts only.
    assert_eq!(calls(&report, "sagemaker:DescribeModel", "operations"), 5);
    assert_eq!(calls(&report, "sagemaker:DescribeModel", "attempts"), 5 + 2 + 2);
}

#[test]
fn a_model_deleted_between_list_and_describe_is_unknown_and_says_so() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    let specs = [
        Spec::new("us-east-1", "stays", Isolation::On).in_vpc(),
        Spec::new("us-east-1", "doomed", Isolation::On).in_vpc(),
    ];
    seed::create_all(&emulator.url, &specs);
    // Hold doomed's DescribeModel at the proxy long enough to delete it.
    proxy.set_rules(json!([
        {"service": "sagemaker", "operation": "DescribeModel", "body": "ModelName == 'doomed'", "latency": 3000}
    ]));

    let child = support::vigil_command(&[
        "audit",
        "--format",
        "json",
        "--endpoint-url",
        &proxy.url,
        "--regions",
        "us-east-1",
        "--rules",
        MODEL_RULES,
    ])
    .stdout(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    support::wait_for(20, "vigil never asked for doomed", || !proxy.fired().is_empty());
    seed::delete(&emulator.url, "us-east-1", "doomed");
    let out = child.wait_with_output().unwrap();

    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = verdicts(&report);
    let doomed = &found[&("us-east-1".to_owned(), "doomed".to_owned())];
    assert_eq!(doomed["status"], "unknown");
    assert!(
        doomed["reason"].as_str().unwrap().contains("deleted between listing"),
        "{doomed}"
    );
    assert_eq!(found[&("us-east-1".to_owned(), "stays".to_owned())]["status"], "pass");
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn default_regions_are_the_enabled_commercial_ones() {
    let emulator = Emulator::start();
    seed::create_all(&emulator.url, &[Spec::new("eu-west-1", "only", Isolation::Off)]);

    let (code, report) = audit_json(&emulator.url, &[]);

    assert_eq!(code, 1);
    let regions: Vec<&str> = report["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(regions.contains(&"eu-west-1") && regions.contains(&"us-east-1"));
    assert!(
        !regions.iter().any(|r| r.starts_with("cn-") || r.starts_with("us-gov-")),
        "{regions:?}"
    );
    // moto lists il-central-1 as not opted in: skipped with a note, not an error.
    assert!(!regions.contains(&"il-central-1"));
    let notes = report["notes"].as_array().unwrap();
    assert!(notes
        .iter()
        .any(|n| n.as_str().unwrap().contains("not opted in") && n.as_str().unwrap().contains("il-central-1")));
    assert!(report["errors"].as_array().unwrap().is_empty());
    assert_eq!(calls(&report, "ec2:DescribeRegions", "operations"), 1);
    assert_eq!(
        calls(&report, "sagemaker:ListModels", "operations"),
        regions.len() as u64
    );
    assert_eq!(verdicts(&report).len(), 1);
}
