//! The property tests that hold each back end's SQL to the specification
//! (`transition::apply`, `StoredFinding::matches`): random histories of runs
//! over a few rules, regions and files, each run reading some places, seeing
//! some findings in random batches; after every run the store must hold, and
//! have told the run, exactly what the specification says.

use crate::row::{Place, RunRecord, StoredFinding, StoredResource};
use crate::transition::{apply, gate, Accepted, State};
use crate::{Baseline, Lineage};
use crate::{Query, Store, StoreUrl};
use std::collections::{BTreeMap, HashMap};

/// What the shared PostgreSQL test bed asks of its parent module.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[path = "../../vigil/tests/support/postgres.rs"]
#[allow(dead_code)]
mod server;

/// A reproducible stream of choices per seed.
type Dice = fastrand::Rng;

/// True `percent` times in a hundred.
fn chance(dice: &mut Dice, percent: usize) -> bool {
    dice.usize(..100) < percent
}

const RULES: &[&str] = &["r1", "r2"];
const NAMES: &[&str] = &["m0", "m1", "m2"];

fn places() -> Vec<Place> {
    let region = |r: &str| Place::Region {
        account: "1".into(),
        region: r.into(),
    };
    vec![
        region("eu"),
        region("us"),
        Place::File("x/a.yaml".into()),
        Place::File("x/b.yaml".into()),
        Place::File("y/c.yaml".into()),
    ]
}

/// What a run read: some places, and maybe a folder walked whole, with
/// maybe a file in it that could not be read.
fn random_reads(dice: &mut Dice) -> Vec<Place> {
    let mut read: Vec<Place> = places().into_iter().filter(|_| chance(dice, 60)).collect();
    if chance(dice, 40) {
        read.push(Place::Folder(["x/", "y/", ""][dice.usize(..3)].into()));
    }
    if chance(dice, 30) {
        read.push(Place::Unread(["x/a.yaml", "x/b.yaml"][dice.usize(..2)].into()));
    }
    read
}

/// A branch, a gate or not, and a baseline: any branch, one, or an
/// earlier run (maybe one that does not exist).
fn random_lineage(dice: &mut Dice, n: usize) -> Lineage {
    let branches = ["", "main", "dev"];
    Lineage {
        branch: branches[dice.usize(..3)].into(),
        revision: chance(dice, 50).then(|| format!("c0ffee{n}")),
        accepts: chance(dice, 60),
        baseline: match dice.usize(..4) {
            0 => Baseline::Any,
            1 | 2 => Baseline::Branch(branches[dice.usize(..3)].into()),
            _ => Baseline::Run(format!("run{}", dice.usize(..n + 1))),
        },
    }
}

fn random_run(dice: &mut Dice, n: usize) -> RunRecord {
    let mut rules: Vec<String> = RULES
        .iter()
        .filter(|_| chance(dice, 70))
        .map(|r| r.to_string())
        .collect();
    if rules.is_empty() {
        rules.push(RULES[dice.usize(..RULES.len())].into());
    }
    let at = format!("2026-01-{:02}T00:00:00.000Z", n + 1);
    RunRecord {
        id: format!("run{n}"),
        command: "audit".into(),
        started_at: at.clone(),
        finished_at: at,
        accounts: vec!["1".into()],
        regions: Vec::new(),
        rules,
        counts: Default::default(),
        errors: 0,
        read: random_reads(dice),
        lineage: random_lineage(dice, n),
    }
}

