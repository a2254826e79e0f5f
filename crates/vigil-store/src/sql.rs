//! The transitions of `transition::apply`, as set-based statements both back
//! ends run: a batch of seen findings goes into the temporary table `seen`,
//! takes its prior history from `findings` by key, gets its new state in one
//! `UPDATE`, and is upserted; at the end of the run one `UPDATE` resolves
//! what the run's places held and it did not see. Written once, with `?1`
//! and `?2` for the run's id or time as each statement says (PostgreSQL's
//! `$1` is put in by its back end), so both stores take the same steps.

use crate::failed;
use crate::schema::FINDING_COLUMNS;

/// What a back end runs statements with: text parameters only, since every
/// value the transitions bind is a run's id or time, or a filter's value.
pub(crate) trait Sql {
    fn execute(&mut self, sql: &str, params: &[&str]) -> Result<u64, String>;
    /// Calls `each` on every row, as the rows arrive.
    fn select(
        &mut self,
        sql: &str,
        params: &[&str],
        each: &mut dyn FnMut(&dyn crate::row::Columns) -> Result<(), String>,
    ) -> Result<(), String>;
    /// Puts rows (keys unique) into the temporary table `seen`.
    fn insert_seen(&mut self, rows: &[crate::StoredFinding]) -> Result<(), String>;
    /// Puts rows of text into `table`: `values` holds them one after
    /// another, `columns.len()` values each.
    fn insert_rows(&mut self, table: &str, columns: &[&str], values: &[&str]) -> Result<(), String>;
    fn insert_run(&mut self, run: &crate::RunRecord) -> Result<(), String>;
    /// Steers the planner for the batch statements, every one of which is
    /// a lookup by key per seen row (`true`), or back to its own judgment
    /// for the run's closing scans (`false`). SQLite plans them so by
    /// itself; PostgreSQL's estimates of tables that grow within the run's
    /// own transaction are stale, and a hash join or a scan of every stored
    /// finding per batch makes a run quadratic.
    fn per_row(&mut self, _on: bool) -> Result<(), String> {
        Ok(())
    }
    /// Empties a temporary table for the next batch (PostgreSQL truncates:
    /// deleted rows would stay behind as dead tuples, and every later batch
    /// would read through all of them).
    fn clear(&mut self, table: &str) -> Result<(), String> {
        self.execute(&format!("DELETE FROM {table}"), &[]).map(drop)
    }
    /// Whether `DELETE … USING` is there (PostgreSQL).
    fn joins_in_delete(&self) -> bool {
        false
    }
}

/// The temporary tables of a recording, made once per connection.
/// Forgets the runs that finished before `before`, and the findings resolved
/// before it (open ones are kept whatever their age): (runs, findings).
pub(crate) fn prune(sql: &mut dyn Sql, before: &str) -> Result<(usize, usize), crate::StoreError> {
    let runs = sql
        .execute("DELETE FROM runs WHERE finished_at < ?1", &[before])
        .map_err(failed("pruning runs"))?;
    let findings = sql
        .execute(
            "DELETE FROM findings WHERE state = 'resolved' AND resolved_at < ?1",
            &[before],
        )
        .map_err(failed("pruning findings"))?;
    Ok((runs as usize, findings as usize))
}

pub(crate) fn temporary_tables(int: &str, boolean: &str) -> String {
    format!(
        "CREATE TEMP TABLE IF NOT EXISTS seen (
            key TEXT PRIMARY KEY, rule TEXT NOT NULL, title TEXT NOT NULL, risk TEXT NOT NULL,
            status TEXT NOT NULL, reason TEXT, message TEXT NOT NULL, state TEXT NOT NULL,
            first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, resolved_at TEXT, resolution TEXT,
            suppressed {boolean} NOT NULL, suppression_reason TEXT, resource_type TEXT NOT NULL,
            name TEXT NOT NULL, arn TEXT, account TEXT, region TEXT, file TEXT, line {int},
            last_run TEXT NOT NULL,
            was TEXT, was_first_seen TEXT, was_resolved_at TEXT, was_resolution TEXT
        );
        CREATE TEMP TABLE IF NOT EXISTS read_files (file TEXT PRIMARY KEY);
        CREATE TEMP TABLE IF NOT EXISTS read_folders (prefix TEXT PRIMARY KEY);
        CREATE TEMP TABLE IF NOT EXISTS unread_files (file TEXT PRIMARY KEY);
        CREATE TEMP TABLE IF NOT EXISTS read_regions (account TEXT, region TEXT, PRIMARY KEY (account, region));
        CREATE TEMP TABLE IF NOT EXISTS run_rules (rule TEXT PRIMARY KEY);
        CREATE TEMP TABLE IF NOT EXISTS gone (key TEXT PRIMARY KEY);
        DELETE FROM seen; DELETE FROM read_files; DELETE FROM read_folders; DELETE FROM unread_files;
        DELETE FROM read_regions; DELETE FROM run_rules; DELETE FROM gone;"
    )
}

