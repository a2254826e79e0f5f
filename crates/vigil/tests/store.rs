//! The findings store end to end, with both back ends: the real binary
//! audits the emulator again and again, and `vigil findings` says what
//! became of each finding. PostgreSQL is a real server started by the test
//! bed; faults on its connection come from microburst's PostgreSQL mode.

mod support;

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::process::Output;
use support::postgres::Postgres;
use support::seed::{self, Isolation, Spec};
use support::{vigil_command, Emulator, FaultProxy};

const REGION: &str = "eu-west-1";
const RULE: &str = "sagemaker-model-network-isolation";

/// `vigil ARGS` with recording on.
fn recorded(args: &[&str]) -> Output {
    let mut command = vigil_command(args);
    command.env_remove("VIGIL_NO_STORE");
    command.output().unwrap()
}

fn audit(endpoint: &str, store: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "audit",
        "--format",
        "json",
        "--regions",
        REGION,
        "--rules",
        RULE,
        "--endpoint-url",
        endpoint,
        "--store",
        store,
    ];
    args.extend_from_slice(extra);
    let out = recorded(&args);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), report)
}

/// Each stored finding's (state, resolution, first_seen), by resource name.
fn stored(store: &str) -> BTreeMap<String, (String, Option<String>, String)> {
    let out = recorded(&["findings", "--store", store, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let document: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(document["schema_version"], "1");
    document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["resource"]["name"].as_str().unwrap().to_owned(),
                (
                    f["state"].as_str().unwrap().to_owned(),
                    f["resolution"].as_str().map(str::to_owned),
                    f["first_seen"].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect()
}

fn history(store: &str) {
    let emulator = Emulator::start();
    let url = &emulator.url;
    seed::create_all(
        url,
        &[
            Spec::new(REGION, "fixed", Isolation::Off),
            Spec::new(REGION, "deleted", Isolation::Off),
            Spec::new(REGION, "kept", Isolation::Absent),
            Spec::new(REGION, "good", Isolation::On),
        ],
    );
    // A recording run (no gate): it accepts what it sees failing.
    let (code, first) = audit(url, store, &[]);
    assert_eq!(code, 1, "three new failures");
    assert!(first["recorded"]["run"].is_string(), "{first:#}");
    let news: Vec<bool> = first["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| f["history"]["new"].as_bool().unwrap())
        .collect();
    assert_eq!(news, [true, true, true]);
    let before = stored(store);
    assert_eq!(before["good"].0, "passing");
    assert_eq!(before["kept"].0, "open");

    // Between runs: one model fixed (re-created isolated), one deleted, one added.
    seed::delete(url, REGION, "fixed");
    seed::delete(url, REGION, "deleted");
    seed::create_all(
        url,
        &[
            Spec::new(REGION, "fixed", Isolation::On),
            Spec::new(REGION, "added", Isolation::Off),
        ],
    );
    let (code, second) = audit(url, store, &["--fail-on", "new"]);
    assert_eq!(code, 1, "one new failure: added");
    let resolved: BTreeMap<&str, &str> = second["recorded"]["resolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["resource"]["name"].as_str().unwrap(),
                r["resolution"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(resolved, BTreeMap::from([("deleted", "deleted"), ("fixed", "fixed")]));
    let after = stored(store);
    assert_eq!(
        (after["fixed"].0.as_str(), after["fixed"].1.as_deref()),
        ("resolved", Some("fixed"))
    );
    assert_eq!(
        (after["deleted"].0.as_str(), after["deleted"].1.as_deref()),
        ("resolved", Some("deleted"))
    );
    assert_eq!(after["added"].0, "open");
    assert!(after["added"].2 > before["kept"].2, "added later: {after:?}");
    assert_eq!(after["kept"].2, before["kept"].2, "kept keeps its first_seen");

    // Nothing changed: a gate accepts nothing, so its retry fails again,
    // until a recording run accepts what is failing; then the gate passes
    // and --fail-on any does not.
    assert_eq!(audit(url, store, &["--fail-on", "new"]).0, 1, "the retry fails again");
    assert_eq!(audit(url, store, &[]).0, 1);
    assert_eq!(audit(url, store, &["--fail-on", "new"]).0, 0);

    // A region that cannot be read resolves nothing, even what is gone from it.
    seed::delete(url, REGION, "kept");
    let proxy = FaultProxy::start(url);
    proxy.set_rules(
        json!([{"service": "sagemaker", "operation": "ListModels", "region": REGION,
        "error": {"code": "AccessDeniedException", "status": 400, "message": "denied"}}]),
    );
    assert_eq!(audit(&proxy.url, store, &[]).0, 3);
    assert_eq!(stored(store)["kept"].0, "open");

    let runs = recorded(&["runs", "--store", store, "--format", "json"]);
    let runs: Value = serde_json::from_slice(&runs.stdout).unwrap();
    assert_eq!(runs["runs"].as_array().unwrap().len(), 6);

    // Filters, and CSV with the history columns.
    let csv = recorded(&["findings", "--store", store, "--state", "resolved", "--format", "csv"]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("rule,title,risk,status,state,first_seen,last_seen,resolved_at,resolution,"));
    let mut resolved: Vec<&str> = lines.map(|l| l.split(',').nth(12).unwrap()).collect();
    resolved.sort();
    assert_eq!(resolved, ["deleted", "fixed"]);

    // Pruning forgets runs and resolved findings, never open ones.
    let pruned = recorded(&["runs", "prune", "--keep", "0h", "--store", store]);
    assert_eq!(
        pruned.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&pruned.stderr)
    );
    assert!(String::from_utf8_lossy(&pruned.stderr).starts_with("vigil: forgot 6 run(s) and 2 resolved finding(s)"));
    let left = stored(store);
    assert_eq!(left.keys().collect::<Vec<_>>(), ["added", "good", "kept"]);
}

#[test]
fn findings_live_over_time_in_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    history(&format!("sqlite://{}", dir.path().join("findings.db").display()));
}

#[test]
fn findings_live_over_time_in_postgres() {
    let postgres = Postgres::start();
    history(&postgres.url);
}

#[test]
fn a_connection_dropped_mid_run_records_nothing_and_the_report_still_comes() {
    let emulator = Emulator::start();
    seed::create_all(&emulator.url, &[Spec::new(REGION, "open", Isolation::Off)]);
    let postgres = Postgres::start();
    let (proxy, port) = FaultProxy::start_postgres(&format!("127.0.0.1:{}", postgres.port));
    let through = format!("postgres://vigil@127.0.0.1:{port}/postgres");
    // Migrations run on the first open; then the run's first finding write drops the link.
    assert_eq!(audit(&emulator.url, &through, &[]).0, 1);
    proxy.set_rules(json!([{"service": "postgres", "operation": "insert", "resource": "findings", "reset": true}]));
    seed::create_all(&emulator.url, &[Spec::new(REGION, "second", Isolation::Off)]);
    let (code, report) = audit(&emulator.url, &through, &[]);
    assert_eq!(code, 1, "the failures still count");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["scope"], "store");
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("the run was not recorded"));
    assert!(!proxy.fired().is_empty());
    // Straight to the server: one run, and nothing of the second.
    let runs = recorded(&["runs", "--store", &postgres.url, "--format", "json"]);
    let runs: Value = serde_json::from_slice(&runs.stdout).unwrap();
    assert_eq!(runs["runs"].as_array().unwrap().len(), 1);
    assert!(!stored(&postgres.url).contains_key("second"));
}

#[test]
fn two_audits_at_once_lose_nothing() {
    let emulator = Emulator::start();
    let names: Vec<String> = (0..20).map(|i| format!("m{i:02}")).collect();
    let specs: Vec<Spec> = names.iter().map(|n| Spec::new(REGION, n, Isolation::Off)).collect();
    seed::create_all(&emulator.url, &specs);
    let dir = tempfile::tempdir().unwrap();
    let postgres = Postgres::start();
    for store in [
        format!("sqlite://{}", dir.path().join("f.db").display()),
        postgres.url.clone(),
    ] {
        let runs: Vec<_> = (0..2)
            .map(|_| {
                let (url, store) = (emulator.url.clone(), store.clone());
                std::thread::spawn(move || audit(&url, &store, &[]))
            })
            .collect();
        for run in runs {
            let (code, report) = run.join().unwrap();
            assert_eq!(code, 1);
            assert!(
                report["errors"].as_array().unwrap().is_empty(),
                "{:#}",
                report["errors"]
            );
        }
        let listed = recorded(&["runs", "--store", &store, "--format", "json"]);
        let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
        assert_eq!(listed["runs"].as_array().unwrap().len(), 2, "{store}");
        assert_eq!(stored(&store).len(), 20, "{store}");
    }
}

#[test]
fn vigil_toml_suppresses_with_a_reason_until_it_expires() {
    let emulator = Emulator::start();
    seed::create_all(
        &emulator.url,
        &[
            Spec::new(REGION, "partner-scoring-a", Isolation::Off),
            Spec::new(REGION, "legacy-b", Isolation::Off),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("vigil.toml");
    std::fs::write(
        &config,
        format!(
            r#"[[suppress]]
rule = "{RULE}"
resources = ["partner-scoring-*"]
reason = "Calls the partner scoring API at run time (ticket ML-412)"
expires = "2999-06-30"

[[suppress]]
rule = "{RULE}"
resources = ["legacy-*"]
reason = "old exception"
expires = "2020-01-01"
"#
        ),
    )
    .unwrap();
    let config = config.display().to_string();
    let store = format!("sqlite://{}", dir.path().join("f.db").display());
    let (code, report) = audit(&emulator.url, &store, &["--config", &config]);
    assert_eq!(code, 1, "the expired suppression hides nothing");
    let by_name: BTreeMap<&str, &Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["resource"]["name"].as_str().unwrap(), f))
        .collect();
    let partner = by_name["partner-scoring-a"];
    assert_eq!(partner["suppressed"], true);
    assert_eq!(
        partner["suppression"]["reason"],
        "Calls the partner scoring API at run time (ticket ML-412)"
    );
    assert_eq!(by_name["legacy-b"]["suppressed"], false);
    // In the store too, with the reason.
    let out = recorded(&["findings", "--store", &store, "--format", "json"]);
    let document: Value = serde_json::from_slice(&out.stdout).unwrap();
    let partner = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["resource"]["name"] == "partner-scoring-a")
        .unwrap();
    assert_eq!(
        (partner["suppressed"].as_bool(), partner["state"].as_str()),
        (Some(true), Some("open"))
    );
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        notes.iter().any(|n| n.ends_with(&format!(
            "vigil.toml:7: the suppression of {RULE} expired on 2020-01-01: its findings count again"
        ))),
        "{notes:?}"
    );

    // A suppression that hides nothing is reported as unused.
    std::fs::write(
        dir.path().join("vigil.toml"),
        format!("[[suppress]]\nrule = \"{RULE}\"\nresources = [\"gone-*\"]\nreason = \"r\"\n"),
    )
    .unwrap();
    let (_, report) = audit(&emulator.url, &store, &["--config", &config]);
    assert_eq!(
        report["notes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n.as_str().unwrap().ends_with(&format!(
                "vigil.toml:1: the suppression of {RULE} matched nothing in this run"
            )))
            .count(),
        1,
        "{:?}",
        report["notes"]
    );

    // A mistake in the file is one line naming the file and line, exit 2.
    std::fs::write(
        dir.path().join("vigil.toml"),
        format!("[[suppress]]\nrule = \"{RULE}\"\n"),
    )
    .unwrap();
    let out = recorded(&[
        "audit",
        "--config",
        &config,
        "--endpoint-url",
        &emulator.url,
        "--store",
        &store,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).lines().next().unwrap(),
        format!("vigil: error: {config}:1: the suppression of {RULE} needs a reason")
    );
}