/// Findings of the run's rules, anywhere (a place not read completely may
/// still have given some), each key once.
fn random_seen(dice: &mut Dice, run: &RunRecord) -> Vec<StoredFinding> {
    let mut seen = Vec::new();
    for rule in &run.rules {
        for place in places() {
            for name in NAMES {
                if !chance(dice, 60) {
                    continue;
                }
                let (status, reason) = match dice.usize(..3) {
                    0 => ("pass", None),
                    1 => ("fail", None),
                    _ => ("unknown", Some("AccessDenied".to_owned())),
                };
                let (key, resource) = match &place {
                    Place::Region { account, region } => (
                        format!("{rule}|{region}|{name}"),
                        StoredResource {
                            kind: "AWS::SageMaker::Model".into(),
                            name: name.to_string(),
                            account: Some(account.clone()),
                            region: Some(region.clone()),
                            ..Default::default()
                        },
                    ),
                    Place::File(file) => (
                        format!("{rule}|{file}|{name}"),
                        StoredResource {
                            kind: "AWS::SageMaker::Model".into(),
                            name: name.to_string(),
                            file: Some(file.clone()),
                            line: Some(1 + dice.usize(..9) as i64),
                            ..Default::default()
                        },
                    ),
                    Place::Folder(_) | Place::Unread(_) => unreachable!("places() lists files and regions"),
                };
                seen.push(StoredFinding {
                    key,
                    rule: rule.clone(),
                    title: "t".into(),
                    risk: "Medium".into(),
                    status: status.into(),
                    reason,
                    message: format!("said in {}", run.id),
                    state: State::Unknown,
                    first_seen: run.finished_at.clone(),
                    last_seen: run.finished_at.clone(),
                    resolved_at: None,
                    resolution: None,
                    suppressed: chance(dice, 10),
                    suppression_reason: None,
                    resource,
                    last_run: run.id.clone(),
                });
            }
        }
    }
    seen
}

fn everything(store: &mut Store) -> BTreeMap<String, StoredFinding> {
    let mut all = BTreeMap::new();
    store
        .findings(&Query::default(), &mut |f| {
            all.insert(f.key.clone(), f);
            Ok(())
        })
        .unwrap();
    all
}

fn stored_acceptance(store: &mut Store) -> Accepted {
    let mut accepted = Accepted::new();
    store
        .with(|sql| {
            sql.select("SELECT baseline, key, since FROM accepted", &[], &mut |c| {
                accepted.insert((c.text(0)?, c.text(1)?), c.text(2)?);
                Ok(())
            })
        })
        .unwrap();
    accepted
}

fn random_query(dice: &mut Dice) -> Query {
    let pick = |dice: &mut Dice, options: &[&str]| {
        let i = dice.usize(..options.len() + 1);
        options.get(i).map(|o| o.to_string())
    };
    Query {
        state: [State::Open, State::Resolved, State::Passing, State::Unknown]
            .get(dice.usize(..5))
            .copied(),
        rule: pick(dice, RULES),
        account: pick(dice, &["1", "2"]),
        region: pick(dice, &["eu", "us"]),
        since: pick(dice, &["2026-01-03T00:00:00.000Z", "2026-01-06T00:00:00.000Z"]),
        limit: chance(dice, 30).then(|| dice.usize(..5) as u64),
        offset: if chance(dice, 30) { dice.usize(..4) as u64 } else { 0 },
    }
}

