//! Finding templates below the given paths, reading them in parallel, and
//! handing every resource to the caller, with each unreadable file reported
//! and the rest still scanned.

use crate::format::{read, read_text, Read};
use crate::load::{load, parse_hcl};
use crate::source::{FileScan, TemplateResource};
use crate::spill::{Files, Spill};
use crate::tf::HclFile;
use crate::{tf, tree};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use vigil_core::report::FileStats;
use vigil_core::RunError;

/// The path that stands for standard input.
pub const STDIN: &str = "-";
/// Files larger than this are refused (documented in README.md).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Longest one HCL file may take to parse (documented in README.md).
pub const HCL_PARSE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);
/// Folders never worth entering.
const SKIPPED_DIRS: &[&str] = &[".git", "node_modules", ".terraform"];

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub var_files: Vec<PathBuf>,
    /// CloudFormation parameter values to scan with, as deployed
    /// (`--parameter`, `--parameter-file`); they win over defaults.
    pub parameters: Vec<(String, String)>,
    pub max_file_bytes: u64,
    /// Read `.gitignore` and friends (on by default).
    pub respect_ignore_files: bool,
    /// Judge each file's resources on the worker that read it and keep only
    /// the findings (`None`: keep the resources, as `--fix` needs them).
    pub judging: Option<Judging>,
    /// Keep each file's digest (`--fix` and the findings store need them;
    /// a scan of many files that needs neither saves the memory).
    pub digests: bool,
}

/// The rules to judge with, and today (`YYYY-MM-DD`, for suppression expiry).
#[derive(Debug, Clone)]
pub struct Judging {
    pub rules: Vec<&'static vigil_core::Rule>,
    pub today: String,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            var_files: Vec::new(),
            parameters: Vec::new(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            respect_ignore_files: true,
            judging: None,
            digests: true,
        }
    }
}

pub struct ScanOutput {
    /// The resources read, when the scan does not judge them itself.
    pub resources: Vec<TemplateResource>,
    /// The findings, when it does (`ScanOptions::judging`), by file and
    /// line: spilled to a temporary file as each file is judged.
    pub findings: Spill,
    pub errors: Vec<RunError>,
    pub notes: Vec<String>,
    pub stats: FileStats,
    /// Each template file's content as read (FNV-1a of its text), so that
    /// `--fix` can refuse a file that changed before it is written.
    pub digests: BTreeMap<String, u64>,
}

/// One unit of parallel work: a template file, or the `.tf` files of one
/// folder (a Terraform module is read whole, for its variables and locals).
/// Files are named by their number in the spill's `Files`: a scan holds one
/// unit per file until it is done, so a unit is a few bytes.
enum Work {
    File(u32),
    /// A module's files, `grouped[start..end]` (see `work_list`).
    Module {
        start: u32,
        end: u32,
    },
    /// A module read whole whose files were named one by one: only those
    /// are reported (the others are read for the module's variables and
    /// locals, as pre-commit passes single files). Boxed: rare.
    Named(Box<Named>),
    /// A module another one calls, `grouped[start..end]`, read with the
    /// call's arguments. Boxed: rare.
    Call(Box<(u32, u32, tf::module_calls::ModuleCall)>),
}

struct Named {
    files: Vec<u32>,
    named: Vec<u32>,
}

/// One unit's files, looked up for the worker that reads them.
struct Unit<'a> {
    numbers: &'a [u32],
    paths: Vec<PathBuf>,
    /// With `Some`, the only files reported (see `Work::Named`).
    named: Option<Vec<PathBuf>>,
    /// The call a called module is read for (see `Work::Call`).
    call: Option<&'a tf::module_calls::ModuleCall>,
}

/// What one unit of work yielded, its parsed trees already dropped: a
/// worker holds one file's (or one module's) trees at a time, so memory
/// follows the findings, not the bytes read.
#[derive(Default)]
struct Done {
    /// Every file's yield, merged as it comes: a vector per file would
    /// keep its spare capacity until the whole scan is done.
    scans: FileScan,
    errors: Vec<RunError>,
    stats: FileStats,
    digests: Vec<(String, u64)>,
    /// Local module folders a Terraform module calls.
    sources: Vec<(PathBuf, tf::module_calls::ModuleCall)>,
    /// Module calls that cannot be followed; each instance of a module
    /// says the same line, which is said once.
    unread: Vec<RunError>,
}

/// What one unit of work found, handed to the spill as soon as it is done.
type Found = Vec<vigil_core::Finding>;

impl Done {
    fn add(&mut self, scan: FileScan) {
        self.scans.resources.extend(scan.resources);
        self.scans.absent.extend(scan.absent);
        self.scans.errors.extend(scan.errors);
        self.scans.nested.extend(scan.nested);
        // Counted at once, not kept as names.
        for kind in scan.unjudged {
            self.stats.count_unjudged(kind);
        }
    }

