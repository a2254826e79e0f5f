//! Where a scan puts its findings as each file is judged: an unnamed
//! temporary file, with only a small index in memory (file number, line,
//! offset) and the numbered files, so a scan of 100,000 templates holds
//! little more than one of 2,000. Reports read the findings back in order,
//! one at a time.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::sync::{Arc, Mutex};
mod codec;
mod files;
pub(crate) use files::Files;

use vigil_core::{Finding, Findings, Spilled};

/// The findings of a scan so far: in a temporary file, or in memory when
/// none could be made or written (a read-only or full `$TMPDIR`), which
/// only costs memory.
pub struct Spill {
    kept: Kept,
    /// The files of the scan: its work list names them by number, and the
    /// index places findings by number.
    files: Files,
    /// Why findings already spilled could not be read back: the scan's
    /// findings are then incomplete, and the command must say so.
    failure: Option<String>,
}

enum Kept {
    Held(Vec<Finding>),
    File(FileSpill),
}

#[derive(Debug)]
pub struct FileSpill {
    file: File,
    /// Bytes written so far, in the file or still in `pending`.
    written: u64,
    /// What is not in the file yet: written in large blocks, since a
    /// system call per finding costs more than the finding.
    pending: Vec<u8>,
    index: Vec<Entry>,
    /// The `&'static str`s findings point at (titles, resource types),
    /// written as their place in this list.
    statics: Vec<&'static str>,
    /// Why reading back stopped short, if it did.
    failure: Mutex<Option<String>>,
}

/// Where one finding sits. Ordered by file, line, then offset: each
/// batch is written already sorted (logical id, rule), and a file's
/// findings come in one batch, so this is the order of a full sort. The
/// finding's length is in the file, before its bytes, not here: the index
/// is the one part of a spill held in memory, 16 bytes a finding.
#[derive(Debug)]
struct Entry {
    /// Its file's number in the spill's `Files`.
    file: u32,
    line: u32,
    offset: u64,
}

/// The length written before each finding's bytes.
const LENGTH: usize = std::mem::size_of::<u32>();

