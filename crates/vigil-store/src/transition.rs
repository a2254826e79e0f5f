//! How a run changes the store, said once in plain Rust: what is new, what
//! is resolved and what stays as it was. The stores take these steps as
//! set-based SQL (`sql`); this function is their specification, and the
//! property tests hold both back ends to it on random histories.

use crate::row::StoredFinding;
use serde::{Deserialize, Serialize};
#[cfg(test)]
use {
    crate::row::RunRecord,
    std::collections::{BTreeMap, HashMap},
    vigil_core::Status,
};

/// Where a finding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Failing now.
    Open,
    /// Failed once; passes now, or its resource is gone.
    Resolved,
    /// Has passed every time it was judged.
    Passing,
    /// Never judged: it could not be read every time it was seen.
    Unknown,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Resolved => "resolved",
            State::Passing => "passing",
            State::Unknown => "unknown",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        [State::Open, State::Resolved, State::Passing, State::Unknown]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// What recording a run changed (each finding seen carries its own
/// history, set as its batch was recorded).
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    pub run: String,
    /// How many findings this run opened: failing now, not open before.
    pub opened: usize,
    /// The findings this run resolved, the first `RESOLVED_LISTED` of
    /// them: fixed (in the order seen), then deleted (by key). A run that
    /// resolves a million holds no million rows for its report.
    pub resolved: Vec<StoredFinding>,
    /// How many it resolved in all.
    pub resolved_total: usize,
}

/// At most this many resolved findings are listed in a run's report.
pub const RESOLVED_LISTED: usize = 1_000;

impl Recorded {
    /// Counts a finding the run resolved, and lists it while there is room.
    pub(crate) fn resolve(&mut self, finding: StoredFinding) {
        self.resolved_total += 1;
        if self.resolved.len() < RESOLVED_LISTED {
            self.resolved.push(finding);
        }
    }
}

/// What the specification says a run does.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct Applied {
    /// Keys of the findings this run opened.
    pub opened: Vec<String>,
    pub resolved: Vec<StoredFinding>,
    /// Each finding this run saw: its state and since when it has been seen.
    pub states: HashMap<String, (State, String)>,
}

/// The rows to write: every finding seen (with its history carried on),
/// and every finding resolved because it was not seen where it was looked for.
#[cfg(test)]
pub(crate) fn apply(
    run: &RunRecord,
    prior: &HashMap<String, StoredFinding>,
    seen: Vec<StoredFinding>,
) -> (Vec<StoredFinding>, Applied) {
    let now = &run.finished_at;
    let mut recorded = Applied::default();
    let mut rows = Vec::with_capacity(seen.len());
    let mut seen_keys = std::collections::HashSet::with_capacity(seen.len());
    for mut row in seen {
        seen_keys.insert(row.key.clone());
        let before = prior.get(&row.key);
        if let Some(before) = before {
            row.first_seen = before.first_seen.clone();
            row.resolved_at = before.resolved_at.clone();
            row.resolution = before.resolution.clone();
        }
        let was = before.map(|b| b.state);
        row.state = match (row.verdict(), was) {
            (Status::Fail, Some(State::Open)) => State::Open,
            // A new failure, or one that came back: a new episode starts.
            (Status::Fail, _) => {
                recorded.opened.push(row.key.clone());
                row.first_seen = now.clone();
                row.resolved_at = None;
                row.resolution = None;
                State::Open
            }
            (Status::Pass, Some(State::Open)) => {
                row.resolved_at = Some(now.clone());
                row.resolution = Some("fixed".into());
                recorded.resolved.push(row.clone());
                State::Resolved
            }
            (Status::Pass, Some(State::Resolved)) => State::Resolved,
            (Status::Pass, _) => State::Passing,
            // Unknown is not looked at: the state stays what it was.
            (Status::Unknown { .. }, Some(state)) => state,
            (Status::Unknown { .. }, None) => State::Unknown,
        };
        recorded
            .states
            .insert(row.key.clone(), (row.state, row.first_seen.clone()));
        rows.push(row);
    }
    let mut gone: Vec<&StoredFinding> = prior
        .values()
        .filter(|f| !seen_keys.contains(&f.key) && f.state != State::Resolved && f.read_by(run))
        .collect();
    gone.sort_by(|a, b| a.key.cmp(&b.key));
    // Looked for where it lives and not found: the resource is gone.
    for before in gone {
        let mut row = before.clone();
        row.state = State::Resolved;
        row.resolved_at = Some(now.clone());
        row.resolution = Some("deleted".into());
        row.last_run = run.id.clone();
        if before.state == State::Open {
            recorded.resolved.push(row.clone());
        }
        rows.push(row);
    }
    (rows, recorded)
}

