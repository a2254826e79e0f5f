//! The embedded store: one SQLite file. Each run is recorded in one
//! `BEGIN IMMEDIATE` transaction, so two runs writing at once take turns
//! (each waits up to a minute for the other) and a run that fails midway
//! leaves nothing behind.

use crate::row::{Columns, RunRecord, RunRow, StoredFinding};
use crate::schema::{migrations, upsert_updates, FINDING_COLUMNS, RUN_COLUMNS};
use crate::transition::{self, Recorded};
use crate::StoreError;
use rusqlite::{params, Connection, TransactionBehavior};
use std::collections::HashMap;
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;
use std::time::Duration;

pub struct Sqlite {
    conn: Connection,
}

fn failed(what: &str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| StoreError(format!("{what}: {e}"))
}

impl Sqlite {
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
            // The store names every resource of every account it saw: a
            // folder Vigil creates for it is the user's alone.
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(parent)
                .map_err(|e| StoreError(format!("{}: cannot create the folder: {e}", parent.display())))?;
        }
        let open = |e: rusqlite::Error| StoreError(format!("{}: {e}", path.display()));
        // Two runs creating one file at once: switching a new file to WAL
        // does not wait on the busy handler, so the loser waits here.
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            match Self::prepare(path) {
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(50));
                }
                other => return other.map(|conn| Sqlite { conn }).map_err(open),
            }
        }
    }

    fn prepare(path: &Path) -> rusqlite::Result<Connection> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(60))?;
        // WAL: `vigil findings` reads while an audit writes. NORMAL: a
        // commit waits for no disk flush; a power cut may lose the last run,
        // never corrupt the file (SQLite's documented WAL guarantee).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        migrate(&mut conn)?;
        Ok(conn)
    }

    pub fn record(&mut self, run: &RunRecord, seen: Vec<StoredFinding>) -> Result<Recorded, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed("the store is busy"))?;
        let prior: HashMap<String, StoredFinding> = load(&tx)?.into_iter().map(|f| (f.key.clone(), f)).collect();
        let (rows, recorded) = transition::apply(run, &prior, seen);
        tx.execute(
            "INSERT INTO runs (id, command, started_at, finished_at, accounts, regions, rules, pass, fail, unknown, suppressed, errors)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                run.id,
                run.command,
                run.started_at,
                run.finished_at,
                json(&run.accounts),
                json(&run.regions),
                json(&run.rules),
                run.counts.pass as i64,
                run.counts.fail as i64,
                run.counts.unknown as i64,
                run.counts.suppressed as i64,
                run.errors as i64,
            ],
        )
        .map_err(failed("recording the run"))?;
        {
            let mut upsert = tx.prepare(&upsert_sql()).map_err(failed("recording findings"))?;
            for row in &rows {
                upsert
                    .execute(params![
                        row.key,
                        row.rule,
                        row.title,
                        row.risk,
                        row.status,
                        row.reason,
                        row.message,
                        row.state.as_str(),
                        row.first_seen,
                        row.last_seen,
                        row.resolved_at,
                        row.resolution,
                        row.suppressed,
                        row.suppression_reason,
                        row.resource.kind,
                        row.resource.name,
                        row.resource.arn,
                        row.resource.account,
                        row.resource.region,
                        row.resource.file,
                        row.resource.line,
                        row.last_run,
                    ])
                    .map_err(failed("recording findings"))?;
            }
        }
        tx.commit().map_err(failed("committing the run"))?;
        Ok(recorded)
    }

    pub fn all_findings(&mut self) -> Result<Vec<StoredFinding>, StoreError> {
        load(&self.conn)
    }

    pub fn runs(&mut self) -> Result<Vec<RunRow>, StoreError> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM runs ORDER BY finished_at DESC, id DESC");
        read(&self.conn, &sql, RunRow::from_columns).map_err(|e| StoreError(format!("reading runs: {e}")))
    }

    pub fn prune(&mut self, before: &str) -> Result<(usize, usize), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed("the store is busy"))?;
        let runs = tx
            .execute("DELETE FROM runs WHERE finished_at < ?1", [before])
            .map_err(failed("pruning runs"))?;
        let findings = tx
            .execute(
                "DELETE FROM findings WHERE state = 'resolved' AND resolved_at < ?1",
                [before],
            )
            .map_err(failed("pruning findings"))?;
        tx.commit().map_err(failed("pruning"))?;
        Ok((runs, findings))
    }
}

/// Applies the migrations this file has not seen yet, all or none.
fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)",
        [],
    )?;
    let done: i64 = tx.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| {
        r.get(0)
    })?;
    for (version, sql) in migrations("INTEGER", "INTEGER")
        .iter()
        .enumerate()
        .map(|(i, sql)| (i as i64 + 1, sql))
    {
        if version > done {
            tx.execute_batch(sql)?;
            tx.execute("INSERT INTO schema_migrations (version) VALUES (?1)", [version])?;
        }
    }
    tx.commit()
}

fn upsert_sql() -> String {
    let columns = FINDING_COLUMNS.join(", ");
    let values: Vec<String> = (1..=FINDING_COLUMNS.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO findings ({columns}) VALUES ({}) ON CONFLICT (key) DO UPDATE SET {}",
        values.join(", "),
        upsert_updates()
    )
}

fn load(conn: &Connection) -> Result<Vec<StoredFinding>, StoreError> {
    let sql = format!("SELECT {} FROM findings", FINDING_COLUMNS.join(", "));
    read(conn, &sql, StoredFinding::from_columns).map_err(|e| StoreError(format!("reading findings: {e}")))
}

/// Every row of a query, mapped by the back-end-neutral `from`.
fn read<T>(conn: &Connection, sql: &str, from: fn(&dyn Columns) -> Result<T, String>) -> Result<Vec<T>, String> {
    let mut query = conn.prepare(sql).map_err(|e| e.to_string())?;
    let mut rows = query.query([]).map_err(|e| e.to_string())?;
    let mut found = Vec::new();
    while let Some(row) = rows.next().map_err(|e| e.to_string())? {
        found.push(from(row)?);
    }
    Ok(found)
}

impl Columns for rusqlite::Row<'_> {
    fn maybe(&self, i: usize) -> Result<Option<String>, String> {
        self.get(i).map_err(|e| e.to_string())
    }

    fn maybe_int(&self, i: usize) -> Result<Option<i64>, String> {
        self.get(i).map_err(|e| e.to_string())
    }

    fn flag(&self, i: usize) -> Result<bool, String> {
        self.get(i).map_err(|e| e.to_string())
    }
}

pub(crate) fn json(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_folder_made_for_the_store_is_private_and_reopening_migrates_nothing_twice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/vigil/findings.db");
        drop(super::Sqlite::open(&path).unwrap());
        let mode = std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        let mut again = super::Sqlite::open(&path).unwrap();
        let applied: i64 = again
            .conn
            .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(applied, 1);
        assert!(again.runs().unwrap().is_empty());
    }
}
