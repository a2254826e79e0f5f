//! The articles of the Amazon Bedrock agent rules, run as written.

use super::*;

/// An agent as the agent articles assume it: `support-agent`, with an
/// instruction each fix must carry over.
fn agent() -> String {
    format!(
        r#"aws bedrock-agent create-agent --agent-name support-agent --agent-resource-role-arn {ROLE} \
  --foundation-model anthropic.claude-3-5-sonnet-20240620-v1:0 --instruction 'Answer the support questions of our customers politely.'"#
    )
}

/// The agent kept its instruction through the fix's update.
fn instruction_kept() -> Option<String> {
    Some("aws bedrock-agent get-agent --agent-id \"$(aws bedrock-agent list-agents --query 'agentSummaries[0].agentId' --output text)\" --query agent.instruction --output text | grep -qx 'Answer the support questions of our customers politely.'".into())
}

#[test]
fn bedrock_agent_guardrail() {
    check(Case {
        rule: "bedrock-agent-guardrail",
        scene: agent(),
        audit_shows: &["support-agent\tNone"],
        after: &[("support-agent", Some("pass"))],
        then: instruction_kept(),
    });
}

#[test]
fn bedrock_agent_kms() {
    check(Case {
        rule: "bedrock-agent-kms",
        scene: agent(),
        audit_shows: &["support-agent\tNone"],
        after: &[("support-agent", Some("pass"))],
        then: instruction_kept(),
    });
}

/// A guardrail as the guardrail articles assume it: `support-guardrail`,
/// with a hate filter and a denied topic each fix must carry over, and
/// `extra` (the policy the article fixes).
fn guardrail(extra: &str) -> String {
    format!(
        r#"aws bedrock create-guardrail --name support-guardrail \
  --blocked-input-messaging 'Sorry.' --blocked-outputs-messaging 'Sorry.' \
  --topic-policy-config 'topicsConfig=[{{name=investment,definition=Investment advice,type=DENY}}]' {extra}"#
    )
}

/// The guardrail kept its denied topic through the fix's update.
fn topic_kept() -> Option<String> {
    Some("aws bedrock get-guardrail --guardrail-identifier \"$(aws bedrock list-guardrails --query 'guardrails[0].id' --output text)\" --query 'topicPolicy.topics[0].name' --output text | grep -qx investment".into())
}

#[test]
fn bedrock_guardrail_prompt_attack() {
    check(Case {
        rule: "bedrock-guardrail-prompt-attack",
        scene: guardrail(
            "--content-policy-config 'filtersConfig=[{type=HATE,inputStrength=HIGH,outputStrength=HIGH},{type=PROMPT_ATTACK,inputStrength=LOW,outputStrength=NONE}]'",
        ),
        audit_shows: &["support-guardrail\tLOW"],
        after: &[("support-guardrail", Some("pass"))],
        // The hate filter is still there beside the new prompt-attack one.
        then: Some(format!("{} && aws bedrock get-guardrail --guardrail-identifier \"$(aws bedrock list-guardrails --query 'guardrails[0].id' --output text)\" --query \"contentPolicy.filters[?type=='HATE'].inputStrength\" --output text | grep -qx HIGH", topic_kept().unwrap())),
    });
}

#[test]
fn bedrock_guardrail_sensitive_information() {
    check(Case {
        rule: "bedrock-guardrail-sensitive-information",
        scene: guardrail("--sensitive-information-policy-config 'piiEntitiesConfig=[{type=EMAIL,action=NONE}]'"),
        audit_shows: &["support-guardrail\tNONE"],
        after: &[("support-guardrail", Some("pass"))],
        then: topic_kept(),
    });
}

#[test]
fn bedrock_guardrail_contextual_grounding() {
    check(Case {
        rule: "bedrock-guardrail-contextual-grounding",
        scene: guardrail(""),
        audit_shows: &["support-guardrail\tnone"],
        after: &[("support-guardrail", Some("pass"))],
        then: topic_kept(),
    });
}

#[test]
fn bedrock_guardrail_kms() {
    check(Case {
        rule: "bedrock-guardrail-kms",
        scene: guardrail(""),
        audit_shows: &["support-guardrail\tNone"],
        after: &[("support-guardrail", Some("pass"))],
        then: topic_kept(),
    });
}

