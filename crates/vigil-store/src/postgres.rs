//! A team's shared store on PostgreSQL. Each run is recorded in one
//! transaction that first takes a transaction-scoped advisory lock, so
//! concurrent runs record one after another and lose nothing, and a
//! connection that drops midway leaves no half-recorded run.
//!
//! Every call to the server is bounded (`Limits`): the server ends a
//! statement or a lock wait that runs out (`statement_timeout`,
//! `lock_timeout`), and the client gives up a little later on a server or
//! network that no longer answers at all (connecting included), so a hung
//! store costs a run its recording, never its report. The asynchronous
//! client is driven on a runtime of its own, so each call can be given up.

use crate::failed;
use crate::recording::{Open, Recording};
use crate::row::{Columns, RunRecord, StoredFinding};
use crate::schema::{migrations, FINDING_COLUMNS, RUN_COLUMNS};
use crate::sql::{temporary_tables, Sql};
use crate::sqlite::json;
use crate::{Limits, StoreError};
use futures_util::{pin_mut, StreamExt};
use std::future::Future;
use std::time::Duration;
use tokio::runtime::Runtime;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, GenericClient, NoTls};

/// The advisory lock every writer takes ("vigil" in ASCII).
const LOCK: i64 = 0x0076_6967_696c;
/// Rows per `INSERT`: 22 parameters each, well under PostgreSQL's 65,535.
const BATCH: usize = 1000;
/// How much longer than the server's own timeout the client waits: the
/// server's error, which says what ran out, comes first when it can.
const GRACE: Duration = Duration::from_secs(5);

pub struct Postgres {
    /// Drives the client and its connection (one thread: the calls are
    /// made one at a time).
    runtime: Runtime,
    client: Client,
    limits: Limits,
}

/// A call to the server, given up after `limit`.
fn bounded<T, E: std::fmt::Display>(
    runtime: &Runtime,
    limit: Duration,
    call: impl Future<Output = Result<T, E>>,
) -> Result<T, String> {
    // The timer is made inside the runtime, whose clock it needs.
    match runtime.block_on(async { tokio::time::timeout(limit, call).await }) {
        Ok(answer) => answer.map_err(|e| e.to_string()),
        Err(_) => Err(format!(
            "the store did not answer within {} s (the network or the server hangs)",
            limit.as_secs()
        )),
    }
}

impl Postgres {
    pub fn open(conninfo: &str, limits: Limits) -> Result<Postgres, StoreError> {
        let mut store = Self::connect(conninfo, limits)?;
        store.migrate()?;
        Ok(store)
    }

