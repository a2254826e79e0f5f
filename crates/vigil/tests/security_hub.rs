//! `--security-hub` against moto's Security Hub: every judged finding is
//! imported with a stable id, a re-run after a fix updates in place, and a
//! refused import is reported per finding (exit 3), never dropped.

mod support;

use aws_sdk_securityhub::config::{BehaviorVersion, Credentials, Region};
use serde_json::json;
use std::collections::BTreeMap;
use support::seed::{self, Isolation, Spec};
use support::{audit_json, block_on, Emulator, FaultProxy};

const REGION: &str = "eu-west-1";

/// Every finding Security Hub holds: resource id -> compliance status.
fn held(endpoint: &str) -> BTreeMap<String, String> {
    held_as(endpoint, Credentials::new("testing", "testing", None, None, "tests"))
}

/// The same, in the account `credentials` belong to.
fn held_as(endpoint: &str, credentials: Credentials) -> BTreeMap<String, String> {
    let config = aws_sdk_securityhub::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(endpoint)
        .credentials_provider(credentials)
        .build();
    let client = aws_sdk_securityhub::Client::from_conf(config);
    let out = block_on(client.get_findings().max_results(100).send()).expect("GetFindings");
    out.findings()
        .iter()
        .map(|f| {
            let resource = f.resources()[0].id().unwrap_or_default();
            let status = f.compliance().and_then(|c| c.status()).map(|s| s.as_str().to_owned());
            (
                resource.rsplit('/').next().unwrap().to_owned(),
                status.unwrap_or_default(),
            )
        })
        .collect()
}

fn models(failing: &[&str]) -> BTreeMap<String, String> {
    ["a", "b", "c", "d", "e", "f"]
        .iter()
        .map(|m| {
            let status = if failing.contains(m) { "FAILED" } else { "PASSED" };
            (m.to_string(), status.to_owned())
        })
        .collect()
}

#[test]
fn findings_are_imported_and_a_rerun_updates_them_in_place() {
    let emulator = Emulator::start();
    let specs: Vec<Spec> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .enumerate()
        .map(|(i, n)| Spec::new(REGION, n, if i % 2 == 0 { Isolation::Off } else { Isolation::On }))
        .collect();
    seed::create_all(&emulator.url, &specs);
    let rules = [
        "--regions",
        REGION,
        "--rules",
        "sagemaker-model-network-isolation",
        "--security-hub",
    ];
    let (code, report) = audit_json(&emulator.url, &rules);
    assert_eq!(code, 1);
    assert!(
        report["errors"].as_array().unwrap().is_empty(),
        "{:#}",
        report["errors"]
    );
    assert_eq!(held(&emulator.url), models(&["a", "c", "e"]));

    // a is fixed (re-created isolated): the same finding becomes PASSED, nothing is added.
    seed::delete(&emulator.url, REGION, "a");
    seed::create_all(&emulator.url, &[Spec::new(REGION, "a", Isolation::On)]);
    let (code, _) = audit_json(&emulator.url, &rules);
    assert_eq!(code, 1);
    assert_eq!(held(&emulator.url), models(&["c", "e"]));

    // --format asff writes the records --security-hub sends.
    let out = support::vigil(&[
        "audit",
        "--format",
        "asff",
        "--regions",
        REGION,
        "--endpoint-url",
        &emulator.url,
        "--rules",
        "sagemaker-model-network-isolation",
    ]);
    let records: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let records = records.as_array().unwrap();
    assert_eq!(records.len(), 6);
    let c = records
        .iter()
        .find(|r| r["Resources"][0]["Id"].as_str().unwrap().ends_with("/c"))
        .unwrap();
    assert_eq!(c["Compliance"]["Status"], "FAILED");
    assert_eq!(
        c["ProductArn"],
        "arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default"
    );
    assert_eq!(
        c["Id"],
        "vigil/sagemaker-model-network-isolation/arn:aws:sagemaker:eu-west-1:123456789012:model/c"
    );
}

#[test]
fn a_refused_import_is_reported_per_finding_and_exits_3() {
    let emulator = Emulator::start();
    seed::create_all(
        &emulator.url,
        &[
            Spec::new(REGION, "good", Isolation::On),
            Spec::new(REGION, "fine", Isolation::On),
        ],
    );
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([{"service": "securityhub", "operation": "BatchImportFindings",
        "error": {"code": "AccessDeniedException", "status": 403, "message": "not allowed"}}]));
    let (code, report) = audit_json(
        &proxy.url,
        &[
            "--regions",
            REGION,
            "--rules",
            "sagemaker-model-network-isolation",
            "--security-hub",
        ],
    );
    assert_eq!(code, 3, "nothing failed, but two findings were not imported");
    let errors: Vec<(String, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["scope"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors
        .iter()
        .all(|(scope, message)| scope == "import" && message.contains("was not imported")));
    assert!(held(&emulator.url).is_empty());
}

#[test]
fn each_account_imports_its_own_findings() {
    let emulator = Emulator::start();
    seed::create_all(&emulator.url, &[Spec::new(REGION, "home", Isolation::Off)]);
    let other = "111111111111";
    seed::in_account(&emulator.url, other, &[("away", false)]);
    let (code, report) = audit_json(
        &emulator.url,
        &[
            "--regions",
            REGION,
            "--rules",
            "sagemaker-model-network-isolation",
            "--security-hub",
            "--accounts",
            &format!("123456789012,{other}"),
            "--role-name",
            "VigilAudit",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        report["errors"].as_array().unwrap().is_empty(),
        "{:#}",
        report["errors"]
    );
    // Each account holds its own finding, imported with its own session.
    assert_eq!(held(&emulator.url).keys().collect::<Vec<_>>(), ["home"]);
    let away = held_as(&emulator.url, block_on(seed::session(&emulator.url, other)));
    assert_eq!(away, BTreeMap::from([("away".to_owned(), "FAILED".to_owned())]));
}