/// Each seen finding's history before this run, looked up by key: a
/// correlated lookup per seen row, so that the batch drives the plan
/// (`UPDATE … FROM findings` let SQLite read every stored finding for
/// every batch).
pub(crate) const PRIOR: &str = "UPDATE seen SET (was, was_first_seen, was_resolved_at, was_resolution) =
    (SELECT f.state, f.first_seen, f.resolved_at, f.resolution FROM findings AS f WHERE f.key = seen.key)";

/// The transition, row by row as `transition::apply` takes it (`?1`: now).
/// A failure not open before starts a new episode; a pass of an open one
/// fixes it; unknown is not a verdict and changes no state.
pub(crate) const TRANSITION: &str = "UPDATE seen SET
    state = CASE
        WHEN status = 'fail' THEN 'open'
        WHEN status = 'pass' AND was IN ('open', 'resolved') THEN 'resolved'
        WHEN status = 'pass' THEN 'passing'
        ELSE COALESCE(was, 'unknown') END,
    first_seen = CASE
        WHEN status = 'fail' AND was IS DISTINCT FROM 'open' THEN CAST(?1 AS TEXT)
        ELSE COALESCE(was_first_seen, CAST(?1 AS TEXT)) END,
    resolved_at = CASE
        WHEN status = 'fail' AND was IS DISTINCT FROM 'open' THEN NULL
        WHEN status = 'pass' AND was = 'open' THEN CAST(?1 AS TEXT)
        ELSE was_resolved_at END,
    resolution = CASE
        WHEN status = 'fail' AND was IS DISTINCT FROM 'open' THEN NULL
        WHEN status = 'pass' AND was = 'open' THEN 'fixed'
        ELSE was_resolution END";

/// What the batch's findings learn of their history: state, since when,
/// whether they are new to the gate (failing, unsuppressed, and not
/// accepted by the baseline: `?1` its branch, `*` for any, and `?2` the
/// latest acceptance that counts), whether this run fixed them, and whether
/// it opened them (failing, not open before).
pub(crate) const HISTORY: &str = "SELECT key, state, first_seen,
    status = 'fail' AND NOT suppressed AND NOT EXISTS (SELECT 1 FROM accepted AS a
        WHERE a.key = seen.key AND (CAST(?1 AS TEXT) = '*' OR a.baseline = ?1) AND a.since <= ?2),
    status = 'pass' AND was IS NOT DISTINCT FROM 'open',
    status = 'fail' AND was IS DISTINCT FROM 'open'
    FROM seen";

/// A run that accepts (not a gate) withdraws, on its branch (`?1`), what it
/// saw passing or suppressed...
/// (SQLite looks each key up in the list; PostgreSQL, which has no such
/// plan for a list, joins the batch to the table: `WITHDRAW_JOINED`.)
pub(crate) const WITHDRAW: &str = "DELETE FROM accepted WHERE baseline = ?1
    AND key IN (SELECT key FROM seen WHERE status = 'pass' OR (status = 'fail' AND suppressed))";

/// `WITHDRAW` as a join, for PostgreSQL (SQLite has no `DELETE … USING`).
pub(crate) const WITHDRAW_JOINED: &str = "DELETE FROM accepted AS a USING seen AS s
    WHERE a.baseline = ?1 AND a.key = s.key AND (s.status = 'pass' OR (s.status = 'fail' AND s.suppressed))";