/// Many random histories on the store at `url`, each on a fresh store.
fn holds_to_the_specification(url: impl Fn(u64) -> StoreUrl, histories: u64) {
    for seed in 1..=histories {
        let mut dice = Dice::with_seed(seed);
        let mut store = Store::open(&url(seed)).unwrap();
        let mut model: HashMap<String, StoredFinding> = HashMap::new();
        let mut accepted = Accepted::new();
        // Each recorded run's branch and time, for baselines that name a run.
        let mut runs: HashMap<String, (String, String)> = HashMap::new();
        for n in 0..8 {
            let run = random_run(&mut dice, n);
            let seen = random_seen(&mut dice, &run);
            let baseline = match &run.lineage.baseline {
                Baseline::Any => Some(("*".to_owned(), "9999".to_owned())),
                Baseline::Branch(branch) => Some((branch.clone(), "9999".to_owned())),
                Baseline::Run(id) => runs.get(id).cloned(),
            };
            let Some((branch, until)) = baseline else {
                // A baseline run the store does not have: the recording is
                // refused, and nothing of it is kept.
                let refused = store
                    .begin(run.clone())
                    .err()
                    .expect("an unknown baseline run is refused");
                assert!(refused.to_string().contains("no such run"), "{refused}");
                continue;
            };
            let (rows, expected) = apply(&run, &model, seen.clone());
            // What the run resolved without seeing it: gone from where it was.
            let gone: Vec<String> = rows
                .iter()
                .filter(|r| !seen.iter().any(|f| f.key == r.key))
                .map(|r| r.key.clone())
                .collect();
            for row in rows {
                model.insert(row.key.clone(), row);
            }
            let mut expected_new = gate(&run, &mut accepted, (&branch, &until), &seen, &gone);
            expected_new.sort();
            runs.insert(run.id.clone(), (run.lineage.branch.clone(), run.finished_at.clone()));

            let mut recording = store.begin(run.clone()).unwrap();
            let mut learned = HashMap::new();
            let mut rest = seen.as_slice();
            while !rest.is_empty() {
                let (batch, after) = rest.split_at(1 + dice.usize(..rest.len()));
                learned.extend(recording.add_rows(batch.to_vec()).unwrap());
                rest = after;
            }
            let recorded = recording.finish().unwrap();

            let context = format!("seed {seed}, run {n}");
            let states: HashMap<String, (State, String)> = learned
                .iter()
                .map(|(k, h)| (k.clone(), (State::parse(&h.state).unwrap(), h.first_seen.clone())))
                .collect();
            assert_eq!(states, expected.states, "{context}: the histories the run was told");
            let mut new: Vec<String> = learned.iter().filter(|(_, h)| h.new).map(|(k, _)| k.clone()).collect();
            new.sort();
            assert_eq!(new, expected_new, "{context}: new to the gate");
            assert_eq!(recorded.opened, expected.opened.len(), "{context}: opened count");
            assert_eq!(stored_acceptance(&mut store), accepted, "{context}: what is accepted");
            let resolved = |list: &[StoredFinding]| {
                let mut keys: Vec<(String, Option<String>, Option<String>)> = list
                    .iter()
                    .map(|f| (f.key.clone(), f.resolution.clone(), f.resolved_at.clone()))
                    .collect();
                keys.sort();
                keys
            };
            assert_eq!(
                resolved(&recorded.resolved),
                resolved(&expected.resolved),
                "{context}: resolved"
            );
            let stored = everything(&mut store);
            let wanted: BTreeMap<String, StoredFinding> = model.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            assert_eq!(stored, wanted, "{context}: the stored findings");

            for _ in 0..4 {
                let query = random_query(&mut dice);
                let mut got = Vec::new();
                store
                    .findings(&query, &mut |f| {
                        got.push(f.key);
                        Ok(())
                    })
                    .unwrap();
                let mut all: Vec<&StoredFinding> = model.values().filter(|f| f.matches(&query)).collect();
                all.sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then_with(|| a.key.cmp(&b.key)));
                assert_eq!(store.count(&query).unwrap(), all.len() as u64, "{context}: {query:?}");
                let want: Vec<String> = all
                    .into_iter()
                    .skip(query.offset as usize)
                    .take(query.limit.map_or(usize::MAX, |l| l as usize))
                    .map(|f| f.key.clone())
                    .collect();
                assert_eq!(got, want, "{context}: {query:?}");
            }
        }
    }
}

#[test]
fn sqlite_takes_the_specified_transitions() {
    let dir = tempfile::tempdir().unwrap();
    holds_to_the_specification(|seed| StoreUrl::Sqlite(dir.path().join(format!("{seed}.db"))), 150);
}

#[test]
fn postgres_takes_the_specified_transitions() {
    let server = server::Postgres::start();
    let admin = server.url.clone();
    let url = |seed: u64| {
        server.psql("postgres", &format!("CREATE DATABASE history{seed}"));
        StoreUrl::Postgres(admin.replace("/postgres", &format!("/history{seed}")))
    };
    holds_to_the_specification(url, 40);
}

#[test]
fn a_recording_dropped_before_it_finishes_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&StoreUrl::Sqlite(dir.path().join("f.db"))).unwrap();
    let mut dice = Dice::with_seed(7);
    let mut first = random_run(&mut dice, 0);
    // The runs' baselines are branches: a run named as a baseline must
    // exist, which is not what this test is about.
    first.lineage.baseline = Baseline::Branch("main".into());
    let mut recording = store.begin(first.clone()).unwrap();
    recording.add_rows(random_seen(&mut dice, &first)).unwrap();
    recording.finish().unwrap();
    let before = everything(&mut store);
    let mut second = random_run(&mut dice, 1);
    second.lineage.baseline = Baseline::Branch("main".into());
    let mut recording = store.begin(second.clone()).unwrap();
    recording.add_rows(random_seen(&mut dice, &second)).unwrap();
    drop(recording);
    assert_eq!(everything(&mut store), before);
    let mut runs = Vec::new();
    store
        .runs(&Default::default(), &mut |r| {
            runs.push(r.id);
            Ok(())
        })
        .unwrap();
    assert_eq!(runs, ["run0"]);
}
