//! `--fail-on new` is a gate that holds, checked on random histories: one
//! store, one repository, and random steps (templates added, broken,
//! fixed, deleted and renamed; suppressions added, removed and expired;
//! the branch switched; scans under every spelling of the folder, as gates
//! and retries or as recording runs, against any branch or `main`). After
//! every scan the store's open findings and the exit code must be what a
//! model of the rules says:
//! - a failure is open while the last scan saw it failing (suppressed or
//!   not); a template deleted or renamed resolves its failures;
//! - a run that is not a gate accepts, on its branch, exactly the
//!   unsuppressed failures it saw; a gate accepts nothing;
//! - a gate exits 1 when a failure is unsuppressed and no accepted failure
//!   of its baseline (any branch, or `main`) holds it: so a retry fails
//!   again, and a suppression removed or expired makes its failure new.

mod support;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use support::vigil_command;

const RULE: &str = "sagemaker-model-network-isolation";

/// A reproducible stream of choices per seed.
type Dice = fastrand::Rng;

/// What the repository holds, and what the store should believe.
#[derive(Default)]
struct Model {
    /// Template file → its models (logical id → isolated).
    files: BTreeMap<String, BTreeMap<String, bool>>,
    /// Logical id → whether its suppression has expired.
    suppressed: BTreeMap<String, bool>,
    branch: String,
    /// What each branch's recording runs accept: (file, logical id).
    accepted: BTreeMap<String, BTreeSet<(String, String)>>,
    /// What the last scan saw failing: the open set.
    open: BTreeSet<(String, String)>,
}

impl Model {
    fn failing(&self) -> BTreeSet<(String, String)> {
        let mut failing = BTreeSet::new();
        for (file, models) in &self.files {
            for (id, isolated) in models {
                if !isolated {
                    failing.insert((file.clone(), id.clone()));
                }
            }
        }
        failing
    }

    fn unsuppressed(&self, failing: &BTreeSet<(String, String)>) -> BTreeSet<(String, String)> {
        failing
            .iter()
            .filter(|(_, id)| self.suppressed.get(id).is_none_or(|expired| *expired))
            .cloned()
            .collect()
    }

    fn write(&self, repo: &Path) {
        let stacks = repo.join("stacks");
        let _ = std::fs::remove_dir_all(&stacks);
        std::fs::create_dir_all(&stacks).unwrap();
        for (file, models) in &self.files {
            let mut text = String::from("Resources:\n");
            for (id, isolated) in models {
                text.push_str(&format!(
                    "  {id}:\n    Type: AWS::SageMaker::Model\n    Properties:\n      EnableNetworkIsolation: {isolated}\n"
                ));
            }
            std::fs::write(stacks.join(file), text).unwrap();
        }
        let mut config = String::new();
        for (id, expired) in &self.suppressed {
            let expires = if *expired { "2000-01-01" } else { "2999-01-01" };
            config.push_str(&format!(
                "[[suppress]]\nrule = \"{RULE}\"\nresources = [\"{id}\"]\nreason = \"accepted risk\"\nexpires = \"{expires}\"\n"
            ));
        }
        std::fs::write(repo.join("vigil.toml"), config).unwrap();
        std::fs::write(repo.join(".git/HEAD"), format!("ref: refs/heads/{}\n", self.branch)).unwrap();
    }
}

/// One random change to the repository or its suppressions.
fn change(model: &mut Model, dice: &mut Dice, counter: &mut usize) {
    let files: Vec<String> = model.files.keys().cloned().collect();
    let ids: Vec<String> = model.files.values().flat_map(|m| m.keys().cloned()).collect();
    *counter += 1;
    match dice.usize(..8) {
        0 | 1 => {
            let file = format!("t{counter}.yaml");
            let models = (0..1 + dice.usize(..2))
                .map(|i| (format!("M{counter}x{i}"), dice.usize(..2) == 0))
                .collect();
            model.files.insert(file, models);
        }
        2 | 3 if !ids.is_empty() => {
            let id = &ids[dice.usize(..ids.len())];
            for models in model.files.values_mut() {
                if let Some(isolated) = models.get_mut(id) {
                    *isolated = !*isolated;
                }
            }
        }
        4 if !files.is_empty() => {
            model.files.remove(&files[dice.usize(..files.len())]);
        }
        5 if !files.is_empty() => {
            let models = model.files.remove(&files[dice.usize(..files.len())]).unwrap();
            model.files.insert(format!("renamed{counter}.yaml"), models);
        }
        6 if !ids.is_empty() => {
            let id = ids[dice.usize(..ids.len())].clone();
            match model.suppressed.get(&id).copied() {
                None => {
                    model.suppressed.insert(id, false);
                }
                Some(false) => {
                    model.suppressed.insert(id, true);
                }
                Some(true) => {
                    model.suppressed.remove(&id);
                }
            }
        }
        _ => model.branch = ["main", "feature"][dice.usize(..2)].into(),
    }
}

