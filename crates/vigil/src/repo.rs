//! Which repository a template belongs to, and where in it: the name under
//! which the findings store keeps a template's findings. Two repositories
//! sharing a store never take each other's `main.yaml` for their own, and
//! `infra/`, `./infra` and `/home/me/repo/infra` are one folder. A
//! repository is named by its `origin` remote (credentials and `.git` left
//! out), else by its root folder's name; outside any repository, a file is
//! named from the folder the scan was given.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// Between a repository's name and a path in it, as Terraform writes a
/// module's subfolder (`github.com/acme/infra//modules/nb`).
const SEPARATOR: &str = "//";

/// Names template files (and the folders a scan walked) for the store.
pub struct Namer {
    /// The scanned folders (a scanned file's folder), made absolute: the
    /// base of a name outside any repository.
    bases: Vec<PathBuf>,
    /// Each folder met so far, as the scan named it: its name's prefix
    /// (repository and path). A scan names a folder the same way for all
    /// its files, so each is made absolute once.
    folders: HashMap<PathBuf, String>,
    /// Each repository root met so far: its name.
    repos: HashMap<PathBuf, String>,
}

impl Namer {
    /// For a scan of `scanned` (files and folders, as typed).
    pub fn new(scanned: &[PathBuf]) -> Self {
        let bases = scanned
            .iter()
            .filter_map(|p| {
                let p = std::fs::canonicalize(p).ok()?;
                Some(if p.is_dir() { p } else { p.parent()?.to_path_buf() })
            })
            .collect();
        Namer {
            bases,
            folders: HashMap::new(),
            repos: HashMap::new(),
        }
    }

    /// The stored name of a template file, named as the scan reported it.
    pub fn file(&mut self, file: &str) -> String {
        let path = Path::new(file);
        let (folder, name) = match (path.parent(), path.file_name()) {
            (Some(parent), Some(name)) => (parent, name.to_string_lossy()),
            _ => return file.to_owned(),
        };
        format!("{}{name}", self.folder(folder))
    }

    /// The prefix of the stored names of every file under `folder`.
    pub fn folder(&mut self, folder: &Path) -> String {
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        if let Some(prefix) = self.folders.get(folder) {
            return prefix.clone();
        }
        let prefix = match std::fs::canonicalize(folder) {
            Ok(real) => self.prefix_of(&real),
            // Gone or unreadable since it was read: its name as typed.
            Err(_) => format!("{}/", tidy(folder)),
        };
        self.folders.insert(folder.to_path_buf(), prefix.clone());
        prefix
    }

    fn prefix_of(&mut self, real: &Path) -> String {
        let (base, identity) = match real.ancestors().find(|a| a.join(".git").exists()) {
            Some(root) => {
                let identity = self
                    .repos
                    .entry(root.to_path_buf())
                    .or_insert_with(|| identity(root))
                    .clone();
                (root.to_path_buf(), identity)
            }
            // Outside a repository: from the scanned folder that holds it
            // (the deepest), named by its own name.
            None => match self
                .bases
                .iter()
                .filter(|b| real.starts_with(b))
                .max_by_key(|b| b.as_os_str().len())
            {
                Some(base) => (
                    base.clone(),
                    base.file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                ),
                None => return format!("{}/", real.display()),
            },
        };
        let inside = real.strip_prefix(&base).map(tidy).unwrap_or_default();
        if inside.is_empty() {
            format!("{identity}{SEPARATOR}")
        } else {
            format!("{identity}{SEPARATOR}{inside}/")
        }
    }
}

