//! Stamps `vigil --version` with the commit it was built from, so a bug report
//! or a stored run names the exact build. The commit comes from
//! `VIGIL_BUILD_COMMIT` (a container build without `.git`), else from the
//! git checkout this crate is tracked in, else from the `.cargo_vcs_info.json`
//! that `cargo package` writes (a `cargo install vigil` from crates.io);
//! without any of them the version stands alone.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=VIGIL_BUILD_COMMIT");
    println!("cargo:rerun-if-changed=build.rs");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let stamp = std::env::var("VIGIL_BUILD_COMMIT")
        .ok()
        .filter(|commit| !commit.trim().is_empty())
        .map(|commit| commit.trim().chars().take(12).collect())
        .or_else(from_git)
        .or_else(from_vcs_info);
    let full = match stamp {
        Some(stamp) => format!("{version} ({stamp})"),
        None => version,
    };
    println!("cargo:rustc-env=VIGIL_VERSION={full}");
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// The checkout's commit and its date, but only when this crate is tracked
/// there: a crate unpacked under a home folder that is itself a git
/// repository must not take that repository's commit.
fn from_git() -> Option<String> {
    git(&["ls-files", "--error-unmatch", "Cargo.toml"])?;
    // Rebuild when HEAD moves: HEAD itself, the branch it names, packed refs.
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])?];
    if let Some(branch) = git(&["rev-parse", "--symbolic-full-name", "HEAD"]) {
        watched.extend(git(&["rev-parse", "--git-path", &branch]));
    }
    watched.extend(git(&["rev-parse", "--git-path", "packed-refs"]));
    for path in watched.iter().filter(|path| Path::new(path).exists()) {
        println!("cargo:rerun-if-changed={path}");
    }
    let commit = git(&["rev-parse", "--short=12", "HEAD"])?;
    match git(&["log", "-1", "--format=%cs", "HEAD"]) {
        Some(date) => Some(format!("{commit} {date}")),
        None => Some(commit),
    }
}

fn from_vcs_info() -> Option<String> {
    // Watched only when present: a missing watched file reruns the script
    // (and rebuilds this crate) on every build.
    let text = std::fs::read_to_string(".cargo_vcs_info.json").ok()?;
    println!("cargo:rerun-if-changed=.cargo_vcs_info.json");
    // {"git": {"sha1": "…"}, "path_in_vcs": "crates/vigil"}: no JSON parser
    // in a build script for one field.
    let after = text.split("\"sha1\"").nth(1)?;
    let sha = after.split('"').nth(1)?;
    (sha.len() >= 12 && sha.chars().all(|c| c.is_ascii_hexdigit())).then(|| sha[..12].to_string())
}