    fn merge(mut self, other: Done) -> Done {
        self.add(other.scans);
        self.errors.extend(other.errors);
        self.stats.add(other.stats);
        self.digests.extend(other.digests);
        self.sources.extend(other.sources);
        self.unread.extend(other.unread);
        self
    }
}

pub fn scan(paths: &[PathBuf], options: &ScanOptions) -> ScanOutput {
    let mut out = ScanOutput {
        resources: Vec::new(),
        findings: match options.judging {
            Some(_) => Spill::in_file(),
            None => Spill::held(),
        },
        errors: Vec::new(),
        notes: Vec::new(),
        stats: FileStats::default(),
        digests: BTreeMap::new(),
    };
    let found = discover(paths, options, &mut out.errors, out.findings.files());
    let user_vars: Vec<HclFile> = options
        .var_files
        .iter()
        .filter_map(|p| read_tfvars(p, &mut out.errors))
        .collect();
    let (mut work, mut grouped) = work_list(found, paths, out.findings.files());
    // Folders whose modules are read, beyond the walked ones.
    let mut seen: std::collections::BTreeSet<(PathBuf, String)> = std::collections::BTreeSet::new();
    let mut nested = Vec::new();
    let mut unread = Vec::new();
    // Local modules outside the scanned folders are read too, so their
    // resources are judged wherever they live.
    while !work.is_empty() {
        let spill = std::sync::Mutex::new(&mut out.findings);
        let modules = &grouped;
        // Consumed: each unit is freed as it is done.
        let done = std::mem::take(&mut work)
            .into_par_iter()
            .fold(Done::default, |done, w| {
                let unit = {
                    let mut spill = spill.lock().unwrap_or_else(|e| e.into_inner());
                    unit(&w, modules, spill.files())
                };
                let (one, found) = run(&unit, &user_vars, options);
                let mut spill = spill.lock().unwrap_or_else(|e| e.into_inner());
                spill.push_from(found, unit.numbers);
                done.merge(one)
            })
            .reduce(Done::default, Done::merge);
        out.stats.add(done.stats);
        out.errors.extend(done.errors);
        out.digests.extend(done.digests);
        unread.extend(done.unread);
        nested.extend(out.absorb(done.scans).into_iter().map(|n| (n, 0)));
        let files = out.findings.files();
        // Each call is read with its arguments (and its address), even of
        // a folder also walked: that folder is judged on its own too.
        for (dir, call) in done.sources {
            if dir.is_dir() && seen.insert((dir.clone(), call.address.clone())) {
                let start = grouped.len() as u32;
                grouped.extend(tf_files(&dir).iter().map(|p| files.add(p)));
                let end = grouped.len() as u32;
                work.push(Work::Call(Box::new((start, end, call))));
            }
        }
    }
    unread.sort_by(|a: &RunError, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
    unread.dedup();
    out.stats.modules_not_followed = unread.len();
    out.errors.extend(unread);
    crate::nested::follow(&mut out, nested, options);
    out.resources
        .sort_by(|a, b| (&a.location.file, a.location.line).cmp(&(&b.location.file, b.location.line)));
    out.findings.sort();
    out.errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out.notes.sort();
    // A nested child judged on its own and again as its parent deploys it
    // notes an expired suppression twice.
    out.notes.dedup();
    out.stats.raw_names = out.findings.files().raw_names();
    out
}

/// The units of work for the files `found`, and every module's `.tf`
/// files together, folder by folder, each folder's in path order (the
/// `Work::Module`s' ranges, sorted by folder).
fn work_list(found: Vec<u32>, paths: &[PathBuf], files: &mut Files) -> (Vec<Work>, Vec<u32>) {
    let is_tf = |n: &u32| files.path(*n).extension().is_some_and(|e| e == "tf");
    let (mut grouped, singles): (Vec<u32>, Vec<u32>) = found.into_iter().partition(is_tf);
    // Stable: each folder's files stay in path order.
    grouped.sort_by(|a, b| dir_of(files, *a).cmp(dir_of(files, *b)));
    let mut work: Vec<Work> = singles.into_iter().map(Work::File).collect();
    let walked: Vec<&PathBuf> = paths.iter().filter(|p| p.is_dir()).collect();
    let mut start = 0;
    while start < grouped.len() {
        let dir = dir_of(files, grouped[start]).to_path_buf();
        let end = start + grouped[start..].partition_point(|n| dir_of(files, *n) == dir);
        let module = &grouped[start..end];
        // Named one by one, not found by walking a folder: read the whole
        // module, report the named files.
        let named = !module
            .iter()
            .any(|f| walked.iter().any(|w| files.path(*f).starts_with(w)));
        work.push(match named && dir.is_dir() {
            true => Work::Named(Box::new(Named {
                named: module.to_vec(),
                // The named files keep their numbers; the others get theirs.
                files: tf_files(&dir)
                    .iter()
                    .map(|p| {
                        let known = module.iter().copied().find(|n| files.path(*n) == p);
                        known.unwrap_or_else(|| files.add(p))
                    })
                    .collect(),
            })),
            false => Work::Module {
                start: start as u32,
                end: end as u32,
            },
        });
        start = end;
    }
    (work, grouped)
}

/// With judging on, a file's resources become findings at once, on the
/// worker that read them: the scan keeps findings, never every resource.
/// A resource no chosen rule judges is counted as unjudged.
pub(crate) fn judged(
    mut scan: FileScan,
    judging: Option<&Judging>,
    findings: &mut Vec<vigil_core::Finding>,
) -> FileScan {
    let Some(judging) = judging else {
        return scan;
    };
    for resource in std::mem::take(&mut scan.resources) {
        let found = crate::judge(&resource, &judging.rules, &judging.today, &mut scan.absent);
        if found.is_empty() {
            scan.unjudged.push(resource.resource.type_name().to_owned());
        }
        findings.extend(found);
    }
    scan
}

/// The folder file `n` is in (a Terraform module's).
fn dir_of(files: &Files, n: u32) -> &Path {
    files.path(n).parent().unwrap_or(Path::new(""))
}

/// `work`'s files, numbered in `files`, modules' in `grouped`.
fn unit<'a>(work: &'a Work, grouped: &'a [u32], files: &Files) -> Unit<'a> {
    let (numbers, named, call) = match work {
        Work::File(n) => (std::slice::from_ref(n), None, None),
        Work::Module { start, end } => (&grouped[*start as usize..*end as usize], None, None),
        Work::Named(module) => (module.files.as_slice(), Some(&module.named), None),
        Work::Call(called) => {
            let (start, end, call) = called.as_ref();
            (&grouped[*start as usize..*end as usize], None, Some(call))
        }
    };
    let paths = |numbers: &[u32]| numbers.iter().map(|n| files.path(*n).to_path_buf()).collect();
    Unit {
        numbers,
        paths: paths(numbers),
        named: named.map(|named| paths(named)),
        call,
    }
}

fn run(unit: &Unit, user_vars: &[HclFile], options: &ScanOptions) -> (Done, Found) {
    let mut done = Done::default();
    let mut found = Found::new();
    let (paths, named) = (&unit.paths, unit.named.as_ref());
    let reported = |path: &Path| named.is_none_or(|named| named.iter().any(|n| n == path));
    let mut hcl = Vec::new();
    for path in paths {
        let (read, digest) = read(path, options);
        if let Some(digest) = digest.filter(|_| options.digests) {
            done.digests.push((path.display().to_string(), digest));
        }
        match read {
            Read::Template(scan) => {
                done.stats.templates += 1;
                let scan = judged(scan, options.judging.as_ref(), &mut found);
                done.add(scan);
            }
            Read::Hcl(file) => {
                done.stats.templates += usize::from(reported(path));
                hcl.push(file);
            }
            Read::NotTemplate => done.stats.not_templates += 1,
            Read::Failed(error) => {
                done.stats.unparsable += 1;
                done.errors.push(error);
            }
        }
    }
    if !hcl.is_empty() {
        // A module's folder; standard input or a FIFO read as HCL has none.
        let dir = paths[0].parent().map(Path::to_path_buf).unwrap_or_default();
        // A called module takes its call's arguments, not tfvars files.
        let mut errors = Vec::new();
        let auto = match unit.call {
            None => auto_tfvars(&dir, &mut errors),
            Some(_) => Vec::new(),
        };
        done.stats.unparsable += errors.len();
        done.errors.extend(errors);
        let vars: Vec<&HclFile> = auto.iter().chain(user_vars).collect();
        let (scans, calls) = tf::read_module(&hcl, &vars, unit.call);
        done.sources = calls.folders;
        done.scans.absent.extend(calls.absent);
        done.unread.extend(calls.unread);
        for mut scan in scans {
            // Only what the named files declare is reported.
            scan.resources.retain(|r| reported(Path::new(&r.location.file)));
            scan.absent
                .retain(|note| named.is_none_or(|named| named.iter().any(|n| note.starts_with(&*n.to_string_lossy()))));
            let scan = judged(scan, options.judging.as_ref(), &mut found);
            done.add(scan);
        }
    }
    (done, found)
}

/// The `.tf` files of a folder, sorted.
fn tf_files(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "tf") && p.is_file());
    paths.sort();
    paths
}

