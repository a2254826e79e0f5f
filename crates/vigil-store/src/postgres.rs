//! A team's shared store on PostgreSQL. Each run is recorded in one
//! transaction that first takes a transaction-scoped advisory lock, so
//! concurrent runs record one after another and lose nothing, and a
//! connection that drops midway leaves no half-recorded run.

use crate::recording::{Open, Recording};
use crate::row::{Columns, RunRecord, StoredFinding};
use crate::schema::{migrations, FINDING_COLUMNS, RUN_COLUMNS};
use crate::sql::{temporary_tables, Sql};
use crate::sqlite::json;
use crate::StoreError;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls};
use std::time::Duration;

/// The advisory lock every writer takes ("vigil" in ASCII).
const LOCK: i64 = 0x0076_6967_696c;
/// Rows per `INSERT`: 22 parameters each, well under PostgreSQL's 65,535.
const BATCH: usize = 1000;

pub struct Postgres {
    client: Client,
}

fn failed(what: &str) -> impl Fn(postgres::Error) -> StoreError + '_ {
    move |e| StoreError(format!("{what}: {}", message(e)))
}

impl Postgres {
    pub fn open(conninfo: &str) -> Result<Postgres, StoreError> {
        let mut store = Self::connect(conninfo)?;
        migrate(&mut store.client)?;
        Ok(store)
    }

    fn connect(conninfo: &str) -> Result<Postgres, StoreError> {
        let mut config: postgres::Config = conninfo
            .parse()
            .map_err(|e| StoreError(format!("the store URL is not valid: {e}")))?;
        let skipped = crate::libpq::fill(&mut config, &|name| std::env::var(name).ok());
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        let client = config.connect(NoTls).map_err(|e| {
            let why = failed("cannot connect to the store")(e);
            match &skipped {
                Some(note) => StoreError(format!("{why} ({note})")),
                None => why,
            }
        })?;
        Ok(Postgres { client })
    }

    /// Opens a store only to read it: nothing is migrated or written.
    pub fn open_to_read(conninfo: &str) -> Result<Postgres, StoreError> {
        let mut store = Self::connect(conninfo)?;
        if identify(&mut store.client)? == 0 {
            return Err(StoreError(
                "not a Vigil findings store yet (no run was recorded)".into(),
            ));
        }
        Ok(store)
    }

    /// Starts recording a run: writers take turns on the advisory lock,
    /// held until the run is finished or dropped.
    pub fn begin(&mut self, run: RunRecord) -> Result<Recording<'_>, StoreError> {
        let mut tx = self.client.transaction().map_err(failed("recording the run"))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
            .map_err(failed("waiting for the store"))?;
        tx.batch_execute(&temporary_tables("BIGINT", "BOOLEAN"))
            .map_err(failed("recording the run"))?;
        Recording::begin(Open::Postgres(tx), run)
    }

    /// Statements outside a recording (queries).
    pub(crate) fn sql(&mut self) -> Pg<'_, Client> {
        Pg(&mut self.client)
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

/// Statements on a client or its open transaction.
pub(crate) struct Pg<'c, C: GenericClient>(pub &'c mut C);

/// `?1` as PostgreSQL writes it: `$1` (the statements hold no other `?`).
fn dollars(sql: &str) -> String {
    sql.replace('?', "$")
}

fn message(e: postgres::Error) -> String {
    e.as_db_error()
        .map_or_else(|| e.to_string(), |db| db.message().to_owned())
}

impl<C: GenericClient> Pg<'_, C> {
    /// `INSERT INTO table (columns) VALUES (…), (…)`, `rows` tuples from `$1` on.
    fn insert_sql(table: &str, columns: &[&str], rows: usize, conflict: &str) -> String {
        let width = columns.len();
        let tuples: Vec<String> = (0..rows)
            .map(|row| {
                let params: Vec<String> = (1..=width).map(|c| format!("${}", row * width + c)).collect();
                format!("({})", params.join(", "))
            })
            .collect();
        format!(
            "INSERT INTO {table} ({}) VALUES {} {conflict}",
            columns.join(", "),
            tuples.join(", ")
        )
    }
}

