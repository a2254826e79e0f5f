//! Recording an audit or a scan in the findings store, and giving each
//! finding its history. A store that cannot be opened or written never
//! costs the report: the run is reported with an error saying it was not
//! recorded (and, with `--fail-on new`, every failure counts as new).

use crate::cli::{FailOn, StoreArgs, StoreLocation};
use crate::config::Config;
use crate::repo::Namer;
use std::hash::{BuildHasher, Hasher};
use vigil_core::report::{Recorded, ResolvedFinding};
use vigil_core::{ErrorScope, Finding, RunError};
use vigil_store::{Baseline, Lineage, Place, RunQuery, RunRecord, Store, StoreUrl};

/// The store the user chose: `--store`/`VIGIL_STORE`, else vigil.toml's,
/// else the default SQLite file (`None` when there is no home to keep it in).
pub fn url(location: &StoreLocation, config: &Config) -> Result<Option<StoreUrl>, String> {
    match location.store.as_deref().or(config.store.as_deref()) {
        Some(text) => StoreUrl::parse(text).map(Some),
        None => Ok(vigil_store::default_sqlite_path().map(StoreUrl::Sqlite)),
    }
}

/// How long the store may take: the flags, else vigil.toml, else the defaults.
pub fn limits(location: &StoreLocation, config: &Config) -> vigil_store::Limits {
    let default = vigil_store::Limits::default();
    vigil_store::Limits {
        statement: location
            .store_statement_timeout
            .or(config.store_statement_timeout)
            .unwrap_or(default.statement),
        lock: location
            .store_lock_timeout
            .or(config.store_lock_timeout)
            .unwrap_or(default.lock),
        ..default
    }
}

/// Refuses combinations that cannot work, before the run starts.
pub fn check(args: &StoreArgs, config: &Config) -> Result<(), String> {
    if args.fail_on == FailOn::New && args.no_store {
        return Err("--fail-on new compares with the findings store: drop --no-store".into());
    }
    url(&args.location, config).map(|_| ())
}

/// The places an audit read completely: each region of each account
/// entered that no error names (an error that names no region spoils the
/// whole account; one that names no account, every account).
pub fn live_places(accounts: &[vigil_core::report::AccountRun], errors: &[RunError]) -> Vec<Place> {
    let spoils = |e: &RunError, account: &str, region: &str| {
        e.account.as_deref().is_none_or(|a| a == account) && e.region.as_deref().is_none_or(|r| r == region)
    };
    accounts
        .iter()
        .flat_map(|a| a.regions.iter().map(move |r| (a.id.as_str(), r.as_str())))
        .filter(|(account, region)| !errors.iter().any(|e| spoils(e, account, region)))
        .map(|(account, region)| Place::Region {
            account: account.to_owned(),
            region: region.to_owned(),
        })
        .collect()
}

/// The places a scan read, as the store names them: each folder it walked
/// whole (what is gone from it is resolved), each template it read, and
/// each file it could not read (nothing in it is resolved).
pub fn template_places<'a>(
    namer: &mut Namer,
    scanned: &[std::path::PathBuf],
    files: impl Iterator<Item = &'a String>,
    errors: &[RunError],
) -> Vec<Place> {
    let unread: Vec<&String> = errors
        .iter()
        .filter(|e| e.scope == ErrorScope::File)
        .filter_map(|e| e.file.as_ref())
        .collect();
    let folders = scanned
        .iter()
        .filter(|p| p.is_dir())
        .map(|p| Place::Folder(namer.folder(p)));
    let mut places: Vec<Place> = folders.collect();
    places.extend(unread.iter().map(|f| Place::Unread(namer.file(f))));
    places.extend(
        files
            .filter(|f| !unread.contains(f))
            .map(|f| Place::File(namer.file(f))),
    );
    places
}

/// How the run takes part in the gate: the branch it is recorded on (the
/// flag, else the scanned checkout's), whether it accepts what it sees
/// (every run but a `--fail-on new` gate), and what it compares with.
pub fn lineage(args: &StoreArgs, checkout: Option<(Option<String>, Option<String>)>) -> Lineage {
    let (found, revision) = checkout.unwrap_or_default();
    Lineage {
        branch: args.branch.clone().or(found).unwrap_or_default(),
        revision,
        accepts: args.fail_on != FailOn::New,
        baseline: match args.baseline.as_deref() {
            None => Baseline::Any,
            Some(reference) if is_run_id(reference) => Baseline::Run(reference.to_owned()),
            Some(branch) => Baseline::Branch(branch.to_owned()),
        },
    }
}

/// `20261127T140412Z-3f9a1c2e`, as `run_id` makes them.
fn is_run_id(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 25
        && b[..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'T'
        && b[9..15].iter().all(u8::is_ascii_digit)
        && &b[15..17] == b"Z-"
        && b[17..].iter().all(|c| c.is_ascii_hexdigit())
}

/// What the run is, for the store.
pub struct Run<'a> {
    pub command: &'a str,
    pub started_at: &'a str,
    pub finished_at: &'a str,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub rules: Vec<String>,
    pub errors: usize,
    pub read: Vec<Place>,
    /// Read the open-failure trend of earlier runs (the HTML report draws it).
    pub trend: bool,
    /// How the store names template files (scans only).
    pub namer: Option<Namer>,
    pub lineage: Lineage,
}

/// A store opened for recording, and how reports name it.
pub struct Opened {
    store: Store,
    shown: String,
}

/// The report's error for a run the store did not take.
pub fn not_recorded(why: String) -> RunError {
    let message = format!("the run was not recorded in the findings store: {why}");
    RunError::in_region(ErrorScope::Store, None, None, message)
}

