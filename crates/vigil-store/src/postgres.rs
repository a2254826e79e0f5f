//! A team's shared store on PostgreSQL. Each run is recorded in one
//! transaction that first takes a transaction-scoped advisory lock, so
//! concurrent runs record one after another and lose nothing, and a
//! connection that drops midway leaves no half-recorded run.

use crate::row::{Columns, RunRecord, RunRow, StoredFinding};
use crate::schema::{migrations, upsert_updates, FINDING_COLUMNS, RUN_COLUMNS};
use crate::sqlite::json;
use crate::transition::{self, Recorded};
use crate::StoreError;
use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls};
use std::collections::HashMap;
use std::time::Duration;

/// The advisory lock every writer takes ("vigil" in ASCII).
const LOCK: i64 = 0x0076_6967_696c;
/// Rows per `INSERT`: 22 parameters each, well under PostgreSQL's 65,535.
const BATCH: usize = 1000;

pub struct Postgres {
    client: Client,
}

fn failed(what: &str) -> impl Fn(postgres::Error) -> StoreError + '_ {
    move |e| {
        let detail = e
            .as_db_error()
            .map_or_else(|| e.to_string(), |db| db.message().to_owned());
        StoreError(format!("{what}: {detail}"))
    }
}

impl Postgres {
    pub fn open(conninfo: &str) -> Result<Postgres, StoreError> {
        let mut config: postgres::Config = conninfo
            .parse()
            .map_err(|e| StoreError(format!("the store URL is not valid: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        let mut client = config.connect(NoTls).map_err(failed("cannot connect to the store"))?;
        migrate(&mut client)?;
        Ok(Postgres { client })
    }

    pub fn record(&mut self, run: &RunRecord, seen: Vec<StoredFinding>) -> Result<Recorded, StoreError> {
        let mut tx = self.client.transaction().map_err(failed("recording the run"))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
            .map_err(failed("waiting for the store"))?;
        let prior: HashMap<String, StoredFinding> = load(&mut tx)?.into_iter().map(|f| (f.key.clone(), f)).collect();
        let (rows, recorded) = transition::apply(run, &prior, seen);
        let counts = [
            run.counts.pass as i64,
            run.counts.fail as i64,
            run.counts.unknown as i64,
            run.counts.suppressed as i64,
            run.errors as i64,
        ];
        tx.execute(
            "INSERT INTO runs (id, command, started_at, finished_at, accounts, regions, rules, pass, fail, unknown, suppressed, errors)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            &[
                &run.id,
                &run.command,
                &run.started_at,
                &run.finished_at,
                &json(&run.accounts),
                &json(&run.regions),
                &json(&run.rules),
                &counts[0],
                &counts[1],
                &counts[2],
                &counts[3],
                &counts[4],
            ],
        )
        .map_err(failed("recording the run"))?;
        for chunk in rows.chunks(BATCH) {
            let states: Vec<&str> = chunk.iter().map(|r| r.state.as_str()).collect();
            let mut values: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(chunk.len() * FINDING_COLUMNS.len());
            for (row, state) in chunk.iter().zip(&states) {
                values.extend([
                    &row.key as &(dyn ToSql + Sync),
                    &row.rule,
                    &row.title,
                    &row.risk,
                    &row.status,
                    &row.reason,
                    &row.message,
                    state,
                    &row.first_seen,
                    &row.last_seen,
                    &row.resolved_at,
                    &row.resolution,
                    &row.suppressed,
                    &row.suppression_reason,
                    &row.resource.kind,
                    &row.resource.name,
                    &row.resource.arn,
                    &row.resource.account,
                    &row.resource.region,
                    &row.resource.file,
                    &row.resource.line,
                    &row.last_run,
                ]);
            }
            tx.execute(&upsert_sql(chunk.len()), &values)
                .map_err(failed("recording findings"))?;
        }
        tx.commit().map_err(failed("committing the run"))?;
        Ok(recorded)
    }

    pub fn all_findings(&mut self) -> Result<Vec<StoredFinding>, StoreError> {
        load(&mut self.client)
    }

    pub fn runs(&mut self) -> Result<Vec<RunRow>, StoreError> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM runs ORDER BY finished_at DESC, id DESC");
        read(&mut self.client, &sql, RunRow::from_columns, "reading runs")
    }

    pub fn prune(&mut self, before: &str) -> Result<(usize, usize), StoreError> {
        let mut tx = self.client.transaction().map_err(failed("pruning"))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
            .map_err(failed("waiting for the store"))?;
        let runs = tx
            .execute("DELETE FROM runs WHERE finished_at < $1", &[&before])
            .map_err(failed("pruning runs"))?;
        let findings = tx
            .execute(
                "DELETE FROM findings WHERE state = 'resolved' AND resolved_at < $1",
                &[&before],
            )
            .map_err(failed("pruning findings"))?;
        tx.commit().map_err(failed("pruning"))?;
        Ok((runs as usize, findings as usize))
    }
}

/// Applies the migrations this database has not seen yet, all or none,
/// one migrator at a time.
fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let mut tx = client.transaction().map_err(failed("migrating the store"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
        .map_err(failed("waiting for the store"))?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)")
        .map_err(failed("migrating the store"))?;
    let done: i64 = tx
        .query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[])
        .map_err(failed("migrating the store"))?
        .get(0);
    for (version, sql) in migrations("BIGINT", "BOOLEAN")
        .iter()
        .enumerate()
        .map(|(i, sql)| (i as i64 + 1, sql))
    {
        if version > done {
            tx.batch_execute(sql).map_err(failed("migrating the store"))?;
            tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[&version])
                .map_err(failed("migrating the store"))?;
        }
    }
    tx.commit().map_err(failed("migrating the store"))
}

fn upsert_sql(rows: usize) -> String {
    let width = FINDING_COLUMNS.len();
    let tuples: Vec<String> = (0..rows)
        .map(|row| {
            let params: Vec<String> = (1..=width).map(|c| format!("${}", row * width + c)).collect();
            format!("({})", params.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO findings ({}) VALUES {} ON CONFLICT (key) DO UPDATE SET {}",
        FINDING_COLUMNS.join(", "),
        tuples.join(", "),
        upsert_updates()
    )
}

fn load(client: &mut impl GenericClient) -> Result<Vec<StoredFinding>, StoreError> {
    let sql = format!("SELECT {} FROM findings", FINDING_COLUMNS.join(", "));
    read(client, &sql, StoredFinding::from_columns, "reading findings")
}

/// Every row of a query, mapped by the back-end-neutral `from`.
fn read<T>(
    client: &mut impl GenericClient,
    sql: &str,
    from: fn(&dyn Columns) -> Result<T, String>,
    what: &str,
) -> Result<Vec<T>, StoreError> {
    let rows = client.query(sql, &[]).map_err(failed(what))?;
    rows.iter()
        .map(|row| from(row).map_err(|e| StoreError(format!("{what}: {e}"))))
        .collect()
}

impl Columns for postgres::Row {
    fn maybe(&self, i: usize) -> Result<Option<String>, String> {
        self.try_get(i).map_err(|e| e.to_string())
    }

    fn maybe_int(&self, i: usize) -> Result<Option<i64>, String> {
        self.try_get(i).map_err(|e| e.to_string())
    }

    fn flag(&self, i: usize) -> Result<bool, String> {
        self.try_get(i).map_err(|e| e.to_string())
    }
}
