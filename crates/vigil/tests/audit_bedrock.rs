//! Amazon Bedrock agents and guardrails audited live against the emulator,
//! through Bedrock's signed REST-JSON calls: each agent judged on its
//! guardrail and its session key (a key judged by what KMS says of it, not
//! by its spelling), each guardrail on its filters, and a resource that
//! cannot be read `unknown` for each of its rules, with the refusal.

mod support;

use serde_json::json;
use support::{audit_json, Emulator, FaultProxy};

const REGION: &str = "eu-west-1";
const RULES: &str = "bedrock-agent-guardrail,bedrock-agent-kms";

/// Creates agents through boto3: (name, guardrail id, session key).
fn agents(endpoint: &str, made: &[(&str, Option<&str>, Option<&str>)]) {
    let made = serde_json::to_string(made).unwrap();
    let script = format!(
        r#"
import boto3, json, sys
c = boto3.client('bedrock-agent', endpoint_url=sys.argv[1], region_name='{REGION}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
for name, guardrail, key in json.loads('{made}'):
    extra = {{}}
    if guardrail:
        extra['guardrailConfiguration'] = {{'guardrailIdentifier': guardrail, 'guardrailVersion': '1'}}
    if key:
        extra['customerEncryptionKeyArn'] = key
    c.create_agent(agentName=name, agentResourceRoleArn='arn:aws:iam::123456789012:role/agent',
                   foundationModel='anthropic.claude-3-5-sonnet-20240620-v1:0', **extra)
"#
    );
    support::python_scene(&script, endpoint);
}

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

#[test]
fn agents_are_judged_on_their_guardrail_and_their_session_key() {
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, REGION);
    let managed = aws_managed_key(&emulator.url);
    agents(
        &emulator.url,
        &[
            ("guarded", Some("a1b2c3d4e5f6"), Some(&key)),
            ("bare", None, None),
            ("managed-key", None, Some(&managed)),
        ],
    );
    let (code, report) = audit_json(&emulator.url, &["--regions", REGION, "--rules", RULES]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    let names = ["guarded", "bare", "managed-key"];
    assert_eq!(
        support::statuses_of(&report, "bedrock-agent-guardrail", REGION, &names),
        ["pass", "fail", "fail"]
    );
    // An AWS managed key named by its ARN fails: KMS says who manages it.
    assert_eq!(
        support::statuses_of(&report, "bedrock-agent-kms", REGION, &names),
        ["pass", "fail", "fail"]
    );
    let found = support::verdicts_for(&report, "bedrock-agent-guardrail");
    let guarded = &found[&(REGION.to_owned(), "guarded".to_owned())];
    assert_eq!(guarded["resource"]["type"], "AWS::Bedrock::Agent", "{guarded:#}");
    assert_eq!(guarded["resource"]["account"], "123456789012", "{guarded:#}");
    let arn = guarded["resource"]["arn"].as_str().unwrap();
    assert!(
        arn.starts_with("arn:aws:bedrock:eu-west-1:123456789012:agent/"),
        "{arn}"
    );
}

#[test]
fn an_agent_that_cannot_be_read_is_unknown_for_each_rule() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    agents(&emulator.url, &[("support-agent", None, None)]);
    // The listing (a POST with a page size) goes through; GetAgent is refused.
    proxy.set_rules(json!([
        {"service": "bedrock", "body": "maxResults", "latency": 1},
        {"service": "bedrock",
         "error": {"code": "AccessDeniedException", "status": 403,
                   "message": "User is not authorized to perform: bedrock:GetAgent"}},
    ]));
    let (code, report) = audit_json(&proxy.url, &["--regions", REGION, "--rules", RULES]);
    assert_eq!(code, 3, "nothing failed, but an agent could not be read: {report:#}");
    for rule in RULES.split(',') {
        let found = support::verdicts_for(&report, rule);
        assert_eq!(found.len(), 1, "{rule}: {report:#}");
        let (_, agent) = found.iter().next().unwrap();
        assert_eq!(agent["status"], "unknown", "{rule}: {agent:#}");
        // Named by its listed name, as a readable one is.
        assert_eq!(agent["resource"]["name"], "support-agent", "{agent:#}");
        let reason = agent["reason"].as_str().unwrap();
        assert!(reason.contains("access denied to bedrock:GetAgent"), "{rule}: {reason}");
    }
}

const GUARDRAIL_RULES: [&str; 4] = [
    "bedrock-guardrail-prompt-attack",
    "bedrock-guardrail-sensitive-information",
    "bedrock-guardrail-contextual-grounding",
    "bedrock-guardrail-kms",
];