#[test]
fn bedrock_prompt_kms() {
    let scene = r#"aws bedrock-agent create-prompt --name support-prompt --default-variant main \
  --variants '[{"name": "main", "templateType": "TEXT", "templateConfiguration": {"text": {"text": "Answer {{question}} politely."}}}]'"#;
    check(Case {
        rule: "bedrock-prompt-kms",
        scene: scene.into(),
        audit_shows: &["support-prompt\tNone"],
        after: &[("support-prompt", Some("pass"))],
        // The fix kept the prompt's variant.
        then: Some("aws bedrock-agent get-prompt --prompt-identifier \"$(aws bedrock-agent list-prompts --query 'promptSummaries[0].id' --output text)\" --query 'variants[0].templateConfiguration.text.text' --output text | grep -qx 'Answer {{question}} politely.'".into()),
    });
}

#[test]
fn bedrock_flow_guardrail() {
    let scene = format!(
        r#"aws bedrock-agent create-flow --name support-flow --execution-role-arn {ROLE} --definition '{{"nodes": [
  {{"name": "In", "type": "Input", "configuration": {{"input": {{}}}}}},
  {{"name": "Answer", "type": "Prompt", "configuration": {{"prompt": {{"sourceConfiguration": {{"resource": {{"promptArn": "arn:aws:bedrock:us-east-1:123456789012:prompt/P"}}}}}}}}}},
  {{"name": "Ask", "type": "KnowledgeBase", "configuration": {{"knowledgeBase": {{"knowledgeBaseId": "KB12345678", "modelId": "anthropic.claude-v2"}}}}}}]}}'"#
    );
    check(Case {
        rule: "bedrock-flow-guardrail",
        scene,
        audit_shows: &["support-flow: no guardrail on Answer, Ask"],
        after: &[("support-flow", Some("pass"))],
        // The fix kept the flow's other nodes.
        then: Some("aws bedrock-agent get-flow --flow-identifier \"$(aws bedrock-agent list-flows --query 'flowSummaries[0].id' --output text)\" --query 'length(definition.nodes)' --output text | grep -qx 3".into()),
    });
}

#[test]
fn bedrock_vpc_endpoints() {
    // A VPC named workloads with something running in it, in a region
    // that invokes models.
    let scene = r#"aws cloudwatch put-metric-data --namespace AWS/Bedrock --metric-name Invocations --value 1
vpc=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --tag-specifications 'ResourceType=vpc,Tags=[{Key=Name,Value=workloads}]' --query Vpc.VpcId --output text)
subnet=$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 --query Subnet.SubnetId --output text)
aws ec2 create-network-interface --subnet-id "$subnet" > /dev/null"#;
    check(Case {
        rule: "bedrock-vpc-endpoints",
        scene: scene.into(),
        audit_shows: &["\tNone"],
        // Findings name a VPC by its id, which the scene does not know:
        // the check after asks EC2 where the endpoint went.
        after: &[],
        then: Some("vpc=$(aws ec2 describe-vpcs --filters Name=tag:Name,Values=workloads --query 'Vpcs[0].VpcId' --output text)\naws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=\"$vpc\" --query 'VpcEndpoints[0].ServiceName' --output text | grep -qx 'com.amazonaws.eu-west-1.bedrock-runtime'".into()),
    });
}

#[test]
fn bedrock_custom_model_kms() {
    let scene = r#"aws bedrock create-model-customization-job --job-name support-tuning --custom-model-name support-model \
  --role-arn arn:aws:iam::123456789012:role/customization --base-model-identifier amazon.titan-text-express-v1 \
  --training-data-config s3Uri=s3://acme-training/support.jsonl --output-data-config s3Uri=s3://acme-training/output/ \
  --hyper-parameters epochCount=2"#;
    check(Case {
        rule: "bedrock-custom-model-kms",
        scene: scene.into(),
        audit_shows: &["support-model\tNone"],
        // The old model stays until nothing uses it; its retrained copy passes.
        after: &[("support-model", Some("fail")), ("support-model-cmk", Some("pass"))],
        then: Some("aws bedrock get-model-customization-job --job-identifier support-tuning-cmk --query hyperParameters.epochCount --output text | grep -qx 2".into()),
    });
}

#[test]
fn bedrock_invocation_logging() {
    // A model was invoked here: Bedrock's metric of it in CloudWatch.
    let scene = "aws cloudwatch put-metric-data --namespace AWS/Bedrock --metric-name Invocations --value 1";
    check(Case {
        rule: "bedrock-invocation-logging",
        scene: scene.into(),
        audit_shows: &["null", "1"],
        after: &[("model-invocation-logging", Some("pass"))],
        then: None,
    });
}

