//! Whose database the store is: another program's database, or a store a
//! newer Vigil wrote, is refused before anything is written and is left
//! byte for byte as it was; an older store is migrated in one transaction;
//! a read-only copy can be read. SQLite files are made and inspected with
//! Python's own sqlite3, PostgreSQL databases with psql.

mod support;

use std::path::Path;
use std::process::Command;
use support::postgres::Postgres;
use support::{python, vigil_command};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/cloudformation");
const RULE: &str = "sagemaker-model-network-isolation";

/// `vigil ARGS` with recording on: (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let mut command = vigil_command(args);
    command.env_remove("VIGIL_NO_STORE");
    let out = command.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A scan recorded in `store`: the report's store errors.
fn scan(store: &str) -> Vec<String> {
    let (code, out, err) = run(&["scan", EXAMPLES, "--rules", RULE, "--format", "json", "--store", store]);
    assert_eq!(code, 1, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_owned())
        .collect()
}

/// Runs Python's sqlite3 on `db`: `script` sees it as `db`.
fn sqlite(db: &Path, script: &str) -> String {
    let code =
        format!("import sqlite3, sys\ndb = sqlite3.connect(sys.argv[1], isolation_level=None)\n{script}\ndb.close()");
    let out = Command::new(python()).args(["-c", &code]).arg(db).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The folder's files and their bytes: what "untouched" means.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn another_programs_sqlite_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let tables = dir.path().join("app.db");
    sqlite(&tables, "db.execute('CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)')\ndb.execute(\"INSERT INTO accounts (owner) VALUES ('ann')\")");
    let marked = dir.path().join("marked.db");
    sqlite(&marked, "db.execute('PRAGMA application_id = 4660')");
    let before = snapshot(dir.path());
    for (db, says) in [(&tables, "it holds accounts"), (&marked, "belongs to another program")] {
        let url = format!("sqlite://{}", db.display());
        let errors = scan(&url);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains(says) && errors[0].contains("nothing was changed"),
            "{errors:?}"
        );
        let (code, _, err) = run(&["findings", "--store", &url]);
        assert_eq!(code, 2);
        assert!(err.contains(says), "{err}");
    }
    assert!(
        snapshot(dir.path()) == before,
        "the databases changed, or files appeared beside them"
    );
}

