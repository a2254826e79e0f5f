//! The remediation journal on disk: one JSON object per line, appended and
//! flushed to the disk (fsync) before the step it records is taken, in
//! `<state dir>/remediation/<run>.jsonl`. A crash can cut only the last line
//! short; reading skips such a line and nothing else, and a resumed run cuts
//! it off before it appends. The folder is private (0700), each journal 0600,
//! and one lock in the folder keeps two runs from applying at once.

use anyhow::{bail, Context, Result};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
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

/// Creates `folder` (and its parents) private to the user, and makes an
/// existing one private too: journals name accounts, models and endpoints.
fn private_folder(folder: &Path) -> Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(folder)
        .with_context(|| format!("creating {}", folder.display()))?;
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("making {} private", folder.display()))
}

/// Held while a run applies changes: at most one `--apply` or `--resume` per
/// state folder at a time. Released when dropped (or when the process dies).
pub struct Lock {
    _file: File,
}

/// Takes the state folder's lock, or says who holds it.
pub fn lock(folder: &Path) -> Result<Lock> {
    private_folder(folder)?;
    let path = folder.join(".lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("opening the lock {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = (&file).read_to_string(&mut holder);
            bail!(
                "another remediation is applying changes from {} ({}); wait for it to finish, then run again (nothing was changed)",
                folder.display(),
                Some(holder.trim()).filter(|h| !h.is_empty()).unwrap_or("holder unknown")
            );
        }
        Err(std::fs::TryLockError::Error(err)) => {
            return Err(err).with_context(|| format!("locking {}", path.display()));
        }
    }
    // Who holds it, for the message another run prints.
    let mut file = file;
    let _ = file.set_len(0);
    let _ = write!(file, "process {}", std::process::id());
    let _ = file.flush();
    Ok(Lock { _file: file })
}

pub struct JournalFile {
    path: PathBuf,
    file: Mutex<(File, u64)>,
}

impl JournalFile {
    /// Creates the journal of a new run; refuses to reuse an existing file.
    pub fn create(folder: &Path, run: &str) -> Result<Self> {
        private_folder(folder)?;
        let path = folder.join(format!("{run}.jsonl"));
        let file = OpenOptions::new()
            .append(true)
            .create_new(true)
            .mode(0o600)
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

    /// Reopens a run's journal to append to it; `next` is its next line
    /// number. A last line cut short by a crash is cut off first: appended
    /// to, it would become a damaged line in the middle of the file.
    pub fn reopen(path: &Path, next: u64) -> Result<Self> {
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
            .with_context(|| format!("opening the journal {}", path.display()))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .with_context(|| format!("reading {}", path.display()))?;
        if bytes.last().is_some_and(|b| *b != b'\n') {
            let whole = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            file.set_len(whole as u64)
                .and_then(|_| file.sync_data())
                .with_context(|| format!("cutting the torn last line of {}", path.display()))?;
            file.seek(SeekFrom::End(0))?;
        }
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
            at: crate::clock::timestamp(),
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
            eprintln!("vigil: {}", vigil_report::safe(&said));
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
        Entry::Sent { .. } | Entry::Finish { .. } => return None,
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
    fn a_resumed_run_cuts_a_torn_tail_before_appending_so_it_stays_resumable() {
        let dir = tempfile::tempdir().unwrap();
        let journal = JournalFile::create(dir.path(), "r1").unwrap();
        journal.record(Entry::Resumed).unwrap();
        let path = journal.path().to_path_buf();
        drop(journal);
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"seq\":1,\"at\":\"2026")
            .unwrap();
        let reopened = JournalFile::reopen(&path, 1).unwrap();
        reopened.record(Entry::Resumed).unwrap();
        let records = read(&path).expect("no damaged line in the middle");
        assert_eq!(records.iter().map(|r| r.seq).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn journals_are_private_and_one_run_at_a_time_holds_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("state/remediation");
        let held = lock(&folder).unwrap();
        let err = lock(&folder).err().expect("a second lock is refused").to_string();
        assert!(
            err.contains("another remediation is applying changes") && err.contains("process "),
            "{err}"
        );
        drop(held);
        lock(&folder).expect("free again once released");
        let journal = JournalFile::create(&folder, "r1").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(journal.path()), 0o600);
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