#[test]
fn bedrock_agent_role_dedicated() {
    // Two agents acting as one role.
    let scene = r#"aws iam create-role --role-name shared-agents --assume-role-policy-document '{}' >/dev/null
for agent in chat-agent billing-agent; do
  aws bedrock-agent create-agent --agent-name $agent \
    --agent-resource-role-arn arn:aws:iam::123456789012:role/shared-agents \
    --foundation-model anthropic.claude-3-5-sonnet-20240620-v1:0 >/dev/null
done"#;
    check(Case {
        rule: "bedrock-agent-role-dedicated",
        scene: scene.into(),
        audit_shows: &["role/shared-agents: chat-agent billing-agent"],
        after: &[("chat-agent", Some("pass")), ("billing-agent", Some("pass"))],
        then: None,
    });
}

#[test]
fn bedrock_imported_model_kms() {
    // A model imported without a key of the customer's.
    let scene = r#"aws bedrock create-model-import-job --job-name support-llama-import \
  --imported-model-name support-llama --role-arn arn:aws:iam::123456789012:role/model-import \
  --model-data-source 's3DataSource={s3Uri=s3://acme-models/support-llama/}' >/dev/null"#;
    check(Case {
        rule: "bedrock-imported-model-kms",
        scene: scene.into(),
        audit_shows: &["support-llama\tNone"],
        after: &[("support-llama", None), ("support-llama-keyed", Some("pass"))],
        then: None,
    });
}

#[test]
fn bedrock_invocation_job_kms() {
    // A batch job whose output takes no key of the customer's.
    let scene = r#"aws bedrock create-model-invocation-job --job-name nightly-summaries \
  --role-arn arn:aws:iam::123456789012:role/batch-inference \
  --model-id anthropic.claude-3-5-sonnet-20240620-v1:0 \
  --input-data-config 's3InputDataConfig={s3Uri=s3://acme-batch/input/}' \
  --output-data-config 's3OutputDataConfig={s3Uri=s3://acme-batch/output/}' >/dev/null"#;
    check(Case {
        rule: "bedrock-invocation-job-kms",
        scene: scene.into(),
        audit_shows: &["nightly-summaries\tNone"],
        // A submitted job cannot be changed: the next one passes.
        after: &[
            ("nightly-summaries", Some("fail")),
            ("nightly-summaries-keyed", Some("pass")),
        ],
        then: None,
    });
}

#[test]
fn bedrock_custom_model_vpc() {
    // A model trained by a job without a VPC.
    let scene = r#"aws bedrock create-model-customization-job --job-name support-tuning \
  --custom-model-name support-model --role-arn arn:aws:iam::123456789012:role/customization \
  --base-model-identifier amazon.titan-text-express-v1 --hyper-parameters epochCount=2 \
  --training-data-config s3Uri=s3://acme-training/support.jsonl \
  --output-data-config s3Uri=s3://acme-training/output/ >/dev/null"#;
    check(Case {
        rule: "bedrock-custom-model-vpc",
        scene: scene.into(),
        audit_shows: &["support-tuning\tNone"],
        after: &[("support-model", None), ("support-model-vpc", Some("pass"))],
        then: None,
    });
}

#[test]
fn bedrock_invocation_logging_text() {
    // Logging on, without the text of prompts and answers.
    let scene = r#"aws bedrock put-model-invocation-logging-configuration --logging-config \
  's3Config={bucketName=acme-bedrock-logs},textDataDeliveryEnabled=false,imageDataDeliveryEnabled=true'"#;
    check(Case {
        rule: "bedrock-invocation-logging-text",
        scene: scene.into(),
        audit_shows: &["false"],
        after: &[("model-invocation-logging", Some("pass"))],
        then: Some("aws bedrock get-model-invocation-logging-configuration --query loggingConfig.imageDataDeliveryEnabled | grep -qx true".into()),
    });
}

#[test]
fn bedrock_invocation_logs_kms() {
    // Logging on, to a bucket and a log group that use AWS's own encryption.
    let scene = r#"aws s3api create-bucket --bucket acme-bedrock-logs \
  --create-bucket-configuration LocationConstraint=eu-west-1 >/dev/null
aws logs create-log-group --log-group-name /bedrock/invocations
aws bedrock put-model-invocation-logging-configuration --logging-config \
  's3Config={bucketName=acme-bedrock-logs},cloudWatchConfig={logGroupName=/bedrock/invocations,roleArn=arn:aws:iam::123456789012:role/logs},textDataDeliveryEnabled=true'"#;
    check(Case {
        rule: "bedrock-invocation-logs-kms",
        scene: scene.into(),
        audit_shows: &[
            "acme-bedrock-logs",
            "no default encryption: SSE-S3",
            "/bedrock/invocations\tNone",
        ],
        after: &[("model-invocation-logging", Some("pass"))],
        then: None,
    });
}

