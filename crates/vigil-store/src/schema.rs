//! The schema, as numbered migrations applied in order on open; each back
//! end records the versions it has applied. A migration is never edited
//! once released: a change is a new one.

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

/// SQLite's migrations.
pub(crate) const SQLITE: &[&str] = &[r#"
CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    command TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    accounts TEXT NOT NULL,
    regions TEXT NOT NULL,
    rules TEXT NOT NULL,
    pass INTEGER NOT NULL,
    fail INTEGER NOT NULL,
    unknown INTEGER NOT NULL,
    suppressed INTEGER NOT NULL,
    errors INTEGER NOT NULL
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
    suppressed INTEGER NOT NULL,
    suppression_reason TEXT,
    resource_type TEXT NOT NULL,
    name TEXT NOT NULL,
    arn TEXT,
    account TEXT,
    region TEXT,
    file TEXT,
    line INTEGER,
    last_run TEXT NOT NULL
);
CREATE INDEX findings_state ON findings (state);
"#];

/// PostgreSQL's migrations: the same tables in its types.
pub(crate) const POSTGRES: &[&str] = &[r#"
CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    command TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    accounts TEXT NOT NULL,
    regions TEXT NOT NULL,
    rules TEXT NOT NULL,
    pass BIGINT NOT NULL,
    fail BIGINT NOT NULL,
    unknown BIGINT NOT NULL,
    suppressed BIGINT NOT NULL,
    errors BIGINT NOT NULL
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
    suppressed BOOLEAN NOT NULL,
    suppression_reason TEXT,
    resource_type TEXT NOT NULL,
    name TEXT NOT NULL,
    arn TEXT,
    account TEXT,
    region TEXT,
    file TEXT,
    line BIGINT,
    last_run TEXT NOT NULL
);
CREATE INDEX findings_state ON findings (state);
"#];
