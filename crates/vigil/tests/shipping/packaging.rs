//! What a user installing Vigil meets: `--version` naming the commit, shell
//! completions that complete, manual pages that render without a warning,
//! and a crate that `cargo install vigil` can take (its metadata and the
//! files it ships).

use crate::support::vigil;
use crate::{repo, stdout_of};
use std::process::Command;

#[test]
fn version_names_the_commit_it_was_built_from() {
    let git = |args: &[&str]| stdout_of(Command::new("git").current_dir(repo()).args(args));
    let commit = git(&["rev-parse", "--short=12", "HEAD"]);
    let date = git(&["log", "-1", "--format=%cs", "HEAD"]);
    let out = vigil(&["--version"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!(
            "vigil {} ({} {})",
            env!("CARGO_PKG_VERSION"),
            commit.trim(),
            date.trim()
        )
    );
    // Subcommands answer it too, and their manual pages carry it.
    let sub = vigil(&["scan", "--version"]);
    assert!(String::from_utf8_lossy(&sub.stdout).contains(commit.trim()));
}

#[test]
fn bash_completion_completes_subcommands_and_flags() {
    let script = String::from_utf8(vigil(&["completions", "bash"]).stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vigil.bash");
    std::fs::write(&file, script).unwrap();
    // What bash does on <TAB>: call the registered function with the words.
    let complete = |words: &str| {
        let line = format!(
            "source {}; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}}-1)); \
             _vigil vigil \"${{COMP_WORDS[-1]}}\" \"${{COMP_WORDS[-2]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.display()
        );
        stdout_of(Command::new("bash").arg("-c").arg(line))
    };
    let subcommands = complete("vigil r");
    let mut found: Vec<&str> = subcommands.lines().collect();
    found.sort_unstable();
    assert_eq!(found, ["remediate", "rules", "runs"]);
    assert!(
        complete("vigil scan --fail").lines().any(|w| w == "--fail-on"),
        "scan's flags are completed"
    );
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = vigil(&["completions", shell]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && text.contains("remediate"), "{shell}");
    }
    assert_eq!(vigil(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn man_pages_render_without_warnings_one_per_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out = vigil(&["man", "--out-dir", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut pages: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    for expected in ["vigil.1", "vigil-audit.1", "vigil-scan.1", "vigil-runs-prune.1"] {
        assert!(pages.iter().any(|p| p == expected), "{expected} in {pages:?}");
    }
    for page in &pages {
        let path = dir.path().join(page);
        // groff in warning mode, output discarded: any warning is a defect.
        // `-k` runs preconv for the UTF-8 text, as man(1) does.
        let check = Command::new("groff")
            .args(["-k", "-man", "-ww", "-z"])
            .arg(&path)
            .output()
            .expect("groff");
        assert!(
            check.status.success() && check.stderr.is_empty(),
            "{page}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
    let audit = stdout_of(
        Command::new("groff")
            .args(["-k", "-man", "-Tutf8", "-P", "-cbou"])
            .arg(dir.path().join("vigil-audit.1")),
    );
    assert!(audit.contains("vigil audit") && audit.contains("--security-hub"));
    assert!(audit.contains(env!("CARGO_PKG_VERSION")));
    let single = String::from_utf8(vigil(&["man"]).stdout).unwrap();
    assert!(single.starts_with(".ie") && single.contains(".SH SUBCOMMANDS"));
}

#[test]
fn the_crate_ships_what_cargo_install_needs_and_no_tests() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let metadata: serde_json::Value =
        serde_json::from_str(&stdout_of(Command::new(&cargo).current_dir(repo()).args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])))
        .unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    let vigil = packages.iter().find(|p| p["name"] == "vigil").unwrap();
    for field in ["description", "license", "repository", "readme"] {
        assert!(vigil[field].as_str().is_some_and(|v| !v.is_empty()), "{field}");
    }
    assert!(!vigil["keywords"].as_array().unwrap().is_empty());
    // Every crate it depends on can be published beside it: a version, not
    // only a path.
    for dep in vigil["dependencies"].as_array().unwrap() {
        if dep["name"].as_str().unwrap().starts_with("vigil-") {
            assert_ne!(dep["req"], "*", "{} needs a version", dep["name"]);
        }
    }
    let list = stdout_of(Command::new(&cargo).current_dir(repo()).args([
        "package",
        "--list",
        "--allow-dirty",
        "--offline",
        "-p",
        "vigil",
    ]));
    let files: Vec<&str> = list.lines().collect();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "LICENSE",
        "README.md",
        "build.rs",
        "src/main.rs",
        "src/commands/watch-stack.yaml",
    ] {
        assert!(files.contains(&needed), "{needed} missing from {files:?}");
    }
    assert!(files.iter().all(|f| !f.starts_with("tests/")), "tests ship: {files:?}");
}