#[test]
fn bedrock_invocation_logs_public() {
    // Logging on, to a bucket that a policy and an ACL both open to anyone.
    let scene = r#"aws s3api create-bucket --bucket acme-bedrock-logs \
  --create-bucket-configuration LocationConstraint=eu-west-1 >/dev/null
aws s3api put-bucket-acl --bucket acme-bedrock-logs --acl public-read
aws s3api put-bucket-policy --bucket acme-bedrock-logs --policy \
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-bedrock-logs/*"}]}'
aws bedrock put-model-invocation-logging-configuration --logging-config \
  's3Config={bucketName=acme-bedrock-logs},textDataDeliveryEnabled=true'"#;
    check(Case {
        rule: "bedrock-invocation-logs-public",
        scene: scene.into(),
        audit_shows: &["True", "READ"],
        after: &[("model-invocation-logging", Some("pass"))],
        // The fix made the ACL private, not only ignored.
        then: Some("! aws s3api get-bucket-acl --bucket acme-bedrock-logs --output text | grep -q AllUsers".into()),
    });
}

#[test]
fn bedrock_full_access_role() {
    let scene = r#"aws iam create-role --role-name support-app --assume-role-policy-document \
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}' >/dev/null
aws iam attach-role-policy --role-name support-app --policy-arn arn:aws:iam::aws:policy/AmazonBedrockFullAccess"#;
    check(Case {
        rule: "bedrock-full-access-role",
        scene: scene.into(),
        audit_shows: &["support-app"],
        after: &[("support-app", Some("pass"))],
        // The fix left the role what it calls.
        then: Some("aws iam get-role-policy --role-name support-app --policy-name bedrock-invoke --query 'PolicyDocument.Statement[0].Action[0]' --output text | grep -qx bedrock:InvokeModel".into()),
    });
}

#[test]
fn bedrock_api_key_long_term() {
    let scene = r#"aws iam create-user --user-name notebook-dev >/dev/null
aws iam create-service-specific-credential --user-name notebook-dev --service-name bedrock.amazonaws.com >/dev/null"#;
    check(Case {
        rule: "bedrock-api-key-long-term",
        scene: scene.into(),
        audit_shows: &["notebook-dev\t", "\tNone"],
        // Findings name a key by its id, which the scene does not keep:
        // the check after asks IAM.
        after: &[],
        then: Some("aws iam list-service-specific-credentials --user-name notebook-dev --query 'ServiceSpecificCredentials[0].Status' --output text | grep -qx Inactive".into()),
    });
}

#[test]
fn bedrock_api_key_admin() {
    let scene = r#"aws iam create-user --user-name notebook-admin >/dev/null
aws iam attach-user-policy --user-name notebook-admin --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
aws iam create-service-specific-credential --user-name notebook-admin --service-name bedrock.amazonaws.com >/dev/null"#;
    check(Case {
        rule: "bedrock-api-key-admin",
        scene: scene.into(),
        audit_shows: &["notebook-admin\tAdministratorAccess"],
        after: &[],
        // The administrator's key is off; the new user's is on.
        then: Some("aws iam list-service-specific-credentials --user-name notebook-admin --query 'ServiceSpecificCredentials[0].Status' --output text | grep -qx Inactive\naws iam list-service-specific-credentials --user-name bedrock-invoke --query 'ServiceSpecificCredentials[0].Status' --output text | grep -qx Active".into()),
    });
}

#[test]
fn bedrock_agent_role_least_privilege() {
    let scene = r#"aws iam create-role --role-name support-agent-role --assume-role-policy-document '{}' >/dev/null
aws iam put-role-policy --role-name support-agent-role --policy-name everything \
  --policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
aws bedrock-agent create-agent --agent-name support-agent \
  --agent-resource-role-arn arn:aws:iam::123456789012:role/support-agent-role \
  --foundation-model anthropic.claude-3-5-sonnet-20240620-v1:0"#;
    check(Case {
        rule: "bedrock-agent-role-least-privilege",
        scene: scene.into(),
        audit_shows: &["support-agent-role", "\"*\""],
        after: &[("support-agent", Some("pass"))],
        then: Some("aws iam list-role-policies --role-name support-agent-role --query PolicyNames --output text | grep -qx invoke-its-model".into()),
    });
}
