//! Bedrock AgentCore audited live against the emulator, through the signed
//! REST-JSON calls: each runtime's network mode judged, a runtime that
//! cannot be read `unknown` with the refusal, a listing that fails an
//! error, and a region where AgentCore is not offered one note, never a
//! page of unknowns or a failure.

mod support;

use serde_json::json;
use support::{audit_json, Emulator, FaultProxy};

const REGION: &str = "eu-west-1";
const RULE: &str = "agentcore-runtime-vpc";

/// Creates agent runtimes through boto3: (name, network mode).
fn runtimes(endpoint: &str, made: &[(&str, &str)]) {
    let made = serde_json::to_string(made).unwrap();
    let script = format!(
        r#"
import boto3, json, sys
c = boto3.client('bedrock-agentcore-control', endpoint_url=sys.argv[1], region_name='{REGION}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
art = {{'containerConfiguration': {{'containerUri': '123456789012.dkr.ecr.{REGION}.amazonaws.com/agent:1'}}}}
for name, mode in json.loads('{made}'):
    network = {{'networkMode': mode}}
    if mode == 'VPC':
        network['networkModeConfig'] = {{'subnets': ['subnet-0a1b2c3d'], 'securityGroups': ['sg-0123abcd']}}
    c.create_agent_runtime(agentRuntimeName=name, agentRuntimeArtifact=art,
                           roleArn='arn:aws:iam::123456789012:role/agent', networkConfiguration=network)
"#
    );
    support::python_scene(&script, endpoint);
}

#[test]
fn each_runtime_is_judged_on_its_network_mode() {
    let emulator = Emulator::start();
    runtimes(&emulator.url, &[("public_agent", "PUBLIC"), ("private_agent", "VPC")]);
    let (code, report) = audit_json(&emulator.url, &["--regions", REGION, "--rules", RULE]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    let statuses = support::statuses_of(&report, RULE, REGION, &["public_agent", "private_agent"]);
    assert_eq!(statuses, ["fail", "pass"], "{report:#}");
    let found = support::verdicts_for(&report, RULE);
    let public = &found[&(REGION.to_owned(), "public_agent".to_owned())];
    assert_eq!(
        public["resource"]["type"], "AWS::BedrockAgentCore::Runtime",
        "{public:#}"
    );
    assert!(
        public["message"].as_str().unwrap().contains("PUBLIC network mode"),
        "{public:#}"
    );
    assert!(
        support::calls(&report, "bedrock-agentcore:GetAgentRuntime", "operations") == 2,
        "{report:#}"
    );
}

#[test]
fn a_runtime_that_cannot_be_read_is_unknown_and_a_failed_listing_is_an_error() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    runtimes(&emulator.url, &[("hidden_agent", "PUBLIC")]);
    // The proxy cannot name AgentCore's REST operations: the listing (a
    // POST of `{}`) is let through by the first rule, the GET is refused.
    proxy.set_rules(json!([
        {"service": "bedrock-agentcore", "body": "@ == `{}`", "latency": 1},
        {"service": "bedrock-agentcore",
         "error": {"code": "AccessDeniedException", "status": 403,
                   "message": "User is not authorized to perform: bedrock-agentcore:GetAgentRuntime"}},
    ]));
    let (code, report) = audit_json(&proxy.url, &["--regions", REGION, "--rules", RULE]);
    assert_eq!(code, 3, "nothing failed, but a runtime could not be read: {report:#}");
    let found = support::verdicts_for(&report, RULE);
    let hidden = &found[&(REGION.to_owned(), "hidden_agent".to_owned())];
    assert_eq!(hidden["status"], "unknown", "{hidden:#}");
    let reason = hidden["reason"].as_str().unwrap();
    assert!(
        reason.contains("access denied to bedrock-agentcore:GetAgentRuntime"),
        "{reason}"
    );

    proxy.set_rules(json!([
        {"service": "bedrock-agentcore", "body": "@ == `{}`",
         "error": {"code": "AccessDeniedException", "status": 403,
                   "message": "User is not authorized to perform: bedrock-agentcore:ListAgentRuntimes"}},
    ]));
    let (code, report) = audit_json(&proxy.url, &["--regions", REGION, "--rules", RULE]);
    assert_eq!(code, 3, "{report:#}");
    assert!(support::verdicts_for(&report, RULE).is_empty(), "{report:#}");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["operation"], "bedrock-agentcore:ListAgentRuntimes");
    assert!(
        errors[0]["message"].as_str().unwrap().contains("access denied"),
        "{report:#}"
    );
}

#[test]
fn a_region_without_agentcore_is_one_note_and_a_listed_region_that_fails_is_an_error() {
    not_offered_is_a_note(
        RULE,
        "AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL",
        ["eu-south-1", "eu-south-2"],
    );
}