/// Creates guardrails through boto3: (name, extra CreateGuardrail arguments).
fn guardrails(endpoint: &str, made: &[(&str, serde_json::Value)]) {
    let made = serde_json::to_string(made).unwrap();
    let script = format!(
        r#"
import boto3, json, sys
c = boto3.client('bedrock', endpoint_url=sys.argv[1], region_name='{REGION}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
for name, extra in json.loads('{made}'):
    c.create_guardrail(name=name, blockedInputMessaging='Sorry.', blockedOutputsMessaging='Sorry.', **extra)
"#
    );
    support::python_scene(&script, endpoint);
}

#[test]
fn guardrails_are_judged_on_their_filters_and_key() {
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, REGION);
    let managed = aws_managed_key(&emulator.url);
    guardrails(
        &emulator.url,
        &[
            (
                "strict",
                json!({
                    "contentPolicyConfig": {"filtersConfig": [
                        {"type": "PROMPT_ATTACK", "inputStrength": "HIGH", "outputStrength": "NONE"}]},
                    "sensitiveInformationPolicyConfig": {"piiEntitiesConfig": [{"type": "EMAIL", "action": "ANONYMIZE"}]},
                    "contextualGroundingPolicyConfig": {"filtersConfig": [
                        {"type": "GROUNDING", "threshold": 0.7}, {"type": "RELEVANCE", "threshold": 0.7}]},
                    "kmsKeyId": key,
                }),
            ),
            (
                "lenient",
                json!({
                    "contentPolicyConfig": {"filtersConfig": [
                        {"type": "PROMPT_ATTACK", "inputStrength": "LOW", "outputStrength": "NONE"}]},
                    "sensitiveInformationPolicyConfig": {"piiEntitiesConfig": [{"type": "EMAIL", "action": "NONE"}]},
                    "contextualGroundingPolicyConfig": {"filtersConfig": [{"type": "GROUNDING", "threshold": 0.7}]},
                    // An AWS managed key named by its ARN: KMS says who manages it.
                    "kmsKeyId": managed,
                }),
            ),
            ("bare", json!({})),
        ],
    );
    let (code, report) = audit_json(
        &emulator.url,
        &["--regions", REGION, "--rules", &GUARDRAIL_RULES.join(",")],
    );
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    for rule in GUARDRAIL_RULES {
        assert_eq!(
            support::statuses_of(&report, rule, REGION, &["strict", "lenient", "bare"]),
            ["pass", "fail", "fail"],
            "{rule}"
        );
    }
    let found = support::verdicts_for(&report, GUARDRAIL_RULES[1]);
    let lenient = &found[&(REGION.to_owned(), "lenient".to_owned())];
    assert_eq!(lenient["resource"]["type"], "AWS::Bedrock::Guardrail", "{lenient:#}");
    let message = lenient["message"].as_str().unwrap();
    assert!(message.contains("only detects"), "{message}");
    let arn = lenient["resource"]["arn"].as_str().unwrap();
    assert!(
        arn.starts_with("arn:aws:bedrock:eu-west-1:123456789012:guardrail/"),
        "{arn}"
    );
}

#[test]
fn a_guardrail_that_cannot_be_read_is_unknown_for_each_rule() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    guardrails(&emulator.url, &[("support-guardrail", json!({}))]);
    // The listing (the run's first Bedrock call) goes through; GetGuardrail is refused.
    proxy.set_rules(json!([
        {"service": "bedrock", "rate": {"count": 1, "window_s": 600}, "latency": 1},
        {"service": "bedrock",
         "error": {"code": "AccessDeniedException", "status": 403,
                   "message": "User is not authorized to perform: bedrock:GetGuardrail"}},
    ]));
    let (code, report) = audit_json(
        &proxy.url,
        &["--regions", REGION, "--rules", &GUARDRAIL_RULES.join(",")],
    );
    assert_eq!(code, 3, "nothing failed, but a guardrail could not be read: {report:#}");
    for rule in GUARDRAIL_RULES {
        let found = support::verdicts_for(&report, rule);
        assert_eq!(found.len(), 1, "{rule}: {report:#}");
        let (_, guardrail) = found.iter().next().unwrap();
        assert_eq!(guardrail["status"], "unknown", "{rule}: {guardrail:#}");
        assert_eq!(guardrail["resource"]["name"], "support-guardrail", "{guardrail:#}");
        let reason = guardrail["reason"].as_str().unwrap();
        assert!(
            reason.contains("access denied to bedrock:GetGuardrail"),
            "{rule}: {reason}"
        );
    }
}