/// How a batch's findings get their files' numbers.
#[derive(Clone, Copy)]
enum Numbers<'a> {
    /// Looked up by name, first among the files the work read.
    Read(&'a [u32]),
    /// Given, one per finding (findings rewritten keep theirs).
    Each(&'a [u32]),
}

/// Findings changed (suppressions marked) are written back this many at a time.
const REWRITE_BATCH: usize = 256;
/// Bytes gathered before they go to the file, and read back at once.
const BLOCK: usize = 256 * 1024;

impl Spill {
    /// In a temporary file, or held when none can be made.
    pub fn in_file() -> Self {
        match tempfile::tempfile() {
            Ok(file) => Spill::on(file),
            Err(_) => Spill::held(),
        }
    }

    /// In `file`, which the spill writes and reads as its own.
    fn on(file: File) -> Self {
        let spilled = FileSpill {
            file,
            written: 0,
            pending: Vec::new(),
            index: Vec::new(),
            statics: Vec::new(),
            failure: Mutex::new(None),
        };
        Spill {
            kept: Kept::File(spilled),
            files: Files::default(),
            failure: None,
        }
    }
}

/// The order findings are reported in: by place, then by the rule's place
/// in the registry (the order it judges in).
pub(crate) fn place(f: &Finding) -> (Option<(&str, usize, &str)>, Option<usize>) {
    let location = f
        .location
        .as_ref()
        .map(|l| (l.file.as_str(), l.line, l.logical_id.as_str()));
    let rule = vigil_core::registry::all()
        .iter()
        .position(|r| std::ptr::eq(*r, f.rule));
    (location, rule)
}

impl Spill {
    /// Findings kept in memory from the start (tests, and `--fix`).
    pub fn held() -> Self {
        Spill {
            kept: Kept::Held(Vec::new()),
            files: Files::default(),
            failure: None,
        }
    }

    /// Adds one file's (or one module's) findings.
    pub fn push(&mut self, batch: Vec<Finding>) {
        self.push_from(batch, &[]);
    }

    /// Adds the findings of the work that read files `read` (numbered in
    /// `files`), so that findings in them take their numbers.
    pub fn push_from(&mut self, mut batch: Vec<Finding>, read: &[u32]) {
        batch.sort_unstable_by(|a, b| place(a).cmp(&place(b)));
        self.append_sorted(&mut batch, Numbers::Read(read));
    }

    /// Adds findings that live in no file (a live audit's), in the order
    /// given, filed under `key` (an account): `sort` then orders them by
    /// key, each key's findings in the order they came.
    pub fn push_keyed(&mut self, mut batch: Vec<Finding>, key: &str) {
        let number = self.files.number(key, &[]);
        let numbers = vec![number; batch.len()];
        self.append_sorted(&mut batch, Numbers::Each(&numbers));
    }

    /// The scan's files, numbered (see `Files`).
    pub(crate) fn files(&mut self) -> &mut Files {
        &mut self.files
    }

    pub fn len(&self) -> usize {
        match &self.kept {
            Kept::Held(held) => held.len(),
            Kept::File(spill) => spill.index.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the findings live in a temporary file.
    pub fn is_spilled(&self) -> bool {
        matches!(self.kept, Kept::File(_))
    }

    /// Why some findings were lost on the way (see `failure`).
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Forgets the findings placed in the files `drop` names.
    pub fn forget(&mut self, drop: impl Fn(&str) -> bool) {
        match &mut self.kept {
            Kept::Held(held) => held.retain(|f| f.location.as_ref().is_none_or(|l| !drop(&l.file))),
            Kept::File(spill) => spill.index.retain(|e| {
                let file = self.files.name(e.file);
                file.is_empty() || !drop(file)
            }),
        }
    }

    /// Puts the findings in report order (see `place`).
    pub fn sort(&mut self) {
        self.flush();
        match &mut self.kept {
            Kept::Held(held) => held.sort_unstable_by(|a, b| place(a).cmp(&place(b))),
            Kept::File(spill) => {
                let key = |e: &Entry| (self.files.name(e.file), e.line, e.offset);
                spill.index.sort_unstable_by(|a, b| key(a).cmp(&key(b)))
            }
        }
    }

    /// Changes every finding (suppressions): spilled ones are read back,
    /// changed and written anew, a batch at a time, in the same order.
    pub fn update(&mut self, mut change: impl FnMut(&mut Finding)) {
        self.update_batches(REWRITE_BATCH, |batch| batch.iter_mut().for_each(&mut change));
    }

    /// Changes every finding a batch of up to `size` at a time, in report
    /// order (the findings store records a batch per statement, and marks
    /// each finding with its history): spilled ones are read back, changed
    /// and written anew, so only one batch is ever held.
    pub fn update_batches(&mut self, size: usize, mut change: impl FnMut(&mut [Finding])) {
        let size = size.max(1);
        if let Kept::Held(held) = &mut self.kept {
            held.chunks_mut(size).for_each(change);
            return;
        }
        self.flush();
        let old = std::mem::replace(self, Spill::in_file());
        let Kept::File(spilled) = old.kept else {
            unreachable!("held findings were changed in place above")
        };
        self.failure = old.failure;
        self.files = old.files;
        let mut batch = Vec::with_capacity(size);
        // Each keeps its file's number: nothing is numbered twice.
        let mut numbers = Vec::with_capacity(size);
        for (entry, finding) in spilled.index.iter().zip(spilled.read()) {
            batch.push(finding);
            numbers.push(entry.file);
            if batch.len() == size {
                change(&mut batch);
                self.append_sorted(&mut batch, Numbers::Each(&numbers));
                numbers.clear();
            }
        }
        if !batch.is_empty() {
            change(&mut batch);
            self.append_sorted(&mut batch, Numbers::Each(&numbers));
        }
        self.flush();
        self.lost(spilled.failure());
    }

    /// The findings for a report; a failure met so far goes with them, so
    /// that the report's own check (`Findings::failure`) still sees it.
    pub fn into_findings(mut self) -> Findings {
        self.flush();
        match self.kept {
            Kept::Held(held) => Findings::Held(held),
            Kept::File(spilled) => {
                if let Some(why) = self.failure {
                    let mut failure = spilled.failure.lock().unwrap_or_else(|e| e.into_inner());
                    failure.get_or_insert(why);
                }
                Findings::Spilled(Arc::new(spilled))
            }
        }
    }

    /// Adds a batch already in order, keeping its order. A write error (a
    /// full disk) is kept as the spill's failure: the command then stops,
    /// since a report missing findings would pass what it lost.
    fn append_sorted(&mut self, batch: &mut Vec<Finding>, numbers: Numbers) {
        let written = match &mut self.kept {
            Kept::Held(held) => {
                held.append(batch);
                return;
            }
            Kept::File(spilled) => spilled.write(batch, &mut self.files, numbers),
        };
        batch.clear();
        if let Err(e) = written {
            self.lost(Some(format!(
                "the findings could not be written to a temporary file (set TMPDIR to a folder with room): {e}"
            )));
        }
    }

    /// Sends what is still pending to the file, before it is read.
    fn flush(&mut self) {
        let flushed = match &mut self.kept {
            Kept::File(spilled) => spilled.flush(),
            Kept::Held(_) => Ok(()),
        };
        if let Err(e) = flushed {
            self.lost(Some(format!(
                "the findings could not be written to a temporary file (set TMPDIR to a folder with room): {e}"
            )));
        }
    }

    fn lost(&mut self, why: Option<String>) {
        if let (None, Some(why)) = (&self.failure, why) {
            self.failure = Some(why);
        }
    }
}

impl FileSpill {
    fn write(&mut self, batch: &[Finding], files: &mut Files, numbers: Numbers) -> std::io::Result<()> {
        let mut bytes = std::mem::take(&mut self.pending);
        let base = self.written - bytes.len() as u64;
        let mut entries = Vec::with_capacity(batch.len());
        for (i, finding) in batch.iter().enumerate() {
            let start = bytes.len();
            let statics = self.statics_of(finding);
            bytes.extend_from_slice(&[0; LENGTH]);
            codec::encode(finding, statics, &mut bytes);
            let len = (bytes.len() - start - LENGTH) as u32;
            bytes[start..start + LENGTH].copy_from_slice(&len.to_le_bytes());
            let placed = finding.location.as_ref().map_or("", |l| l.file.as_str());
            entries.push(Entry {
                file: match numbers {
                    Numbers::Read(read) => files.number(placed, read),
                    Numbers::Each(each) => each[i],
                },
                line: finding.location.as_ref().map_or(0, |l| l.line) as u32,
                offset: base + start as u64,
            });
        }
        self.written = base + bytes.len() as u64;
        self.pending = bytes;
        self.index.extend(entries);
        if self.pending.len() >= BLOCK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        (&self.file).write_all(&self.pending)?;
        self.pending.clear();
        Ok(())
    }

    fn statics_of(&mut self, f: &Finding) -> codec::Statics {
        let rule = vigil_core::registry::all()
            .iter()
            .position(|r| std::ptr::eq(*r, f.rule))
            .expect("every rule is in the registry") as u16;
        codec::Statics {
            rule,
            title: self.statics(f.title),
            kind: self.statics(f.resource.kind),
        }
    }

    fn statics(&mut self, text: &'static str) -> u16 {
        match self.statics.iter().position(|s| *s == text) {
            Some(at) => at as u16,
            None => {
                self.statics.push(text);
                (self.statics.len() - 1) as u16
            }
        }
    }

    /// The finding at `entry`, read through `block` (the file's bytes from
    /// `block.0`), which is refilled when the entry is outside it.
    fn finding(&self, entry: &Entry, block: &mut (u64, Vec<u8>)) -> Result<Finding, String> {
        let head = self.window(entry.offset, LENGTH, block)?;
        let len = u32::from_le_bytes(head.try_into().expect("LENGTH bytes")) as usize;
        let body = self.window(entry.offset + LENGTH as u64, len, block)?;
        codec::decode(body, &self.statics).map_err(str::to_owned)
    }

    /// The file's `len` bytes at `offset`, from `block` or read into it.
    fn window<'b>(&self, offset: u64, len: usize, block: &'b mut (u64, Vec<u8>)) -> Result<&'b [u8], String> {
        let (start, bytes) = block;
        let end = offset + len as u64;
        if end > self.written {
            return Err("a finding runs past the end of the file".to_owned());
        }
        if offset < *start || end > *start + bytes.len() as u64 {
            let want = len.max(BLOCK).min((self.written - offset) as usize);
            bytes.resize(want, 0);
            self.file.read_exact_at(bytes, offset).map_err(|e| e.to_string())?;
            *start = offset;
        }
        let at = (offset - *start) as usize;
        Ok(&bytes[at..at + len])
    }
}

impl vigil_core::Spilled for FileSpill {
    fn len(&self) -> usize {
        self.index.len()
    }

    fn read(&self) -> Box<dyn Iterator<Item = Finding> + '_> {
        let mut block = (0, Vec::new());
        Box::new(
            self.index
                .iter()
                .map_while(move |entry| match self.finding(entry, &mut block) {
                    Ok(finding) => Some(finding),
                    Err(why) => {
                        let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
                        failure.get_or_insert(format!(
                            "the findings put in a temporary file could not be read back: {why}"
                        ));
                        None
                    }
                }),
        )
    }

    fn failure(&self) -> Option<String> {
        self.failure.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

#[cfg(test)]
mod tests;
