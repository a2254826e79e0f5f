//! The audit role under `deploy/` (CloudFormation and Terraform) grants
//! exactly what the README's "IAM permissions" policy lists, that policy
//! covers every call the collectors make, and Vigil's own scan reads the
//! templates cleanly.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `service:Action` token of `text` for the services the audit reads.
fn actions(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == ':' || c == '-'))
        .filter(|t| {
            t.split_once(':').is_some_and(|(service, action)| {
                matches!(
                    service,
                    "sagemaker" | "ec2" | "iam" | "kms" | "bedrock-agentcore" | "bedrock" | "cloudwatch"
                ) && action.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            })
        })
        .map(str::to_owned)
        .collect()
}

/// The README's read-only audit policy: the JSON block under "IAM permissions".
fn readme_policy() -> BTreeSet<String> {
    let readme = read("README.md");
    let section = readme
        .split("### IAM permissions")
        .nth(1)
        .expect("an IAM permissions section");
    let block = section
        .split("```json")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a JSON policy");
    actions(block)
}

fn camel(snake: &str) -> String {
    snake.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect()
}

#[test]
fn the_templates_grant_exactly_the_readme_policy() {
    let policy = readme_policy();
    assert!(policy.len() > 10, "{policy:?}");
    let cloudformation = actions(&read("deploy/audit-role.yaml"));
    assert_eq!(cloudformation, policy, "deploy/audit-role.yaml");
    let terraform = actions(&read("deploy/terraform/audit-role/main.tf"));
    assert_eq!(terraform, policy, "deploy/terraform/audit-role/main.tf");
}

#[test]
fn the_readme_policy_covers_every_call_the_audit_makes() {
    // Helpers of the collectors that are named like operations.
    let not_audit_calls = [
        "describe_all",
        "describe_each",
        "list_op",
        "list_pages",
        "list_operation",
    ];
    let mut called = BTreeSet::new();
    let collectors = std::fs::read_dir(repo().join("crates/vigil-aws/src/collect"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .chain([repo().join("crates/vigil-aws/src/regions.rs")]);
    // SageMaker through its SDK client: `list_models`, `describe_model`, ….
    for path in collectors {
        let source = std::fs::read_to_string(&path).unwrap();
        for word in source.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if (word.starts_with("list_") || word.starts_with("describe_")) && !not_audit_calls.contains(&word) {
                let service = if word == "describe_regions" { "ec2" } else { "sagemaker" };
                called.insert(format!("{service}:{}", camel(word)));
            }
        }
    }
    // IAM, EC2, KMS and AgentCore through signed calls, each named
    // `"iam:GetRole"`, wherever they are made.
    let sources = ["crates/vigil-aws/src", "crates/vigil-aws/src/collect"]
        .into_iter()
        .flat_map(|dir| std::fs::read_dir(repo().join(dir)).unwrap());
    for entry in sources {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            for quoted in source.split('"').skip(1).step_by(2) {
                let signed = ["iam:", "ec2:", "kms:", "bedrock-agentcore:", "bedrock:", "cloudwatch:"];
                let by_query = signed.iter().any(|prefix| quoted.starts_with(prefix));
                if by_query && actions(quoted).contains(quoted) {
                    called.insert(quoted.to_owned());
                }
            }
        }
    }
    assert!(
        called.contains("iam:GetRole")
            && called.contains("ec2:DescribeRegions")
            && called.contains("kms:DescribeKey")
            && called.contains("bedrock-agentcore:GetAgentRuntime"),
        "{called:?}"
    );
    assert!(called.len() > 10, "{called:?}");
    let policy = readme_policy();
    let missing: Vec<_> = called.difference(&policy).collect();
    assert!(
        missing.is_empty(),
        "the audit calls what the README's policy does not grant: {missing:?}"
    );
    let unused: Vec<_> = policy.difference(&called).collect();
    assert!(
        unused.is_empty(),
        "the README's policy grants what the audit never calls: {unused:?}"
    );
}

#[test]
fn vigil_scans_its_own_deploy_templates_cleanly() {
    let deploy = repo().join("deploy");
    let out = support::vigil(&["scan", deploy.to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(report["files"]["unparsable"], 0, "{report:#}");
    assert!(report["files"]["templates"].as_u64().unwrap() >= 4, "{report:#}");
    assert_eq!(report["errors"], serde_json::json!([]));
}