impl<C: GenericClient> Sql for Pg<'_, C> {
    fn execute(&mut self, sql: &str, params: &[&str]) -> Result<u64, String> {
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        self.0.execute(&dollars(sql), &params).map_err(message)
    }

    fn select(
        &mut self,
        sql: &str,
        params: &[&str],
        each: &mut dyn FnMut(&dyn Columns) -> Result<(), String>,
    ) -> Result<(), String> {
        // Rows are read as they arrive, never all held.
        let mut rows = self.0.query_raw(&dollars(sql), params.iter()).map_err(message)?;
        while let Some(row) = rows.next().map_err(message)? {
            each(&row)?;
        }
        Ok(())
    }

    fn insert_seen(&mut self, rows: &[StoredFinding]) -> Result<(), String> {
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
            let sql = Self::insert_sql("seen", FINDING_COLUMNS, chunk.len(), "");
            self.0.execute(&sql, &values).map_err(message)?;
        }
        // The planner knows nothing of a temporary table's rows until it is
        // analysed: without it, it may join a batch by reading every finding.
        self.0.batch_execute("ANALYZE seen").map_err(message)
    }

    fn insert_rows(&mut self, table: &str, columns: &[&str], values: &[&str]) -> Result<(), String> {
        for chunk in values.chunks(BATCH * columns.len()) {
            let params: Vec<&(dyn ToSql + Sync)> = chunk.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            let sql = Self::insert_sql(table, columns, chunk.len() / columns.len(), "ON CONFLICT DO NOTHING");
            self.0.execute(&sql, &params).map_err(message)?;
        }
        Ok(())
    }

    fn insert_run(&mut self, run: &RunRecord) -> Result<(), String> {
        let counts = [
            run.counts.pass as i64,
            run.counts.fail as i64,
            run.counts.unknown as i64,
            run.counts.suppressed as i64,
            run.errors as i64,
        ];
        self.0
            .execute(
                &format!("INSERT INTO runs ({RUN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"),
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
            .map(drop)
            .map_err(message)
    }
}

/// Applies the migrations this database has not seen yet, all or none,
/// one migrator at a time.
/// Applies the migrations the database has not seen yet, all or none,
/// after making sure it is a Vigil store (or an empty one) of a schema this
/// Vigil knows: another program's tables, or a newer Vigil's store, are
/// refused before anything is written.
fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let mut tx = client.transaction().map_err(failed("migrating the store"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
        .map_err(failed("waiting for the store"))?;
    let version = identify(&mut tx)?;
    if version == crate::schema::latest() {
        return Ok(());
    }
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)")
        .map_err(failed("migrating the store"))?;
    for (n, sql) in migrations("BIGINT", "BOOLEAN")
        .iter()
        .enumerate()
        .map(|(i, sql)| (i as i64 + 1, sql))
    {
        if n > version {
            tx.batch_execute(sql).map_err(failed("migrating the store"))?;
            tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[&n])
                .map_err(failed("migrating the store"))?;
        }
    }
    tx.execute(
        "UPDATE schema_migrations SET vigil = $1 WHERE version > $2",
        &[&env!("CARGO_PKG_VERSION"), &version],
    )
    .map_err(failed("migrating the store"))?;
    tx.commit().map_err(failed("migrating the store"))
}

/// Reads, never writes: the schema version of the store in the current
/// schema (0 for a database without Vigil's tables, or with tables of
/// other programs only), or why it is refused.
fn identify(client: &mut impl GenericClient) -> Result<i64, StoreError> {
    let tables: Vec<String> = client
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name = ANY($1) ORDER BY 1",
            &[&crate::schema::TABLES],
        )
        .map_err(failed("reading the store's schema"))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    crate::schema::refuse_foreign(&tables).map_err(StoreError)?;
    if tables.is_empty() {
        return Ok(0);
    }
    let version: i64 = client
        .query_one("SELECT COALESCE(MAX(version), 0)::bigint FROM schema_migrations", &[])
        .map_err(failed("reading the store's schema"))?
        .get(0);
    let writer: Option<String> = client
        .query_opt("SELECT vigil FROM schema_migrations ORDER BY version DESC LIMIT 1", &[])
        .ok()
        .flatten()
        .and_then(|r| r.get(0));
    crate::schema::refuse_newer(version, writer.as_deref()).map_err(StoreError)?;
    Ok(version)
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