    fn connect(conninfo: &str, limits: Limits) -> Result<Postgres, StoreError> {
        let mut config: tokio_postgres::Config = conninfo
            .parse()
            .map_err(|e| StoreError(format!("the store URL is not valid: {e}")))?;
        let skipped = crate::libpq::fill(&mut config, &|name| std::env::var(name).ok());
        let connect = config.get_connect_timeout().copied().unwrap_or(limits.connect);
        config.connect_timeout(connect);
        // A peer that vanished (a dropped route, a dead server) is noticed
        // in about a minute, not after the kernel's two hours.
        config
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30))
            .keepalives_interval(Duration::from_secs(10))
            .keepalives_retries(3);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError(format!("cannot start the store's client: {e}")))?;
        // The whole of connecting (TCP, TLS refusal, the startup and
        // authentication exchange) within the connect timeout.
        let connected = bounded(&runtime, connect, config.connect(NoTls)).map_err(|why| {
            let why = format!("cannot connect to the store: {}", message_of(why));
            StoreError(match &skipped {
                Some(note) => format!("{why} ({note})"),
                None => why,
            })
        })?;
        let (client, connection) = connected;
        runtime.spawn(connection);
        let store = Postgres {
            runtime,
            client,
            limits,
        };
        // The server's own limits, for every statement of this session.
        let settings = format!(
            "SET statement_timeout = {}; SET lock_timeout = {}",
            limits.statement.as_millis(),
            limits.lock.as_millis()
        );
        bounded(
            &store.runtime,
            limits.statement + GRACE,
            store.client.batch_execute(&settings),
        )
        .map_err(failed("setting the store's timeouts"))?;
        Ok(store)
    }

    /// Opens a store only to read it: nothing is migrated or written.
    pub fn open_to_read(conninfo: &str, limits: Limits) -> Result<Postgres, StoreError> {
        let mut store = Self::connect(conninfo, limits)?;
        let Postgres {
            runtime,
            client,
            limits,
        } = &mut store;
        if identify(&mut Pg::new(runtime, client, *limits))? == 0 {
            return Err(StoreError(
                "not a Vigil findings store yet (no run was recorded)".into(),
            ));
        }
        Ok(store)
    }

    /// Starts recording a run: writers take turns on the advisory lock,
    /// held until the run is finished or dropped.
    pub fn begin(&mut self, run: RunRecord) -> Result<Recording<'_>, StoreError> {
        let open = self.locked("recording the run")?;
        Pg::new(open.runtime, &open.tx, open.limits)
            .batch(&temporary_tables("BIGINT", "BOOLEAN"))
            .map_err(failed("recording the run"))?;
        Recording::begin(Open::Postgres(open), run)
    }

    /// A transaction holding the writers' advisory lock, which every write
    /// (a recording, a prune, a migration) takes first; `doing` names the
    /// work in errors.
    fn locked(&mut self, doing: &'static str) -> Result<Tx<'_>, StoreError> {
        let Postgres {
            runtime,
            client,
            limits,
        } = self;
        let limits = *limits;
        let tx = bounded(runtime, limits.statement + GRACE, client.transaction()).map_err(failed(doing))?;
        let mut open = Tx { runtime, tx, limits };
        open.lock()?;
        Ok(open)
    }

    /// Statements outside a recording (queries).
    pub(crate) fn sql(&mut self) -> Pg<'_, Client> {
        Pg::new(&self.runtime, &self.client, self.limits)
    }

    pub fn prune(&mut self, before: &str) -> Result<(usize, usize), StoreError> {
        let open = self.locked("pruning")?;
        let pruned = crate::sql::prune(&mut Pg::new(open.runtime, &open.tx, open.limits), before)?;
        open.commit().map_err(failed("pruning"))?;
        Ok(pruned)
    }

    /// Applies the migrations the database has not seen yet, all or none,
    /// after making sure it is a Vigil store (or an empty one) of a schema
    /// this Vigil knows: another program's tables, or a newer Vigil's
    /// store, are refused before anything is written.
    fn migrate(&mut self) -> Result<(), StoreError> {
        let open = self.locked("migrating the store")?;
        let mut pg = Pg::new(open.runtime, &open.tx, open.limits);
        let version = identify(&mut pg)?;
        if version == crate::schema::latest() {
            return Ok(());
        }
        let migrating = failed("migrating the store");
        pg.batch("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)")
            .map_err(&migrating)?;
        for (n, sql) in migrations(&crate::schema::POSTGRES)
            .iter()
            .enumerate()
            .map(|(i, sql)| (i as i64 + 1, sql))
        {
            if n > version {
                pg.batch(sql).map_err(&migrating)?;
                pg.batch(&format!("INSERT INTO schema_migrations (version) VALUES ({n})"))
                    .map_err(&migrating)?;
            }
        }
        pg.execute(
            &format!("UPDATE schema_migrations SET vigil = ?1 WHERE version > {version}"),
            &[env!("CARGO_PKG_VERSION")],
        )
        .map_err(&migrating)?;
        open.commit().map_err(migrating)
    }
}

/// An open transaction and what drives it.
pub(crate) struct Tx<'c> {
    runtime: &'c Runtime,
    tx: tokio_postgres::Transaction<'c>,
    limits: Limits,
}

impl<'c> Tx<'c> {
    /// Takes the writers' advisory lock, waiting at most the lock timeout.
    fn lock(&mut self) -> Result<(), StoreError> {
        bounded(
            self.runtime,
            self.limits.lock + GRACE,
            self.tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK]),
        )
        .map(drop)
        .map_err(|e| {
            StoreError(format!(
                "waiting for the store (another run holds it): {}",
                message_of(e)
            ))
        })
    }

    pub(crate) fn sql(&mut self) -> Pg<'_, tokio_postgres::Transaction<'c>> {
        Pg::new(self.runtime, &self.tx, self.limits)
    }

    pub(crate) fn commit(self) -> Result<(), String> {
        bounded(self.runtime, self.limits.statement + GRACE, self.tx.commit())
    }
}

/// Statements on a client or its open transaction.
pub(crate) struct Pg<'c, C: GenericClient> {
    runtime: &'c Runtime,
    client: &'c C,
    limit: Duration,
}

/// `?1` as PostgreSQL writes it: `$1` (the statements hold no other `?`).
fn dollars(sql: &str) -> String {
    sql.replace('?', "$")
}

/// A server's refusal by its own message (the client's Display adds "db
/// error: ERROR:" and the like).
fn message_of(text: String) -> String {
    text.strip_prefix("db error: ").map(str::to_owned).unwrap_or(text)
}

impl<'c, C: GenericClient> Pg<'c, C> {
    fn new(runtime: &'c Runtime, client: &'c C, limits: Limits) -> Self {
        Pg {
            runtime,
            client,
            limit: limits.statement + GRACE,
        }
    }

