//! A store that hangs costs a run its recording, never its report: a
//! statement that never answers, a connection whose startup never answers,
//! and a lock another session holds each end in a store error within the
//! limits `--store-statement-timeout` and `--store-lock-timeout` (or
//! vigil.toml) set, and the report is written. Hangs come from microburst's
//! PostgreSQL mode and from real sessions holding the locks.

mod support;

use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::postgres::Postgres;
use support::{python, vigil_command, FaultProxy};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/cloudformation");
/// The advisory lock every Vigil writer takes.
const LOCK: i64 = 0x0076_6967_696c;
/// Far beyond the two-second limits the tests set: a run that takes this
/// long did not give up.
const HUNG: Duration = Duration::from_secs(40);

/// A recorded scan: (exit code, its store errors, how long it took).
fn scan(store: &str, extra: &[&str]) -> (i32, Vec<String>, Duration) {
    let mut args = vec!["scan", EXAMPLES, "--format", "json", "--store", store];
    args.extend_from_slice(extra);
    let mut command = vigil_command(&args);
    command.env_remove("VIGIL_NO_STORE");
    let started = Instant::now();
    let out = command.output().unwrap();
    let took = started.elapsed();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no report ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    assert!(
        !report["findings"].as_array().unwrap().is_empty(),
        "the report is whole"
    );
    let errors = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["scope"] == "store")
        .map(|e| e["message"].as_str().unwrap().to_owned())
        .collect();
    (out.status.code().unwrap(), errors, took)
}

fn assert_gave_up(what: &str, (code, errors, took): (i32, Vec<String>, Duration), says: &str) {
    assert_eq!(code, 1, "{what}: the failures still count");
    assert!(took < HUNG, "{what}: took {took:?}");
    assert!(errors.len() == 1 && errors[0].contains(says), "{what}: {errors:?}");
}

#[test]
fn a_hung_postgresql_costs_the_recording_not_the_report() {
    let postgres = Postgres::start();
    let (proxy, port) = FaultProxy::start_postgres(&format!("127.0.0.1:{}", postgres.port));
    let through = format!("postgres://vigil@127.0.0.1:{port}/postgres");
    let limits = ["--store-statement-timeout", "2s", "--store-lock-timeout", "2s"];
    assert!(scan(&through, &limits).1.is_empty(), "recorded while nothing hangs");

    // A statement the server never sees, so no server timeout can end it.
    proxy.set_rules(json!([{"service": "postgres", "operation": "insert", "timeout": true}]));
    assert_gave_up("a stuck INSERT", scan(&through, &limits), "did not answer within 7 s");
    proxy.set_rules(json!([{"service": "postgres", "operation": "select", "timeout": true}]));
    assert_gave_up("a stuck SELECT", scan(&through, &limits), "did not answer within 7 s");
    // Connecting: the startup exchange never answers.
    proxy.set_rules(json!([{"service": "postgres", "operation": "startup", "timeout": true}]));
    let startup = format!("{through}?connect_timeout=2");
    assert_gave_up(
        "a stuck startup",
        scan(&startup, &limits),
        "cannot connect to the store",
    );
    proxy.set_rules(json!([]));

    // Another session holds the writers' lock: PostgreSQL's lock_timeout.
    let mut psql = Command::new("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &postgres.port.to_string(),
            "-U",
            "vigil",
            "-d",
            "postgres",
        ])
        .args([
            "-c",
            &format!("SELECT pg_advisory_lock({LOCK})"),
            "-c",
            "SELECT pg_sleep(60)",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    support::wait_for(10, "the lock to be held", || {
        postgres.psql(
            "postgres",
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted",
        ) == "1"
    });
    assert_gave_up(
        "a held lock",
        scan(&postgres.url, &["--store-lock-timeout", "2s"]),
        "another run holds it",
    );
    let _ = psql.kill();
    let _ = psql.wait();
}

#[test]
fn a_sqlite_store_another_writer_holds_is_given_up_after_the_lock_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    let store = format!("sqlite://{}", db.display());
    assert!(scan(&store, &[]).1.is_empty());
    let script = "import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute('BEGIN IMMEDIATE')
print('held', flush=True)
time.sleep(60)";
    let mut holder = Command::new(python())
        .args(["-c", script])
        .arg(&db)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(holder.stdout.take().unwrap()), &mut said).unwrap();
    assert_eq!(said.trim(), "held");
    // From vigil.toml this time.
    std::fs::write(dir.path().join("vigil.toml"), "store_lock_timeout = \"2s\"\n").unwrap();
    let config = dir.path().join("vigil.toml").display().to_string();
    assert_gave_up("a held SQLite store", scan(&store, &["--config", &config]), "locked");
    let _ = holder.kill();
    let _ = holder.wait();

    std::fs::write(dir.path().join("vigil.toml"), "\nstore_lock_timeout = \"soon\"\n").unwrap();
    let out = vigil_command(&["scan", EXAMPLES, "--config", &config])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("vigil.toml:2: store_lock_timeout: 'soon' is not a duration"),
        "{said}"
    );
}