#[test]
fn a_scan_resolves_only_the_templates_it_could_read() {
    let dir = tempfile::tempdir().unwrap();
    let model = |isolated: bool| {
        format!("Resources:\n  Scorer:\n    Type: AWS::SageMaker::Model\n    Properties:\n      EnableNetworkIsolation: {isolated}\n")
    };
    let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
    std::fs::write(&a, model(false)).unwrap();
    std::fs::write(&b, model(false)).unwrap();
    let store = format!("sqlite://{}", dir.path().join("f.db").display());
    let templates = dir.path().display().to_string();
    let scan = |extra: &[&str]| {
        let mut args = vec!["scan", &templates, "--rules", RULE, "--store", &store];
        args.extend_from_slice(extra);
        recorded(&args)
    };
    let first = scan(&[]);
    assert_eq!(first.status.code(), Some(1));
    let text = String::from_utf8_lossy(&first.stdout);
    assert_eq!(text.matches("(new)").count(), 2, "{text}");

    // a is fixed; b can no longer be parsed, so what it held stays open.
    std::fs::write(&a, model(true)).unwrap();
    std::fs::write(&b, "Resources: [unclosed\n").unwrap();
    let second = scan(&["--fail-on", "new"]);
    let text = String::from_utf8_lossy(&second.stdout);
    assert_eq!(
        second.status.code(),
        Some(4),
        "nothing new fails, b is unparsable: {text}"
    );
    assert!(text.contains("RESOLVED SINCE LAST SEEN (1)"), "{text}");
    assert!(!text.contains("(new)"), "{text}");
    let states: BTreeMap<String, String> = {
        let out = recorded(&["findings", "--store", &store, "--format", "json"]);
        let document: Value = serde_json::from_slice(&out.stdout).unwrap();
        document["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let file = f["resource"]["file"].as_str().unwrap();
                (
                    file.rsplit('/').next().unwrap().to_owned(),
                    f["state"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        states,
        BTreeMap::from([("a.yaml".into(), "resolved".into()), ("b.yaml".into(), "open".into())])
    );
    // The CSV report carries the history too.
    let csv = scan(&["--format", "csv"]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(&header[15..], ["state", "first_seen", "new"]);
    let row = csv.lines().nth(1).unwrap();
    assert!(row.ends_with(",false"), "{row}");
    assert!(row.contains(",resolved,"), "{row}");
}
