//! The GitHub Action (`action.yml`): its shell steps run as a runner runs
//! them, each with the `env:` its expressions give, one `$GITHUB_OUTPUT`
//! per step and `$GITHUB_PATH` carried forward; the `uses:` steps (the cache,
//! the SARIF upload) are GitHub's own and are checked for what they are given.

use crate::{model_template, repo, yaml};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One run of the action's steps in `workspace`.
struct Run {
    /// Each step's id (or name) and exit code, in order, up to the first failure.
    exits: Vec<(String, i32)>,
    outputs: BTreeMap<String, BTreeMap<String, String>>,
    /// The SARIF upload step's `sarif_file`, as GitHub would get it.
    uploaded: Option<String>,
    summary: String,
    log: String,
}

/// The expressions action.yml may use; any other fails the test, so a new
/// one is added here on purpose.
fn evaluate(text: &str, inputs: &BTreeMap<String, String>, run: &Run) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("a closed expression") + start;
        let expr = rest[start + 3..end].trim();
        let value = match expr.split('.').collect::<Vec<_>>().as_slice() {
            ["github", "action_path"] => repo().display().to_string(),
            ["runner", "os"] => "Linux".to_string(),
            ["inputs", name] => inputs[*name].clone(),
            ["steps", id, "outputs", key] => run
                .outputs
                .get(*id)
                .and_then(|o| o.get(*key))
                .cloned()
                .unwrap_or_default(),
            _ => panic!("action.yml uses an expression this test does not know: {expr}"),
        };
        out.push_str(&value);
        rest = &rest[end + 2..];
    }
    out + rest
}

