//! `vigil remediate --resume` against the emulator: a run killed with
//! SIGKILL mid-deployment is finished without duplicates, and a rollback
//! that failed is finished before the run is retried. Each test asserts the
//! complete set of models, endpoint configurations and endpoints.

mod support;

use serde_json::json;
use std::time::Duration;
use support::remediation::{
    apply, apply_command, denied, expected, fraud_a_moved, inventory, journal_text, run, seed_fraud_a_serving, REGION,
};
use support::seed::{self, Isolation, Spec};
use support::{vigil_command, Emulator, FaultProxy};

#[test]
fn a_run_killed_mid_deployment_resumes_without_duplicates() {
    let emulator = Emulator::start_with(&["--update-seconds", "3"]);
    let state = tempfile::tempdir().unwrap();
    seed::create_all(
        &emulator.url,
        &[
            Spec::new(REGION, "fraud-a", Isolation::Off),
            Spec::new(REGION, "churn", Isolation::Off),
        ],
    );
    seed::serve(&emulator.url, REGION, "fraud-cfg", "fraud-a", None, &["fraud-prod"]);
    seed::serve(&emulator.url, REGION, "churn-cfg", "churn", None, &["churn-prod"]);
    let mut child = apply_command(&emulator.url, state.path(), &["--update-endpoints"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it (SIGKILL) while the first endpoint is deploying.
    let journal = || journal_text(state.path());
    support::wait_for(30, "vigil never began a deployment", || {
        journal().contains(r#""action":"update_endpoint""#)
    });
    std::thread::sleep(Duration::from_millis(500));
    child.kill().unwrap();
    child.wait().unwrap();

    let (code, out) = run(
        vigil_command(&["remediate", "--resume", "--yes", "--format", "json"]).env("VIGIL_STATE_DIR", state.path())
    );

    assert_eq!(code, 0, "{out:#}");
    assert_eq!(
        inventory(&emulator.url),
        expected(&[
            "model fraud-a",
            "model fraud-a-isolated",
            "model churn",
            "model churn-isolated",
            "endpoint-config fraud-cfg",
            "endpoint-config fraud-cfg-isolated",
            "endpoint-config churn-cfg",
            "endpoint-config churn-cfg-isolated",
            "endpoint fraud-prod on fraud-cfg-isolated",
            "endpoint churn-prod on churn-cfg-isolated",
        ]),
        "finished, and nothing made twice"
    );
    let journal = journal();
    assert!(journal.contains(r#""event":"resumed""#) && journal.trim_end().ends_with(r#""ok":true}"#));
    let again = vigil_command(&["remediate", "--resume", "--yes"])
        .env("VIGIL_STATE_DIR", state.path())
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2), "nothing is left to resume");
}

#[test]
fn a_rollback_that_fails_exits_5_and_resume_finishes_it_then_the_run() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    let state = tempfile::tempdir().unwrap();
    seed_fraud_a_serving(&emulator.url);
    proxy.set_rules(json!([
        denied("CreateEndpointConfig", None),
        denied("DeleteModel", None)
    ]));

    let (code, out) = apply(&proxy.url, state.path(), &["--update-endpoints"]);

    assert_eq!(code, 5, "{out:#}");
    let unit = &out["outcome"]["units"][0];
    assert_eq!(unit["status"], "rollback_failed", "{unit:#}");
    assert_eq!(
        unit["steps"][0]["name"], "fraud-a-isolated",
        "what still stands is said"
    );
    assert_eq!(
        inventory(&emulator.url),
        expected(&[
            "model fraud-a",
            "model fraud-a-isolated",
            "endpoint-config fraud-cfg",
            "endpoint fraud-prod on fraud-cfg",
        ])
    );

    proxy.set_rules(json!([]));
    let (code, resumed) = run(
        vigil_command(&["remediate", "--resume", "--yes", "--format", "json"]).env("VIGIL_STATE_DIR", state.path())
    );

    assert_eq!(code, 0, "{resumed:#}");
    let statuses: Vec<&str> = resumed["outcome"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["rolled_back", "applied"], "{resumed:#}");
    assert_eq!(inventory(&emulator.url), fraud_a_moved(), "undone, then done once");
}