/// The branch and commit checked out in the repository that holds `path`:
/// the branch `HEAD` names, else (a detached `HEAD`, as CI checks out)
/// the branch the CI system names; `None` outside a repository.
pub fn checkout(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> Option<(Option<String>, Option<String>)> {
    let real = std::fs::canonicalize(path).ok()?;
    let root = real.ancestors().find(|a| a.join(".git").exists())?;
    let git = git_dir(root)?;
    let head = std::fs::read_to_string(git.join("HEAD")).ok()?;
    let head = head.trim();
    let (branch, revision) = match head.strip_prefix("ref: ") {
        Some(reference) => (
            reference.strip_prefix("refs/heads/").map(str::to_owned),
            resolve(&common_dir(&git), reference),
        ),
        None => (None, Some(head.to_owned())),
    };
    // GitHub's pull request, GitHub's push, GitLab, Buildkite, Jenkins, CircleCI.
    let ci = || {
        [
            "GITHUB_HEAD_REF",
            "GITHUB_REF_NAME",
            "CI_COMMIT_REF_NAME",
            "BUILDKITE_BRANCH",
            "BRANCH_NAME",
            "CIRCLE_BRANCH",
        ]
        .iter()
        .find_map(|name| env(name).filter(|v| !v.is_empty()))
    };
    Some((branch.or_else(ci), revision))
}

/// The commit a reference names: its loose file, else `packed-refs`.
fn resolve(common: &Path, reference: &str) -> Option<String> {
    if let Ok(loose) = std::fs::read_to_string(common.join(reference)) {
        return Some(loose.trim().to_owned());
    }
    let packed = std::fs::read_to_string(common.join("packed-refs")).ok()?;
    packed.lines().find_map(|line| {
        let (commit, name) = line.split_once(' ')?;
        (name == reference).then(|| commit.to_owned())
    })
}

/// A relative path with `/` between its parts and no `.` parts.
fn tidy(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/").replace("//", "/")
}

/// A repository's name: its `origin` remote (else its first remote),
/// normalised, or its root folder's name when it has none.
fn identity(root: &Path) -> String {
    let folder = || {
        root.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    };
    git_dir(root)
        .and_then(|git| std::fs::read_to_string(common_dir(&git).join("config")).ok())
        .and_then(|config| remote_url(&config))
        .map(|url| normalise_remote(&url))
        .filter(|url| !url.is_empty())
        .unwrap_or_else(folder)
}

/// The repository's git folder: `.git`, or where a `.git` file points
/// (a worktree or a submodule).
pub(crate) fn git_dir(root: &Path) -> Option<PathBuf> {
    let dot = root.join(".git");
    if dot.is_dir() {
        return Some(dot);
    }
    let text = std::fs::read_to_string(&dot).ok()?;
    let target = text.strip_prefix("gitdir:")?.trim();
    Some(root.join(target))
}

/// Where the config and refs shared by a repository's worktrees are.
pub(crate) fn common_dir(git: &Path) -> PathBuf {
    match std::fs::read_to_string(git.join("commondir")) {
        Ok(common) => git.join(common.trim()),
        Err(_) => git.to_path_buf(),
    }
}

/// The `url` of `[remote "origin"]`, else of the first remote.
fn remote_url(config: &str) -> Option<String> {
    let mut section = String::new();
    let mut urls: Vec<(bool, String)> = Vec::new();
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.to_owned();
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key.trim().eq_ignore_ascii_case("url") && section.starts_with("[remote ") {
            let origin = section.replace(' ', "") == "[remote\"origin\"]";
            urls.push((origin, value.trim().trim_matches('"').to_owned()));
        }
    }
    let origin = urls.iter().position(|(origin, _)| *origin).unwrap_or(0);
    urls.into_iter().nth(origin).map(|(_, url)| url)
}

