//! Vigil where users run it, each tested with the real tool where this
//! machine has it: the crate `cargo install` takes, the pre-commit hook
//! (pre-commit from PyPI), the GitHub Action's shell steps, the GitLab
//! job's script, the container image (built and run with buildah), the Kubernetes manifests
//! (kubernetes-validate) and the ECS template (cfn-lint). One test binary,
//! to link once.

#[path = "../support/mod.rs"]
mod support;

mod action;
mod container;
mod ecs;
mod gitlab;
mod kubernetes;
mod packaging;
mod pre_commit;

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The standard output of a command that must succeed.
pub fn stdout_of(command: &mut Command) -> String {
    let out = command.output().expect("running a command");
    assert!(
        out.status.success(),
        "{command:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The folder of the `vigil` under test, to put first on a tool's PATH.
pub fn vigil_dir() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_vigil")).parent().unwrap()
}

/// A program of the emulator venv (pre-commit, kubernetes-validate, cfn-lint).
pub fn venv_tool(name: &str) -> PathBuf {
    let tool = support::python().parent().unwrap().join(name);
    assert!(tool.exists(), "{} is not in the emulator venv", tool.display());
    tool
}

/// A YAML file as JSON, read by the venv's PyYAML; CloudFormation's short
/// tags become one-key maps (`!Ref X` is `{"Ref": "X"}`).
pub fn yaml(path: &Path) -> serde_json::Value {
    let script = r#"
import json, sys, yaml
def tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node, deep=True)}
    return {suffix: loader.construct_mapping(node, deep=True)}
yaml.SafeLoader.add_multi_constructor("!", tag)
print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))
"#;
    let text = stdout_of(Command::new(support::python()).args(["-c", script]).arg(path));
    let mut documents: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    if documents.len() == 1 {
        documents.remove(0)
    } else {
        serde_json::Value::Array(documents)
    }
}

/// A git repository in a fresh folder, with an author, for hooks to run in.
pub fn git_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["config", "user.email", "test@example.com"]);
    git(dir.path(), &["config", "user.name", "Vigil test"]);
    git(dir.path(), &["config", "commit.gpgsign", "false"]);
    dir
}

pub fn git(dir: &Path, args: &[&str]) -> String {
    stdout_of(Command::new("git").current_dir(dir).args(args))
}

/// A SageMaker model without network isolation (or with it, `fixed`).
pub fn model_template(fixed: bool) -> String {
    format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Model:\n    Type: AWS::SageMaker::Model\n    Properties:\n      ExecutionRoleArn: arn:aws:iam::123456789012:role/r\n      EnableNetworkIsolation: {fixed}\n      VpcConfig:\n        SecurityGroupIds: [sg-0123456789abcdef0]\n        Subnets: [subnet-0123456789abcdef0]\n      PrimaryContainer:\n        Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1\n"
    )
}
