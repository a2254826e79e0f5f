//! The Dockerfile, built and run with buildah (Debian's package, daemonless).
//! This machine reaches no image registry, so the two base images are
//! stand-ins made here: the binary under test as the `BINARY_IMAGE`, and for
//! the distroless runtime the same few files (the C libraries the binary
//! links, `/etc/passwd` with `nonroot`, its home). The runtime stage, the
//! part users run, is then built from the Dockerfile as written; the Rust
//! build stage, which needs Docker Hub, is checked for what it runs.

use crate::{model_template, repo, stdout_of};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Buildah {
    storage: tempfile::TempDir,
}

impl Buildah {
    fn new() -> Self {
        let found = Command::new("buildah").arg("--version").output();
        assert!(
            found.is_ok_and(|o| o.status.success()),
            "buildah is needed for the container test (Debian: apt-get install buildah; .ci/run installs it)"
        );
        Buildah {
            storage: tempfile::tempdir().unwrap(),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("buildah");
        command
            .arg("--root")
            .arg(self.storage.path().join("root"))
            .arg("--runroot")
            .arg(self.storage.path().join("run"))
            .args(["--storage-driver", "vfs"])
            .args(args)
            .env("BUILDAH_ISOLATION", "chroot");
        command
    }

    fn ok(&self, args: &[&str]) -> String {
        stdout_of(&mut self.command(args)).trim().to_string()
    }

    /// An image from scratch holding `files` (host path, image path, owner).
    fn image(&self, name: &str, files: &[(PathBuf, String, Option<&str>)]) {
        let container = self.ok(&["from", "scratch"]);
        for (from, to, owner) in files {
            let mut args = vec!["copy"];
            if let Some(owner) = owner {
                args.extend(["--chown", owner]);
            }
            args.extend([container.as_str(), from.to_str().unwrap(), to.as_str()]);
            self.ok(&args);
        }
        self.ok(&["commit", "-q", &container, name]);
        self.ok(&["rm", &container]);
    }

    fn run(&self, container: &str, mounts: &[String], args: &[&str]) -> Output {
        let mut command = self.command(&["run"]);
        for mount in mounts {
            command.args(["-v", mount]);
        }
        command.args([container, "--"]).args(args).output().unwrap()
    }
}

/// The shared libraries the binary loads, as `ldd` lists them.
fn linked_libraries(binary: &Path) -> Vec<PathBuf> {
    let listing = stdout_of(Command::new("ldd").arg(binary));
    listing
        .lines()
        .filter_map(|line| {
            let path = line.split("=>").last()?.split_whitespace().next()?;
            path.starts_with('/').then(|| PathBuf::from(path))
        })
        .collect()
}

#[test]
fn the_image_runs_vigil_as_nonroot_with_the_binary_alone() {
    let buildah = Buildah::new();
    let scratch = tempfile::tempdir().unwrap();
    // The binary under test, stripped as a release build would be.
    let binary = scratch.path().join("vigil");
    std::fs::copy(env!("CARGO_BIN_EXE_vigil"), &binary).unwrap();
    stdout_of(Command::new("strip").arg(&binary));
    buildah.image(
        "localhost/vigil-binary:test",
        &[(binary.clone(), "/usr/local/bin/vigil".into(), None)],
    );
    // The runtime stand-in: what distroless/cc holds that the binary uses.
    std::fs::create_dir_all(scratch.path().join("etc")).unwrap();
    std::fs::create_dir_all(scratch.path().join("home/nonroot")).unwrap();
    std::fs::write(
        scratch.path().join("etc/passwd"),
        "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n",
    )
    .unwrap();
    let mut files: Vec<(PathBuf, String, Option<&str>)> = linked_libraries(&binary)
        .into_iter()
        .map(|lib| (lib.clone(), lib.display().to_string(), None))
        .collect();
    files.push((scratch.path().join("etc"), "/etc".into(), None));
    files.push((scratch.path().join("home"), "/home".into(), Some("65532:65532")));
    buildah.image("localhost/vigil-runtime:test", &files);

    let context = tempfile::tempdir().unwrap();
    let dockerfile = repo().join("Dockerfile");
    buildah.ok(&[
        "build",
        "--pull=never",
        "--build-arg",
        "BINARY_IMAGE=localhost/vigil-binary:test",
        "--build-arg",
        "RUNTIME_IMAGE=localhost/vigil-runtime:test",
        "-f",
        dockerfile.to_str().unwrap(),
        "-t",
        "localhost/vigil:test",
        context.path().to_str().unwrap(),
    ]);
    let inspected: serde_json::Value =
        serde_json::from_str(&buildah.ok(&["inspect", "--type", "image", "localhost/vigil:test"])).unwrap();
    let config = &inspected["OCIv1"]["config"];
    assert_eq!(config["User"], "65532:65532");
    assert_eq!(config["Entrypoint"], serde_json::json!(["/usr/local/bin/vigil"]));
    assert_eq!(config["WorkingDir"], "/work");

    // The image is the runtime's files, the binary and the working folder.
    let container = buildah.ok(&["from", "localhost/vigil:test"]);
    let root = PathBuf::from(buildah.ok(&["mount", &container]));
    let mut found = BTreeSet::new();
    walk(&root, &root, &mut found);
    let mut expected: BTreeSet<String> = files
        .iter()
        .flat_map(|(from, to, _)| {
            let mut names = BTreeSet::new();
            if from.is_dir() {
                walk(from, from, &mut names);
                names.into_iter().map(|n| format!("{to}{n}")).collect::<Vec<_>>()
            } else {
                vec![to.clone()]
            }
        })
        .collect();
    expected.extend(["/usr/local/bin/vigil".to_string(), "/work".to_string()]);
    let found_files: BTreeSet<String> = found
        .iter()
        .filter(|f| !expected.iter().any(|e| e.starts_with(&format!("{f}/"))))
        .cloned()
        .collect();
    assert_eq!(found_files, expected);
    buildah.ok(&["umount", &container]);

    // It runs: the same version as the binary under test, a scan of a
    // mounted folder, the store under the user's home.
    let version = buildah.run(&container, &[], &["/usr/local/bin/vigil", "--version"]);
    let host = crate::support::vigil(&["--version"]);
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        String::from_utf8_lossy(&host.stdout)
    );
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(templates.path().join("model.yaml"), model_template(false)).unwrap();
    let mount = format!("{}:/work:ro", templates.path().display());
    let scan = buildah.run(
        &container,
        std::slice::from_ref(&mount),
        &["/usr/local/bin/vigil", "scan", "."],
    );
    let text = String::from_utf8_lossy(&scan.stdout);
    assert!(text.contains("sagemaker-model-network-isolation"), "{text}");
    assert!(!text.contains("not recorded"), "the store under $HOME: {text}");
    // Not root: a folder only root may write to refuses the store.
    let rootonly = tempfile::tempdir().unwrap();
    let writable = format!("{}:/out", rootonly.path().display());
    let denied = buildah.run(
        &container,
        &[mount, writable],
        &["/usr/local/bin/vigil", "scan", ".", "--store", "sqlite:///out/x.db"],
    );
    assert!(
        String::from_utf8_lossy(&denied.stdout).contains("unable to open database file"),
        "{}",
        String::from_utf8_lossy(&denied.stdout)
    );
    assert!(!rootonly.path().join("x.db").exists());
    buildah.ok(&["rm", &container]);
}

