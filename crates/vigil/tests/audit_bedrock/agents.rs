//! Bedrock agents and guardrails, audited live: an agent's guardrail,
//! session key and service role, a role two agents share; a guardrail's
//! filters and key.

use super::*;

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
