//! What a broken endpoint or a careless command line cannot do to an audit:
//! a `NextToken` cycle stops with the region reported (no endless loop, no
//! duplicate finding); an `--output` that cannot be written is refused
//! before any AWS call; a `--since` window past 1970 is a usage error.

mod support;

use support::seed::{self, Isolation, Spec};
use support::{audit_json, vigil, Emulator, FaultProxy};

#[test]
fn a_next_token_cycle_stops_the_listing_with_a_region_error_and_no_duplicates() {
    let emulator = Emulator::start_with(&["--token-cycle"]);
    let specs: Vec<Spec> = (0..150)
        .map(|i| Spec::new("eu-west-1", &format!("m{i:03}"), Isolation::On))
        .collect();
    seed::create_all(&emulator.url, &specs);

    let (code, report) = audit_json(
        &emulator.url,
        &["--regions", "eu-west-1", "--rules", "sagemaker-model-network-isolation"],
    );

    assert_eq!(
        code, 3,
        "nothing failed, but the listing is incomplete: {:#}",
        report["errors"]
    );
    let names: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resource"]["name"].as_str().unwrap())
        .collect();
    let unique: std::collections::BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!((names.len(), unique.len()), (150, 150), "each model judged once");
    let error = &report["errors"][0];
    assert_eq!(error["region"], "eu-west-1");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("returned a NextToken it had returned before"),
        "{error:#}"
    );
}

#[test]
fn an_output_that_cannot_be_written_is_refused_before_any_aws_call() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    // Every call the audit could make fires a (harmless) rule at the proxy.
    proxy.set_rules(serde_json::json!([
        {"service": "sts", "latency": 1},
        {"service": "ec2", "latency": 1},
        {"service": "sagemaker", "latency": 1}
    ]));
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/folder/report.json");

    let out = vigil(&[
        "audit",
        "--endpoint-url",
        &proxy.url,
        "--regions",
        "eu-west-1",
        "--output",
        missing.to_str().unwrap(),
    ]);

    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(&format!(
            "vigil: error: --output {}: the folder {} does not exist",
            missing.display(),
            missing.parent().unwrap().display()
        )),
        "{stderr}"
    );
    assert_eq!(proxy.fired(), Vec::<serde_json::Value>::new(), "no AWS call was made");
}

#[test]
fn a_since_window_beyond_1970_is_a_usage_error_not_a_panic() {
    for since in ["999999999999d", "0001-01-01"] {
        let out = vigil(&["audit", "--since", since, "--regions", "eu-west-1"]);
        assert_eq!(out.status.code(), Some(2), "{since}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("reaches back before 1970"), "{since}: {stderr}");
    }
}

#[test]
fn a_throttled_call_gives_its_place_back_while_it_backs_off() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    let names: Vec<String> = (0..8).map(|i| format!("m{i}")).collect();
    let specs: Vec<Spec> = names.iter().map(|n| Spec::new("eu-west-1", n, Isolation::On)).collect();
    seed::create_all(&emulator.url, &specs);
    // Each model's first DescribeModel is throttled; every other one is
    // recorded (1 ms of latency), so the proxy's log is the order of calls.
    let mut rules: Vec<serde_json::Value> = names
        .iter()
        .map(|n| {
            serde_json::json!({"service": "sagemaker", "operation": "DescribeModel",
                "body": format!("ModelName == '{n}'"), "times": 1,
                "error": {"code": "ThrottlingException", "status": 400, "message": "Rate exceeded"}})
        })
        .collect();
    rules.push(serde_json::json!({"service": "sagemaker", "operation": "DescribeModel", "latency": 1}));
    proxy.set_rules(serde_json::Value::Array(rules));

    let (code, report) = audit_json(
        &proxy.url,
        &[
            "--regions",
            "eu-west-1",
            "--rules",
            "sagemaker-model-network-isolation",
            "--concurrency",
            "1",
        ],
    );

    assert_eq!(code, 0, "{report:#}");
    let mut fired = proxy.fired();
    fired.sort_by(|a, b| a["ts"].as_f64().partial_cmp(&b["ts"].as_f64()).unwrap());
    let throttled = |f: &serde_json::Value| f["action"].as_str().is_some_and(|a| a.contains("Throttling"));
    assert_eq!(fired.iter().filter(|f| throttled(f)).count(), 8, "{fired:#?}");
    // Holding its place through the back-off, the first model would retry
    // (and succeed) before any other call; giving it back, the next model's
    // call goes first.
    assert!(
        throttled(&fired[0]) && throttled(&fired[1]) && fired[0]["rule_id"] != fired[1]["rule_id"],
        "with one place in flight, another model is described while the first backs off: {fired:#?}"
    );
}

