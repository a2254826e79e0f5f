//! The remediation journal's vocabulary: every change Vigil makes to an
//! account is written down before and after it is made, so a crash leaves a
//! record from which `vigil remediate --resume` can finish or undo the run.
//! Pure data and the fold that reads it; the file lives in the binary.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One change to an account, as journaled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Step {
    CreateModel { name: String, replaces: String },
    CreateEndpointConfig { name: String, replaces: String },
    UpdateEndpoint { endpoint: String, from: String, to: String },
    DeleteEndpointConfig { name: String },
    DeleteModel { name: String },
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Step::CreateModel { name, replaces } => write!(f, "CreateModel {name} (replaces {replaces})"),
            Step::CreateEndpointConfig { name, replaces } => {
                write!(f, "CreateEndpointConfig {name} (replaces {replaces})")
            }
            Step::UpdateEndpoint { endpoint, from, to } => write!(f, "UpdateEndpoint {endpoint}: {from} -> {to}"),
            Step::DeleteEndpointConfig { name } => write!(f, "DeleteEndpointConfig {name}"),
            Step::DeleteModel { name } => write!(f, "DeleteModel {name}"),
        }
    }
}

/// What `--resume` needs to run the same request again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRequest {
    pub rule: String,
    pub regions: Option<Vec<String>>,
    pub models: Vec<String>,
    pub exclude: Vec<String>,
    pub update_endpoints: bool,
    pub delete_old: bool,
    pub wait_timeout_secs: u64,
    pub endpoint_url: Option<String>,
    pub profile: Option<String>,
}

/// `url` without the user name and password it may carry
/// (`https://user:secret@host/` -> `https://host/`): a journal is a file on
/// disk, and `--resume` asks for the URL again when it needs them.
pub fn without_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// One line of the journal. A unit is the set of models and endpoint
/// configurations that must change together (they share endpoints); it is
/// named `region/first-model`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Entry {
    Start {
        run: String,
        vigil: String,
        request: RunRequest,
    },
    Resumed,
    Begin {
        unit: String,
        region: String,
        step: Step,
    },
    /// The step's request reached the service and was accepted, or its
    /// answer was lost so it may have been: the step is this run's to undo.
    /// Written for `UpdateEndpoint`, whose undo is itself a deployment: an
    /// endpoint this run never moved (the request was refused, or it was
    /// already where it should be) is never moved back.
    Sent {
        unit: String,
        region: String,
        step: Step,
    },
    Done {
        unit: String,
        region: String,
        step: Step,
    },
    Failed {
        unit: String,
        region: String,
        step: Step,
        error: String,
    },
    RollbackBegin {
        unit: String,
        region: String,
        reason: String,
    },
    RollbackDone {
        unit: String,
        region: String,
    },
    RollbackFailed {
        unit: String,
        region: String,
        error: String,
    },
    Finish {
        ok: bool,
    },
}

/// A journal line: the entry, its place in the file and when it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub seq: u64,
    pub at: String,
    #[serde(flatten)]
    pub entry: Entry,
}

/// A unit whose rollback began and did not end: `--resume` finishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnfinishedRollback {
    pub unit: String,
    pub region: String,
    /// Every step the unit began, in order; undoing each is idempotent, so
    /// a step begun but not recorded done is undone too.
    pub steps: Vec<Step>,
}

/// The run's request and what is left to undo, read from its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    pub run: String,
    pub request: RunRequest,
    pub finished: bool,
    pub rollbacks: Vec<UnfinishedRollback>,
}

