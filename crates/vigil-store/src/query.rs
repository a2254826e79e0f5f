//! `vigil findings` and `vigil runs` as SQL: filtered, ordered and paged by
//! the database over its indexes, and read a row at a time, so answering
//! costs what is selected, not what is stored.

use crate::row::{Columns, RunRow};
use crate::schema::{FINDING_COLUMNS, RUN_COLUMNS};
use crate::{State, StoredFinding};

/// What `vigil findings` asks for; `None` matches everything.
#[derive(Debug, Default, Clone)]
pub struct Query {
    pub state: Option<State>,
    pub rule: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// Last seen at or after this RFC 3339 time.
    pub since: Option<String>,
    /// At most this many, after skipping `offset`.
    pub limit: Option<u64>,
    pub offset: u64,
}

impl Query {
    /// `WHERE …` over the indexed columns, and its parameters in order.
    fn filter(&self) -> (String, Vec<&str>) {
        let mut clauses = Vec::new();
        let mut params: Vec<&str> = Vec::new();
        for (column, op, value) in [
            ("state", "=", self.state.map(State::as_str)),
            ("rule", "=", self.rule.as_deref()),
            ("account", "=", self.account.as_deref()),
            ("region", "=", self.region.as_deref()),
            ("last_seen", ">=", self.since.as_deref()),
        ] {
            if let Some(value) = value {
                params.push(value);
                clauses.push(format!("{column} {op} ?{}", params.len()));
            }
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        (filter, params)
    }

    /// The selected findings, most recently seen first.
    pub(crate) fn select(&self) -> (String, Vec<&str>) {
        let (filter, params) = self.filter();
        let mut sql = format!(
            "SELECT {} FROM findings{filter} ORDER BY last_seen DESC, key",
            FINDING_COLUMNS.join(", ")
        );
        sql.push_str(&page(self.limit, self.offset));
        (sql, params)
    }

    /// How many findings the filter selects, before paging.
    pub(crate) fn count(&self) -> (String, Vec<&str>) {
        let (filter, params) = self.filter();
        (format!("SELECT COUNT(*) FROM findings{filter}"), params)
    }
}

/// `LIMIT`/`OFFSET` as literals: both are numbers the command parsed.
fn page(limit: Option<u64>, offset: u64) -> String {
    match (limit, offset) {
        (None, 0) => String::new(),
        // SQLite takes no OFFSET without a LIMIT; -1 is its "no limit".
        (None, offset) => format!(" LIMIT {} OFFSET {offset}", i64::MAX),
        (Some(limit), offset) => format!(" LIMIT {limit} OFFSET {offset}"),
    }
}

/// What `vigil runs` asks for.
#[derive(Debug, Default, Clone)]
pub struct RunQuery {
    /// Only runs of this command (`audit`, `scan`, `watch`).
    pub command: Option<String>,
    /// Only runs over exactly these accounts (none for template scans).
    pub accounts: Option<Vec<String>>,
    pub limit: Option<u64>,
}

impl RunQuery {
    pub(crate) fn select(&self) -> (String, Vec<String>) {
        let mut clauses = Vec::new();
        let mut params = Vec::new();
        if let Some(command) = &self.command {
            params.push(command.clone());
            clauses.push(format!("command = ?{}", params.len()));
        }
        if let Some(accounts) = &self.accounts {
            params.push(crate::sqlite::json(accounts));
            clauses.push(format!("accounts = ?{}", params.len()));
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs{filter} ORDER BY finished_at DESC, id DESC{}",
            page(self.limit, 0)
        );
        (sql, params)
    }
}

/// Reads a finding row, for the callers' `each`.
pub(crate) fn finding(c: &dyn Columns) -> Result<StoredFinding, String> {
    StoredFinding::from_columns(c)
}

/// Reads a run row.
pub(crate) fn run(c: &dyn Columns) -> Result<RunRow, String> {
    RunRow::from_columns(c)
}