#[test]
fn a_region_without_knowledge_bases_is_one_note_and_a_listed_region_that_fails_is_an_error() {
    not_offered_is_a_note(
        "bedrock-data-source-kms",
        "AWS_ENDPOINT_URL_BEDROCK_AGENT",
        ["af-south-1", "me-south-1"],
    );
}

/// The service's endpoint does not resolve, as in a region without it;
/// every other service answers from the emulator. The two `unlisted`
/// regions (outside AWS's list for the service) are one note each, and
/// eu-west-1 (listed) an error.
fn not_offered_is_a_note(rule: &str, endpoint_variable: &str, unlisted: [&str; 2]) {
    let emulator = Emulator::start();
    let regions = format!("{},{},{REGION}", unlisted[0], unlisted[1]);
    let out = support::vigil_command(&[
        "audit",
        "--format",
        "json",
        "--no-store",
        "--regions",
        &regions,
        "--rules",
        rule,
    ])
    .env("AWS_ENDPOINT_URL", &emulator.url)
    .env(endpoint_variable, "http://bedrock-service.invalid")
    .output()
    .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    let not_offered: Vec<&&str> = notes.iter().filter(|n| n.contains("not offered")).collect();
    assert_eq!(
        not_offered.len(),
        2,
        "one note per region without the service: {notes:?}"
    );
    assert!(
        not_offered[0].contains(unlisted[0]) && not_offered[1].contains(unlisted[1]),
        "{notes:?}"
    );
    assert!(support::verdicts_for(&report, rule).is_empty(), "{report:#}");
    // eu-west-1 has the service: that it cannot be reached is an error.
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["region"], REGION, "{report:#}");
    assert_eq!(out.status.code(), Some(3), "{report:#}");
}

