//! The Kubernetes manifests under `deploy/kubernetes/`, validated strictly
//! against the Kubernetes API's schemas by kubernetes-validate (PyPI), and
//! held to what Vigil needs of them: the shards and the Job agree, the pods
//! run as the image's user, and the kustomization lists every manifest.

use crate::{repo, stdout_of, venv_tool, yaml};
use serde_json::Value;
use std::process::Command;

/// The oldest Kubernetes release the manifests are written for
/// (`backoffLimitPerIndex` is stable from 1.33).
const KUBERNETES: &str = "1.33";

fn manifests() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(repo().join("deploy/kubernetes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter(|p| !p.ends_with("kustomization.yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_manifest_is_valid_against_the_kubernetes_schemas() {
    let files = manifests();
    assert!(files.len() >= 4, "{files:?}");
    let out = stdout_of(
        Command::new(venv_tool("kubernetes-validate"))
            .args(["--strict", "--no-warn", "-k", KUBERNETES])
            .args(&files),
    );
    // One "passed" line per resource: nothing was skipped for want of a schema.
    let resources: usize = files
        .iter()
        .map(|f| match yaml(f) {
            Value::Array(docs) => docs.len(),
            _ => 1,
        })
        .sum();
    assert_eq!(out.matches(" passed for resource ").count(), resources, "{out}");
    // And a misspelt field is caught, so the check above can fail.
    let broken = tempfile::NamedTempFile::new().unwrap();
    let cronjob = std::fs::read_to_string(repo().join("deploy/kubernetes/audit-cronjob.yaml")).unwrap();
    std::fs::write(broken.path(), cronjob.replace("completionMode:", "completionMod:")).unwrap();
    let refused = Command::new(venv_tool("kubernetes-validate"))
        .args(["--strict", "-k", KUBERNETES])
        .arg(broken.path())
        .output()
        .unwrap();
    assert!(!refused.status.success());

    let kustomization = yaml(&repo().join("deploy/kubernetes/kustomization.yaml"));
    let mut listed: Vec<&str> = kustomization["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    listed.sort_unstable();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(listed, names);
}

#[test]
fn the_audit_shards_match_the_indexed_job_and_pods_run_as_the_image_user() {
    let cronjob = yaml(&repo().join("deploy/kubernetes/audit-cronjob.yaml"));
    let job = &cronjob["spec"]["jobTemplate"]["spec"];
    assert_eq!(job["completionMode"], "Indexed");
    let completions = job["completions"].as_u64().unwrap();
    let pod = &job["template"]["spec"];
    let args: Vec<&str> = pod["containers"][0]["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let shard = args[args.iter().position(|a| *a == "--shard").unwrap() + 1];
    assert_eq!(shard, format!("$(SHARD_INDEX)/{completions}"));
    let index = pod["containers"][0]["env"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "SHARD_INDEX")
        .unwrap();
    assert_eq!(
        index["valueFrom"]["fieldRef"]["fieldPath"],
        "metadata.annotations['batch.kubernetes.io/job-completion-index']"
    );
    // The arguments parse: vigil accepts them (the shard filled in).
    let filled: Vec<String> = args.iter().map(|a| a.replace("$(SHARD_INDEX)", "0")).collect();
    let mut check: Vec<&str> = filled.iter().map(String::as_str).collect();
    check.push("--help");
    assert!(crate::support::vigil(&check).status.success(), "{check:?}");

    let deployment = yaml(&repo().join("deploy/kubernetes/watch-deployment.yaml"));
    for spec in [pod, &deployment["spec"]["template"]["spec"]] {
        assert_eq!(spec["securityContext"]["runAsNonRoot"], true);
        assert_eq!(spec["securityContext"]["runAsUser"], 65532);
        let container = &spec["containers"][0]["securityContext"];
        assert_eq!(container["readOnlyRootFilesystem"], true);
        assert_eq!(container["allowPrivilegeEscalation"], false);
        // The store's password never sits in a URL or a plain value.
        let env = spec["containers"][0]["env"].as_array().unwrap();
        let password = env.iter().find(|e| e["name"] == "PGPASSWORD").unwrap();
        assert!(password["valueFrom"]["secretKeyRef"].is_object());
    }
}
