//! `vigil remediate --apply` when it is not alone: two runs on one account
//! at once (two machines, two state folders), two runs from one state
//! folder, and a run killed while its `UpdateEndpoint` request is still on
//! the wire, each against the emulator with latency added at the proxy.
//! Also what a plan and a journal keep to themselves. Each test asserts the
//! complete inventory afterwards.

mod support;

use serde_json::json;
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use support::remediation::{
    apply_command, expected, fraud_a_moved, inventory, journal_text, run, seed_fraud_a_serving, REGION,
};
use support::seed::{self, Isolation, Spec};
use support::{vigil_command, wait_for, Emulator, FaultProxy};

const MODELS: [&str; 5] = ["m1", "m2", "m3", "m4", "m5"];

/// Five failing models, each with its configuration and one endpoint.
fn seed_five(url: &str) {
    let specs: Vec<Spec> = MODELS.iter().map(|m| Spec::new(REGION, m, Isolation::Off)).collect();
    seed::create_all(url, &specs);
    for m in MODELS {
        seed::serve(url, REGION, &format!("{m}-cfg"), m, None, &[&format!("{m}-ep")]);
    }
}

fn all_five_remediated() -> Vec<String> {
    let mut lines = Vec::new();
    for m in MODELS {
        lines.push(format!("model {m}"));
        lines.push(format!("model {m}-isolated"));
        lines.push(format!("endpoint-config {m}-cfg"));
        lines.push(format!("endpoint-config {m}-cfg-isolated"));
        lines.push(format!("endpoint {m}-ep on {m}-cfg-isolated"));
    }
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    expected(&lines)
}

#[test]
fn two_runs_at_once_on_one_account_never_undo_each_others_work() {
    let emulator = Emulator::start_with(&["--update-seconds", "1"]);
    let proxy = FaultProxy::start(&emulator.url);
    seed_five(&emulator.url);
    // Latency makes the two runs interleave: both plan before either creates.
    proxy.set_rules(json!([
        {"service": "sagemaker", "operation": "UpdateEndpoint", "latency": 400},
        {"service": "sagemaker", "latency": 60}
    ]));
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let spawn = |state: &std::path::Path| {
        apply_command(&proxy.url, state, &["--update-endpoints"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(a.path()), spawn(b.path()));
    let outputs = [first.wait_with_output().unwrap(), second.wait_with_output().unwrap()];

    for out in &outputs {
        assert_eq!(
            out.status.code(),
            Some(0),
            "each run ends applied: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        inventory(&emulator.url),
        all_five_remediated(),
        "every endpoint on an isolated copy, no copy made twice, none deleted"
    );
    for state in [&a, &b] {
        assert!(
            !journal_text(state.path()).contains("rollback_begin"),
            "nothing was rolled back"
        );
    }
}

#[test]
fn a_second_run_from_the_same_state_folder_is_refused_while_the_first_applies() {
    let emulator = Emulator::start_with(&["--update-seconds", "3"]);
    let state = tempfile::tempdir().unwrap();
    seed_fraud_a_serving(&emulator.url);
    let first = apply_command(&emulator.url, state.path(), &["--update-endpoints"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(30, "the first run never began a deployment", || {
        journal_text(state.path()).contains(r#""action":"update_endpoint""#)
    });

    let second = apply_command(&emulator.url, state.path(), &["--update-endpoints"])
        .output()
        .unwrap();

    assert_eq!(second.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr
            .lines()
            .next()
            .unwrap_or_default()
            .starts_with("vigil: error: another remediation is applying changes from")
            && stderr.contains("nothing was changed"),
        "{stderr}"
    );
    assert_eq!(first.wait_with_output().unwrap().status.code(), Some(0));
    assert_eq!(inventory(&emulator.url), fraud_a_moved());
}

#[test]
fn a_run_killed_while_its_update_is_on_the_wire_resumes_without_moving_the_endpoint_back() {
    let emulator = Emulator::start_with(&["--update-seconds", "1"]);
    let proxy = FaultProxy::start(&emulator.url);
    let state = tempfile::tempdir().unwrap();
    seed_fraud_a_serving(&emulator.url);
    // The request is held at the proxy for 900 ms, then reaches the emulator
    // although the process that sent it is gone.
    proxy.set_rules(json!([{"service": "sagemaker", "operation": "UpdateEndpoint", "latency": 900}]));
    let mut child = apply_command(&proxy.url, state.path(), &["--update-endpoints"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(30, "vigil never began a deployment", || {
        journal_text(state.path()).contains(r#""action":"update_endpoint""#)
    });
    child.kill().unwrap();
    child.wait().unwrap();

    let (code, out) = run(vigil_command(&[
        "remediate",
        "--resume",
        "--yes",
        "--format",
        "json",
        "--endpoint-url",
        &proxy.url,
    ])
    .env("VIGIL_STATE_DIR", state.path()));

    assert_eq!(code, 0, "{out:#}");
    assert_eq!(
        inventory(&emulator.url),
        fraud_a_moved(),
        "the move the killed run sent is recognised, nothing orphaned"
    );
    let journal = journal_text(state.path());
    assert!(
        !journal.contains("rollback_begin"),
        "no extra deployment back: {journal}"
    );
}

#[test]
fn plans_show_environment_names_only_and_journals_are_private() {
    let emulator = Emulator::start();
    let state = tempfile::tempdir().unwrap();
    let sm = seed::client(&emulator.url, REGION);
    support::block_on(async {
        let container = aws_sdk_sagemaker::types::ContainerDefinition::builder()
            .image("123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud:3")
            .environment("PARTNER_API_TOKEN", "tok-9f8e7d6c5b4a")
            .build();
        sm.create_model()
            .model_name("fraud-a")
            .execution_role_arn(seed::ROLE)
            .primary_container(container)
            .send()
            .await
            .unwrap();
    });
    let credentialled = emulator.url.replacen("http://", "http://vigil:hunter22@", 1);

    let plan = vigil_command(&[
        "remediate",
        "sagemaker-model-network-isolation",
        "--regions",
        REGION,
        "--endpoint-url",
        &emulator.url,
        "--format",
        "json",
    ])
    .output()
    .unwrap();
    let (code, applied) = run(&mut apply_command(&credentialled, state.path(), &[]));

    let plan = String::from_utf8_lossy(&plan.stdout);
    assert!(plan.contains("PARTNER_API_TOKEN"), "{plan}");
    for shown in [plan.as_ref(), &applied.to_string()] {
        assert!(!shown.contains("tok-9f8e7d6c5b4a"), "a value leaked: {shown}");
    }
    assert_eq!(code, 0, "{applied:#}");
    let folder = state.path().join("remediation");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    let journal = std::path::PathBuf::from(applied["outcome"]["journal"].as_str().unwrap());
    assert_eq!(mode(&journal), 0o600);
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(
        !text.contains("hunter22") && text.contains(&emulator.url),
        "the endpoint URL is kept without its password: {text}"
    );
}
