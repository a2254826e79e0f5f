//! The findings store: every recorded run, and per finding when it was first
//! and last seen, whether it is open, resolved (fixed or deleted) or has
//! always passed. SQLite by default (a file, nothing to install), PostgreSQL
//! for a team's shared store; both hold the same schema and take the same
//! steps, so a verdict's history does not depend on where it is kept.

#[cfg(test)]
mod conformance;
mod libpq;
mod location;
mod postgres;
mod query;
mod recording;
mod row;
mod schema;
mod sql;
mod sqlite;
mod transition;

pub use location::{default_sqlite_path, without_credentials, StoreUrl};
pub use query::{Query, RunQuery};
pub use recording::Recording;
pub use row::{Baseline, Lineage, Place, RunRecord, RunRow, StoredFinding};
pub use transition::{Recorded, State};

/// Why the store could not be opened, read or written.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// Turns a back end's error into a store error that says what was being done.
pub(crate) fn failed<E: std::fmt::Display>(what: &str) -> impl Fn(E) -> StoreError + '_ {
    move |e| StoreError(format!("{what}: {e}"))
}

/// How long the store may take: a run waits no longer for a statement,
/// for the lock another writer holds, or for a connection, and then gives
/// a store error (its report is still written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub statement: std::time::Duration,
    pub lock: std::time::Duration,
    pub connect: std::time::Duration,
}

impl Default for Limits {
    /// Two minutes for a statement (a million findings resolve in a few
    /// seconds), two for another writer's run, ten seconds to connect.
    fn default() -> Self {
        Limits {
            statement: std::time::Duration::from_secs(120),
            lock: std::time::Duration::from_secs(120),
            connect: std::time::Duration::from_secs(10),
        }
    }
}

/// An open store, of either kind.
pub enum Store {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

/// Findings a batch at a time: what a run records between statements.
pub const BATCH: usize = 2_000;

impl Store {
    /// Opens (creating if need be) and migrates the store at `url`.
    pub fn open(url: &StoreUrl) -> Result<Store, StoreError> {
        Self::open_within(url, Limits::default())
    }

    /// [`Store::open`], with the store's calls bounded by `limits`.
    pub fn open_within(url: &StoreUrl, limits: Limits) -> Result<Store, StoreError> {
        match url {
            StoreUrl::Sqlite(path) => sqlite::Sqlite::open(path, limits).map(Store::Sqlite),
            StoreUrl::Postgres(conninfo) => postgres::Postgres::open(conninfo, limits).map(Store::Postgres),
        }
    }

    /// Opens an existing store only to read it: nothing is created,
    /// migrated or written (a read-only copy can be read).
    pub fn open_to_read(url: &StoreUrl, limits: Limits) -> Result<Store, StoreError> {
        match url {
            StoreUrl::Sqlite(path) => sqlite::Sqlite::open_to_read(path, limits).map(Store::Sqlite),
            StoreUrl::Postgres(conninfo) => postgres::Postgres::open_to_read(conninfo, limits).map(Store::Postgres),
        }
    }

    /// Starts recording a run, in one transaction: add its findings in
    /// batches, then finish it. Findings in the places the run read that it
    /// no longer saw are resolved; nothing elsewhere changes.
    pub fn begin(&mut self, run: RunRecord) -> Result<Recording<'_>, StoreError> {
        match self {
            Store::Sqlite(store) => store.begin(run),
            Store::Postgres(store) => store.begin(run),
        }
    }

    /// Records a run whose findings are all at hand.
    pub fn record(&mut self, run: RunRecord, findings: &mut [vigil_core::Finding]) -> Result<Recorded, StoreError> {
        let mut recording = self.begin(run)?;
        for batch in findings.chunks_mut(BATCH) {
            recording.add(batch)?;
        }
        recording.finish()
    }

    fn with<R>(&mut self, f: impl FnOnce(&mut dyn sql::Sql) -> R) -> R {
        match self {
            Store::Sqlite(store) => f(&mut store.sql()),
            Store::Postgres(store) => f(&mut store.sql()),
        }
    }

    /// Calls `each` on the findings the query selects, most recently seen
    /// first, as the database returns them.
    pub fn findings(
        &mut self,
        query: &Query,
        each: &mut dyn FnMut(StoredFinding) -> Result<(), String>,
    ) -> Result<(), StoreError> {
        let (sql, params) = query.select();
        self.with(|s| s.select(&sql, &params, &mut |c| each(query::finding(c)?)))
            .map_err(|e| StoreError(format!("reading findings: {e}")))
    }

    /// How many findings the query selects (paging aside).
    pub fn count(&mut self, query: &Query) -> Result<u64, StoreError> {
        let (sql, params) = query.count();
        let mut count = 0;
        self.with(|s| {
            s.select(&sql, &params, &mut |c| {
                count = c.int(0)? as u64;
                Ok(())
            })
        })
        .map_err(|e| StoreError(format!("counting findings: {e}")))?;
        Ok(count)
    }

    /// Calls `each` on the recorded runs the query selects, newest first.
    pub fn runs(
        &mut self,
        query: &RunQuery,
        each: &mut dyn FnMut(RunRow) -> Result<(), String>,
    ) -> Result<(), StoreError> {
        let (sql, params) = query.select();
        let params: Vec<&str> = params.iter().map(String::as_str).collect();
        self.with(|s| s.select(&sql, &params, &mut |c| each(query::run(c)?)))
            .map_err(|e| StoreError(format!("reading runs: {e}")))
    }

    /// Forgets runs that finished before `before` (RFC 3339), and findings
    /// resolved before it; open findings are kept whatever their age.
    pub fn prune(&mut self, before: &str) -> Result<(usize, usize), StoreError> {
        match self {
            Store::Sqlite(store) => store.prune(before),
            Store::Postgres(store) => store.prune(before),
        }
    }
}
