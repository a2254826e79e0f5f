//! The findings store: every recorded run, and per finding when it was first
//! and last seen, whether it is open, resolved (fixed or deleted) or has
//! always passed. SQLite by default (a file, nothing to install), PostgreSQL
//! for a team's shared store; both hold the same schema and take the same
//! steps, so a verdict's history does not depend on where it is kept.

mod location;
mod postgres;
mod row;
mod schema;
mod sqlite;
mod transition;

pub use location::{default_sqlite_path, StoreUrl};
pub use row::{Place, RunRecord, RunRow, StoredFinding};
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

/// What `vigil findings` asks for; `None` matches everything.
#[derive(Debug, Default, Clone)]
pub struct Query {
    pub state: Option<State>,
    pub rule: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// Last seen at or after this RFC 3339 time.
    pub since: Option<String>,
}

/// An open store, of either kind.
pub enum Store {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

impl Store {
    /// Opens (creating if need be) and migrates the store at `url`.
    pub fn open(url: &StoreUrl) -> Result<Store, StoreError> {
        match url {
            StoreUrl::Sqlite(path) => sqlite::Sqlite::open(path).map(Store::Sqlite),
            StoreUrl::Postgres(conninfo) => postgres::Postgres::open(conninfo).map(Store::Postgres),
        }
    }

    /// Records one run and its findings in one transaction: all of it, or
    /// nothing. Findings in the places the run read that it no longer saw
    /// are resolved; nothing elsewhere changes.
    pub fn record(&mut self, run: &RunRecord, findings: &[vigil_core::Finding]) -> Result<Recorded, StoreError> {
        let seen: Vec<StoredFinding> = findings.iter().map(|f| StoredFinding::seen(f, run)).collect();
        match self {
            Store::Sqlite(store) => store.record(run, seen),
            Store::Postgres(store) => store.record(run, seen),
        }
    }

    /// The findings the query selects, most recently seen first.
    pub fn findings(&mut self, query: &Query) -> Result<Vec<StoredFinding>, StoreError> {
        let mut found = match self {
            Store::Sqlite(store) => store.all_findings()?,
            Store::Postgres(store) => store.all_findings()?,
        };
        found.retain(|f| f.matches(query));
        found.sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then_with(|| a.key.cmp(&b.key)));
        Ok(found)
    }

    /// Every recorded run, newest first.
    pub fn runs(&mut self) -> Result<Vec<RunRow>, StoreError> {
        match self {
            Store::Sqlite(store) => store.runs(),
            Store::Postgres(store) => store.runs(),
        }
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