impl ScanOutput {
    /// Takes in what reading (and judging) some files yielded; hands back
    /// the nested stacks they deploy, to follow.
    pub(crate) fn absorb(&mut self, scan: FileScan) -> Vec<crate::source::NestedStack> {
        for kind in scan.unjudged {
            self.stats.count_unjudged(kind);
        }
        self.resources.extend(scan.resources);
        self.errors.extend(scan.errors);
        self.notes.extend(scan.absent);
        scan.nested
    }
}

/// Every candidate file, numbered in `files`: named files as given, folders
/// walked like ripgrep (honouring `.gitignore`, skipping `.git`,
/// `node_modules`, `.terraform`). In path order, each once.
fn discover(paths: &[PathBuf], options: &ScanOptions, errors: &mut Vec<RunError>, files: &mut Files) -> Vec<u32> {
    let mut found = Vec::new();
    for path in paths {
        // What is named is read, whatever its kind: a file, a FIFO, a
        // process substitution (`<(…)`), `/dev/stdin`, or `-`.
        if path == Path::new(STDIN) || (path.exists() && !path.is_dir()) {
            found.push(files.add(path));
            continue;
        }
        if !path.exists() {
            errors.push(RunError::in_file(
                vigil_core::report::ErrorScope::File,
                &path.display().to_string(),
                None,
                "no such file or folder".into(),
            ));
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .hidden(false)
            .git_ignore(options.respect_ignore_files)
            .git_exclude(options.respect_ignore_files)
            .ignore(options.respect_ignore_files)
            .parents(options.respect_ignore_files)
            .require_git(false)
            .filter_entry(|entry| !SKIPPED_DIRS.contains(&entry.file_name().to_str().unwrap_or_default()))
            .build();
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) && is_candidate(entry.path()) => {
                    found.push(files.add(entry.path()))
                }
                Ok(_) => {}
                Err(err) => errors.push(RunError::in_file(
                    vigil_core::report::ErrorScope::File,
                    &path.display().to_string(),
                    None,
                    err.to_string(),
                )),
            }
        }
    }
    // Folders named twice, or one inside another, are read once.
    found.sort_by(|a, b| files.path(*a).cmp(files.path(*b)));
    found.dedup_by(|a, b| files.path(*a) == files.path(*b));
    found
}