/// Folds a journal's records. `None` if it has no `start` record.
pub fn replay(records: &[Record]) -> Option<Replay> {
    let (run, request) = records.iter().find_map(|r| match &r.entry {
        Entry::Start { run, request, .. } => Some((run.clone(), request.clone())),
        _ => None,
    })?;
    let mut begun: BTreeMap<&str, (String, Vec<Step>)> = BTreeMap::new();
    let mut rolling: BTreeMap<&str, bool> = BTreeMap::new();
    // Endpoint moves that were sent, and steps whose outcome is known.
    let mut sent: Vec<(&str, &Step)> = Vec::new();
    let mut concluded: Vec<(&str, &Step)> = Vec::new();
    let mut finished = false;
    for record in records {
        match &record.entry {
            // Steps taken while rolling back are undos, not steps to undo.
            Entry::Begin { unit, region, step } if rolling.get(unit.as_str()) != Some(&true) => {
                let steps = &mut begun.entry(unit).or_insert_with(|| (region.clone(), Vec::new())).1;
                if !steps.contains(step) {
                    steps.push(step.clone());
                }
            }
            Entry::Sent { unit, step, .. } if rolling.get(unit.as_str()) != Some(&true) => {
                sent.push((unit.as_str(), step))
            }
            Entry::Done { unit, step, .. } | Entry::Failed { unit, step, .. }
                if rolling.get(unit.as_str()) != Some(&true) =>
            {
                concluded.push((unit.as_str(), step))
            }
            Entry::RollbackBegin { unit, .. } | Entry::RollbackFailed { unit, .. } => {
                rolling.insert(unit, true);
            }
            Entry::RollbackDone { unit, .. } => {
                rolling.insert(unit, false);
            }
            Entry::Resumed => finished = false,
            Entry::Finish { .. } => finished = true,
            _ => {}
        }
    }
    let rollbacks = rolling
        .into_iter()
        .filter(|(_, open)| *open)
        .map(|(unit, _)| {
            let (region, mut steps) = begun.remove(unit).unwrap_or_default();
            // An endpoint move is undone only if it was sent, or if the run
            // stopped before it could know (the request may have gone out).
            steps.retain(|step| {
                !matches!(step, Step::UpdateEndpoint { .. })
                    || sent.contains(&(unit, step))
                    || !concluded.contains(&(unit, step))
            });
            UnfinishedRollback {
                unit: unit.to_owned(),
                region,
                steps,
            }
        })
        .collect();
    Some(Replay {
        run,
        request,
        finished,
        rollbacks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seq: u64, entry: Entry) -> Record {
        Record {
            seq,
            at: "2026-11-26T00:00:00Z".into(),
            entry,
        }
    }

    fn request() -> RunRequest {
        RunRequest {
            rule: "sagemaker-model-network-isolation".into(),
            regions: Some(vec!["eu-west-1".into()]),
            models: vec![],
            exclude: vec![],
            update_endpoints: true,
            delete_old: false,
            wait_timeout_secs: 60,
            endpoint_url: None,
            profile: None,
        }
    }

    #[test]
    fn records_round_trip_as_one_json_object_per_line() {
        let line = record(
            3,
            Entry::Done {
                unit: "eu-west-1/a".into(),
                region: "eu-west-1".into(),
                step: Step::CreateModel {
                    name: "a-isolated".into(),
                    replaces: "a".into(),
                },
            },
        );
        let json = serde_json::to_string(&line).unwrap();
        assert!(!json.contains('\n'));
        assert!(
            json.contains(r#""event":"done""#) && json.contains(r#""action":"create_model""#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Record>(&json).unwrap(), line);
    }

    #[test]
    fn an_open_rollback_lists_every_step_begun_and_a_closed_one_nothing() {
        let create = Step::CreateModel {
            name: "a-isolated".into(),
            replaces: "a".into(),
        };
        let config = Step::CreateEndpointConfig {
            name: "c-isolated".into(),
            replaces: "c".into(),
        };
        let unit = |u: &str| (u.to_owned(), "eu-west-1".to_owned());
        let (a, r) = unit("eu-west-1/a");
        let (b, _) = unit("eu-west-1/b");
        let records = vec![
            record(
                0,
                Entry::Start {
                    run: "r1".into(),
                    vigil: "0.1.0".into(),
                    request: request(),
                },
            ),
            record(
                1,
                Entry::Begin {
                    unit: a.clone(),
                    region: r.clone(),
                    step: create.clone(),
                },
            ),
            record(
                2,
                Entry::Done {
                    unit: a.clone(),
                    region: r.clone(),
                    step: create.clone(),
                },
            ),
            record(
                3,
                Entry::Begin {
                    unit: a.clone(),
                    region: r.clone(),
                    step: config.clone(),
                },
            ),
            record(
                4,
                Entry::RollbackBegin {
                    unit: a.clone(),
                    region: r.clone(),
                    reason: "x".into(),
                },
            ),
            record(
                5,
                Entry::Begin {
                    unit: b.clone(),
                    region: r.clone(),
                    step: create.clone(),
                },
            ),
            record(
                6,
                Entry::RollbackBegin {
                    unit: b.clone(),
                    region: r.clone(),
                    reason: "y".into(),
                },
            ),
            record(
                7,
                Entry::RollbackDone {
                    unit: b.clone(),
                    region: r.clone(),
                },
            ),
        ];
        let replay = replay(&records).unwrap();
        assert_eq!(replay.run, "r1");
        assert!(!replay.finished);
        assert_eq!(
            replay.rollbacks,
            vec![UnfinishedRollback {
                unit: a,
                region: r,
                steps: vec![create, config]
            }]
        );
    }

    #[test]
    fn an_endpoint_move_that_was_refused_or_not_needed_is_not_undone() {
        let (unit, region) = ("eu-west-1/a".to_owned(), "eu-west-1".to_owned());
        let moves: Vec<Step> = ["refused", "already-there", "sent", "in-flight"]
            .iter()
            .map(|e| Step::UpdateEndpoint {
                endpoint: (*e).into(),
                from: "c".into(),
                to: "c-isolated".into(),
            })
            .collect();
        let begin = |step: &Step| Entry::Begin {
            unit: unit.clone(),
            region: region.clone(),
            step: step.clone(),
        };
        let mut entries = vec![Entry::Start {
            run: "r1".into(),
            vigil: "0.2.0".into(),
            request: request(),
        }];
        entries.extend([
            begin(&moves[0]),
            Entry::Failed {
                unit: unit.clone(),
                region: region.clone(),
                step: moves[0].clone(),
                error: "Cannot update in-progress endpoint".into(),
            },
            begin(&moves[1]),
            Entry::Done {
                unit: unit.clone(),
                region: region.clone(),
                step: moves[1].clone(),
            },
            begin(&moves[2]),
            Entry::Sent {
                unit: unit.clone(),
                region: region.clone(),
                step: moves[2].clone(),
            },
            Entry::Done {
                unit: unit.clone(),
                region: region.clone(),
                step: moves[2].clone(),
            },
            begin(&moves[3]),
            Entry::RollbackBegin {
                unit: unit.clone(),
                region: region.clone(),
                reason: "crash".into(),
            },
        ]);
        let records: Vec<Record> = entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| record(i as u64, e))
            .collect();
        let replay = replay(&records).unwrap();
        assert_eq!(replay.rollbacks.len(), 1);
        assert_eq!(replay.rollbacks[0].steps, moves[2..].to_vec());
    }

    #[test]
    fn credentials_in_an_endpoint_url_are_not_kept() {
        assert_eq!(
            without_credentials("https://user:s3cret@proxy.example:8443/path?x=1"),
            "https://proxy.example:8443/path?x=1"
        );
        assert_eq!(without_credentials("http://127.0.0.1:5000"), "http://127.0.0.1:5000");
        assert_eq!(
            without_credentials("http://h/a@b"),
            "http://h/a@b",
            "an @ in the path is no credential"
        );
    }

    #[test]
    fn a_journal_without_a_start_is_not_a_run() {
        assert!(replay(&[record(0, Entry::Finish { ok: true })]).is_none());
    }
}
