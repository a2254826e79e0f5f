//! `--format ocsf`: Compliance Finding events (OCSF 1.5.0) for the audit
//! against the emulator, a scan and the findings store, each checked with
//! the OCSF models of `py-ocsf-models` (pydantic) in the emulator's venv,
//! not just parsed as JSON.

mod support;

use serde_json::Value;
use support::seed;
use support::{python, vigil, vigil_command, Emulator};

/// Validates every event with py-ocsf-models' `ComplianceFinding` and
/// returns the events.
fn validated(bytes: &[u8]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.json");
    std::fs::write(&path, bytes).unwrap();
    let check = r#"
import json, sys
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
events = json.load(open(sys.argv[1]))
assert isinstance(events, list) and events, "an array of events"
for event in events:
    model = ComplianceFinding.model_validate(event)
    assert model.class_uid == 2003 and model.type_uid == 200301, event
    assert model.metadata.version == "1.5.0", model.metadata.version
print(len(events))
"#;
    let out = std::process::Command::new(python())
        .args(["-c", check, &path.display().to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "not valid OCSF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(bytes).unwrap()
}

fn statuses(events: &[Value]) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = events
        .iter()
        .map(|e| {
            (
                e["resources"][0]["name"].as_str().unwrap().to_owned(),
                e["compliance"]["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn six_models_give_six_valid_compliance_findings_with_stable_ids() {
    let emulator = Emulator::start();
    let names = seed::six_models(&emulator.url);
    let audit = || {
        let out = vigil(&[
            "audit",
            "--format",
            "ocsf",
            "--regions",
            "eu-west-1",
            "--endpoint-url",
            &emulator.url,
            "--rules",
            "sagemaker-model-network-isolation",
        ]);
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        validated(&out.stdout)
    };
    let events = audit();
    let expected: Vec<(String, String)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.to_string(), if i % 2 == 0 { "Fail" } else { "Pass" }.to_owned()))
        .collect();
    assert_eq!(statuses(&events), expected);
    let a = events.iter().find(|e| e["resources"][0]["name"] == "a").unwrap();
    assert_eq!(a["compliance"]["control"], "sagemaker-model-network-isolation");
    assert_eq!(a["cloud"]["account"]["uid"], "123456789012");
    assert_eq!(
        a["resources"][0]["uid"],
        "arn:aws:sagemaker:eu-west-1:123456789012:model/a"
    );
    assert_eq!(a["severity"], "Medium");
    assert!(a["compliance"]["standards"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s.as_str().unwrap().starts_with("AWS Config: ")));
    assert!(!a["remediation"]["desc"].as_str().unwrap().is_empty());
    let uids = |events: &[Value]| -> Vec<String> {
        let mut uids: Vec<String> = events
            .iter()
            .map(|e| e["finding_info"]["uid"].as_str().unwrap().to_owned())
            .collect();
        uids.sort();
        uids
    };
    let again = audit();
    assert_eq!(uids(&events), uids(&again), "the same findings keep their uids");
    assert_eq!(
        uids(&events).windows(2).filter(|w| w[0] == w[1]).count(),
        0,
        "uids are unique"
    );
}

#[test]
fn a_scan_and_the_store_give_valid_events_too() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("stack.yaml");
    std::fs::write(
        &template,
        "Resources:\n  Scorer:\n    Type: AWS::SageMaker::Model\n    Properties:\n      EnableNetworkIsolation: !Ref Isolate\n",
    )
    .unwrap();
    let store = format!("sqlite://{}", dir.path().join("f.db").display());
    let template = template.display().to_string();
    let mut scan = vigil_command(&["scan", &template, "--format", "ocsf", "--store", &store]);
    let out = scan.env_remove("VIGIL_NO_STORE").output().unwrap();
    let events = validated(&out.stdout);
    let unknown = events
        .iter()
        .find(|e| e["compliance"]["control"] == "sagemaker-model-network-isolation")
        .unwrap();
    assert_eq!(unknown["compliance"]["status"], "Unknown");
    assert!(
        unknown["status_detail"].as_str().unwrap().contains("Isolate"),
        "{unknown:#}"
    );
    assert_eq!(unknown["resources"][0]["data"]["line"], 2);

    let mut findings = vigil_command(&["findings", "--format", "ocsf", "--store", &store]);
    let out = findings.env_remove("VIGIL_NO_STORE").output().unwrap();
    let stored = validated(&out.stdout);
    assert_eq!(stored.len(), events.len());
    let uid = |e: &Value| e["finding_info"]["uid"].clone();
    let mut a: Vec<Value> = events.iter().map(uid).collect();
    let mut b: Vec<Value> = stored.iter().map(uid).collect();
    a.sort_by_key(|v| v.to_string());
    b.sort_by_key(|v| v.to_string());
    assert_eq!(a, b, "a finding has the same uid in a report and in the store");
}
