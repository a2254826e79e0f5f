//! Every rule article's AWS CLI snippets, run as written (bash, the AWS CLI
//! from the emulator venv, jq) against the emulator, in the state the
//! article assumes; then `vigil audit` says whether the fix fixed. An
//! article whose commands do not work as written fails here, not in a
//! reader's terminal. Snippets that cannot run as written say why
//! (`NOT_RUN`), and a rule whose article has snippets but no case fails.

#[path = "../support/mod.rs"]
mod support;

mod agentcore;
mod bedrock;
mod jobs;
mod models;
mod notebooks;
mod platform;
mod settings;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};
use support::Emulator;

const REGION: &str = "eu-west-1";

/// One article: the state it starts from, what its audit commands must
/// print there, and each resource's verdict once its fix has run.
struct Case {
    rule: &'static str,
    /// AWS CLI commands that build the state the article talks about.
    scene: String,
    /// Text the audit snippets must print for the failing resource.
    audit_shows: &'static [&'static str],
    /// (resource name, status) after every snippet ran; `None` for gone.
    after: &'static [(&'static str, Option<&'static str>)],
    /// A shell check of what the verdicts do not show (endpoints moved).
    then: Option<String>,
}

/// Snippets that cannot run as written, by a line they contain, and why.
const NOT_RUN: &[(&str, &str)] = &[(
    "vigil remediate sagemaker-model-network-isolation --models",
    "asks for confirmation on a terminal; remediate_apply.rs runs the same apply with --yes",
)];

const ROLE: &str = "arn:aws:iam::123456789012:role/sm";

fn articles_snippets(rule: &str) -> Vec<(String, String)> {
    let out = support::vigil(&["explain", rule, "--format", "markdown"]);
    assert!(out.status.success(), "vigil explain {rule}: {out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut section = String::new();
    let mut snippets = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading.to_owned();
        } else if line == "```sh" {
            let code: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            snippets.push((section.clone(), code.join("\n")));
        }
    }
    snippets
}

/// The AWS CLI of the emulator venv behind a fork server
/// (tests/emulator/aws_fork.py), started once for this test binary: the
/// snippets make a few hundred `aws` calls, and each would otherwise spend
/// half a second importing the CLI. Its folder holds the socket and the
/// `aws` the shells find first on PATH.
fn aws_cli() -> &'static Path {
    static FOLDER: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    FOLDER.get_or_init(|| {
        let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("aws-fork-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/emulator/aws_fork.py");
        let mut server = Command::new(support::python())
            .arg(&script)
            .arg("serve")
            .arg(folder.join("socket"))
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("starting the AWS CLI fork server");
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stdout.take().unwrap()), &mut line).unwrap();
        assert_eq!(line.trim(), "listening", "the AWS CLI fork server did not start");
        // It exits by itself once this process is gone.
        std::mem::forget(server);
        let shim = folder.join("aws");
        std::fs::write(
            &shim,
            format!(
                "#!/usr/bin/env bash\nexec '{}' -IS '{}' call \"$@\"\n",
                support::python().display(),
                script.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&shim, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        folder
    })
}

/// `script` in bash with `-euo pipefail`, in `dir`, with the venv's AWS CLI
/// pointed at the emulator and nothing of the developer's own AWS set-up.
fn shell(emulator: &Emulator, dir: &Path, script: &str) -> Output {
    let venv_bin = support::python().parent().unwrap().to_owned();
    let path = format!(
        "{}:{}:{}",
        aws_cli().display(),
        venv_bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(dir)
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir)
        .env("AWS_ENDPOINT_URL", &emulator.url)
        .env("AWS_DEFAULT_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_PAGER", "")
        .env("VIGIL_AWS_FORK_SOCKET", aws_cli().join("socket"))
        .output()
        .expect("running bash")
}

fn run(emulator: &Emulator, dir: &Path, what: &str, script: &str) -> String {
    let out = shell(emulator, dir, script);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{script}\n--- stdout\n{stdout}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn statuses(emulator: &Emulator, rule: &str) -> BTreeMap<String, String> {
    let (_, report) = support::audit_json(&emulator.url, &["--regions", REGION, "--rules", rule]);
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    support::verdicts_for(&report, rule)
        .into_iter()
        .map(|((_, name), finding)| (name, finding["status"].as_str().unwrap().to_owned()))
        .collect()
}

fn check(case: Case) {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    run(&emulator, dir.path(), "the scene", &case.scene);
    let mut audit_output = String::new();
    let mut ran = 0;
    for (section, code) in articles_snippets(case.rule) {
        if let Some((_, why)) = NOT_RUN.iter().find(|(line, _)| code.contains(line)) {
            eprintln!("{}: not run ({why}):\n{code}", case.rule);
            continue;
        }
        let out = run(&emulator, dir.path(), &format!("{} '{section}'", case.rule), &code);
        if section.starts_with("Audit") {
            audit_output.push_str(&out);
        }
        ran += 1;
    }
    assert!(ran > 0, "{}: no snippet ran", case.rule);
    for shown in case.audit_shows {
        assert!(
            audit_output.contains(shown),
            "{}: the audit snippets printed {audit_output:?}, not {shown:?}",
            case.rule
        );
    }
    let got = statuses(&emulator, case.rule);
    for (name, status) in case.after {
        assert_eq!(
            got.get(*name).map(String::as_str),
            *status,
            "{}: {name} after the article's fix; all: {got:?}",
            case.rule
        );
    }
    if let Some(then) = &case.then {
        run(&emulator, dir.path(), "the check after", then);
    }
}

/// Every rule whose article has a shell snippet has a case in one of this
/// test's modules (or, on a setting, in its live fixture), and
/// every snippet left out is still in an article (no stale excuse).
#[test]
fn every_article_with_snippets_has_a_case() {
    let out = support::vigil(&["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let source = [
        include_str!("agentcore.rs"),
        include_str!("bedrock.rs"),
        include_str!("jobs.rs"),
        include_str!("models.rs"),
        include_str!("notebooks.rs"),
        include_str!("platform.rs"),
    ]
    .concat();
    let mut missing = Vec::new();
    let mut all_snippets = String::new();
    for rule in rules.as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let snippets = articles_snippets(id);
        let has_case = source.contains(&format!("rule: \"{id}\""))
            || support::live_fixture(id).is_some_and(|fixture| fixture.get("article").is_some());
        if !snippets.is_empty() && !has_case {
            missing.push(id.to_owned());
        }
        all_snippets.extend(snippets.into_iter().map(|(_, code)| code));
    }
    assert!(rules.as_array().unwrap().len() >= 17, "{rules:#}");
    assert!(missing.is_empty(), "articles with snippets and no case: {missing:?}");
    for (line, _) in NOT_RUN {
        assert!(
            all_snippets.contains(line),
            "NOT_RUN names a snippet no article has: {line}"
        );
    }
}
