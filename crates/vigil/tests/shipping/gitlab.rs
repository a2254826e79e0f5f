//! The GitLab CI template (`deploy/ci/vigil.gitlab-ci.yml`): its job's
//! script run as a GitLab runner runs it in Vigil's image, one POSIX shell
//! (`sh`, as the image's busybox is) stopping at the first failing line,
//! with the template's variables, then its artifacts checked: the JUnit
//! report GitLab shows in a merge request, and the SARIF kept beside it.

use crate::{model_template, repo, yaml};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// `$NAME` and `${NAME}` in a variable's value, expanded from `env` as
/// GitLab expands variables that name other variables.
fn expand(value: &str, env: &[(String, String)]) -> String {
    let mut out = value.to_string();
    for (name, val) in env {
        out = out
            .replace(&format!("${{{name}}}"), val)
            .replace(&format!("${name}"), val);
    }
    out
}

fn run_job(workspace: &Path, overrides: &[(&str, &str)]) -> Output {
    let template = yaml(&repo().join("deploy/ci/vigil.gitlab-ci.yml"));
    let job = &template["vigil-scan"];
    // What the runner defines, then the template's variables, the job's,
    // and the project's own settings last.
    let mut env: Vec<(String, String)> = vec![("CI_COMMIT_REF_NAME".into(), "main".into())];
    for scope in [&template["variables"], &job["variables"]] {
        for (name, value) in scope.as_object().into_iter().flatten() {
            let value = expand(value.as_str().unwrap(), &env);
            env.push((name.clone(), value));
        }
    }
    for (name, value) in overrides {
        env.push((name.to_string(), value.to_string()));
    }
    let script: Vec<&str> = job["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(Value::as_str)
        .map(Option::unwrap)
        .collect();
    let vigil_dir = crate::vigil_dir();
    let mut command = Command::new("sh");
    command
        .args(["-e", "-c", &script.join("\n")])
        .current_dir(workspace)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", vigil_dir.display()))
        .env("HOME", workspace);
    for (name, value) in &env {
        command.env(name, value);
    }
    command.output().unwrap()
}

#[test]
fn the_gitlab_job_fails_on_a_failure_and_leaves_junit_and_sarif() {
    let failing = tempfile::tempdir().unwrap();
    std::fs::write(failing.path().join("model.yaml"), model_template(false)).unwrap();
    let out = run_job(failing.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let junit = std::fs::read_to_string(failing.path().join("vigil-junit.xml")).unwrap();
    assert!(junit.starts_with("<?xml") && junit.contains("<failure"), "{junit}");
    assert!(junit.contains("sagemaker-model-network-isolation"));
    let sarif: Value = serde_json::from_slice(&std::fs::read(failing.path().join("vigil.sarif")).unwrap()).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["ruleId"],
        "sagemaker-model-network-isolation"
    );
    // The SARIF run is not recorded; the JUnit run is, on the ref's branch.
    let runs = crate::support::vigil_command(&["runs"])
        .env_remove("VIGIL_NO_STORE")
        .env("HOME", failing.path())
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&runs.stdout);
    assert_eq!(listed.matches(" scan ").count(), 1, "{listed}");
    assert!(listed.contains("on main"), "{listed}");

    let never = run_job(failing.path(), &[("VIGIL_FAIL_ON", "never")]);
    assert_eq!(never.status.code(), Some(0), "{never:?}");

    let fixed = tempfile::tempdir().unwrap();
    std::fs::write(fixed.path().join("model.yaml"), model_template(true)).unwrap();
    let clean = run_job(fixed.path(), &[]);
    assert_eq!(clean.status.code(), Some(0), "{clean:?}");
    let junit = std::fs::read_to_string(fixed.path().join("vigil-junit.xml")).unwrap();
    assert!(!junit.contains("<failure"), "{junit}");
}
