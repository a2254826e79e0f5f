//! The files a scan reads, numbered, their names end to end in one buffer:
//! the work list is their numbers and each spilled finding names its file
//! by number, so a path is held once, in about its own length, however many
//! files the scan reads (a `PathBuf` each, in a list and again in the
//! spill's index, cost three times as much and grew with the scan).

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct Files {
    /// Every file's name as reported (its path, lossily UTF-8), end to end.
    names: String,
    /// Where each name starts in `names`.
    starts: Vec<usize>,
    /// The path of each file whose name is not its path (not UTF-8), in
    /// order of number (numbers only grow), found by binary search.
    raw: Vec<(u32, PathBuf)>,
}

impl Files {
    /// Numbers `path`; a path added twice gets two numbers.
    pub fn add(&mut self, path: &Path) -> u32 {
        let name = path.to_string_lossy();
        let number = self.add_name(&name);
        if name.as_bytes() != path.as_os_str().as_bytes() {
            self.raw.push((number, path.to_path_buf()));
        }
        number
    }

    /// Numbers a file known by its reported name only (a nested child,
    /// a finding placed nowhere).
    fn add_name(&mut self, name: &str) -> u32 {
        let number = u32::try_from(self.starts.len()).expect("fewer than 4 billion files in one scan");
        self.starts.push(self.names.len());
        self.names.push_str(name);
        number
    }

    /// File `n`'s name as reported.
    pub fn name(&self, n: u32) -> &str {
        let n = n as usize;
        let end = self.starts.get(n + 1).copied().unwrap_or(self.names.len());
        &self.names[self.starts[n]..end]
    }

    /// The name and bytes of every file whose name is not UTF-8.
    pub fn raw_names(&self) -> Vec<(String, Vec<u8>)> {
        self.raw
            .iter()
            .map(|(n, path)| (self.name(*n).to_owned(), path.as_os_str().as_bytes().to_vec()))
            .collect()
    }

    /// File `n`'s path, to read it by.
    pub fn path(&self, n: u32) -> &Path {
        match self.raw.binary_search_by_key(&n, |(at, _)| *at) {
            Ok(at) => &self.raw[at].1,
            Err(_) => Path::new(OsStr::new(self.name(n))),
        }
    }

    /// The number of the file a finding names: one of `likely` (the files
    /// of the work that found it), else the last one numbered, else a new
    /// number.
    pub(super) fn number(&mut self, name: &str, likely: &[u32]) -> u32 {
        let last = self.starts.len().checked_sub(1).map(|n| n as u32);
        match likely.iter().copied().chain(last).find(|n| self.name(*n) == name) {
            Some(known) => known,
            None => self.add_name(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_keeps_its_number_name_and_path() {
        let mut files = Files::default();
        let a = files.add(Path::new("envs/prod/main.tf"));
        let b = files.add(Path::new("stacks/model.yaml"));
        assert_eq!((a, b), (0, 1));
        assert_eq!(files.name(b), "stacks/model.yaml");
        assert_eq!(files.path(a), Path::new("envs/prod/main.tf"));
    }

    #[test]
    fn a_path_that_is_not_utf8_is_read_by_its_path_and_reported_by_its_lossy_name() {
        let raw = |name: &[u8]| Path::new(OsStr::from_bytes(name)).to_path_buf();
        let mut files = Files::default();
        files.add(Path::new("a.yaml"));
        let odd: Vec<u32> = (0..5u8).map(|i| files.add(&raw(&[b'm', 0xe8, b'0' + i]))).collect();
        files.add(Path::new("z.yaml"));
        for (i, n) in odd.iter().enumerate() {
            assert_eq!(files.path(*n), raw(&[b'm', 0xe8, b'0' + i as u8]));
        }
        assert_eq!(files.name(odd[2]), "m\u{fffd}2");
        assert_eq!(files.path(0), Path::new("a.yaml"));
        assert_eq!(files.path(6), Path::new("z.yaml"));
    }

    #[test]
    fn a_finding_is_numbered_by_its_works_files_before_a_new_number() {
        let mut files = Files::default();
        let main = files.add(Path::new("m/main.tf"));
        let vars = files.add(Path::new("m/variables.tf"));
        files.add(Path::new("other.yaml"));
        assert_eq!(files.number("m/main.tf", &[main, vars]), main);
        assert_eq!(files.number("other.yaml", &[]), 2, "the last one numbered");
        assert_eq!(files.number("child.yaml", &[main]), 3, "a new one");
        assert_eq!(files.name(3), "child.yaml");
    }
}
