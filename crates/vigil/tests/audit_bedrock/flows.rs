//! Bedrock flows, audited live: a guardrail on every node that calls a
//! model, those inside loops included.

use super::*;

/// Creates flows through boto3: (name, their nodes as the API writes them).
fn flows(endpoint: &str, made: &[(&str, serde_json::Value)]) {
    let made = serde_json::to_string(made).unwrap();
    let script = format!(
        r#"
import boto3, json, sys
c = boto3.client('bedrock-agent', endpoint_url=sys.argv[1], region_name='{REGION}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
for name, nodes in json.loads('{made}'):
    c.create_flow(name=name, executionRoleArn='arn:aws:iam::123456789012:role/flow', definition={{'nodes': nodes}})
"#
    );
    support::python_scene(&script, endpoint);
}

fn prompt(name: &str, guardrail: Option<&str>) -> serde_json::Value {
    let mut prompt =
        json!({"sourceConfiguration": {"resource": {"promptArn": "arn:aws:bedrock:eu-west-1:123456789012:prompt/P"}}});
    if let Some(id) = guardrail {
        prompt["guardrailConfiguration"] = json!({"guardrailIdentifier": id, "guardrailVersion": "1"});
    }
    json!({"name": name, "type": "Prompt", "configuration": {"prompt": prompt}})
}

#[test]
fn a_flow_fails_on_any_model_node_without_a_guardrail_and_is_unknown_unread() {
    let emulator = Emulator::start();
    let input = json!({"name": "In", "type": "Input", "configuration": {"input": {}}});
    let retrieve = json!({"name": "Search", "type": "KnowledgeBase",
        "configuration": {"knowledgeBase": {"knowledgeBaseId": "KB12345678"}}});
    let generate = json!({"name": "Ask", "type": "KnowledgeBase",
        "configuration": {"knowledgeBase": {"knowledgeBaseId": "KB12345678", "modelId": "anthropic.claude-v2"}}});
    let looped =
        |inner| json!({"name": "Each", "type": "Loop", "configuration": {"loop": {"definition": {"nodes": [inner]}}}});
    flows(
        &emulator.url,
        &[
            (
                "guarded",
                json!([
                    input,
                    prompt("Answer", Some("g1")),
                    retrieve,
                    looped(prompt("Inner", Some("g1")))
                ]),
            ),
            ("bare", json!([input, prompt("Answer", Some("g1")), generate])),
            ("bare-loop", json!([looped(prompt("Inner", None))])),
            ("retrieval", json!([input, retrieve])),
        ],
    );
    let rule = "bedrock-flow-guardrail";
    let (code, report) = audit_json(&emulator.url, &["--regions", REGION, "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    assert_eq!(
        support::statuses_of(&report, rule, REGION, &["guarded", "bare", "bare-loop", "retrieval"]),
        ["pass", "fail", "fail", "pass"]
    );
    let found = support::verdicts_for(&report, rule);
    let bare = &found[&(REGION.to_owned(), "bare".to_owned())];
    assert_eq!(bare["resource"]["type"], "AWS::Bedrock::Flow", "{bare:#}");
    let message = bare["message"].as_str().unwrap();
    assert!(
        message.contains("KnowledgeBase node Ask") && !message.contains("Answer"),
        "{message}"
    );

    let found = each_unknown_when_gets_are_refused(&emulator.url, rule, 4, "bedrock:GetFlow");
    assert!(
        found.contains_key(&(REGION.to_owned(), "guarded".to_owned())),
        "{found:?}"
    );
}
