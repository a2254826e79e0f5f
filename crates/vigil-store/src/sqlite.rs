//! The embedded store: one SQLite file. Each run is recorded in one
//! `BEGIN IMMEDIATE` transaction, so two runs writing at once take turns
//! (each waits up to a minute for the other) and a run that fails midway
//! leaves nothing behind.

use crate::failed;
use crate::recording::{Open, Recording};
use crate::row::{Columns, RunRecord, StoredFinding};
use crate::schema::{migrations, FINDING_COLUMNS, RUN_COLUMNS};
use crate::sql::{temporary_tables, Sql};
use crate::{Limits, StoreError};
use rusqlite::{params, params_from_iter, Connection, OpenFlags, TransactionBehavior};
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;
use std::time::Duration;

pub struct Sqlite {
    conn: Connection,
}

impl Sqlite {
    pub fn open(path: &Path, limits: Limits) -> Result<Sqlite, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
            // The store names every resource of every account it saw: a
            // folder Vigil creates for it is the user's alone.
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(parent)
                .map_err(|e| StoreError(format!("{}: cannot create the folder: {e}", parent.display())))?;
        }
        let open = StoreError;
        // Two runs creating one file at once: switching a new file to WAL
        // does not wait on the busy handler, so the loser waits here.
        let deadline = std::time::Instant::now() + limits.lock;
        loop {
            match Self::prepare(path, limits) {
                Err(Refusal(_, Some(rusqlite::ErrorCode::DatabaseBusy))) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(Refusal(e, _)) => return Err(open(e)),
                Ok(conn) => return Ok(Sqlite { conn }),
            }
        }
    }

    fn prepare(path: &Path, limits: Limits) -> Result<Connection, Refusal> {
        let mut conn = Connection::open(path)?;
        // Another writer's run holds the file: waited for as long as the
        // lock timeout allows.
        conn.busy_timeout(limits.lock)?;
        // Before anything is written (WAL is a write): another program's
        // database, or a newer Vigil's store, is left byte for byte as it was.
        let found = identify(&conn)?;
        // WAL: `vigil findings` reads while an audit writes. NORMAL: a
        // commit waits for no disk flush; a power cut may lose the last run,
        // never corrupt the file (SQLite's documented WAL guarantee).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A run's upserts touch pages all over a large store: 16 MB of
        // cache (the default is 2 MB) keeps its indexes' inner pages in.
        conn.pragma_update(None, "cache_size", -8_000)?;
        migrate(&mut conn, found)?;
        Ok(conn)
    }

    /// Opens a store only to read it (`vigil findings`, `vigil runs`): a
    /// read-only copy, or one in a folder this user cannot write, is read
    /// as it is; nothing is migrated.
    pub fn open_to_read(path: &Path, limits: Limits) -> Result<Sqlite, StoreError> {
        let shown = |e: Refusal| StoreError(e.0);
        if !path.exists() {
            return Err(StoreError(
                "no such store: record a run into it first (vigil audit or vigil scan)".into(),
            ));
        }
        // Opened for writing when this user may (never written: nothing is
        // migrated), so that closing it tidies the `-wal` and `-shm` files
        // away as SQLite does for a writer; else read-only.
        let attempt = |flags: OpenFlags, name: &str| -> Result<(Connection, Found), Refusal> {
            let conn = Connection::open_with_flags(name, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
            let found = identify(&conn)?;
            Ok((conn, found))
        };
        let name = path.to_string_lossy();
        let cannot = |e: &Refusal| {
            matches!(
                e.1,
                Some(
                    rusqlite::ErrorCode::CannotOpen
                        | rusqlite::ErrorCode::ReadOnly
                        | rusqlite::ErrorCode::PermissionDenied
                )
            )
        };
        let conn = match attempt(OpenFlags::SQLITE_OPEN_READ_WRITE, &name) {
            Err(e) if cannot(&e) => match attempt(OpenFlags::SQLITE_OPEN_READ_ONLY, &name) {
                // A WAL store needs its `-shm` beside it, which a reader that
                // cannot write there cannot make: read the file as it stands
                // (`immutable`: no one who can write there is writing it).
                Err(e) if cannot(&e) => attempt(
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
                    &format!("file:{}?immutable=1", uri_path(path)),
                ),
                other => other,
            },
            other => other,
        };
        let (conn, found) = conn.map_err(shown)?;
        if found.version == 0 {
            return Err(StoreError(
                "not a Vigil findings store yet (no run was recorded)".into(),
            ));
        }
        conn.busy_timeout(limits.lock).map_err(|e| shown(e.into()))?;
        Ok(Sqlite { conn })
    }

    /// Starts recording a run: the store is held (`BEGIN IMMEDIATE`) until
    /// it is finished or dropped.
    pub fn begin(&mut self, run: RunRecord) -> Result<Recording<'_>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed("the store is busy"))?;
        tx.execute_batch(&temporary_tables("INTEGER", "INTEGER"))
            .map_err(failed("recording the run"))?;
        Recording::begin(Open::Sqlite(tx), run)
    }

    /// Statements outside a recording (queries).
    pub(crate) fn sql(&mut self) -> Lite<'_> {
        Lite(&self.conn)
    }

    pub fn prune(&mut self, before: &str) -> Result<(usize, usize), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(failed("the store is busy"))?;
        let pruned = crate::sql::prune(&mut Lite(&tx), before)?;
        tx.commit().map_err(failed("pruning"))?;
        Ok(pruned)
    }
}

/// Statements on a connection (or its open transaction), each prepared
/// once and cached: a run's batches reuse them.
pub(crate) struct Lite<'c>(pub &'c Connection);