#[test]
fn a_store_a_newer_vigil_wrote_is_refused_untouched_and_an_older_one_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    let url = format!("sqlite://{}", db.display());
    assert!(scan(&url).is_empty());
    let latest = sqlite(
        &db,
        "print(db.execute('SELECT MAX(version) FROM schema_migrations').fetchone()[0])",
    );

    // Taken back to schema 1, as Vigil 0.1.0 left it: no mark, no later tables or columns.
    sqlite(
        &db,
        "db.execute('PRAGMA application_id = 0')
for (name,) in db.execute(\"SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND name <> 'findings_state'\").fetchall():
    db.execute('DROP INDEX ' + name)
db.execute('DELETE FROM schema_migrations WHERE version > 1')
db.execute('ALTER TABLE schema_migrations DROP COLUMN vigil')
db.execute('ALTER TABLE runs DROP COLUMN branch')
db.execute('ALTER TABLE runs DROP COLUMN revision')
db.execute('DROP TABLE accepted')
db.execute(\"UPDATE findings SET file = 'examples/' || name, key = key || '-as-typed'\")",
    );
    assert!(scan(&url).is_empty(), "an older store is migrated");
    let migrated = sqlite(
        &db,
        "print(db.execute('PRAGMA application_id').fetchone()[0])
print(db.execute(\"SELECT group_concat(version || ':' || COALESCE(vigil, '-'), ' ') FROM schema_migrations\").fetchone()[0])",
    );
    let version = env!("CARGO_PKG_VERSION");
    let applied: Vec<String> = (2..=latest.parse::<i64>().unwrap())
        .map(|v| format!("{v}:{version}"))
        .collect();
    assert_eq!(migrated, format!("{}\n1:- {}", 0x5669_676c, applied.join(" ")));
    // Template findings kept under the path a scan was given are resolved
    // as renamed; the scan kept them again under the repository's name.
    let states = sqlite(
        &db,
        "for row in db.execute(\"SELECT file LIKE '%//%', state || '/' || COALESCE(resolution, '-') FROM findings ORDER BY 1, 2\"):
    print(*row)",
    );
    let lines: Vec<&str> = states.lines().collect();
    let renamed = lines.iter().filter(|l| **l == "0 resolved/renamed").count();
    let kept_again = lines
        .iter()
        .filter(|l| l.starts_with("1 ") && !l.contains("resolved"))
        .count();
    assert!(
        renamed == kept_again && renamed * 2 == lines.len() && renamed > 0,
        "{states}"
    );

    // Written by a newer Vigil, with a state this one does not know.
    sqlite(
        &db,
        "db.execute(\"INSERT INTO schema_migrations (version, vigil) VALUES (99, '9.0.0')\")
db.execute(\"UPDATE findings SET state = 'muted'\")
db.execute('PRAGMA wal_checkpoint(TRUNCATE)')",
    );
    let before = snapshot(dir.path());
    let refusal = format!("written by Vigil 9.0.0 (schema 99); this is Vigil {version} (schema {latest})");
    let errors = scan(&url);
    assert!(errors.len() == 1 && errors[0].contains(&refusal), "{errors:?}");
    for read in [vec!["findings", "--store", &url], vec!["runs", "--store", &url]] {
        let (code, _, err) = run(&read);
        assert_eq!(code, 2, "{read:?}");
        assert!(err.contains(&refusal), "{err}");
    }
    let after = snapshot(dir.path());
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(n, b)| format!("{n}:{}", b.len())).collect::<Vec<_>>();
    assert_eq!(names(&after), names(&before));
    assert!(after == before, "the newer store changed");
    assert_eq!(
        sqlite(
            &db,
            "print(db.execute('SELECT DISTINCT state FROM findings').fetchone()[0])"
        ),
        "muted"
    );
}

#[test]
fn a_read_only_copy_of_a_store_can_be_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    assert!(scan(&format!("sqlite://{}", db.display())).is_empty());
    // Only the file is copied (its WAL checkpointed on close), into a folder
    // no one may write; as root, the reader is `nobody`.
    let copy = dir.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    std::fs::copy(&db, copy.join("f.db")).unwrap();
    std::fs::set_permissions(copy.join("f.db"), std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let url = format!("sqlite://{}", copy.join("f.db").display());
    let mut command = vigil_command(&["findings", "--store", &url, "--format", "json"]);
    command.env_remove("VIGIL_NO_STORE");
    if let Some((uid, gid)) = support::postgres::unprivileged() {
        use std::os::unix::process::CommandExt;
        // `nobody` may not reach the build's folder (CI builds under
        // /root): it runs a copy of the binary from the test's folder.
        let binary = dir.path().join("vigil");
        std::fs::copy(env!("CARGO_BIN_EXE_vigil"), &binary).unwrap();
        let mut as_nobody = std::process::Command::new(&binary);
        as_nobody
            .args(["findings", "--store", &url, "--format", "json"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .uid(uid)
            .gid(gid);
        command = as_nobody;
    }
    let out = command.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!listed["findings"].as_array().unwrap().is_empty());
    assert_eq!(
        std::fs::read_dir(&copy).unwrap().count(),
        1,
        "nothing was written beside the copy"
    );
}

#[test]
fn postgres_refuses_another_programs_tables_and_a_newer_store() {
    let server = Postgres::start();
    let psql = |db: &str, sql: &str| server.psql(db, sql);
    psql("postgres", "CREATE DATABASE app");
    psql("app", "CREATE TABLE findings (id int); INSERT INTO findings VALUES (7)");
    let app = server.url.replace("/postgres", "/app");
    let errors = scan(&app);
    assert!(
        errors.len() == 1 && errors[0].contains("it holds findings"),
        "{errors:?}"
    );
    assert_eq!(
        psql(
            "app",
            "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = 'public'"
        ),
        "findings"
    );

    assert!(scan(&server.url).is_empty());
    psql(
        "postgres",
        "INSERT INTO schema_migrations (version, vigil) VALUES (99, '9.0.0'); UPDATE findings SET state = 'muted'",
    );
    let errors = scan(&server.url);
    assert!(
        errors.len() == 1 && errors[0].contains("written by Vigil 9.0.0 (schema 99)"),
        "{errors:?}"
    );
    assert_eq!(
        psql("postgres", "SELECT string_agg(DISTINCT state, ',') FROM findings"),
        "muted"
    );
    assert_eq!(psql("postgres", "SELECT count(*) FROM runs"), "1");
}
