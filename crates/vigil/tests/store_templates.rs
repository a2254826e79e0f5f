//! Template findings in the store mean one resource: a template is keyed by
//! its repository and its path there, so every spelling of a folder gives
//! one finding, two repositories that share a store keep their histories
//! apart, and a template deleted or renamed is resolved where it was.

mod support;

use serde_json::Value;
use std::path::Path;
use support::vigil_command;

const RULE: &str = "sagemaker-model-network-isolation";

fn model(isolated: bool) -> String {
    format!("Resources:\n  Scorer:\n    Type: AWS::SageMaker::Model\n    Properties:\n      EnableNetworkIsolation: {isolated}\n")
}

/// A repository whose origin is `remote`, with `files` (path, isolated).
fn repository(at: &Path, remote: &str, files: &[(&str, bool)]) {
    std::fs::create_dir_all(at.join(".git")).unwrap();
    std::fs::write(
        at.join(".git/config"),
        format!("[remote \"origin\"]\n\turl = {remote}\n"),
    )
    .unwrap();
    for (file, isolated) in files {
        let path = at.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, model(*isolated)).unwrap();
    }
}

/// `vigil scan PATH` from `cwd`, recorded: (exit code, new findings).
fn scan(cwd: &Path, path: &str, store: &str) -> (i32, usize) {
    let mut command = vigil_command(&["scan", path, "--rules", RULE, "--store", store, "--format", "json"]);
    command.env_remove("VIGIL_NO_STORE").current_dir(cwd);
    let out = command.output().unwrap();
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert!(
        report["errors"].as_array().unwrap().is_empty(),
        "{:#}",
        report["errors"]
    );
    let new = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["history"]["new"] == true)
        .count();
    (out.status.code().unwrap(), new)
}

/// The stored findings: (file, state, resolution).
fn stored(store: &str) -> Vec<(String, String, String)> {
    let mut command = vigil_command(&["findings", "--store", store, "--format", "json"]);
    command.env_remove("VIGIL_NO_STORE");
    let out = command.output().unwrap();
    let document: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found: Vec<(String, String, String)> = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |v: &Value| v.as_str().unwrap_or("-").to_owned();
            (text(&f["resource"]["file"]), text(&f["state"]), text(&f["resolution"]))
        })
        .collect();
    found.sort();
    found
}

#[test]
fn every_spelling_of_a_folder_is_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("checkout");
    repository(&repo, "git@github.com:acme/infra.git", &[("infra/main.yaml", false)]);
    let store = format!("sqlite://{}", dir.path().join("f.db").display());
    let absolute = repo.join("infra").display().to_string();
    assert_eq!(scan(&repo, "infra/", &store), (1, 1));
    for spelling in ["./infra", &absolute, "infra/../infra", "."] {
        assert_eq!(scan(&repo, spelling, &store).1, 0, "{spelling}: not new again");
    }
    assert_eq!(
        stored(&store),
        [(
            "github.com/acme/infra//infra/main.yaml".into(),
            "open".into(),
            "-".into()
        )]
    );
}

#[test]
fn two_repositories_sharing_a_store_keep_their_own_histories() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    repository(&a, "https://github.com/acme/a.git", &[("main.yaml", false)]);
    repository(
        &b,
        "https://ci-token:s3cret@github.com/acme/b.git",
        &[("main.yaml", false)],
    );
    let store = format!("sqlite://{}", dir.path().join("f.db").display());
    assert_eq!(scan(&a, "./main.yaml", &store), (1, 1));
    assert_eq!(
        scan(&b, "./main.yaml", &store),
        (1, 1),
        "b's failure is b's own, and new"
    );
    std::fs::write(b.join("main.yaml"), model(true)).unwrap();
    assert_eq!(scan(&b, ".", &store).0, 0);
    assert_eq!(
        stored(&store),
        [
            ("github.com/acme/a//main.yaml".into(), "open".into(), "-".into()),
            ("github.com/acme/b//main.yaml".into(), "resolved".into(), "fixed".into()),
        ],
        "b's fix resolves b's finding only, and no credential is stored"
    );
}

#[test]
fn a_deleted_or_renamed_template_is_resolved_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    repository(
        &repo,
        "https://example.com/acme/ml.git",
        &[
            ("stacks/a.yaml", false),
            ("stacks/b.yaml", false),
            ("other/c.yaml", false),
        ],
    );
    let store = format!("sqlite://{}", dir.path().join("f.db").display());
    assert_eq!(scan(&repo, ".", &store), (1, 3));
    std::fs::remove_file(repo.join("stacks/b.yaml")).unwrap();
    std::fs::rename(repo.join("stacks/a.yaml"), repo.join("stacks/renamed.yaml")).unwrap();
    std::fs::remove_file(repo.join("other/c.yaml")).unwrap();
    // Only stacks/ is scanned: other/c.yaml was not looked at, and stays open.
    assert_eq!(scan(&repo, "stacks", &store), (1, 1), "the renamed template is new");
    let p = |f: &str| format!("example.com/acme/ml//{f}");
    assert_eq!(
        stored(&store),
        [
            (p("other/c.yaml"), "open".into(), "-".into()),
            (p("stacks/a.yaml"), "resolved".into(), "deleted".into()),
            (p("stacks/b.yaml"), "resolved".into(), "deleted".into()),
            (p("stacks/renamed.yaml"), "open".into(), "-".into()),
        ]
    );
}
