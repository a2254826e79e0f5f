//! The remediation journal on disk: one JSON object per line, appended and
//! flushed to the disk (fsync) before the step it records is taken, in
//! `<state dir>/remediation/<run>.jsonl`. A crash can cut only the last line
//! short; reading skips such a line and nothing else.

use anyhow::{bail, Context, Result};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use vigil_core::journal::{Entry, Record};

/// `--state-dir` (or `VIGIL_STATE_DIR`), else `$XDG_STATE_HOME/vigil`,
/// else `~/.local/state/vigil`; journals go in its `remediation` folder.
pub fn folder(state_dir: Option<&Path>) -> Result<PathBuf> {
    let base = match state_dir {
        Some(dir) => dir.to_path_buf(),
        None => match std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
            Some(state) => PathBuf::from(state).join("vigil"),
            None => match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
                Some(home) => PathBuf::from(home).join(".local/state/vigil"),
                None => bail!("no place for the remediation journal: set --state-dir, VIGIL_STATE_DIR or HOME"),
            },
        },
    };
    Ok(base.join("remediation"))
}

/// A new run's id: when it started, and the process, so two runs in the same
/// second do not share a journal. Sorting ids sorts runs by start.
pub fn new_run_id() -> String {
    let now = time::OffsetDateTime::now_utc();
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    format!("{}-{:x}", now.format(&format).unwrap_or_default(), std::process::id())
}

pub struct JournalFile {
    path: PathBuf,
    file: Mutex<(File, u64)>,
}

impl JournalFile {
    /// Creates the journal of a new run; refuses to reuse an existing file.
    pub fn create(folder: &Path, run: &str) -> Result<Self> {
        std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
        let path = folder.join(format!("{run}.jsonl"));
        let file = OpenOptions::new()
            .append(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("creating the journal {}", path.display()))?;
        // The new file's name must survive a crash too: sync the folder.
        File::open(folder)
            .and_then(|dir| dir.sync_all())
            .with_context(|| format!("syncing {}", folder.display()))?;
        Ok(JournalFile {
            path,
            file: Mutex::new((file, 0)),
        })
    }

    /// Reopens a run's journal to append to it; `next` is its next line number.
    pub fn reopen(path: &Path, next: u64) -> Result<Self> {
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .with_context(|| format!("opening the journal {}", path.display()))?;
        Ok(JournalFile {
            path: path.to_path_buf(),
            file: Mutex::new((file, next)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl vigil_aws::remediate::Journal for JournalFile {
    fn record(&self, entry: Entry) -> Result<(), String> {
        let mut guard = self
            .file
            .lock()
            .map_err(|_| "the journal lock is poisoned".to_owned())?;
        let (file, seq) = &mut *guard;
        let record = Record {
            seq: *seq,
            at: crate::commands::timestamp(),
            entry,
        };
        let mut line = serde_json::to_string(&record).map_err(|e| e.to_string())?;
        line.push('\n');
        file.write_all(line.as_bytes())
            .and_then(|_| file.sync_data())
            .map_err(|e| format!("{}: {e}", self.path.display()))?;
        *seq += 1;
        // What is being done, as it is done: a deployment can take minutes.
        if let Some(said) = narrate(&record.entry) {
            eprintln!("vigil: {said}");
        }
        Ok(())
    }
}

/// One line for people per journal entry, on standard error.
fn narrate(entry: &Entry) -> Option<String> {
    Some(match entry {
        Entry::Start { run, .. } => format!("run {run} started"),
        Entry::Resumed => "resumed".to_owned(),
        Entry::Begin { unit, step, .. } => format!("{unit}: {step} ..."),
        Entry::Done { unit, step, .. } => format!("{unit}: {step}: done"),
        Entry::Failed { unit, step, error, .. } => format!("{unit}: {step}: FAILED: {error}"),
        Entry::RollbackBegin { unit, .. } => format!("{unit}: rolling back"),
        Entry::RollbackDone { unit, .. } => format!("{unit}: rolled back"),
        Entry::RollbackFailed { unit, error, .. } => format!("{unit}: ROLLBACK FAILED: {error}"),
        Entry::Finish { .. } => return None,
    })
}

/// Every record of a journal. A last line cut short by a crash is skipped;
/// any other unreadable line is an error naming it.
pub fn read(path: &Path) -> Result<Vec<Record>> {
    let file = File::open(path).with_context(|| format!("opening the journal {}", path.display()))?;
    let lines: Vec<String> = BufReader::new(file)
        .lines()
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("reading {}", path.display()))?;
    let mut records = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match serde_json::from_str::<Record>(line) {
            Ok(record) => records.push(record),
            Err(_) if i + 1 == lines.len() => {}
            Err(err) => bail!("{}:{}: not a journal record: {err}", path.display(), i + 1),
        }
    }
    Ok(records)
}

/// The journal of run `run`, or of the newest run that did not finish.
pub fn find(folder: &Path, run: Option<&str>) -> Result<PathBuf> {
    if let Some(run) = run {
        let path = folder.join(format!("{run}.jsonl"));
        if !path.exists() {
            bail!("no journal for run '{run}' in {}", folder.display());
        }
        return Ok(path);
    }
    let mut journals: Vec<PathBuf> = match std::fs::read_dir(folder) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect(),
        Err(_) => Vec::new(),
    };
    journals.sort();
    for path in journals.into_iter().rev() {
        let unfinished = read(&path)
            .ok()
            .and_then(|records| vigil_core::journal::replay(&records))
            .is_some_and(|replay| !replay.finished);
        if unfinished {
            return Ok(path);
        }
    }
    bail!("no unfinished remediation run in {}", folder.display())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_aws::remediate::Journal;

    #[test]
    fn records_are_appended_in_order_and_a_torn_last_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let journal = JournalFile::create(dir.path(), "r1").unwrap();
        journal.record(Entry::Resumed).unwrap();
        journal.record(Entry::Finish { ok: true }).unwrap();
        assert!(
            JournalFile::create(dir.path(), "r1").is_err(),
            "a run id is never reused"
        );
        let path = journal.path().to_path_buf();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"seq\":2,\"at\":")
            .unwrap();
        let records = read(&path).unwrap();
        assert_eq!(records.iter().map(|r| r.seq).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(records[1].entry, Entry::Finish { ok: true });
    }

    #[test]
    fn a_damaged_line_before_the_last_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        std::fs::write(&path, "garbage\n{\"seq\":0}\n").unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("r.jsonl:1"), "{err}");
    }
}