/// By its name's ending, whether or not the rest is UTF-8.
fn is_candidate(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let name = path.file_name().map(|n| n.as_bytes()).unwrap_or_default();
    [".yaml", ".yml", ".json", ".template", ".tf"]
        .iter()
        .any(|ext| name.ends_with(ext.as_bytes()))
}

/// A tfvars file, HCL or JSON (`*.tfvars.json`), as HCL assignments.
fn read_tfvars(path: &Path, errors: &mut Vec<RunError>) -> Option<HclFile> {
    let display = path.display().to_string();
    let result = load(path, DEFAULT_MAX_FILE_BYTES).and_then(|text| {
        let text = text.ok_or((None, "binary file".to_owned()))?;
        let text = if display.ends_with(".json") {
            let root = tree::parse(&text).map_err(|e| (e.pos, format!("not valid JSON: {}", e.message)))?;
            tf::tfvars_json::to_hcl(&root)?
        } else {
            text
        };
        parse_hcl(&text).map(|body| HclFile {
            path: display.clone(),
            text,
            body,
        })
    });
    result
        .map_err(|(pos, message)| {
            errors.push(RunError::in_file(
                vigil_core::report::ErrorScope::File,
                &display,
                pos,
                message,
            ))
        })
        .ok()
}

/// The tfvars files Terraform loads by itself, in its order (later ones
/// win): `terraform.tfvars`, `terraform.tfvars.json`, then `*.auto.tfvars`
/// and `*.auto.tfvars.json` in lexical order of their names.
fn auto_tfvars(dir: &Path, errors: &mut Vec<RunError>) -> Vec<HclFile> {
    let Ok(entries) = std::fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) else {
        return Vec::new();
    };
    let mut named: Vec<(u8, String, PathBuf)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_owned();
            let rank = match name.as_str() {
                "terraform.tfvars" => 0,
                "terraform.tfvars.json" => 1,
                _ if name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json") => 2,
                _ => return None,
            };
            Some((rank, name, p))
        })
        .collect();
    named.sort();
    named.iter().filter_map(|(_, _, p)| read_tfvars(p, errors)).collect()
}

pub(crate) fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some_and(|n| n != "..") => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Reads `text` as if it were a file called `name`, the way a scan would:
/// the entry point of the fuzz targets. Returns how many resources it found.
pub fn read_one(name: &str, text: &str) -> usize {
    match read_text(name.to_owned(), text.to_owned(), &[]) {
        Read::Template(scan) => scan.resources.len(),
        Read::Hcl(file) => tf::read_module(std::slice::from_ref(&file), &[], None)
            .0
            .iter()
            .map(|s| s.resources.len())
            .sum(),
        Read::NotTemplate | Read::Failed(_) => 0,
    }
}