impl Sql for Lite<'_> {
    fn execute(&mut self, sql: &str, params: &[&str]) -> Result<u64, String> {
        let mut statement = self.0.prepare_cached(sql).map_err(|e| e.to_string())?;
        let changed = statement.execute(params_from_iter(params)).map_err(|e| e.to_string())?;
        Ok(changed as u64)
    }

    fn select(
        &mut self,
        sql: &str,
        params: &[&str],
        each: &mut dyn FnMut(&dyn Columns) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut statement = self.0.prepare_cached(sql).map_err(|e| e.to_string())?;
        let mut rows = statement.query(params_from_iter(params)).map_err(|e| e.to_string())?;
        while let Some(row) = rows.next().map_err(|e| e.to_string())? {
            each(row)?;
        }
        Ok(())
    }

    fn insert_seen(&mut self, rows: &[StoredFinding]) -> Result<(), String> {
        let columns = FINDING_COLUMNS.join(", ");
        let values: Vec<String> = (1..=FINDING_COLUMNS.len()).map(|i| format!("?{i}")).collect();
        let sql = format!("INSERT INTO seen ({columns}) VALUES ({})", values.join(", "));
        let mut insert = self.0.prepare_cached(&sql).map_err(|e| e.to_string())?;
        for row in rows {
            insert
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
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn insert_rows(&mut self, table: &str, columns: &[&str], values: &[&str]) -> Result<(), String> {
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT OR IGNORE INTO {table} ({}) VALUES ({})",
            columns.join(", "),
            marks.join(", ")
        );
        let mut insert = self.0.prepare_cached(&sql).map_err(|e| e.to_string())?;
        for row in values.chunks(columns.len()) {
            insert.execute(params_from_iter(row)).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn insert_run(&mut self, run: &RunRecord) -> Result<(), String> {
        self.0
            .execute(
                &format!(
                    "INSERT INTO runs ({RUN_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
                ),
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
                    run.lineage.branch,
                    run.lineage.revision,
                ],
            )
            .map(drop)
            .map_err(|e| e.to_string())
    }
}

/// Why a file was not opened as a store: SQLite's error (with its code,
/// for the busy retry), or Vigil's refusal.
struct Refusal(String, Option<rusqlite::ErrorCode>);

impl From<rusqlite::Error> for Refusal {
    fn from(e: rusqlite::Error) -> Self {
        let code = e.sqlite_error_code();
        Refusal(e.to_string(), code)
    }
}

impl From<String> for Refusal {
    fn from(why: String) -> Self {
        Refusal(why, None)
    }
}

/// "Vigl": the SQLite header's application id of a Vigil store, which
/// tells it from another program's database before any table is read.
const APPLICATION_ID: i32 = 0x5669_676c;

/// What an opened file is, as far as Vigil is concerned.
struct Found {
    /// The schema version it holds (0: a new, empty database).
    version: i64,
    /// Whether its header already carries Vigil's application id.
    marked: bool,
}

/// Reads, never writes: whose database this is and which schema it holds.
/// Refuses another program's database and a newer Vigil's store.
fn identify(conn: &Connection) -> Result<Found, Refusal> {
    let id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let mut tables = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
    let tables: Vec<String> = tables.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    if id != 0 && id != APPLICATION_ID {
        return Err(Refusal(
            format!("this database belongs to another program (application id {id:#x}): nothing was changed"),
            None,
        ));
    }
    crate::schema::refuse_foreign(&tables)?;
    if tables.is_empty() {
        return Ok(Found {
            version: 0,
            marked: false,
        });
    }
    let version: i64 = conn.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| {
        r.get(0)
    })?;
    let writer: Option<String> = conn
        .query_row(
            "SELECT vigil FROM schema_migrations ORDER BY version DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or(None);
    crate::schema::refuse_newer(version, writer.as_deref())?;
    Ok(Found {
        version,
        marked: id == APPLICATION_ID,
    })
}

/// Applies the migrations this file has not seen yet, all or none, and
/// marks it as Vigil's.
fn migrate(conn: &mut Connection, found: Found) -> Result<(), Refusal> {
    if found.marked && found.version == crate::schema::latest() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another writer may have migrated it since it was identified.
    let found = identify(&tx)?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)",
        [],
    )?;
    for (version, sql) in migrations(&crate::schema::SQLITE)
        .iter()
        .enumerate()
        .map(|(i, sql)| (i as i64 + 1, sql))
    {
        if version > found.version {
            tx.execute_batch(sql)?;
            tx.execute("INSERT INTO schema_migrations (version) VALUES (?1)", [version])?;
        }
    }
    tx.execute(
        "UPDATE schema_migrations SET vigil = ?1 WHERE version > ?2",
        params![env!("CARGO_PKG_VERSION"), found.version],
    )?;
    tx.commit()?;
    Ok(())
}

/// A path as an SQLite `file:` URI's path: `%`, `?` and `#` (and every
/// byte outside printable ASCII) percent-encoded.
fn uri_path(path: &Path) -> String {
    let mut uri = String::new();
    for &byte in path.as_os_str().as_encoded_bytes() {
        match byte {
            b'%' | b'?' | b'#' => uri.push_str(&format!("%{byte:02X}")),
            0x21..=0x7e => uri.push(byte as char),
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
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
        drop(super::Sqlite::open(&path, Default::default()).unwrap());
        let mode = std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        let again = super::Sqlite::open(&path, Default::default()).unwrap();
        let applied: i64 = again
            .conn
            .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            applied as usize,
            crate::schema::migrations(&crate::schema::SQLITE).len()
        );
    }
}
