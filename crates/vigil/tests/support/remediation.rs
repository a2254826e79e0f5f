//! What the remediation tests share: running `vigil remediate --apply`
//! with its journal in a folder of the test's own, reading the emulator's
//! complete inventory, and fault rules.

use serde_json::json;
use std::path::Path;

pub const RULE: &str = "sagemaker-model-network-isolation";
pub const REGION: &str = "eu-west-1";

/// `vigil remediate RULE --apply --yes --format json ...` with its journal
/// in `state`, ready to run or spawn.
pub fn apply_command(endpoint: &str, state: &Path, extra: &[&str]) -> std::process::Command {
    let mut args = vec![
        "remediate",
        RULE,
        "--regions",
        REGION,
        "--endpoint-url",
        endpoint,
        "--apply",
        "--yes",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let mut command = super::vigil_command(&args);
    command.env("VIGIL_STATE_DIR", state);
    command
}

/// Runs `apply_command` and parses its JSON outcome.
pub fn apply(endpoint: &str, state: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    run(&mut apply_command(endpoint, state, extra))
}

pub fn run(command: &mut std::process::Command) -> (i32, serde_json::Value) {
    let out = command.output().expect("running vigil");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().expect("exited by signal"), json)
}

pub fn inventory(url: &str) -> Vec<String> {
    super::seed::inventory(url, REGION)
}

pub fn expected(lines: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    all.sort();
    all
}

pub fn denied(operation: &str, body: Option<&str>) -> serde_json::Value {
    let mut rule = json!({
        "service": "sagemaker", "operation": operation,
        "error": {"code": "AccessDeniedException", "status": 400,
                  "message": format!("User is not authorized to perform: sagemaker:{operation}")}
    });
    if let Some(body) = body {
        rule["body"] = json!(body);
    }
    rule
}

/// Every journal in the state folder `state`, concatenated (the folder also
/// holds the lock file).
pub fn journal_text(state: &Path) -> String {
    std::fs::read_dir(state.join("remediation"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The estate most remediation tests start from: the failing model
/// `fraud-a`, served by configuration `fraud-cfg` on endpoint `fraud-prod`.
pub fn seed_fraud_a_serving(url: &str) {
    super::seed::create_all(
        url,
        &[super::seed::Spec::new(REGION, "fraud-a", super::seed::Isolation::Off)],
    );
    super::seed::serve(url, REGION, "fraud-cfg", "fraud-a", None, &["fraud-prod"]);
}

/// That estate remediated: both models and configurations, the endpoint on
/// the isolated copy.
pub fn fraud_a_moved() -> Vec<String> {
    expected(&[
        "model fraud-a",
        "model fraud-a-isolated",
        "endpoint-config fraud-cfg",
        "endpoint-config fraud-cfg-isolated",
        "endpoint fraud-prod on fraud-cfg-isolated",
    ])
}
