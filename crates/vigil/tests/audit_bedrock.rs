//! Amazon Bedrock agents, guardrails, prompts and custom models audited
//! live against the emulator, through Bedrock's signed REST-JSON calls:
//! each agent judged on its guardrail and its session key, each guardrail
//! on its filters and key, each prompt and custom model on its key (a key
//! judged by what KMS says of it, not by its spelling), and a resource
//! that cannot be read `unknown` for each of its rules, with the refusal.

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

/// Creates prompts through boto3: (name, customer key).
fn prompts(endpoint: &str, made: &[(&str, Option<&str>)]) {
    let made = serde_json::to_string(made).unwrap();
    let script = format!(
        r#"
import boto3, json, sys
c = boto3.client('bedrock-agent', endpoint_url=sys.argv[1], region_name='{REGION}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
variants = [{{'name': 'main', 'templateType': 'TEXT', 'templateConfiguration': {{'text': {{'text': 'Answer {{{{q}}}}'}}}}}}]
for name, key in json.loads('{made}'):
    extra = {{'customerEncryptionKeyArn': key}} if key else {{}}
    c.create_prompt(name=name, defaultVariant='main', variants=variants, **extra)
"#
    );
    support::python_scene(&script, endpoint);
}

/// Trains custom models through boto3 (the emulator completes the job at
/// once): (name, customer key).
fn custom_models(endpoint: &str, made: &[(&str, Option<&str>)]) {
    let made = serde_json::to_string(made).unwrap();
    let script = format!(
        r#"
import boto3, json, sys
c = boto3.client('bedrock', endpoint_url=sys.argv[1], region_name='{REGION}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
for name, key in json.loads('{made}'):
    extra = {{'customModelKmsKeyId': key}} if key else {{}}
    c.create_model_customization_job(jobName=name + '-tuning', customModelName=name,
        roleArn='arn:aws:iam::123456789012:role/customization', baseModelIdentifier='amazon.titan-text-express-v1',
        trainingDataConfig={{'s3Uri': 's3://acme-training/t.jsonl'}}, outputDataConfig={{'s3Uri': 's3://acme-training/o/'}},
        hyperParameters={{'epochCount': '1'}}, **extra)
"#
    );
    support::python_scene(&script, endpoint);
}

#[test]
fn prompts_and_custom_models_are_judged_on_their_key() {
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, REGION);
    let managed = aws_managed_key(&emulator.url);
    prompts(
        &emulator.url,
        &[("keyed", Some(&key)), ("plain", None), ("managed", Some(&managed))],
    );
    custom_models(
        &emulator.url,
        &[("keyed", Some(&key)), ("plain", None), ("managed", Some(&managed))],
    );
    let rules = "bedrock-prompt-kms,bedrock-custom-model-kms";
    let (code, report) = audit_json(&emulator.url, &["--regions", REGION, "--rules", rules]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    for rule in rules.split(',') {
        assert_eq!(
            support::statuses_of(&report, rule, REGION, &["keyed", "plain", "managed"]),
            ["pass", "fail", "fail"],
            "{rule}"
        );
    }
    let found = support::verdicts_for(&report, "bedrock-custom-model-kms");
    let plain = &found[&(REGION.to_owned(), "plain".to_owned())];
    assert_eq!(plain["resource"]["type"], "AWS::Bedrock::CustomModel", "{plain:#}");
    let found = support::verdicts_for(&report, "bedrock-prompt-kms");
    let plain = &found[&(REGION.to_owned(), "plain".to_owned())];
    assert_eq!(plain["resource"]["type"], "AWS::Bedrock::Prompt", "{plain:#}");
}

#[test]
fn a_prompt_or_custom_model_that_cannot_be_read_is_unknown() {
    for (rule, make, get) in [
        ("bedrock-prompt-kms", prompts as Make, "bedrock:GetPrompt"),
        ("bedrock-custom-model-kms", custom_models, "bedrock:GetCustomModel"),
    ] {
        let emulator = Emulator::start();
        make(&emulator.url, &[("support", None)]);
        let found = each_unknown_when_gets_are_refused(&emulator.url, rule, 1, get);
        let (_, finding) = found.iter().next().unwrap();
        assert_eq!(finding["resource"]["name"], "support", "{finding:#}");
    }
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

/// A model was invoked in `region`: Bedrock's metric of it in CloudWatch.
const INVOKED: &str = "client('cloudwatch').put_metric_data(Namespace='AWS/Bedrock', MetricData=[{'MetricName': 'Invocations', 'Dimensions': [{'Name': 'ModelId', 'Value': 'anthropic.claude-3-5-sonnet-20240620-v1:0'}], 'Value': 1}])";
const LOGGING_ON: &str = "client('bedrock').put_model_invocation_logging_configuration(loggingConfig={'s3Config': {'bucketName': 'acme-bedrock-logs'}, 'textDataDeliveryEnabled': True})";

#[test]
fn invocation_logging_is_judged_where_models_are_invoked_and_noted_elsewhere() {
    let emulator = Emulator::start();
    in_region(&emulator.url, "eu-west-1", INVOKED);
    in_region(&emulator.url, "us-east-1", &format!("{INVOKED}\n{LOGGING_ON}"));
    let rule = "bedrock-invocation-logging";
    let regions = "eu-west-1,us-east-1,eu-central-1";
    let (code, report) = audit_json(&emulator.url, &["--regions", regions, "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let status = |region: &str| found[&(region.to_owned(), "model-invocation-logging".to_owned())]["status"].clone();
    assert_eq!(status("eu-west-1"), "fail", "{report:#}");
    assert_eq!(status("us-east-1"), "pass", "{report:#}");
    // eu-central-1 invoked nothing: one note, no finding.
    assert_eq!(found.len(), 2, "{report:#}");
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    let unused: Vec<&&str> = notes.iter().filter(|n| n.contains("invoked no model")).collect();
    assert_eq!(unused.len(), 1, "{notes:?}");
    assert!(unused[0].contains("eu-central-1"), "{notes:?}");
    let failed = &found[&("eu-west-1".to_owned(), "model-invocation-logging".to_owned())];
    assert_eq!(
        failed["resource"]["type"], "AWS::Bedrock::ModelInvocationLogging",
        "{failed:#}"
    );
    assert_eq!(failed["resource"]["account"], "123456789012", "{failed:#}");
}

#[test]
fn logging_that_is_off_where_use_cannot_be_told_is_unknown() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([
        {"service": "cloudwatch",
         "error": {"code": "AccessDenied", "status": 403, "message": "User is not authorized to perform: cloudwatch:ListMetrics"}},
    ]));
    let rule = "bedrock-invocation-logging";
    let (code, report) = audit_json(&proxy.url, &["--regions", REGION, "--rules", rule]);
    assert_eq!(code, 3, "nothing failed, but use could not be told: {report:#}");
    let found = support::verdicts_for(&report, rule);
    assert_eq!(found.len(), 1, "{report:#}");
    let (_, finding) = found.iter().next().unwrap();
    assert_eq!(finding["status"], "unknown", "{finding:#}");
    let reason = finding["reason"].as_str().unwrap();
    assert!(reason.contains("cloudwatch:ListMetrics"), "{reason}");
}

#[test]
fn an_agent_is_judged_on_what_its_service_role_may_do() {
    let emulator = Emulator::start();
    let iam = r#"
import boto3, json, sys
iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1',
                   aws_access_key_id='testing', aws_secret_access_key='testing')
def doc(action, resource='*'):
    return json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': action, 'Resource': resource}]})
for role in ['narrow', 'all-of-s3', 'admin']:
    iam.create_role(RoleName=role, AssumeRolePolicyDocument='{}')
iam.put_role_policy(RoleName='narrow', PolicyName='invoke', PolicyDocument=doc('bedrock:InvokeModel'))
iam.put_role_policy(RoleName='all-of-s3', PolicyName='s3', PolicyDocument=doc('s3:*'))
admin = iam.create_policy(PolicyName='everything', PolicyDocument=doc('*'))['Policy']['Arn']
iam.attach_role_policy(RoleName='admin', PolicyArn=admin)
"#;
    support::python_scene(iam, &emulator.url);
    let script = format!(
        r#"
import boto3, sys
c = boto3.client('bedrock-agent', endpoint_url=sys.argv[1], region_name='{REGION}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
for name in ['narrow', 'all-of-s3', 'admin', 'deleted']:
    c.create_agent(agentName=name, agentResourceRoleArn='arn:aws:iam::123456789012:role/' + name,
                   foundationModel='anthropic.claude-3-5-sonnet-20240620-v1:0')
"#
    );
    support::python_scene(&script, &emulator.url);
    let rule = "bedrock-agent-role-least-privilege";
    let (code, report) = audit_json(&emulator.url, &["--regions", REGION, "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        support::statuses_of(&report, rule, REGION, &["narrow", "all-of-s3", "admin", "deleted"]),
        ["pass", "fail", "fail", "unknown"]
    );
    let found = support::verdicts_for(&report, rule);
    let message = found[&(REGION.to_owned(), "all-of-s3".to_owned())]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("s3 (statement 1)"), "{message}");
    let message = found[&(REGION.to_owned(), "admin".to_owned())]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("policy/everything"), "{message}");
}

/// Turns logging on in the region, to `bucket` (made with `encryption`,
/// S3's `ServerSideEncryptionConfiguration` rule, or none; not made at all
/// when `None`) and to a log group made with `group_key`.
fn logging_to(endpoint: &str, region: &str, bucket: Option<&str>, group_key: Option<&str>) {
    let bucket_made = match bucket {
        None => String::new(),
        Some(rule) => format!(
            "s3 = client('s3')\ns3.create_bucket(Bucket=name, **({{}} if region == 'us-east-1' else {{'CreateBucketConfiguration': {{'LocationConstraint': region}}}}))\nrule = {rule}\nif rule: s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={{'Rules': [rule]}})\n"
        ),
    };
    let group_key = group_key.map_or("{}".to_owned(), |k| format!("{{'kmsKeyId': '{k}'}}"));
    in_region(
        endpoint,
        region,
        &format!(
            "name = 'invocations-' + region\n{bucket_made}client('logs').create_log_group(logGroupName='/bedrock/' + region, **{group_key})\nclient('bedrock').put_model_invocation_logging_configuration(loggingConfig={{'s3Config': {{'bucketName': name}}, 'cloudWatchConfig': {{'logGroupName': '/bedrock/' + region, 'roleArn': 'arn:aws:iam::123456789012:role/logs'}}, 'textDataDeliveryEnabled': True}})"
        ),
    );
}

fn sse_kms(key: &str) -> String {
    format!("{{'ApplyServerSideEncryptionByDefault': {{'SSEAlgorithm': 'aws:kms', 'KMSMasterKeyID': '{key}'}}}}")
}

#[test]
fn invocation_log_destinations_are_judged_on_the_key_kms_says_they_use() {
    let emulator = Emulator::start();
    let url = &emulator.url;
    let mine = |region: &str| support::customer_key(url, region);
    // Under a customer key in both places: pass.
    let key = mine("us-east-1");
    logging_to(url, "us-east-1", Some(&sse_kms(&key)), Some(&key));
    // SSE-S3 (no default encryption rule): fail, though the group is keyed.
    let key = mine("eu-west-1");
    logging_to(url, "eu-west-1", Some("None"), Some(&key));
    // The AWS managed key for S3, named by its ARN: KMS says whose it is.
    let managed = String::from_utf8(support::python_scene(
        "import boto3, sys\nk = boto3.client('kms', endpoint_url=sys.argv[1], region_name='eu-central-1', aws_access_key_id='testing', aws_secret_access_key='testing')\nprint(k.describe_key(KeyId='alias/aws/s3')['KeyMetadata']['Arn'])\n",
        url,
    ))
    .unwrap();
    logging_to(
        url,
        "eu-central-1",
        Some(&sse_kms(managed.trim())),
        Some(&mine("eu-central-1")),
    );
    // A group without a key: fail.
    logging_to(url, "us-west-2", Some(&sse_kms(&mine("us-west-2"))), None);
    // A bucket that does not exist: unknown, with S3's answer.
    logging_to(url, "ap-south-1", None, Some(&mine("ap-south-1")));

    let rule = "bedrock-invocation-logs-kms";
    let regions = "us-east-1,eu-west-1,eu-central-1,us-west-2,ap-south-1";
    let (code, report) = audit_json(url, &["--regions", regions, "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let finding = |region: &str| found[&(region.to_owned(), "model-invocation-logging".to_owned())].clone();
    assert_eq!(finding("us-east-1")["status"], "pass", "{report:#}");
    for (region, said) in [
        (
            "eu-west-1",
            "s3://invocations-eu-west-1 encrypts them with the encryption AWS applies",
        ),
        (
            "eu-central-1",
            "s3://invocations-eu-central-1 encrypts them with the AWS managed key arn:aws:kms:eu-central-1:",
        ),
        (
            "us-west-2",
            "the log group /bedrock/us-west-2 encrypts them with the encryption AWS applies",
        ),
    ] {
        let failed = finding(region);
        assert_eq!(failed["status"], "fail", "{failed:#}");
        assert!(failed["message"].as_str().unwrap().contains(said), "{failed:#}");
    }
    let unknown = finding("ap-south-1");
    assert_eq!(unknown["status"], "unknown", "{unknown:#}");
    let reason = unknown["reason"].as_str().unwrap();
    assert!(
        reason.contains("invocations-ap-south-1 does not exist") && reason.contains("NoSuchBucket"),
        "{reason}"
    );
}

#[test]
fn invocation_log_destinations_that_cannot_be_read_are_unknown() {
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, REGION);
    logging_to(&emulator.url, REGION, Some(&sse_kms(&key)), Some(&key));
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([
        {"service": "s3",
         "error": {"code": "AccessDenied", "status": 403, "message": "User is not authorized to perform: s3:GetEncryptionConfiguration"}},
    ]));
    let rule = "bedrock-invocation-logs-kms";
    let (code, report) = audit_json(&proxy.url, &["--regions", REGION, "--rules", rule]);
    assert_eq!(code, 3, "nothing failed, but the bucket could not be read: {report:#}");
    let found = support::verdicts_for(&report, rule);
    let (_, finding) = found.iter().next().unwrap();
    assert_eq!(finding["status"], "unknown", "{finding:#}");
    let reason = finding["reason"].as_str().unwrap();
    assert!(
        reason.contains("s3:GetBucketEncryption") && reason.contains("AccessDenied"),
        "{reason}"
    );
}

#[test]
fn invocation_logging_is_judged_on_whether_it_records_text() {
    let emulator = Emulator::start();
    in_region(&emulator.url, "us-east-1", LOGGING_ON);
    in_region(&emulator.url, "eu-west-1", &LOGGING_ON.replace("True", "False"));
    let rule = "bedrock-invocation-logging-text";
    let regions = "us-east-1,eu-west-1,eu-central-1";
    let (code, report) = audit_json(&emulator.url, &["--regions", regions, "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let status = |region: &str| found[&(region.to_owned(), "model-invocation-logging".to_owned())]["status"].clone();
    assert_eq!(status("us-east-1"), "pass", "{report:#}");
    assert_eq!(status("eu-west-1"), "fail", "{report:#}");
    // Logging is off in eu-central-1: the logging rule's, not this one's.
    assert_eq!(found.len(), 2, "{report:#}");

    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([
        {"service": "bedrock",
         "error": {"code": "AccessDeniedException", "status": 403, "message": "not authorized to perform: bedrock:GetModelInvocationLoggingConfiguration"}},
    ]));
    let (code, report) = audit_json(&proxy.url, &["--regions", "us-east-1", "--rules", rule]);
    assert_eq!(code, 3, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let (_, finding) = found.iter().next().unwrap();
    assert_eq!(finding["status"], "unknown", "{finding:#}");
    assert!(
        finding["reason"].as_str().unwrap().contains("AccessDenied"),
        "{finding:#}"
    );
}

#[test]
fn custom_models_are_judged_on_the_network_of_the_job_that_made_them() {
    let emulator = Emulator::start();
    custom_models(&emulator.url, &[("open", None)]);
    in_region(
        &emulator.url,
        REGION,
        "client('bedrock').create_model_customization_job(jobName='walled-tuning', customModelName='walled', roleArn='arn:aws:iam::123456789012:role/customization', baseModelIdentifier='amazon.titan-text-express-v1', trainingDataConfig={'s3Uri': 's3://acme-training/t.jsonl'}, outputDataConfig={'s3Uri': 's3://acme-training/o/'}, hyperParameters={'epochCount': '1'}, vpcConfig={'subnetIds': ['subnet-0a1b2c3d'], 'securityGroupIds': ['sg-0123abcd']})",
    );
    let rule = "bedrock-custom-model-vpc";
    let (code, report) = audit_json(&emulator.url, &["--regions", REGION, "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    assert_eq!(
        support::statuses_of(&report, rule, REGION, &["walled", "open"]),
        ["pass", "fail"]
    );

    // The models are listed and described; the job behind each is refused.
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([
        {"service": "bedrock", "rate": {"count": 3, "window_s": 600}, "latency": 1},
        {"service": "bedrock",
         "error": {"code": "AccessDeniedException", "status": 403, "message": "User is not authorized"}},
    ]));
    let (code, report) = audit_json(
        &proxy.url,
        &["--regions", REGION, "--rules", rule, "--concurrency", "1"],
    );
    assert_eq!(code, 3, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    assert_eq!(found.len(), 2, "{report:#}");
    for finding in found.values() {
        assert_eq!(finding["status"], "unknown", "{finding:#}");
        let reason = finding["reason"].as_str().unwrap();
        assert!(
            reason.contains("access denied to bedrock:GetModelCustomizationJob"),
            "{reason}"
        );
    }
}

/// Creates an agent named `name` acting as `role` in `region`.
fn agent_as(endpoint: &str, region: &str, name: &str, role: &str) {
    in_region(
        endpoint,
        region,
        &format!("client('bedrock-agent').create_agent(agentName='{name}', agentResourceRoleArn='arn:aws:iam::123456789012:role/{role}', foundationModel='anthropic.claude-3-5-sonnet-20240620-v1:0')"),
    );
}

#[test]
fn agents_that_share_a_role_across_regions_fail_and_what_was_not_listed_is_unknown() {
    let emulator = Emulator::start();
    agent_as(&emulator.url, "eu-west-1", "chat", "shared");
    agent_as(&emulator.url, "eu-west-1", "search", "search");
    agent_as(&emulator.url, "us-east-1", "billing", "shared");
    let rule = "bedrock-agent-role-dedicated";
    let regions = "eu-west-1,us-east-1";
    let (code, report) = audit_json(&emulator.url, &["--regions", regions, "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    assert_eq!(
        support::statuses_of(&report, rule, "eu-west-1", &["chat", "search"]),
        ["fail", "pass"]
    );
    assert_eq!(support::statuses_of(&report, rule, "us-east-1", &["billing"]), ["fail"]);
    let found = support::verdicts_for(&report, rule);
    let chat = &found[&("eu-west-1".to_owned(), "chat".to_owned())];
    assert!(
        chat["message"].as_str().unwrap().contains("billing (us-east-1)"),
        "{chat:#}"
    );

    // us-east-1's agents cannot be listed: billing may share either role.
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([
        {"service": "bedrock", "region": "us-east-1",
         "error": {"code": "AccessDeniedException", "status": 403, "message": "User is not authorized"}},
    ]));
    let (code, report) = audit_json(&proxy.url, &["--regions", regions, "--rules", rule]);
    assert_eq!(code, 3, "{report:#}");
    assert_eq!(
        support::statuses_of(&report, rule, "eu-west-1", &["chat", "search"]),
        ["unknown", "unknown"]
    );
    let found = support::verdicts_for(&report, rule);
    let search = &found[&("eu-west-1".to_owned(), "search".to_owned())];
    let reason = search["reason"].as_str().unwrap();
    assert!(reason.contains("the agents of us-east-1 could not be read"), "{reason}");
}

/// Imports models through boto3 (the emulator completes the job at
/// once): (name, key or none).
fn imported_models(endpoint: &str, made: &[(&str, Option<&str>)]) {
    for (name, key) in made {
        let key = key.map_or(String::new(), |k| format!(", importedModelKmsKeyId='{k}'"));
        in_region(
            endpoint,
            REGION,
            &format!("client('bedrock').create_model_import_job(jobName='{name}-import', importedModelName='{name}', roleArn='arn:aws:iam::123456789012:role/import', modelDataSource={{'s3DataSource': {{'s3Uri': 's3://acme-models/{name}/'}}}}{key})"),
        );
    }
}

#[test]
fn imported_models_are_judged_on_their_key_and_unknown_when_unreadable() {
    let emulator = Emulator::start();
    let rule = "bedrock-imported-model-kms";
    keyed_plain_and_managed(&emulator.url, rule, imported_models, "AWS::Bedrock::ImportedModel");
    each_unknown_when_gets_are_refused(&emulator.url, rule, 3, "bedrock:GetImportedModel");
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

/// Submits batch inference jobs through boto3: (name, output key or none).
fn batch_jobs(endpoint: &str, made: &[(&str, Option<&str>)]) {
    for (name, key) in made {
        let key = key.map_or(String::new(), |k| format!(", 's3EncryptionKeyId': '{k}'"));
        in_region(
            endpoint,
            REGION,
            &format!("client('bedrock').create_model_invocation_job(jobName='{name}', roleArn='arn:aws:iam::123456789012:role/batch', modelId='anthropic.claude-3-5-sonnet-20240620-v1:0', inputDataConfig={{'s3InputDataConfig': {{'s3Uri': 's3://acme-batch/in/'}}}}, outputDataConfig={{'s3OutputDataConfig': {{'s3Uri': 's3://acme-batch/out/'{key}}}}})"),
        );
    }
}

#[test]
fn batch_inference_jobs_of_the_window_are_judged_on_their_output_key() {
    let emulator = Emulator::start();
    let rule = "bedrock-invocation-job-kms";
    let report = keyed_plain_and_managed(&emulator.url, rule, batch_jobs, "AWS::Bedrock::ModelInvocationJob");
    assert_eq!(
        support::calls(&report, "bedrock:GetModelInvocationJob", "attempts"),
        3,
        "{report:#}"
    );

    // Jobs submitted before the window are not judged (nor described):
    // a window that starts now, a second after the last job.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (_, report) = audit_json(&emulator.url, &["--regions", REGION, "--rules", rule, "--since", "0d"]);
    assert_eq!(support::verdicts_for(&report, rule).len(), 0, "{report:#}");
    assert_eq!(
        support::calls(&report, "bedrock:GetModelInvocationJob", "attempts"),
        0,
        "{report:#}"
    );

    each_unknown_when_gets_are_refused(&emulator.url, rule, 3, "bedrock:GetModelInvocationJob");
}
