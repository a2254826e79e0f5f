//! The embedded store: one SQLite file. Each run is recorded in one
//! `BEGIN IMMEDIATE` transaction, so two runs writing at once take turns
//! (each waits up to a minute for the other) and a run that fails midway
//! leaves nothing behind.

use crate::row::{RunRecord, RunRow, StoredFinding, StoredResource};
use crate::schema::{FINDING_COLUMNS, SQLITE};
use crate::transition::{self, Recorded, State};
use crate::StoreError;
use rusqlite::{params, Connection, TransactionBehavior};
use std::collections::HashMap;
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
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| StoreError(format!("{}: cannot create the folder: {e}", parent.display())))?;
        }
        let open = |e: rusqlite::Error| StoreError(format!("{}: {e}", path.display()));
        let mut conn = Connection::open(path).map_err(open)?;
        conn.busy_timeout(Duration::from_secs(60)).map_err(open)?;
        // WAL: `vigil findings` reads while an audit writes. NORMAL: a
        // commit waits for no disk flush; a power cut may lose the last run,
        // never corrupt the file (SQLite's documented WAL guarantee).
        conn.pragma_update(None, "journal_mode", "WAL").map_err(open)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(open)?;
        migrate(&mut conn).map_err(open)?;
        Ok(Sqlite { conn })
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
        let mut query = self
            .conn
            .prepare(
                "SELECT id, command, started_at, finished_at, accounts, regions, rules, pass, fail, unknown, suppressed, errors
                 FROM runs ORDER BY finished_at DESC, id DESC",
            )
            .map_err(failed("reading runs"))?;
        let rows = query
            .query_map([], |r| {
                Ok(RunRow {
                    id: r.get(0)?,
                    command: r.get(1)?,
                    started_at: r.get(2)?,
                    finished_at: r.get(3)?,
                    accounts: list(r.get(4)?),
                    regions: list(r.get(5)?),
                    rules: list(r.get(6)?),
                    pass: r.get(7)?,
                    fail: r.get(8)?,
                    unknown: r.get(9)?,
                    suppressed: r.get(10)?,
                    errors: r.get(11)?,
                })
            })
            .map_err(failed("reading runs"))?;
        rows.collect::<Result<_, _>>().map_err(failed("reading runs"))
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
    for (version, sql) in SQLITE.iter().enumerate().map(|(i, sql)| (i as i64 + 1, sql)) {
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
    let updates: Vec<String> = FINDING_COLUMNS[1..]
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO findings ({columns}) VALUES ({}) ON CONFLICT (key) DO UPDATE SET {}",
        values.join(", "),
        updates.join(", ")
    )
}

fn load(conn: &Connection) -> Result<Vec<StoredFinding>, StoreError> {
    let sql = format!("SELECT {} FROM findings", FINDING_COLUMNS.join(", "));
    let mut query = conn.prepare(&sql).map_err(failed("reading findings"))?;
    let rows = query
        .query_map([], |r| {
            let state: String = r.get(7)?;
            Ok(StoredFinding {
                key: r.get(0)?,
                rule: r.get(1)?,
                title: r.get(2)?,
                risk: r.get(3)?,
                status: r.get(4)?,
                reason: r.get(5)?,
                message: r.get(6)?,
                state: State::parse(&state).unwrap_or(State::Unknown),
                first_seen: r.get(8)?,
                last_seen: r.get(9)?,
                resolved_at: r.get(10)?,
                resolution: r.get(11)?,
                suppressed: r.get(12)?,
                suppression_reason: r.get(13)?,
                resource: StoredResource {
                    kind: r.get(14)?,
                    name: r.get(15)?,
                    arn: r.get(16)?,
                    account: r.get(17)?,
                    region: r.get(18)?,
                    file: r.get(19)?,
                    line: r.get(20)?,
                },
                last_run: r.get(21)?,
            })
        })
        .map_err(failed("reading findings"))?;
    rows.collect::<Result<_, _>>().map_err(failed("reading findings"))
}

pub(crate) fn json(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn list(text: String) -> Vec<String> {
    serde_json::from_str(&text).unwrap_or_default()
}