#[test]
fn an_operation_is_named_one_way_in_errors() {
    let emulator = Emulator::start();
    support::seed::monitoring(&emulator.url, "eu-west-1");
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(serde_json::json!([{
        "service": "sagemaker", "operation": "ListDataQualityJobDefinitions",
        "error": {"code": "AccessDeniedException", "status": 400, "message": "denied"}
    }]));
    let (code, report) = audit_json(
        &proxy.url,
        &[
            "--regions",
            "eu-west-1",
            "--rules",
            "sagemaker-monitoring-network-isolation",
        ],
    );
    assert_eq!(code, 3, "{report:#}");
    assert_eq!(
        report["errors"][0]["operation"], "sagemaker:ListDataQualityJobDefinitions",
        "{:#}",
        report["errors"]
    );
    // A schedule whose definition's type could not be listed is unknown
    // for that reason, not judged as running a missing definition.
    let found = support::verdicts_for(&report, "sagemaker-monitoring-network-isolation");
    let schedule = &found[&("eu-west-1".to_owned(), "names-open".to_owned())];
    assert_eq!(schedule["status"], "unknown", "{schedule:#}");
    assert!(
        schedule["reason"].as_str().unwrap().contains("could not all be listed"),
        "{schedule:#}"
    );
}

/// `ec2:DescribeRegions` is a hand-signed call (no EC2 SDK crate): a
/// throttled answer is retried like the SDK's calls, and a refusal is
/// reported with EC2's own code while the home region is still audited.
#[test]
fn region_discovery_retries_throttling_and_reports_a_refusal() {
    let emulator = Emulator::start();
    seed::create_all(&emulator.url, &[Spec::new("us-east-1", "m1", Isolation::On)]);
    let proxy = FaultProxy::start(&emulator.url);
    let only_model_rule = ["--rules", "sagemaker-model-network-isolation"];

    proxy.set_rules(serde_json::json!([{
        "service": "ec2", "operation": "DescribeRegions", "times": 1,
        "error": {"code": "RequestLimitExceeded", "status": 503, "message": "Request limit exceeded."}
    }]));
    let (code, report) = audit_json(&proxy.url, &only_model_rule);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(support::calls(&report, "ec2:DescribeRegions", "operations"), 1);
    assert_eq!(support::calls(&report, "ec2:DescribeRegions", "attempts"), 2);
    assert!(
        support::calls(&report, "sagemaker:ListModels", "operations") > 10,
        "{report:#}"
    );

    proxy.set_rules(serde_json::json!([{
        "service": "ec2", "operation": "DescribeRegions",
        "error": {"code": "UnauthorizedOperation", "status": 403, "message": "You are not authorized to perform this operation."}
    }]));
    let (code, report) = audit_json(&proxy.url, &only_model_rule);
    assert_eq!(code, 3, "{report:#}");
    let error = &report["errors"][0];
    assert_eq!(error["scope"], "discovery", "{report:#}");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("UnauthorizedOperation: You are not authorized to perform this operation."),
        "{message}"
    );
    assert_eq!(
        support::calls(&report, "ec2:DescribeRegions", "attempts"),
        1,
        "a refusal is not retried"
    );
    assert_eq!(
        support::verdicts(&report)[&("us-east-1".to_owned(), "m1".to_owned())]["status"],
        "pass"
    );
}