/// `https://user:token@GitHub.com/acme/infra.git`, `git@github.com:acme/infra`
/// and `ssh://git@github.com/acme/infra/` all as `github.com/acme/infra`:
/// the same repository however it was cloned, and never a credential.
fn normalise_remote(url: &str) -> String {
    let url = url.trim();
    let (rest, scp) = match url.split_once("://") {
        Some((_, rest)) => (rest, false),
        // `user@host:path`, the scp-like form (not a local path).
        None if !url.starts_with('/') && url.contains(':') => (url, true),
        None => return url.trim_end_matches('/').trim_end_matches(".git").to_owned(),
    };
    let (host, path) = if scp {
        rest.split_once(':').unwrap_or((rest, ""))
    } else {
        rest.split_once('/').unwrap_or((rest, ""))
    };
    let host = host.rsplit('@').next().unwrap_or(host).to_ascii_lowercase();
    let path = path.trim_matches('/').trim_end_matches(".git").trim_end_matches('/');
    if path.is_empty() {
        host
    } else {
        format!("{host}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_name_the_same_repository_however_cloned_and_never_a_credential() {
        for url in [
            "https://x-access-token:ghs_s3cret@GitHub.com/acme/infra.git",
            "git@github.com:acme/infra.git",
            "ssh://git@github.com/acme/infra/",
            "https://github.com/acme/infra",
        ] {
            assert_eq!(normalise_remote(url), "github.com/acme/infra", "{url}");
        }
        assert_eq!(normalise_remote("/srv/git/infra.git"), "/srv/git/infra");
        let config = "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://a/up\n[remote \"origin\"]\n\turl = git@b:me/fork.git\n";
        assert_eq!(remote_url(config).as_deref(), Some("git@b:me/fork.git"));
        assert_eq!(
            remote_url("[remote \"upstream\"]\n url = https://a/up\n").as_deref(),
            Some("https://a/up")
        );
        assert_eq!(remote_url("[core]\n"), None);
    }

    #[test]
    fn the_checkout_is_head_s_branch_and_commit_else_the_ci_s_branch() {
        let dir = tempfile::tempdir().unwrap();
        let git = dir.path().join(".git");
        std::fs::create_dir_all(git.join("refs/heads")).unwrap();
        std::fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(git.join("refs/heads/main"), "1111\n").unwrap();
        let none = |_: &str| None;
        let ci = |name: &str| (name == "GITHUB_HEAD_REF").then(|| "feature/x".to_owned());
        let at = |env: &dyn Fn(&str) -> Option<String>| checkout(dir.path(), env).unwrap();
        assert_eq!(at(&none), (Some("main".into()), Some("1111".into())));
        assert_eq!(
            at(&ci),
            (Some("main".into()), Some("1111".into())),
            "HEAD's branch wins"
        );
        std::fs::write(git.join("HEAD"), "ref: refs/heads/packed\n").unwrap();
        std::fs::write(git.join("packed-refs"), "# pack-refs\n2222 refs/heads/packed\n").unwrap();
        assert_eq!(at(&none), (Some("packed".into()), Some("2222".into())));
        std::fs::write(git.join("HEAD"), "3333\n").unwrap();
        assert_eq!(at(&none), (None, Some("3333".into())), "detached");
        assert_eq!(at(&ci), (Some("feature/x".into()), Some("3333".into())));
        assert_eq!(checkout(&std::env::temp_dir().join("no-such-folder"), &none), None);
    }

    #[test]
    fn every_spelling_of_a_folder_gives_one_name() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("infra/nested")).unwrap();
        std::fs::write(
            repo.join(".git/config"),
            "[remote \"origin\"]\n\turl = https://me:pw@example.com/acme/infra.git\n",
        )
        .unwrap();
        let mut namer = Namer::new(&[repo.join("infra")]);
        let want = "example.com/acme/infra//infra/nested/main.yaml";
        assert_eq!(namer.file(&format!("{}/infra/nested/main.yaml", repo.display())), want);
        assert_eq!(
            namer.file(&format!("{}/infra/./nested/main.yaml", repo.display())),
            want
        );
        assert_eq!(
            namer.file(&format!("{}/infra/nested/../nested/main.yaml", repo.display())),
            want
        );
        assert_eq!(namer.folder(&repo), "example.com/acme/infra//");
        assert_eq!(namer.folder(&repo.join("infra")), "example.com/acme/infra//infra/");

        // No remote: the root folder's name; no repository: the scanned folder's.
        std::fs::write(repo.join(".git/config"), "[core]\n").unwrap();
        assert_eq!(Namer::new(&[]).folder(&repo.join("infra")), "repo//infra/");
        let loose = dir.path().join("loose/deeper");
        std::fs::create_dir_all(&loose).unwrap();
        let mut namer = Namer::new(&[dir.path().join("loose")]);
        assert_eq!(namer.folder(&loose), "loose//deeper/");
        assert_eq!(
            namer.file(&format!("{}/a.tf", dir.path().join("loose").display())),
            "loose//a.tf"
        );
    }
}
