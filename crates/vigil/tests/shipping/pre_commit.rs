//! The pre-commit hook (`.pre-commit-hooks.yaml`), run by the real
//! pre-commit from PyPI: a failing template fails the hook, a fixed one
//! passes, and installed as a git hook with `--fail-on new` it blocks a
//! commit that brings a new failure but not one the baseline accepted.

use crate::{git, git_repo, model_template, repo, stdout_of, venv_tool};
use std::path::Path;
use std::process::{Command, Output};

/// A command with the built `vigil` first on PATH, pre-commit's cache and
/// Vigil's store in `home`, and nothing of the developer's own setup.
fn in_home(program: &Path, home: &Path) -> Command {
    let vigil_dir = crate::vigil_dir();
    let path = format!("{}:{}", vigil_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut command = Command::new(program);
    command
        .env_clear()
        .env("PATH", path)
        .env("HOME", home)
        .env("PRE_COMMIT_HOME", home.join("pre-commit"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("GIT_CONFIG_NOSYSTEM", "1");
    command
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn try_repo_fails_a_failing_template_and_passes_the_fixed_one() {
    let home = tempfile::tempdir().unwrap();
    let work = git_repo();
    let try_repo = || {
        in_home(&venv_tool("pre-commit"), home.path())
            .current_dir(work.path())
            .args(["try-repo"])
            .arg(repo())
            .arg("vigil-scan")
            .output()
            .unwrap()
    };
    std::fs::write(work.path().join("model.yaml"), model_template(false)).unwrap();
    git(work.path(), &["add", "model.yaml"]);
    let failing = try_repo();
    assert_eq!(failing.status.code(), Some(1), "{}", text(&failing));
    assert!(text(&failing).contains("sagemaker-model-network-isolation"));
    assert!(text(&failing).contains("Failed"));

    std::fs::write(work.path().join("model.yaml"), model_template(true)).unwrap();
    git(work.path(), &["add", "model.yaml"]);
    let fixed = try_repo();
    assert_eq!(fixed.status.code(), Some(0), "{}", text(&fixed));
    assert!(text(&fixed).contains("Passed"));
}

#[test]
fn the_installed_hook_blocks_a_commit_with_a_new_failure_and_only_then() {
    let home = tempfile::tempdir().unwrap();
    // The hook's repository: this checkout's hook definition, committed.
    let hooks = git_repo();
    std::fs::copy(
        repo().join(".pre-commit-hooks.yaml"),
        hooks.path().join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    git(hooks.path(), &["add", "."]);
    git(hooks.path(), &["commit", "-q", "-m", "hooks"]);
    let rev = git(hooks.path(), &["rev-parse", "HEAD"]);

    // A repository with an old failure, which a recorded scan of main
    // accepts as its baseline.
    let work = git_repo();
    let legacy = model_template(false).replace("Model:", "Legacy:");
    std::fs::write(work.path().join("legacy.yaml"), legacy).unwrap();
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: vigil-scan\n        args: [--fail-on, new, --baseline, main]\n",
        hooks.path().display(),
        rev.trim()
    );
    std::fs::write(work.path().join(".pre-commit-config.yaml"), config).unwrap();
    git(work.path(), &["add", "."]);
    git(work.path(), &["commit", "-q", "-m", "legacy"]);
    let baseline = in_home(Path::new(env!("CARGO_BIN_EXE_vigil")), home.path())
        .current_dir(work.path())
        .args(["scan", "."])
        .output()
        .unwrap();
    assert_eq!(baseline.status.code(), Some(1), "{}", text(&baseline));
    stdout_of(
        in_home(&venv_tool("pre-commit"), home.path())
            .current_dir(work.path())
            .arg("install"),
    );

    let commit = |message: &str| {
        git(work.path(), &["add", "."]);
        in_home(Path::new("git"), home.path())
            .current_dir(work.path())
            .args(["commit", "-q", "-m", message])
            .output()
            .unwrap()
    };
    let commits = || git(work.path(), &["rev-list", "--count", "HEAD"]);
    let before = commits();
    std::fs::write(work.path().join("model.yaml"), model_template(false)).unwrap();
    let blocked = commit("a model without isolation");
    assert_ne!(blocked.status.code(), Some(0), "{}", text(&blocked));
    assert!(text(&blocked).contains("./model.yaml"), "{}", text(&blocked));
    assert_eq!(commits(), before, "the commit was made");

    std::fs::write(work.path().join("model.yaml"), model_template(true)).unwrap();
    let allowed = commit("the model, isolated");
    assert_eq!(allowed.status.code(), Some(0), "{}", text(&allowed));
    assert_ne!(commits(), before);
}
