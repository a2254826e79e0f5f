//! The schema, as numbered migrations applied in order on open; each back
//! end records the versions it has applied. A migration is never edited
//! once released: a change is a new one.

/// The columns of `runs`, in the order every statement uses them.
pub(crate) const RUN_COLUMNS: &str =
    "id, command, started_at, finished_at, accounts, regions, rules, pass, fail, unknown, suppressed, errors, branch, revision";

/// The columns of `findings`, in the order every statement uses them.
pub(crate) const FINDING_COLUMNS: &[&str] = &[
    "key",
    "rule",
    "title",
    "risk",
    "status",
    "reason",
    "message",
    "state",
    "first_seen",
    "last_seen",
    "resolved_at",
    "resolution",
    "suppressed",
    "suppression_reason",
    "resource_type",
    "name",
    "arn",
    "account",
    "region",
    "file",
    "line",
    "last_run",
];

/// The migrations, in order, written once for both back ends: `{int}` and
/// `{bool}` stand for each one's integer and boolean types.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    command TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    accounts TEXT NOT NULL,
    regions TEXT NOT NULL,
    rules TEXT NOT NULL,
    pass {int} NOT NULL,
    fail {int} NOT NULL,
    unknown {int} NOT NULL,
    suppressed {int} NOT NULL,
    errors {int} NOT NULL
);
CREATE TABLE findings (
    key TEXT PRIMARY KEY,
    rule TEXT NOT NULL,
    title TEXT NOT NULL,
    risk TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    message TEXT NOT NULL,
    state TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    resolved_at TEXT,
    resolution TEXT,
    suppressed {bool} NOT NULL,
    suppression_reason TEXT,
    resource_type TEXT NOT NULL,
    name TEXT NOT NULL,
    arn TEXT,
    account TEXT,
    region TEXT,
    file TEXT,
    line {int},
    last_run TEXT NOT NULL
);
CREATE INDEX findings_state ON findings (state);
"#,
    // The filters of `vigil findings` (state alone has its index since
    // the first schema). Nothing indexes `last_seen`, which every run
    // moves for every finding it sees: ordering by it sorts what the
    // filters chose. On PostgreSQL, room is left on each page so that
    // moving it rewrites no index ({fillfactor}).
    r#"
{fillfactor}
CREATE INDEX findings_rule_state ON findings (rule, state);
CREATE INDEX findings_place ON findings (account, region);
CREATE INDEX runs_finished ON runs (finished_at);
"#,
    // Which Vigil applied each migration, so that an older one can say which
    // Vigil it would need.
    r#"
ALTER TABLE schema_migrations ADD COLUMN vigil TEXT;
"#,
    // Template findings are now kept under their repository's name and
    // their path there; those kept under the path a scan was given are
    // resolved as renamed, as of when they were last seen, so that none
    // stays open for ever under a name no scan gives again.
    r#"
UPDATE findings SET state = 'resolved', resolution = 'renamed', resolved_at = last_seen
WHERE file IS NOT NULL AND state <> 'resolved';
"#,
    // The branch and revision a run was made on, and what runs that are
    // not gates accept: the failures a `--fail-on new` gate compares with
    // (a baseline is a branch's accepted failures). The failures open and
    // unsuppressed when this is applied are accepted as of when they were
    // first seen, on no branch, so that a gate after the upgrade counts as
    // new only what is new.
    r#"
ALTER TABLE runs ADD COLUMN branch TEXT;
ALTER TABLE runs ADD COLUMN revision TEXT;
CREATE INDEX runs_branch ON runs (branch, finished_at);
CREATE TABLE accepted (
    baseline TEXT NOT NULL,
    key TEXT NOT NULL,
    since TEXT NOT NULL,
    PRIMARY KEY (baseline, key)
);
CREATE INDEX accepted_key ON accepted (key);
INSERT INTO accepted (baseline, key, since)
SELECT '', key, first_seen FROM findings WHERE state = 'open' AND NOT suppressed;
"#,
];

/// The schema this Vigil writes.
pub(crate) fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// The tables a Vigil store holds: a database with some and not all of
/// them, or with other tables only, is not a Vigil store.
pub(crate) const TABLES: &[&str] = &["schema_migrations", "runs", "findings"];

/// Refuses a store whose schema is newer than this Vigil's: writing into
/// it would rewrite what only the newer version understands.
pub(crate) fn refuse_newer(found: i64, writer: Option<&str>) -> Result<(), String> {
    if found <= latest() {
        return Ok(());
    }
    let writer = writer.map_or_else(|| "a newer Vigil".to_owned(), |v| format!("Vigil {v}"));
    Err(format!(
        "the store was written by {writer} (schema {found}); this is Vigil {} (schema {}): \
         upgrade Vigil to use this store, nothing was changed",
        env!("CARGO_PKG_VERSION"),
        latest()
    ))
}

/// Refuses a database that holds other tables than a Vigil store's, or
/// only some of them, naming what it found.
pub(crate) fn refuse_foreign(tables: &[String]) -> Result<(), String> {
    let ours = TABLES.iter().all(|t| tables.iter().any(|have| have == t));
    if tables.is_empty() || ours {
        return Ok(());
    }
    let mut shown: Vec<&str> = tables.iter().map(String::as_str).take(5).collect();
    if tables.len() > 5 {
        shown.push("…");
    }
    Err(format!(
        "this database is not a Vigil findings store (it holds {}): name an empty database or a new file; nothing was changed",
        shown.join(", ")
    ))
}

/// What differs between the back ends' schemas.
pub(crate) struct Dialect {
    pub int: &'static str,
    pub boolean: &'static str,
    /// How `findings` keeps room for updates in place.
    pub fillfactor: &'static str,
}

pub(crate) const SQLITE: Dialect = Dialect {
    int: "INTEGER",
    boolean: "INTEGER",
    fillfactor: "",
};

/// A page of `findings` is filled to 70 %: the row a run rewrites (when it
/// was last seen) fits on its page, so PostgreSQL updates it without new
/// index entries (a heap-only tuple).
pub(crate) const POSTGRES: Dialect = Dialect {
    int: "BIGINT",
    boolean: "BOOLEAN",
    fillfactor: "ALTER TABLE findings SET (fillfactor = 70);",
};

/// The migrations in a back end's dialect.
pub(crate) fn migrations(dialect: &Dialect) -> Vec<String> {
    MIGRATIONS
        .iter()
        .map(|m| {
            m.replace("{int}", dialect.int)
                .replace("{bool}", dialect.boolean)
                .replace("{fillfactor}", dialect.fillfactor)
        })
        .collect()
}