    fn call<T>(&self, call: impl Future<Output = Result<T, tokio_postgres::Error>>) -> Result<T, String> {
        bounded(self.runtime, self.limit, async {
            call.await.map_err(|e| match e.as_db_error() {
                Some(db) => db.message().to_owned(),
                None => e.to_string(),
            })
        })
    }

    fn batch(&mut self, sql: &str) -> Result<(), String> {
        self.call(self.client.batch_execute(sql))
    }

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
        self.call(self.client.execute(&dollars(sql), &params))
    }

    fn select(
        &mut self,
        sql: &str,
        params: &[&str],
        each: &mut dyn FnMut(&dyn Columns) -> Result<(), String>,
    ) -> Result<(), String> {
        // Rows are read as they arrive, never all held; each wait for the
        // next is bounded.
        let rows = self.call(self.client.query_raw(&dollars(sql), params.iter()))?;
        pin_mut!(rows);
        while let Some(row) = self.call(async { rows.next().await.transpose() })? {
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
            self.call(self.client.execute(&sql, &values))?;
        }
        // No ANALYZE of the batch: the recording steers the planner to
        // lookups by key (`per_row`), whatever it estimates.
        Ok(())
    }

    fn insert_rows(&mut self, table: &str, columns: &[&str], values: &[&str]) -> Result<(), String> {
        for chunk in values.chunks(BATCH * columns.len()) {
            let params: Vec<&(dyn ToSql + Sync)> = chunk.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            let sql = Self::insert_sql(table, columns, chunk.len() / columns.len(), "ON CONFLICT DO NOTHING");
            self.call(self.client.execute(&sql, &params))?;
        }
        Ok(())
    }

    fn joins_in_delete(&self) -> bool {
        true
    }

    fn clear(&mut self, table: &str) -> Result<(), String> {
        self.batch(&format!("TRUNCATE {table}"))
    }

    fn per_row(&mut self, on: bool) -> Result<(), String> {
        let setting = if on { "off" } else { "on" };
        // The plans of one run's statements are simple: no JIT for them.
        self.batch(&format!(
            "SET LOCAL enable_hashjoin = {setting}; SET LOCAL enable_mergejoin = {setting};
             SET LOCAL enable_seqscan = {setting}; SET LOCAL jit = off"
        ))
    }

    fn insert_run(&mut self, run: &RunRecord) -> Result<(), String> {
        let counts = [
            run.counts.pass as i64,
            run.counts.fail as i64,
            run.counts.unknown as i64,
            run.counts.suppressed as i64,
            run.errors as i64,
        ];
        let lists = [json(&run.accounts), json(&run.regions), json(&run.rules)];
        let sql = format!(
            "INSERT INTO runs ({RUN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        );
        let params: [&(dyn ToSql + Sync); 14] = [
            &run.id,
            &run.command,
            &run.started_at,
            &run.finished_at,
            &lists[0],
            &lists[1],
            &lists[2],
            &counts[0],
            &counts[1],
            &counts[2],
            &counts[3],
            &counts[4],
            &run.lineage.branch,
            &run.lineage.revision,
        ];
        self.call(self.client.execute(&sql, &params)).map(drop)
    }
}

/// Reads, never writes: the schema version of the store in the current
/// schema (0 for a database without Vigil's tables, or with tables of
/// other programs only), or why it is refused.
fn identify<C: GenericClient>(pg: &mut Pg<'_, C>) -> Result<i64, StoreError> {
    let reading = failed("reading the store's schema");
    let wanted: Vec<String> = crate::schema::TABLES.iter().map(|t| format!("'{t}'")).collect();
    let mut tables = Vec::new();
    pg.select(
        &format!(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name IN ({}) ORDER BY 1",
            wanted.join(", ")
        ),
        &[],
        &mut |c| {
            tables.push(c.text(0)?);
            Ok(())
        },
    )
    .map_err(&reading)?;
    crate::schema::refuse_foreign(&tables).map_err(StoreError)?;
    if tables.is_empty() {
        return Ok(0);
    }
    let mut version = 0;
    pg.select(
        "SELECT COALESCE(MAX(version), 0)::bigint FROM schema_migrations",
        &[],
        &mut |c| {
            version = c.int(0)?;
            Ok(())
        },
    )
    .map_err(&reading)?;
    let mut writer = None;
    // Asked only of a newer store (one of schema 3 or later names its
    // writer): a failed statement would end the transaction.
    if version > crate::schema::latest() {
        pg.select(
            "SELECT vigil FROM schema_migrations ORDER BY version DESC LIMIT 1",
            &[],
            &mut |c| {
                writer = c.maybe(0)?;
                Ok(())
            },
        )
        .map_err(&reading)?;
    }
    crate::schema::refuse_newer(version, writer.as_deref()).map_err(StoreError)?;
    Ok(version)
}

impl Columns for tokio_postgres::Row {
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