/// Every file and folder below `dir`, as absolute paths inside `root`.
fn walk(root: &Path, dir: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        found.insert(format!("/{}", path.strip_prefix(root).unwrap().display()));
        if path.is_dir() && !path.is_symlink() {
            walk(root, &path, found);
        }
    }
}

#[test]
fn the_build_stage_builds_the_release_binary_the_runtime_stage_copies() {
    let dockerfile = std::fs::read_to_string(repo().join("Dockerfile")).unwrap();
    let stages: Vec<&str> = dockerfile.split("\nFROM ").skip(1).collect();
    assert_eq!(stages.len(), 3, "build, binary, runtime");
    assert!(stages[0].starts_with("${RUST_IMAGE} AS build"));
    assert!(stages[0].contains("cargo build --release --locked -p vigil"));
    assert!(stages[0].contains("install -D target/release/vigil /usr/local/bin/vigil"));
    // The runtime stage adds one file, and runs as the non-root user the
    // Kubernetes manifests and the ECS task definitions name.
    let runtime = stages[2];
    let adds: Vec<&str> = runtime
        .lines()
        .filter(|l| l.starts_with("COPY") || l.starts_with("ADD") || l.starts_with("RUN"))
        .collect();
    assert_eq!(adds, ["COPY --from=binary /usr/local/bin/vigil /usr/local/bin/vigil"]);
    assert!(runtime.contains("\nUSER 65532:65532\n"));
    let ignored = std::fs::read_to_string(repo().join(".dockerignore")).unwrap();
    for heavy in ["target/", ".git/"] {
        assert!(ignored.lines().any(|l| l == heavy), "{heavy} is sent to the builder");
    }
}
