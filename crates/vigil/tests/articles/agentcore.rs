//! The articles of the Bedrock AgentCore rules, run as written.

use super::*;

#[test]
fn agentcore_runtime_vpc() {
    let scene = format!(
        r#"aws bedrock-agentcore-control create-agent-runtime --agent-runtime-name support_agent \
  --agent-runtime-artifact '{{"containerConfiguration": {{"containerUri": "123456789012.dkr.ecr.{REGION}.amazonaws.com/support-agent:1.0"}}}}' \
  --role-arn {ROLE} --network-configuration networkMode=PUBLIC"#
    );
    check(Case {
        rule: "agentcore-runtime-vpc",
        scene,
        audit_shows: &[" PUBLIC"],
        after: &[("support_agent", Some("pass"))],
        then: None,
    });
}

/// A gateway as the gateway articles assume it: `tools-gateway`, with
/// what each article's fix must carry over (a JWT authorizer's
/// configuration is dropped only where the fix changes the authorizer).
fn gateway(authorizer: &str, extra: &str) -> String {
    format!(
        r#"aws bedrock-agentcore-control create-gateway --name tools-gateway --role-arn {ROLE} \
  --protocol-type MCP --authorizer-type {authorizer} {extra}"#
    )
}

#[test]
fn agentcore_gateway_authorizer() {
    check(Case {
        rule: "agentcore-gateway-authorizer",
        scene: gateway("NONE", ""),
        audit_shows: &["tools-gateway\tNONE"],
        after: &[("tools-gateway", Some("pass"))],
        then: None,
    });
}

#[test]
fn agentcore_gateway_kms() {
    check(Case {
        rule: "agentcore-gateway-kms",
        scene: gateway("AWS_IAM", "--description 'tools for the support agent'"),
        audit_shows: &["tools-gateway\tNone"],
        after: &[("tools-gateway", Some("pass"))],
        // The fix kept what it did not mean to change.
        then: Some(
            "aws bedrock-agentcore-control get-gateway --gateway-identifier \"$(aws bedrock-agentcore-control list-gateways --query 'items[0].gatewayId' --output text)\" --query description --output text | grep -qx 'tools for the support agent'".into(),
        ),
    });
}

#[test]
fn agentcore_gateway_debug_errors() {
    check(Case {
        rule: "agentcore-gateway-debug-errors",
        scene: gateway("AWS_IAM", "--exception-level DEBUG"),
        audit_shows: &["tools-gateway\tDEBUG"],
        after: &[("tools-gateway", Some("pass"))],
        then: None,
    });
}

#[test]
fn agentcore_memory_kms() {
    check(Case {
        rule: "agentcore-memory-kms",
        scene: "aws bedrock-agentcore-control create-memory --name support_memory --event-expiry-duration 30".into(),
        audit_shows: &["support_memory\tNone"],
        after: &[("support_memory", Some("fail")), ("support_memory_kms", Some("pass"))],
        then: None,
    });
}

#[test]
fn agentcore_browser_network() {
    check(Case {
        rule: "agentcore-browser-network",
        scene: "aws bedrock-agentcore-control create-browser --name research_browser --network-configuration networkMode=PUBLIC".into(),
        audit_shows: &["research_browser\tPUBLIC"],
        after: &[("research_browser", Some("fail")), ("research_browser_vpc", Some("pass"))],
        then: None,
    });
}

#[test]
fn agentcore_browser_recording() {
    check(Case {
        rule: "agentcore-browser-recording",
        scene: "aws bedrock-agentcore-control create-browser --name research_browser --network-configuration networkMode=PUBLIC".into(),
        audit_shows: &["research_browser\tNone\tNone"],
        after: &[("research_browser", Some("fail")), ("research_browser_recorded", Some("pass"))],
        then: None,
    });
}

#[test]
fn agentcore_code_interpreter_network() {
    check(Case {
        rule: "agentcore-code-interpreter-network",
        scene: "aws bedrock-agentcore-control create-code-interpreter --name analysis_interpreter --network-configuration networkMode=SANDBOX".into(),
        audit_shows: &["analysis_interpreter\tSANDBOX"],
        after: &[("analysis_interpreter", Some("fail")), ("analysis_interpreter_vpc", Some("pass"))],
        then: None,
    });
}

#[test]
fn bedrock_data_source_kms() {
    let scene = format!(
        r#"kb=$(aws bedrock-agent create-knowledge-base --name manuals --role-arn {ROLE} \
  --knowledge-base-configuration '{{"type": "VECTOR", "vectorKnowledgeBaseConfiguration": {{"embeddingModelArn": "arn:aws:bedrock:{REGION}::foundation-model/amazon.titan-embed-text-v2:0"}}}}' \
  --storage-configuration '{{"type": "OPENSEARCH_SERVERLESS", "opensearchServerlessConfiguration": {{"collectionArn": "arn:aws:aoss:{REGION}:123456789012:collection/abc", "vectorIndexName": "i", "fieldMapping": {{"vectorField": "v", "textField": "t", "metadataField": "m"}}}}}}' \
  --query knowledgeBase.knowledgeBaseId --output text)
aws bedrock-agent create-data-source --knowledge-base-id "$kb" --name manuals-s3 \
  --data-source-configuration '{{"type": "S3", "s3Configuration": {{"bucketArn": "arn:aws:s3:::acme-manuals"}}}}'
echo "$kb" > kb-id"#
    );
    check(Case {
        rule: "bedrock-data-source-kms",
        scene,
        audit_shows: &["manuals-s3\tNone"],
        after: &[],
        // The fixed data source passes (its name carries the knowledge base's id).
        then: Some(
            "kb=$(cat kb-id); aws bedrock-agent get-data-source --knowledge-base-id \"$kb\" --data-source-id \"$(aws bedrock-agent list-data-sources --knowledge-base-id \"$kb\" --query 'dataSourceSummaries[0].dataSourceId' --output text)\" --query 'dataSource.serverSideEncryptionConfiguration.kmsKeyArn' --output text | grep -q '^arn:aws:kms:'".into(),
        ),
    });
}

#[test]
fn agentcore_gateway_policy_enforced() {
    let engine =
        format!("arn=arn:aws:bedrock-agentcore:{REGION}:123456789012:policy-engine/tools-policy,mode=LOG_ONLY");
    check(Case {
        rule: "agentcore-gateway-policy-enforced",
        scene: gateway("AWS_IAM", &format!("--policy-engine-configuration {engine}")),
        audit_shows: &["tools-gateway\tAWS_IAM\tLOG_ONLY"],
        after: &[("tools-gateway", Some("pass"))],
        then: None,
    });
}

#[test]
fn agentcore_runtime_identity_propagation() {
    let scene = format!(
        r#"aws bedrock-agentcore-control create-agent-runtime --agent-runtime-name support_agent \
  --agent-runtime-artifact '{{"containerConfiguration": {{"containerUri": "123456789012.dkr.ecr.{REGION}.amazonaws.com/support-agent:1.0"}}}}' \
  --role-arn {ROLE} --network-configuration networkMode=VPC"#
    );
    check(Case {
        rule: "agentcore-runtime-identity-propagation",
        scene,
        audit_shows: &["\"name\": \"support_agent\"", "\"jwt\": null"],
        after: &[("support_agent", Some("pass"))],
        then: None,
    });
}