fn run_action(workspace: &Path, tool_cache: &Path, shims: &Path, overrides: &[(&str, &str)]) -> Run {
    let action = yaml(&repo().join("action.yml"));
    let mut inputs: BTreeMap<String, String> = action["inputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["default"].as_str().unwrap_or("").to_string()))
        .collect();
    for (k, v) in overrides {
        assert!(inputs.contains_key(*k), "no input {k}");
        inputs.insert(k.to_string(), v.to_string());
    }
    let runner = tempfile::tempdir().unwrap();
    let path_file = runner.path().join("path");
    let summary = runner.path().join("summary");
    std::fs::write(&path_file, "").unwrap();
    let mut run = Run {
        exits: vec![],
        outputs: BTreeMap::new(),
        uploaded: None,
        summary: String::new(),
        log: String::new(),
    };
    for (n, step) in action["runs"]["steps"].as_array().unwrap().iter().enumerate() {
        let id = step["id"].as_str().or(step["name"].as_str()).unwrap().to_string();
        if let Some(uses) = step["uses"].as_str() {
            if uses.starts_with("github/codeql-action/upload-sarif") {
                run.uploaded = Some(evaluate(step["with"]["sarif_file"].as_str().unwrap(), &inputs, &run));
            }
            continue;
        }
        let script = step["run"].as_str().unwrap();
        assert!(
            !script.contains("${{"),
            "step {id}: an expression inside `run:` can inject commands; pass it through env:"
        );
        let output_file = runner.path().join(format!("output-{n}"));
        std::fs::write(&output_file, "").unwrap();
        // What earlier steps added to $GITHUB_PATH comes first, as on a runner.
        let mut path: Vec<String> = std::fs::read_to_string(&path_file)
            .unwrap()
            .lines()
            .rev()
            .map(str::to_string)
            .collect();
        path.push(shims.display().to_string());
        path.push(std::env::var("PATH").unwrap_or_default());
        let mut command = Command::new("bash");
        command
            .args(["-e", "-c", script])
            .current_dir(workspace)
            .env_clear()
            .env("PATH", path.join(":"))
            .env("HOME", runner.path())
            .env("RUNNER_TOOL_CACHE", tool_cache)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_PATH", &path_file)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_WORKSPACE", workspace);
        for (k, v) in step["env"].as_object().into_iter().flatten() {
            command.env(k, evaluate(v.as_str().unwrap(), &inputs, &run));
        }
        let out = command.output().unwrap();
        run.log.push_str(&String::from_utf8_lossy(&out.stdout));
        run.log.push_str(&String::from_utf8_lossy(&out.stderr));
        let outputs = std::fs::read_to_string(&output_file).unwrap();
        run.outputs.insert(
            id.clone(),
            outputs
                .lines()
                .filter_map(|l| l.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        let code = out.status.code().unwrap_or(-1);
        run.exits.push((id, code));
        if code != 0 {
            break;
        }
    }
    run.summary = std::fs::read_to_string(&summary).unwrap_or_default();
    run
}

/// A `cargo` that checks the action's install command and installs the
/// binary under test, so the install step runs without a 10-minute build.
fn cargo_shim(dir: &Path) -> PathBuf {
    let shim = dir.join("cargo");
    let script = format!(
        "#!/usr/bin/env bash\nset -eu\necho \"$@\" >> \"{calls}\"\n\
         [ \"$1 $2 $3\" = \"install --locked --path\" ] && [ \"$4\" = \"{crate_dir}\" ] && [ \"$5\" = --root ] || exit 99\n\
         mkdir -p \"$6/bin\" && cp \"{vigil}\" \"$6/bin/vigil\"\n",
        calls = dir.join("calls").display(),
        crate_dir = repo().join("crates/vigil").display(),
        vigil = env!("CARGO_BIN_EXE_vigil"),
    );
    std::fs::write(&shim, script).unwrap();
    std::fs::set_permissions(&shim, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    dir.join("calls")
}

fn workspace_with(fixed: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("infra")).unwrap();
    std::fs::write(dir.path().join("infra/model.yaml"), model_template(fixed)).unwrap();
    dir
}

fn exit_of(run: &Run, step: &str) -> Option<i32> {
    run.exits.iter().find(|(id, _)| id == step).map(|(_, c)| *c)
}

#[test]
fn the_action_builds_once_scans_to_sarif_and_fails_the_job_on_a_failure() {
    let tools = tempfile::tempdir().unwrap();
    let bin = tempfile::tempdir().unwrap();
    let calls = cargo_shim(bin.path());
    let workspace = workspace_with(false);
    let run = run_action(workspace.path(), tools.path(), bin.path(), &[]);
    assert_eq!(
        run.exits
            .iter()
            .map(|(id, code)| (id.as_str(), *code))
            .collect::<Vec<_>>(),
        [("key", 0), ("install", 0), ("scan", 0), ("Verdict", 1)],
        "{}",
        run.log
    );
    assert_eq!(std::fs::read_to_string(&calls).unwrap().lines().count(), 1);
    assert_eq!(run.outputs["scan"]["exit-code"], "1");
    assert_eq!(run.uploaded.as_deref(), Some("vigil.sarif"));
    let sarif: Value = serde_json::from_slice(&std::fs::read(workspace.path().join("vigil.sarif")).unwrap()).unwrap();
    let rules: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["sagemaker-model-network-isolation"]);
    assert!(
        run.summary.contains("`sagemaker-model-network-isolation`: 1"),
        "{}",
        run.summary
    );

    // The same sources again: the cached build is used, cargo is not called.
    let fixed = workspace_with(true);
    let again = run_action(fixed.path(), tools.path(), bin.path(), &[]);
    assert_eq!(exit_of(&again, "Verdict"), Some(0), "{}", again.log);
    assert_eq!(std::fs::read_to_string(&calls).unwrap().lines().count(), 1);
}

#[test]
fn fail_on_never_passes_a_bad_value_stops_and_inputs_are_not_code() {
    let tools = tempfile::tempdir().unwrap();
    let bin = tempfile::tempdir().unwrap();
    cargo_shim(bin.path());
    let workspace = workspace_with(false);
    let never = run_action(workspace.path(), tools.path(), bin.path(), &[("fail-on", "never")]);
    assert_eq!(exit_of(&never, "Verdict"), Some(0), "{}", never.log);
    assert_eq!(never.outputs["scan"]["exit-code"], "1");

    let bad = run_action(workspace.path(), tools.path(), bin.path(), &[("fail-on", "sometimes")]);
    assert_eq!(exit_of(&bad, "scan"), Some(2));
    assert!(bad.log.contains("fail-on must be any, new or never"));

    let hostile = run_action(
        workspace.path(),
        tools.path(),
        bin.path(),
        &[("path", "infra $(touch pwned)"), ("args", "; touch pwned2")],
    );
    assert!(!workspace.path().join("pwned").exists() && !workspace.path().join("pwned2").exists());
    // The words reach vigil as arguments, which it refuses as paths.
    assert_ne!(hostile.outputs["scan"]["exit-code"], "0", "{}", hostile.log);
}