/// A scan, gated or not, against a baseline; checks its exit code and the
/// store's open set against the model, and updates the model.
fn scan_and_check(repo: &Path, store: &str, model: &mut Model, dice: &mut Dice, step: &str) {
    let spellings = [
        ".".to_owned(),
        "./stacks".into(),
        "stacks/".into(),
        repo.join("stacks").display().to_string(),
    ];
    let spelling = &spellings[dice.usize(..spellings.len())];
    let gated = dice.usize(..2) == 0;
    let baseline = (dice.usize(..3) == 0).then_some("main");
    let mut args = vec![
        "scan",
        spelling.as_str(),
        "--rules",
        RULE,
        "--store",
        store,
        "--format",
        "json",
    ];
    if gated {
        args.extend(["--fail-on", "new"]);
    }
    if let Some(branch) = baseline {
        args.extend(["--baseline", branch]);
    }
    let failing = model.failing();
    let unsuppressed = model.unsuppressed(&failing);
    let accepted: BTreeSet<(String, String)> = match baseline {
        Some(branch) => model.accepted.get(branch).cloned().unwrap_or_default(),
        None => model.accepted.values().flatten().cloned().collect(),
    };
    let new: BTreeSet<_> = unsuppressed.difference(&accepted).cloned().collect();
    let expected = if gated {
        !new.is_empty()
    } else {
        !unsuppressed.is_empty()
    };
    for attempt in 0..if gated { 2 } else { 1 } {
        let mut command = vigil_command(&args);
        command.env_remove("VIGIL_NO_STORE").current_dir(repo);
        let out = command.output().unwrap();
        let report: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{step}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        assert!(
            report["errors"].as_array().unwrap().is_empty(),
            "{step}: {:#}",
            report["errors"]
        );
        let code = out.status.code().unwrap();
        assert_eq!(
            code,
            i32::from(expected),
            "{step} ({args:?}, attempt {attempt}): new {new:?}, accepted {accepted:?}"
        );
    }
    if !gated {
        model.accepted.insert(model.branch.clone(), unsuppressed);
    }
    model.open = failing;
    let mut command = vigil_command(&["findings", "--store", store, "--state", "open", "--format", "json"]);
    command.env_remove("VIGIL_NO_STORE");
    let listed: Value = serde_json::from_slice(&command.output().unwrap().stdout).unwrap();
    let open: BTreeSet<(String, String)> = listed["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["resource"]["file"].as_str().unwrap();
            let name = file.rsplit('/').next().unwrap().to_owned();
            (name, f["resource"]["name"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(open, model.open, "{step}: the open set");
}

#[test]
fn the_gate_and_the_open_set_follow_the_rules_on_random_histories() {
    for seed in 1..=6u64 {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::write(
            repo.join(".git/config"),
            "[remote \"origin\"]\n\turl = git@example.com:acme/ml.git\n",
        )
        .unwrap();
        let store = format!("sqlite://{}", dir.path().join("f.db").display());
        let mut dice = Dice::with_seed(seed);
        let mut model = Model {
            branch: "main".into(),
            ..Model::default()
        };
        let mut counter = 0;
        for step in 0..24 {
            for _ in 0..1 + dice.usize(..2) {
                change(&mut model, &mut dice, &mut counter);
            }
            model.write(&repo);
            scan_and_check(
                &repo,
                &store,
                &mut model,
                &mut dice,
                &format!("seed {seed}, step {step}"),
            );
        }
    }
}