/// Opens the store the user chose; `None` when recording is off or there
/// is nowhere to keep it (said in a note); `Err` says why it could not be.
pub fn open(args: &StoreArgs, config: &Config, notes: &mut Vec<String>) -> Result<Option<Opened>, String> {
    if args.no_store {
        return Ok(None);
    }
    let url = match url(&args.location, config) {
        Ok(Some(url)) => url,
        Ok(None) => {
            notes.push("the run was not recorded: no --store, VIGIL_STORE or home folder to keep it in".into());
            return Ok(None);
        }
        Err(why) => return Err(why),
    };
    match Store::open_within(&url, limits(&args.location, config)) {
        Ok(store) => Ok(Some(Opened {
            store,
            shown: url.shown(),
        })),
        Err(why) => Err(format!("{}: {why}", url.shown())),
    }
}

/// Records a run whose findings are spilled (a scan's, an audit's): the
/// store takes them a batch at a time as they are read back, and marks each
/// with its history as it is written anew, so only one batch is held. `run`
/// is made from the run's errors, once the store is open. A spill that
/// fails on the way records nothing (the unseen would be taken for gone).
pub fn record_spilled<'a>(
    args: &StoreArgs,
    config: &Config,
    run: impl FnOnce(&[RunError]) -> Run<'a>,
    spill: &mut vigil_iac::Spill,
    notes: &mut Vec<String>,
    errors: &mut Vec<RunError>,
) -> Option<Recorded> {
    match open(args, config, notes) {
        Ok(Some(mut opened)) => {
            let (recorded, store_error) = record_batches(&mut opened, run(errors), |add| {
                spill.update_batches(vigil_store::BATCH, add);
                spill.failure().map_or(Ok(()), |why| Err(why.to_owned()))
            });
            if store_error.is_some() {
                spill.update(|f| f.history = None);
            }
            errors.extend(store_error);
            recorded
        }
        Ok(None) => None,
        Err(why) => {
            errors.push(not_recorded(why));
            None
        }
    }
}

/// Records a run whose findings are at hand into a store already open
/// (`vigil watch` keeps one for all its events instead of opening one per
/// event), and marks each finding with its history.
pub fn record_in(opened: &mut Opened, run: Run, findings: &mut [Finding]) -> (Option<Recorded>, Option<RunError>) {
    let (recorded, error) = record_batches(opened, run, |add| {
        findings.chunks_mut(vigil_store::BATCH).for_each(add);
        Ok(())
    });
    if error.is_some() {
        findings.iter_mut().for_each(|f| f.history = None);
    }
    (recorded, error)
}

/// Records a run whose findings `feed` hands over a batch at a time (each
/// batch comes back marked with its history); `feed` fails when it could
/// not hand over all of them. On an error nothing of the run is kept, and
/// the histories already marked must be cleared: the caller's findings are
/// its own.
pub fn record_batches(
    opened: &mut Opened,
    run: Run,
    feed: impl FnOnce(&mut dyn FnMut(&mut [Finding])) -> Result<(), String>,
) -> (Option<Recorded>, Option<RunError>) {
    let Opened { store, shown } = opened;
    let want_trend = run.trend;
    let mut namer = run.namer;
    let record = RunRecord {
        id: run_id(run.finished_at),
        command: run.command.into(),
        started_at: run.started_at.into(),
        finished_at: run.finished_at.into(),
        accounts: run.accounts,
        regions: run.regions,
        rules: run.rules,
        counts: Default::default(),
        errors: run.errors,
        read: run.read,
        lineage: run.lineage,
    };
    let (command, accounts) = (record.command.clone(), record.accounts.clone());
    let mut failure = None;
    let finished = match store.begin(record) {
        Ok(mut recording) => {
            let fed = feed(&mut |batch| {
                if failure.is_none() {
                    let added = match &mut namer {
                        Some(namer) => recording.add_named(batch, &mut |file| namer.file(file)),
                        None => recording.add(batch),
                    };
                    if let Err(why) = added {
                        failure = Some(why.to_string());
                    }
                }
            });
            match failure.or(fed.err()) {
                Some(why) => Err(why),
                None => recording.finish().map_err(|e| e.to_string()),
            }
        }
        Err(why) => Err(why.to_string()),
    };
    let recorded = match finished {
        Ok(recorded) => recorded,
        Err(why) => return (None, Some(not_recorded(format!("{shown}: {why}")))),
    };
    let resolved_total = recorded.resolved_total;
    let resolved = recorded
        .resolved
        .into_iter()
        .map(|f| ResolvedFinding {
            rule: f.rule,
            resolution: f.resolution.unwrap_or_default(),
            first_seen: f.first_seen,
            resource: f.resource,
        })
        .collect();
    // The trend is a nicety, read only for the report that draws it: a
    // store that cannot list its runs loses it only.
    let mut trend: Vec<(String, i64)> = Vec::new();
    if want_trend {
        let query = RunQuery {
            command: Some(command),
            accounts: Some(accounts),
            limit: Some(50),
        };
        let _ = store.runs(&query, &mut |r| {
            trend.push((r.finished_at, r.fail));
            Ok(())
        });
    }
    trend.reverse();
    let report = Recorded {
        run: recorded.run,
        store: shown.clone(),
        resolved,
        resolved_total,
        trend,
    };
    (Some(report), None)
}

/// The store's trend of open failures, when the run was recorded.
pub fn trend(report: &vigil_core::Report) -> &[(String, i64)] {
    report.recorded.as_ref().map_or(&[], |r| r.trend.as_slice())
}

/// `20261127T140412Z-3f9a1c2e`: sortable, and unique across machines.
fn run_id(finished_at: &str) -> String {
    let compact: String = finished_at
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(15)
        .collect();
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{compact}Z-{:08x}", hasher.finish() as u32)
}