#[test]
fn gateways_and_memories_are_judged_on_their_authorizer_key_and_errors() {
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, REGION);
    let script = format!(
        r#"
import boto3, sys
c = boto3.client('bedrock-agentcore-control', endpoint_url=sys.argv[1], region_name='{REGION}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
role = 'arn:aws:iam::123456789012:role/gateway'
c.create_gateway(name='open-gateway', roleArn=role, protocolType='MCP', authorizerType='NONE')
c.create_gateway(name='keyed-gateway', roleArn=role, protocolType='MCP', authorizerType='AWS_IAM', kmsKeyArn='{key}')
c.create_gateway(name='chatty-gateway', roleArn=role, protocolType='MCP', authorizerType='AWS_IAM', exceptionLevel='DEBUG')
engine = {{'arn': 'arn:aws:bedrock-agentcore:{REGION}:123456789012:policy-engine/tools', 'mode': 'LOG_ONLY'}}
c.create_gateway(name='logging-gateway', roleArn=role, protocolType='MCP', authorizerType='AWS_IAM',
                 policyEngineConfiguration=engine)
c.create_memory(name='keyed_memory', eventExpiryDuration=30, encryptionKeyArn='{key}')
c.create_memory(name='plain_memory', eventExpiryDuration=30)
"#
    );
    support::python_scene(&script, &emulator.url);
    let rules = [
        "agentcore-gateway-authorizer",
        "agentcore-gateway-kms",
        "agentcore-gateway-debug-errors",
        "agentcore-gateway-policy-enforced",
        "agentcore-memory-kms",
    ]
    .join(",");
    let (code, report) = audit_json(&emulator.url, &["--regions", REGION, "--rules", &rules]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    let gateways = ["open-gateway", "keyed-gateway", "chatty-gateway"];
    assert_eq!(
        support::statuses_of(&report, "agentcore-gateway-authorizer", REGION, &gateways),
        ["fail", "pass", "pass"]
    );
    assert_eq!(
        support::statuses_of(&report, "agentcore-gateway-kms", REGION, &gateways),
        ["fail", "pass", "fail"]
    );
    assert_eq!(
        support::statuses_of(&report, "agentcore-gateway-debug-errors", REGION, &gateways),
        ["pass", "pass", "fail"]
    );
    assert_eq!(
        support::statuses_of(
            &report,
            "agentcore-gateway-policy-enforced",
            REGION,
            &["keyed-gateway", "logging-gateway"]
        ),
        ["pass", "fail"]
    );
    // A memory is listed by id and named by its description.
    assert_eq!(
        support::statuses_of(
            &report,
            "agentcore-memory-kms",
            REGION,
            &["keyed_memory", "plain_memory"]
        ),
        ["pass", "fail"]
    );
    // KMS was asked of the customer key, once.
    assert_eq!(
        support::calls(&report, "kms:DescribeKey", "operations"),
        1,
        "{report:#}"
    );
}

#[test]
fn custom_browsers_and_code_interpreters_are_judged_on_their_network_and_recording() {
    let emulator = Emulator::start();
    let script = format!(
        r#"
import boto3, sys
c = boto3.client('bedrock-agentcore-control', endpoint_url=sys.argv[1], region_name='{REGION}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
vpc = {{'networkMode': 'VPC', 'vpcConfig': {{'subnets': ['subnet-0a1b2c3d'], 'securityGroups': ['sg-0123abcd']}}}}
c.create_browser(name='open_browser', networkConfiguration={{'networkMode': 'PUBLIC'}})
c.create_browser(name='recorded_browser', networkConfiguration=vpc,
                 recording={{'enabled': True, 's3Location': {{'bucket': 'acme-recordings', 'prefix': 'r/'}}}})
for name, mode in [('open_interpreter', 'PUBLIC'), ('sandbox_interpreter', 'SANDBOX')]:
    c.create_code_interpreter(name=name, networkConfiguration={{'networkMode': mode}})
c.create_code_interpreter(name='private_interpreter', networkConfiguration=vpc)
"#
    );
    support::python_scene(&script, &emulator.url);
    let rules = "agentcore-browser-network,agentcore-browser-recording,agentcore-code-interpreter-network";
    let (code, report) = audit_json(&emulator.url, &["--regions", REGION, "--rules", rules]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    let browsers = ["open_browser", "recorded_browser"];
    assert_eq!(
        support::statuses_of(&report, "agentcore-browser-network", REGION, &browsers),
        ["fail", "pass"]
    );
    assert_eq!(
        support::statuses_of(&report, "agentcore-browser-recording", REGION, &browsers),
        ["fail", "pass"]
    );
    let interpreters = ["open_interpreter", "sandbox_interpreter", "private_interpreter"];
    assert_eq!(
        support::statuses_of(&report, "agentcore-code-interpreter-network", REGION, &interpreters),
        ["fail", "fail", "pass"]
    );
}

#[test]
fn knowledge_base_data_sources_are_judged_on_their_key() {
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, REGION);
    let (base, _) = support::knowledge_base(&emulator.url, REGION, &[("keyed", Some(&key)), ("plain", None)]);
    let rule = "bedrock-data-source-kms";
    let (code, report) = audit_json(&emulator.url, &["--regions", REGION, "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    let names = [format!("{base}/keyed"), format!("{base}/plain")];
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    assert_eq!(support::statuses_of(&report, rule, REGION, &names), ["pass", "fail"]);
    let found = support::verdicts_for(&report, rule);
    let plain = &found[&(REGION.to_owned(), names[1].to_owned())];
    assert_eq!(plain["resource"]["type"], "AWS::Bedrock::DataSource", "{plain:#}");
    assert_eq!(plain["resource"]["account"], "123456789012", "{plain:#}");
}

#[test]
fn a_data_source_that_cannot_be_read_is_unknown_and_its_neighbours_are_judged() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    let (base, _) = support::knowledge_base(&emulator.url, REGION, &[("plain", None)]);
    // The listings (POSTs with a page size) go through; the GET is refused.
    proxy.set_rules(json!([
        {"service": "bedrock", "body": "maxResults", "latency": 1},
        {"service": "bedrock",
         "error": {"code": "AccessDeniedException", "status": 403,
                   "message": "User is not authorized to perform: bedrock:GetDataSource"}},
    ]));
    let rule = "bedrock-data-source-kms";
    let (code, report) = audit_json(&proxy.url, &["--regions", REGION, "--rules", rule]);
    assert_eq!(
        code, 3,
        "nothing failed, but a data source could not be read: {report:#}"
    );
    let found = support::verdicts_for(&report, rule);
    assert_eq!(found.len(), 1, "{report:#}");
    let (_, source) = found.iter().next().unwrap();
    assert_eq!(source["status"], "unknown", "{source:#}");
    // Named as a readable one is: by its knowledge base and its listed name.
    assert_eq!(source["resource"]["name"], format!("{base}/plain"), "{source:#}");
    let reason = source["reason"].as_str().unwrap();
    assert!(reason.contains("access denied to bedrock:GetDataSource"), "{reason}");
}

#[test]
fn a_runtime_that_acts_for_users_is_judged_on_the_identity_it_receives() {
    let emulator = Emulator::start();
    let script = format!(
        r#"
import boto3, sys
c = boto3.client('bedrock-agentcore-control', endpoint_url=sys.argv[1], region_name='{REGION}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
art = {{'containerConfiguration': {{'containerUri': '123456789012.dkr.ecr.{REGION}.amazonaws.com/agent:1'}}}}
jwt = {{'customJWTAuthorizer': {{'discoveryUrl': 'https://idp.example.com/.well-known/openid-configuration',
                                 'allowedClients': ['support-web']}}}}
common = dict(agentRuntimeArtifact=art, roleArn='arn:aws:iam::123456789012:role/agent',
              networkConfiguration={{'networkMode': 'PUBLIC'}})
c.create_agent_runtime(agentRuntimeName='iam_agent', **common)
c.create_agent_runtime(agentRuntimeName='token_kept_agent', authorizerConfiguration=jwt, **common)
c.create_agent_runtime(agentRuntimeName='propagating_agent', authorizerConfiguration=jwt,
                       requestHeaderConfiguration={{'requestHeaderAllowlist': ['Authorization']}}, **common)
"#
    );
    support::python_scene(&script, &emulator.url);
    let rule = "agentcore-runtime-identity-propagation";
    // Opt-in: a default audit does not run it.
    let (_, default) = audit_json(&emulator.url, &["--regions", REGION]);
    assert!(support::verdicts_for(&default, rule).is_empty(), "{default:#}");
    let (code, report) = audit_json(&emulator.url, &["--regions", REGION, "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let names = ["iam_agent", "token_kept_agent", "propagating_agent"];
    assert_eq!(
        support::statuses_of(&report, rule, REGION, &names),
        ["fail", "fail", "pass"]
    );
}

/// For each AgentCore kind: the resource the scene made, and the rules
/// that judge it.
const KINDS: &[(&str, &str, &[&str])] = &[
    (
        "c.create_agent_runtime(agentRuntimeName='support_agent', roleArn='arn:aws:iam::123456789012:role/a', agentRuntimeArtifact={'containerConfiguration': {'containerUri': '123456789012.dkr.ecr.eu-west-1.amazonaws.com/a:1'}}, networkConfiguration={'networkMode': 'PUBLIC'})",
        "support_agent",
        &["agentcore-runtime-vpc", "agentcore-runtime-identity-propagation"],
    ),
    (
        "c.create_gateway(name='tools-gateway', roleArn='arn:aws:iam::123456789012:role/g', protocolType='MCP', authorizerType='AWS_IAM')",
        "tools-gateway",
        &[
            "agentcore-gateway-authorizer",
            "agentcore-gateway-kms",
            "agentcore-gateway-debug-errors",
            "agentcore-gateway-policy-enforced",
        ],
    ),
    (
        "c.create_memory(name='support_memory', eventExpiryDuration=30)",
        "support_memory",
        &["agentcore-memory-kms"],
    ),
    (
        "c.create_browser(name='research_browser', networkConfiguration={'networkMode': 'PUBLIC'})",
        "research_browser",
        &["agentcore-browser-network", "agentcore-browser-recording"],
    ),
    (
        "c.create_code_interpreter(name='analysis', networkConfiguration={'networkMode': 'PUBLIC'})",
        "analysis",
        &["agentcore-code-interpreter-network"],
    ),
];

#[test]
fn every_agentcore_kind_that_cannot_be_described_is_unknown_for_each_of_its_rules() {
    // One emulator holds one resource of each kind; each kind is audited
    // alone, so its listing is the run's first AgentCore call.
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    let creates: Vec<&str> = KINDS.iter().map(|(create, ..)| *create).collect();
    let script = format!(
        "import boto3, sys\nc = boto3.client('bedrock-agentcore-control', endpoint_url=sys.argv[1], region_name='{REGION}', aws_access_key_id='testing', aws_secret_access_key='testing')\n{}\n",
        creates.join("\n")
    );
    support::python_scene(&script, &emulator.url);
    for (_, name, rules) in KINDS {
        // The listing goes through; every description after it is refused
        // (rules set afresh start their count afresh).
        proxy.set_rules(json!([
            {"service": "bedrock-agentcore", "rate": {"count": 1, "window_s": 600}, "latency": 1},
            {"service": "bedrock-agentcore",
             "error": {"code": "AccessDeniedException", "status": 403, "message": "User is not authorized"}},
        ]));
        let (code, report) = audit_json(&proxy.url, &["--regions", REGION, "--rules", &rules.join(",")]);
        assert_eq!(code, 3, "{name}: nothing failed, but it could not be read: {report:#}");
        for rule in rules.iter() {
            let found = support::verdicts_for(&report, rule);
            let (_, finding) = found.iter().next().unwrap_or_else(|| panic!("{rule}: {report:#}"));
            assert_eq!(found.len(), 1, "{rule}: {report:#}");
            assert_eq!(finding["status"], "unknown", "{rule} on {name}: {finding:#}");
            let reason = finding["reason"].as_str().unwrap();
            assert!(
                reason.contains("access denied to bedrock-agentcore:Get"),
                "{rule}: {reason}"
            );
        }
    }
}