/// ... and accepts what it saw failing, from now on (`?2`) unless it was
/// already: acceptance lasts while the failure does.
pub(crate) const ACCEPT: &str = "INSERT INTO accepted (baseline, key, since)
    SELECT CAST(?1 AS TEXT), key, CAST(?2 AS TEXT) FROM seen WHERE status = 'fail' AND NOT suppressed
    ON CONFLICT (baseline, key) DO NOTHING";

/// The columns an upsert may change: the key's own parts (rule, file,
/// account, region) never do, so their indexes are left alone.
const FIXED: &[&str] = &["key", "rule", "file", "account", "region"];

/// What every run writes of a finding it saw, changed or not.
const SEEN: &[&str] = &["last_seen", "last_run"];

/// Writes the batch's new and changed findings into `findings`: a finding
/// whose every column but when it was seen is as stored is left alone (no
/// row or index is rewritten; `TOUCH` moves its `last_seen`).
pub(crate) fn upsert() -> String {
    let columns = FINDING_COLUMNS.join(", ");
    let changing: Vec<&str> = FINDING_COLUMNS.iter().copied().filter(|c| !FIXED.contains(c)).collect();
    let updates: Vec<String> = changing.iter().map(|c| format!("{c} = excluded.{c}")).collect();
    let changed: Vec<String> = changing
        .iter()
        .filter(|c| !SEEN.contains(c))
        .map(|c| format!("findings.{c} IS DISTINCT FROM excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO findings ({columns}) SELECT {columns} FROM seen WHERE true
         ON CONFLICT (key) DO UPDATE SET {} WHERE {}",
        updates.join(", "),
        changed.join(" OR ")
    )
}

/// Moves when the batch's findings were seen (`?1`: now, `?2`: the run):
/// columns no index holds, so only the rows are rewritten.
pub(crate) const TOUCH: &str = "UPDATE findings SET last_seen = ?1, last_run = ?2
    WHERE key IN (SELECT key FROM seen) AND last_run <> ?2";

/// Findings in a place the run read completely (a file, a folder walked
/// whole but for the files it could not read, a region), for a rule it
/// ran, that it did not see (`?1`: the run) and that are not resolved
/// already. A folder's files are those whose name starts with its prefix;
/// a file the run could not read is never resolved.
const GONE: &str = "findings.last_run <> ?1 AND findings.state <> 'resolved'
    AND findings.rule IN (SELECT rule FROM run_rules)
    AND (findings.file IS NULL OR findings.file NOT IN (SELECT file FROM unread_files))
    AND (findings.file IN (SELECT file FROM read_files)
         OR (findings.file IS NOT NULL AND EXISTS (SELECT 1 FROM read_folders AS d
             WHERE substr(findings.file, 1, length(d.prefix)) = d.prefix))
         OR (findings.file IS NULL AND EXISTS (SELECT 1 FROM read_regions AS r
             WHERE r.account = findings.account AND r.region = findings.region)))";

/// Lists, in one pass over the stored findings, what the run resolves as
/// gone (`?1`: the run): the statements below work from this list.
pub(crate) fn find_gone() -> String {
    format!("INSERT INTO gone (key) SELECT findings.key FROM findings WHERE {GONE}")
}

/// The open findings the run is about to resolve as deleted, for the report.
pub(crate) fn gone_open() -> String {
    format!(
        "SELECT {} FROM findings WHERE key IN (SELECT key FROM gone) AND state = 'open' ORDER BY key",
        FINDING_COLUMNS.join(", ")
    )
}

/// What a run that accepts no longer accepts on its branch (`?1`): the
/// findings it is about to resolve as gone.
pub(crate) const WITHDRAW_GONE: &str = "DELETE FROM accepted WHERE baseline = ?1 AND key IN (SELECT key FROM gone)";

/// Resolves them (`?1`: the run, `?2`: now): looked for where they live,
/// and not found.
pub(crate) const RESOLVE_GONE: &str =
    "UPDATE findings SET state = 'resolved', resolved_at = ?2, resolution = 'deleted', last_run = ?1
     WHERE key IN (SELECT key FROM gone)";
