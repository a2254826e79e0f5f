//! What the store keeps: a run, and a finding with its history, keyed so the
//! same rule on the same resource is the same finding run after run.

use crate::transition::State;
use serde::Serialize;
use vigil_core::Finding;

/// A place a run read completely: only findings there can be resolved by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A region of an account, every listing in it answered.
    Region { account: String, region: String },
    /// A template file, parsed without error.
    File(String),
    /// A folder of templates walked whole: what was stored under it (its
    /// files' names start with this) and not seen again is gone, deleted
    /// or renamed.
    Folder(String),
    /// A file the run found and could not read: nothing in it is resolved,
    /// whatever folder it is in.
    Unread(String),
}

/// What a `--fail-on new` gate compares a run's failures with: the
/// failures accepted on any branch, on one branch, or on a run's branch as
/// they stood when that run was made (and still stand).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Baseline {
    #[default]
    Any,
    Branch(String),
    Run(String),
}

/// Where a run was made, and how it takes part in the gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lineage {
    /// The branch it was made on; empty for none (audits, `watch`).
    pub branch: String,
    /// The commit, for scans of a repository.
    pub revision: Option<String>,
    /// Whether the failures it sees are accepted under its branch: every
    /// run but a `--fail-on new` gate, which only compares.
    pub accepts: bool,
    pub baseline: Baseline,
}

impl Lineage {
    /// A run that records what it sees, on `branch`, compared with any
    /// branch's accepted failures.
    pub fn observing(branch: &str) -> Self {
        Lineage {
            branch: branch.to_owned(),
            revision: None,
            accepts: true,
            baseline: Baseline::Any,
        }
    }
}

/// One run, as recorded.
#[derive(Debug, Clone)]
pub struct RunRecord {
    pub id: String,
    /// `audit` or `scan`.
    pub command: String,
    pub started_at: String,
    pub finished_at: String,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub rules: Vec<String>,
    pub counts: vigil_core::report::Counts,
    pub errors: usize,
    pub read: Vec<Place>,
    pub lineage: Lineage,
}

/// A recorded run, as `vigil runs` lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RunRow {
    pub id: String,
    pub command: String,
    pub started_at: String,
    pub finished_at: String,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub rules: Vec<String>,
    pub pass: i64,
    pub fail: i64,
    pub unknown: i64,
    pub suppressed: i64,
    pub errors: i64,
    /// The branch it was made on ("" for none) and its commit.
    pub branch: String,
    pub revision: Option<String>,
}

/// The resource a stored finding is about.
pub use vigil_core::report::RecordedResource as StoredResource;

/// A finding with its history.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StoredFinding {
    #[serde(skip)]
    pub key: String,
    pub rule: String,
    pub title: String,
    pub risk: String,
    /// The last verdict: `pass`, `fail` or `unknown`.
    pub status: String,
    pub reason: Option<String>,
    pub message: String,
    pub state: State,
    pub first_seen: String,
    pub last_seen: String,
    pub resolved_at: Option<String>,
    /// `fixed` or `deleted`, once resolved.
    pub resolution: Option<String>,
    pub suppressed: bool,
    pub suppression_reason: Option<String>,
    pub resource: StoredResource,
    /// The run that last saw it (or resolved it).
    #[serde(skip)]
    pub last_run: String,
}

/// A result row of either back end, read by column index.
pub(crate) trait Columns {
    fn maybe(&self, i: usize) -> Result<Option<String>, String>;
    fn maybe_int(&self, i: usize) -> Result<Option<i64>, String>;
    fn flag(&self, i: usize) -> Result<bool, String>;

    fn text(&self, i: usize) -> Result<String, String> {
        self.maybe(i)?.ok_or_else(|| format!("column {i} is null"))
    }

    fn int(&self, i: usize) -> Result<i64, String> {
        self.maybe_int(i)?.ok_or_else(|| format!("column {i} is null"))
    }
}

impl RunRow {
    /// A `runs` row, in the column order of `RUN_COLUMNS`.
    pub(crate) fn from_columns(c: &dyn Columns) -> Result<Self, String> {
        let list = |i| c.text(i).map(|t| serde_json::from_str(&t).unwrap_or_default());
        Ok(RunRow {
            id: c.text(0)?,
            command: c.text(1)?,
            started_at: c.text(2)?,
            finished_at: c.text(3)?,
            accounts: list(4)?,
            regions: list(5)?,
            rules: list(6)?,
            pass: c.int(7)?,
            fail: c.int(8)?,
            unknown: c.int(9)?,
            suppressed: c.int(10)?,
            errors: c.int(11)?,
            branch: c.maybe(12)?.unwrap_or_default(),
            revision: c.maybe(13)?,
        })
    }
}

