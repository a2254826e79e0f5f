//! `kill -9` at any point of a recording leaves the store as before the
//! run, on both back ends: a scan of a few thousand templates is recorded
//! again and again and killed after ever longer delays (before, during and
//! after its one transaction); after each kill the store holds whole runs
//! only: every finding was last written by a run the store lists, and the
//! run's counts are those of its findings.

mod support;

use serde_json::Value;
use std::process::Stdio;
use support::postgres::Postgres;
use support::vigil_command;

const RULE: &str = "sagemaker-model-network-isolation";

/// `count` templates, each with one model that fails and one that passes.
fn corpus(dir: &std::path::Path, count: usize) {
    for i in 0..count {
        std::fs::write(
            dir.join(format!("t{i:05}.yaml")),
            format!(
                "Resources:\n  Open{i}:\n    Type: AWS::SageMaker::Model\n    Properties:\n      EnableNetworkIsolation: false\n  Shut{i}:\n    Type: AWS::SageMaker::Model\n    Properties:\n      EnableNetworkIsolation: true\n"
            ),
        )
        .unwrap();
    }
}

/// What `vigil ARGS` lists; `None` for a store no run was recorded in yet.
fn listed(args: &[&str]) -> Option<Value> {
    let mut command = vigil_command(args);
    command.env_remove("VIGIL_NO_STORE");
    let out = command.output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    if said.contains("no such store") || said.contains("no run was recorded") {
        return None;
    }
    assert_eq!(out.status.code(), Some(0), "{said}");
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// The store holds whole runs: each run's counts match the findings it
/// was the last to see, and no finding names a run the store lacks.
fn whole(store: &str, templates: usize) -> usize {
    let Some(runs) = listed(&["runs", "--store", store, "--format", "json"]) else {
        return 0;
    };
    let runs = runs["runs"].as_array().unwrap();
    for run in runs {
        assert_eq!(
            (run["pass"].as_u64(), run["fail"].as_u64()),
            (Some(templates as u64), Some(templates as u64)),
            "a run recorded whole: {run}"
        );
    }
    let findings = listed(&["findings", "--store", store, "--format", "json"]).unwrap();
    let findings = findings["findings"].as_array().unwrap();
    let expected = if runs.is_empty() { 0 } else { 2 * templates };
    assert_eq!(
        findings.len(),
        expected,
        "every finding of a recorded run, and no other"
    );
    runs.len()
}

fn kill_at_every_point(store: &str) {
    let dir = tempfile::tempdir().unwrap();
    let templates = 3000;
    corpus(dir.path(), templates);
    let path = dir.path().display().to_string();
    let scan = || {
        let mut scan = vigil_command(&["scan", &path, "--rules", RULE, "--store", store, "--format", "json"]);
        scan.env_remove("VIGIL_NO_STORE")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        scan
    };
    // One whole run first: how long a run takes here, and now.
    let started = std::time::Instant::now();
    assert_eq!(scan().status().unwrap().code(), Some(1));
    let whole_run = started.elapsed();
    let mut recorded = whole(store, templates);
    assert_eq!(recorded, 1);
    // Kills spread over a run (its read, its judging, its transaction, its report).
    for sixteenth in 1..=15u32 {
        let delay = whole_run * sixteenth / 16;
        let mut child = scan().spawn().unwrap();
        std::thread::sleep(delay);
        // SIGKILL: no handler, no unwinding, no chance to roll back.
        let _ = child.kill();
        let finished = child.wait().unwrap().code().is_some();
        let now = whole(store, templates);
        assert!(
            now == recorded || now == recorded + 1,
            "after a kill at {delay:?}: {now} runs, {recorded} before"
        );
        assert!(!finished || now == recorded + 1, "a run that finished is recorded");
        recorded = now;
    }
}

#[test]
fn a_killed_recording_leaves_sqlite_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    kill_at_every_point(&format!("sqlite://{}", dir.path().join("f.db").display()));
}

#[test]
fn a_killed_recording_leaves_postgresql_as_it_was() {
    let postgres = Postgres::start();
    kill_at_every_point(&postgres.url);
}