/// The failures accepted, as the specification keeps them: since when,
/// by (baseline branch, key).
#[cfg(test)]
pub(crate) type Accepted = BTreeMap<(String, String), String>;

/// What the gate says of a run's findings, and what the run accepts: the
/// specification of `sql::HISTORY`'s new flag, and of `WITHDRAW`, `ACCEPT`
/// and `WITHDRAW_GONE`. A failure is new when it is unsuppressed and no
/// acceptance of the baseline (a branch, `*` for any, accepted no later
/// than `until`) holds its key. A run that accepts takes, on its branch,
/// what it sees failing (keeping an acceptance's start while it lasts),
/// and withdraws what it sees passing or suppressed and what is `gone`.
#[cfg(test)]
pub(crate) fn gate(
    run: &RunRecord,
    accepted: &mut Accepted,
    (baseline, until): (&str, &str),
    seen: &[StoredFinding],
    gone: &[String],
) -> Vec<String> {
    let holds = |key: &str| {
        accepted
            .iter()
            .any(|((branch, k), since)| k == key && (baseline == "*" || branch == baseline) && since.as_str() <= until)
    };
    let new = seen
        .iter()
        .filter(|f| f.status == "fail" && !f.suppressed && !holds(&f.key))
        .map(|f| f.key.clone())
        .collect();
    if run.lineage.accepts {
        let mine = |key: &str| (run.lineage.branch.clone(), key.to_owned());
        for f in seen {
            match (f.status.as_str(), f.suppressed) {
                ("fail", false) => {
                    accepted.entry(mine(&f.key)).or_insert_with(|| run.finished_at.clone());
                }
                ("pass", _) | ("fail", true) => {
                    accepted.remove(&mine(&f.key));
                }
                _ => {}
            }
        }
        for key in gone {
            accepted.remove(&mine(key));
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_lists_the_first_thousand_it_resolved_and_counts_them_all() {
        let mut recorded = Recorded::default();
        for i in 0..RESOLVED_LISTED + 5 {
            recorded.resolve(StoredFinding {
                key: format!("k{i}"),
                ..seen("m", "eu", "pass", &run("r", "t", &["eu"]))
            });
        }
        assert_eq!(recorded.resolved_total, RESOLVED_LISTED + 5);
        assert_eq!(recorded.resolved.len(), RESOLVED_LISTED);
        assert_eq!(recorded.resolved[0].key, "k0");
    }
    use crate::row::{Place, StoredResource};

    fn run(id: &str, at: &str, read: &[&str]) -> RunRecord {
        RunRecord {
            id: id.into(),
            command: "audit".into(),
            started_at: at.into(),
            finished_at: at.into(),
            accounts: vec!["1".into()],
            regions: read.iter().map(|r| r.to_string()).collect(),
            rules: vec!["r".into()],
            counts: Default::default(),
            errors: 0,
            read: read
                .iter()
                .map(|r| Place::Region {
                    account: "1".into(),
                    region: r.to_string(),
                })
                .collect(),
            lineage: crate::Lineage::observing(""),
        }
    }

    fn seen(name: &str, region: &str, status: &str, run: &RunRecord) -> StoredFinding {
        StoredFinding {
            key: format!("r|{region}|{name}"),
            rule: "r".into(),
            title: "t".into(),
            risk: "Medium".into(),
            status: status.into(),
            reason: None,
            message: String::new(),
            state: State::Unknown,
            first_seen: run.finished_at.clone(),
            last_seen: run.finished_at.clone(),
            resolved_at: None,
            resolution: None,
            suppressed: false,
            suppression_reason: None,
            resource: StoredResource {
                kind: "AWS::SageMaker::Model".into(),
                name: name.into(),
                account: Some("1".into()),
                region: Some(region.into()),
                ..Default::default()
            },
            last_run: run.id.clone(),
        }
    }

    fn state_of(rows: &[StoredFinding]) -> HashMap<String, StoredFinding> {
        rows.iter().map(|r| (r.key.clone(), r.clone())).collect()
    }

    #[test]
    fn fixed_deleted_added_and_unread_regions() {
        let first = run("a", "2026-01-01T00:00:00Z", &["eu", "us"]);
        let rows = vec![
            seen("fixed", "eu", "fail", &first),
            seen("deleted", "eu", "fail", &first),
            seen("kept", "eu", "fail", &first),
            seen("elsewhere", "us", "fail", &first),
            seen("good", "eu", "pass", &first),
        ];
        let (rows, recorded) = apply(&first, &HashMap::new(), rows);
        assert_eq!(recorded.opened.len(), 4);
        let prior = state_of(&rows);
        assert_eq!(prior["r|eu|good"].state, State::Passing);

        // The second run reads eu only; us could not be read.
        let second = run("b", "2026-01-02T00:00:00Z", &["eu"]);
        let rows = vec![
            seen("fixed", "eu", "pass", &second),
            seen("kept", "eu", "fail", &second),
            seen("added", "eu", "fail", &second),
            seen("good", "eu", "unknown", &second),
        ];
        let (rows, recorded) = apply(&second, &prior, rows);
        let after = state_of(&rows);
        assert_eq!(recorded.opened, ["r|eu|added"]);
        assert_eq!(after["r|eu|fixed"].state, State::Resolved);
        assert_eq!(after["r|eu|fixed"].resolution.as_deref(), Some("fixed"));
        assert_eq!(after["r|eu|deleted"].resolution.as_deref(), Some("deleted"));
        assert_eq!(after["r|eu|kept"].first_seen, "2026-01-01T00:00:00Z");
        assert_eq!(after["r|eu|added"].first_seen, "2026-01-02T00:00:00Z");
        // Unknown is not a verdict: the state stays.
        assert_eq!(after["r|eu|good"].state, State::Passing);
        // Not read: nothing written for it, so it stays open.
        assert!(!after.contains_key("r|us|elsewhere"));
        let mut resolved: Vec<&str> = recorded.resolved.iter().map(|r| r.resource.name.as_str()).collect();
        resolved.sort();
        assert_eq!(resolved, ["deleted", "fixed"]);
    }

    #[test]
    fn a_failure_that_comes_back_starts_a_new_episode() {
        let first = run("a", "2026-01-01T00:00:00Z", &["eu"]);
        let (rows, _) = apply(&first, &HashMap::new(), vec![seen("m", "eu", "fail", &first)]);
        let second = run("b", "2026-01-02T00:00:00Z", &["eu"]);
        let (rows, _) = apply(&second, &state_of(&rows), vec![seen("m", "eu", "pass", &second)]);
        let third = run("c", "2026-01-03T00:00:00Z", &["eu"]);
        let (rows, recorded) = apply(&third, &state_of(&rows), vec![seen("m", "eu", "fail", &third)]);
        assert_eq!(recorded.opened, ["r|eu|m"]);
        assert_eq!(rows[0].state, State::Open);
        assert_eq!(rows[0].first_seen, "2026-01-03T00:00:00Z");
        assert_eq!(rows[0].resolved_at, None);
    }
}