impl StoredFinding {
    /// A `findings` row, in the column order of `FINDING_COLUMNS`.
    pub(crate) fn from_columns(c: &dyn Columns) -> Result<Self, String> {
        Ok(StoredFinding {
            key: c.text(0)?,
            rule: c.text(1)?,
            title: c.text(2)?,
            risk: c.text(3)?,
            status: c.text(4)?,
            reason: c.maybe(5)?,
            message: c.text(6)?,
            state: State::parse(&c.text(7)?).unwrap_or(State::Unknown),
            first_seen: c.text(8)?,
            last_seen: c.text(9)?,
            resolved_at: c.maybe(10)?,
            resolution: c.maybe(11)?,
            suppressed: c.flag(12)?,
            suppression_reason: c.maybe(13)?,
            resource: StoredResource {
                kind: c.text(14)?,
                name: c.text(15)?,
                arn: c.maybe(16)?,
                account: c.maybe(17)?,
                region: c.maybe(18)?,
                file: c.maybe(19)?,
                line: c.maybe_int(20)?,
            },
            last_run: c.text(21)?,
        })
    }

    /// A finding as this run saw it, before its history is known; a
    /// template's file is stored as `file` names it.
    pub(crate) fn seen(finding: &Finding, run: &RunRecord, file: Option<String>) -> Self {
        let r = &finding.resource;
        StoredFinding {
            key: finding.key_named(|typed| file.clone().unwrap_or_else(|| typed.to_owned())),
            rule: finding.rule.id.to_owned(),
            title: finding.title.to_owned(),
            risk: finding.risk.to_string(),
            status: finding.status.as_str().to_owned(),
            reason: finding.reason.clone(),
            message: finding.message.clone(),
            state: State::Unknown,
            first_seen: run.finished_at.clone(),
            last_seen: run.finished_at.clone(),
            resolved_at: None,
            resolution: None,
            suppressed: finding.suppressed,
            suppression_reason: finding.suppression.as_ref().map(|s| s.reason.clone()),
            resource: StoredResource {
                kind: r.kind.to_owned(),
                name: r.name.clone(),
                arn: r.arn.clone(),
                account: r.account.clone(),
                region: r.region.clone(),
                file,
                line: finding.location.as_ref().map(|l| l.line as i64),
            },
            last_run: run.id.clone(),
        }
    }

    #[cfg(test)]
    pub(crate) fn verdict(&self) -> vigil_core::Status {
        use vigil_core::Status;
        match self.status.as_str() {
            "pass" => Status::Pass,
            "fail" => Status::Fail,
            _ => Status::Unknown {
                reason: self.reason.clone().unwrap_or_default(),
            },
        }
    }

    /// Whether `run` read the place this finding lives in, for a rule it ran.
    #[cfg(test)]
    pub(crate) fn read_by(&self, run: &RunRecord) -> bool {
        if !run.rules.contains(&self.rule) {
            return false;
        }
        let r = &self.resource;
        let unread = |place: &Place| matches!(place, Place::Unread(file) if r.file.as_deref() == Some(file));
        if run.read.iter().any(unread) {
            return false;
        }
        run.read.iter().any(|place| match place {
            Place::File(file) => r.file.as_deref() == Some(file),
            Place::Folder(prefix) => r.file.as_deref().is_some_and(|f| f.starts_with(prefix.as_str())),
            Place::Region { account, region } => {
                r.file.is_none() && r.account.as_deref() == Some(account) && r.region.as_deref() == Some(region)
            }
            Place::Unread(_) => false,
        })
    }

    /// What the query's SQL selects, said in Rust (the tests hold one to the other).
    #[cfg(test)]
    pub(crate) fn matches(&self, query: &crate::Query) -> bool {
        let r = &self.resource;
        query.state.is_none_or(|s| s == self.state)
            && query.rule.as_deref().is_none_or(|rule| rule == self.rule)
            && query.account.as_deref().is_none_or(|a| r.account.as_deref() == Some(a))
            && query.region.as_deref().is_none_or(|g| r.region.as_deref() == Some(g))
            && query.since.as_deref().is_none_or(|t| self.last_seen.as_str() >= t)
    }
}
