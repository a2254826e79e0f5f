//! Amazon Bedrock audited live against the emulator, through Bedrock's
//! signed REST-JSON calls: agents (`agents.rs`: guardrail, session key,
//! service role, a role shared), guardrails (their filters and key), flows
//! (`flows.rs`: a guardrail on each model node), VPCs (`network.rs`: a
//! runtime endpoint where models are invoked), IAM roles (`access.rs`: no
//! AmazonBedrockFullAccess), the
//! region's invocation logging (`logging.rs`: on where models are invoked,
//! its text, its destinations' keys), and prompts, custom, imported models
//! and batch jobs (`models.rs`: their keys, a custom model's training
//! network). A key is judged by what KMS says of it, not by its spelling,
//! and a resource that cannot be read is `unknown` for each of its rules,
//! with the refusal.

#[path = "../support/mod.rs"]
mod support;

mod access;
mod agents;
mod flows;
mod logging;
mod models;
mod network;

use serde_json::json;
use support::{audit_json, Emulator, FaultProxy};

const REGION: &str = "eu-west-1";

/// A model invoked in the region, as CloudWatch records it.
const INVOKED: &str = "client('cloudwatch').put_metric_data(Namespace='AWS/Bedrock', MetricData=[{'MetricName': 'Invocations', 'Dimensions': [{'Name': 'ModelId', 'Value': 'anthropic.claude-3-5-sonnet-20240620-v1:0'}], 'Value': 1}])";

/// The ARN of the AWS managed key `alias/aws/bedrock` stands for, which
/// KMS creates on first use.
fn aws_managed_key(endpoint: &str) -> String {
    let script = format!(
        "import boto3, sys\nk = boto3.client('kms', endpoint_url=sys.argv[1], region_name='{REGION}', aws_access_key_id='testing', aws_secret_access_key='testing')\nprint(k.describe_key(KeyId='alias/aws/bedrock')['KeyMetadata']['Arn'])\n"
    );
    String::from_utf8(support::python_scene(&script, endpoint))
        .unwrap()
        .trim()
        .to_owned()
}

/// Audits `rule` through the fault proxy with the kind's listing (the
/// run's first Bedrock call) let through and every `Get` refused: its
/// `count` findings, each unknown with the refusal of `get` as the reason.
fn each_unknown_when_gets_are_refused(
    url: &str,
    rule: &str,
    count: usize,
    get: &str,
) -> std::collections::BTreeMap<(String, String), serde_json::Value> {
    let proxy = FaultProxy::start(url);
    proxy.set_rules(json!([
        {"service": "bedrock", "rate": {"count": 1, "window_s": 600}, "latency": 1},
        {"service": "bedrock",
         "error": {"code": "AccessDeniedException", "status": 403, "message": "User is not authorized"}},
    ]));
    let (code, report) = audit_json(&proxy.url, &["--regions", REGION, "--rules", rule]);
    assert_eq!(code, 3, "{rule}: nothing failed, but it could not be read: {report:#}");
    let found = support::verdicts_for(&report, rule);
    assert_eq!(found.len(), count, "{rule}: {report:#}");
    for finding in found.values() {
        assert_eq!(finding["status"], "unknown", "{rule}: {finding:#}");
        let reason = finding["reason"].as_str().unwrap();
        assert!(reason.contains(&format!("access denied to {get}")), "{rule}: {reason}");
    }
    found
}

/// Runs `code` (boto3, `region` and the emulator's URL in scope) in the
/// emulator.
fn in_region(endpoint: &str, region: &str, code: &str) {
    let script = format!(
        "import boto3, sys\nregion = '{region}'\nclient = lambda name: boto3.client(name, endpoint_url=sys.argv[1], region_name=region, aws_access_key_id='testing', aws_secret_access_key='testing')\n{code}\n"
    );
    support::python_scene(&script, endpoint);
}

/// How a test makes resources in the emulator: (name, key or none).
type Make = fn(&str, &[(&str, Option<&str>)]);

/// Makes three resources with `make` (one under a customer key, one with
/// none, one under the AWS managed key named by its ARN) and audits
/// `rule`: pass, fail, fail, each reported as `type_name`. The report.
fn keyed_plain_and_managed(url: &str, rule: &str, make: Make, type_name: &str) -> serde_json::Value {
    let key = support::customer_key(url, REGION);
    let managed = aws_managed_key(url);
    make(
        url,
        &[("keyed", Some(&key)), ("plain", None), ("managed", Some(&managed))],
    );
    let (code, report) = audit_json(url, &["--regions", REGION, "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    assert_eq!(
        support::statuses_of(&report, rule, REGION, &["keyed", "plain", "managed"]),
        ["pass", "fail", "fail"]
    );
    let found = support::verdicts_for(&report, rule);
    let plain = &found[&(REGION.to_owned(), "plain".to_owned())];
    assert_eq!(plain["resource"]["type"], type_name, "{plain:#}");
    report
}
