//! `vigil watch` on the kinds beyond models: monitoring definitions and
//! schedules, feature groups, images whose tags change, what a rule reads
//! beyond a description (the execution role in IAM), and a rule's setting
//! read from the description's answer, AgentCore runtimes, knowledge-base
//! data sources, Bedrock agents, guardrails and invocation logging.

use super::*;

#[test]
fn monitoring_definitions_and_schedules_are_judged_event_by_event() {
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    seed::monitoring(&emulator.url, REGION);
    let (watcher, lines, _log) = spawn_watcher(
        &emulator.url,
        &url,
        &["--rules", "sagemaker-monitoring-network-isolation"],
    );
    api_call_event(
        &emulator.url,
        "CreateDataQualityJobDefinition",
        json!({"jobDefinitionName": "dq-open"}),
    );
    api_call_event(
        &emulator.url,
        "CreateMonitoringSchedule",
        json!({"monitoringScheduleName": "names-open"}),
    );
    api_call_event(
        &emulator.url,
        "UpdateMonitoringSchedule",
        json!({"monitoringScheduleName": "embedded-isolated"}),
    );
    api_call_event(
        &emulator.url,
        "CreateMonitoringSchedule",
        json!({"monitoringScheduleName": "names-bias"}),
    );
    let found = findings_by_name(&lines, 4);
    let definition = &found["dq-open"];
    assert_eq!(
        (definition["status"].as_str(), definition["resource"]["type"].as_str()),
        (Some("fail"), Some("AWS::SageMaker::DataQualityJobDefinition"))
    );
    let schedule = &found["names-open"];
    assert_eq!(
        schedule["status"], "fail",
        "judged on the definition it names: {schedule:#}"
    );
    let embedded = &found["embedded-isolated"];
    assert_eq!(embedded["status"], "pass", "{embedded:#}");
    // It names `shared`, isolated as a bias definition and open as a
    // data-quality one: the schedule's type says which it runs.
    let bias = &found["names-bias"];
    assert_eq!(bias["status"], "pass", "{bias:#}");
    support::wait_for(10, "the queue to empty", || messages_left(&emulator.url, &url) == 0);
    stop(watcher);
}

#[test]
fn a_created_feature_group_is_judged_on_its_stores() {
    use aws_sdk_sagemaker::types::OnlineStoreConfig;
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    block_on(async {
        let sm = seed::client(&emulator.url, REGION);
        seed::feature_group(&sm, "customers")
            .online_store_config(OnlineStoreConfig::builder().enable_online_store(true).build())
            .send()
            .await
            .unwrap();
    });
    let (watcher, lines, _log) = spawn_watcher(&emulator.url, &url, &["--rules", "sagemaker-feature-group-kms"]);
    api_call_event(
        &emulator.url,
        "CreateFeatureGroup",
        json!({"featureGroupName": "customers"}),
    );
    let found = findings_by_name(&lines, 1);
    let group = &found["customers"];
    assert_eq!(
        (group["status"].as_str(), group["resource"]["type"].as_str()),
        (Some("fail"), Some("AWS::SageMaker::FeatureGroup")),
        "{group:#}"
    );
    stop(watcher);
}

#[test]
fn a_created_endpoint_configuration_is_judged_on_a_setting_of_its_answer() {
    use aws_sdk_sagemaker::types::{
        CaptureMode, CaptureOption, DataCaptureConfig, ProductionVariant, ProductionVariantInstanceType,
    };
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    let customer_key = support::customer_key(&emulator.url, REGION);
    block_on(async {
        let sm = seed::client(&emulator.url, REGION);
        seed::model_as(&sm, "fraud", seed::ROLE).send().await.unwrap();
        let capture = |key: Option<&str>| {
            DataCaptureConfig::builder()
                .enable_capture(true)
                .initial_sampling_percentage(20)
                .destination_s3_uri("s3://acme-capture/fraud/")
                .capture_options(CaptureOption::builder().capture_mode(CaptureMode::Input).build())
                .set_kms_key_id(key.map(str::to_owned))
                .build()
        };
        for (name, key) in [("no-key", None), ("own-key", Some(customer_key.as_str()))] {
            sm.create_endpoint_config()
                .endpoint_config_name(name)
                .production_variants(
                    ProductionVariant::builder()
                        .variant_name("primary")
                        .model_name("fraud")
                        .instance_type(ProductionVariantInstanceType::MlM5Large)
                        .initial_instance_count(2)
                        .build(),
                )
                .data_capture_config(capture(key))
                .send()
                .await
                .unwrap();
        }
    });
    let rule = "sagemaker-endpoint-config-data-capture-kms";
    let (watcher, lines, _log) = spawn_watcher(&emulator.url, &url, &["--rules", rule]);
    for name in ["no-key", "own-key"] {
        api_call_event(
            &emulator.url,
            "CreateEndpointConfig",
            json!({"endpointConfigName": name}),
        );
    }
    let found = findings_by_name(&lines, 2);
    let status = |name: &str| found[name]["status"].as_str().map(str::to_owned);
    assert_eq!(
        (status("no-key").as_deref(), status("own-key").as_deref()),
        (Some("fail"), Some("pass")),
        "{found:#?}"
    );
    stop(watcher);
}

#[test]
fn an_image_is_judged_again_when_its_tags_change() {
    use aws_sdk_sagemaker::types::Tag;
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    let arn = block_on(async {
        let sm = seed::client(&emulator.url, REGION);
        let out = sm
            .create_image()
            .image_name("base-python")
            .role_arn(seed::ROLE)
            .send()
            .await
            .unwrap();
        out.image_arn().unwrap().to_owned()
    });
    let (watcher, lines, _log) = spawn_watcher(&emulator.url, &url, &["--rules", "sagemaker-image-tagged"]);
    api_call_event(&emulator.url, "CreateImage", json!({"imageName": "base-python"}));
    let created = &findings_by_name(&lines, 1)["base-python"];
    assert_eq!(created["status"], "fail", "{created:#}");
    block_on(async {
        let sm = seed::client(&emulator.url, REGION);
        let owner = Tag::builder().key("owner").value("ml-platform").build();
        sm.add_tags().resource_arn(&arn).tags(owner).send().await.unwrap();
    });
    api_call_event(&emulator.url, "AddTags", json!({"resourceArn": arn}));
    let tagged = &findings_by_name(&lines, 1)["base-python"];
    assert_eq!(
        (tagged["status"].as_str(), tagged["resource"]["type"].as_str()),
        (Some("pass"), Some("AWS::SageMaker::Image")),
        "{tagged:#}"
    );
    stop(watcher);
}

#[test]
fn a_watched_resource_gets_what_its_rules_read_beyond_its_description() {
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    seed::iam_role(&emulator.url, "fraud-model");
    block_on(async {
        let sm = seed::client(&emulator.url, REGION);
        for (model, role) in [("kept", "fraud-model"), ("orphaned", "deleted")] {
            seed::model_as(&sm, model, &format!("arn:aws:iam::123456789012:role/{role}"))
                .send()
                .await
                .unwrap();
        }
    });
    let (watcher, lines, _log) = spawn_watcher(
        &emulator.url,
        &url,
        &["--rules", "sagemaker-model-execution-role-exists"],
    );
    api_call_event(&emulator.url, "CreateModel", json!({"modelName": "kept"}));
    api_call_event(&emulator.url, "CreateModel", json!({"modelName": "orphaned"}));
    // The watcher judges network isolation too: keep the role rule's lines.
    let rule = "sagemaker-model-execution-role-exists";
    let mut found = std::collections::BTreeMap::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while found.len() < 2 {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("only {found:?} within 10 s"));
        if line["rule"] == rule {
            found.insert(line["resource"]["name"].as_str().unwrap().to_owned(), line);
        }
    }
    let status = |name: &str| found[name]["status"].as_str().unwrap().to_owned();
    // The role is looked up as an audit would: verdicts, not unknowns that
    // would keep the messages in the queue.
    assert_eq!(
        (status("kept"), status("orphaned")),
        ("pass".to_owned(), "fail".to_owned())
    );
    support::wait_for(10, "the two messages to be deleted", || {
        messages_left(&emulator.url, &url) == 0
    });
    stop(watcher);
}

#[test]
fn agentcore_runtimes_are_judged_when_created_or_updated() {
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    let script = format!(
        r#"
import boto3, json, sys
c = boto3.client('bedrock-agentcore-control', endpoint_url=sys.argv[1], region_name='{REGION}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
art = {{'containerConfiguration': {{'containerUri': '123456789012.dkr.ecr.{REGION}.amazonaws.com/agent:1'}}}}
role = 'arn:aws:iam::123456789012:role/agent'
public = c.create_agent_runtime(agentRuntimeName='public_agent', agentRuntimeArtifact=art, roleArn=role,
                                networkConfiguration={{'networkMode': 'PUBLIC'}})['agentRuntimeId']
moved = c.create_agent_runtime(agentRuntimeName='moved_agent', agentRuntimeArtifact=art, roleArn=role,
                               networkConfiguration={{'networkMode': 'PUBLIC'}})['agentRuntimeId']
c.update_agent_runtime(agentRuntimeId=moved, agentRuntimeArtifact=art, roleArn=role,
                       networkConfiguration={{'networkMode': 'VPC', 'networkModeConfig':
                           {{'subnets': ['subnet-0a1b2c3d'], 'securityGroups': ['sg-0123abcd']}}}})
print(json.dumps([public, moved]))
"#
    );
    let ids: Vec<String> = serde_json::from_slice(&support::python_scene(&script, &emulator.url)).unwrap();
    let (watcher, lines, _log) = spawn_watcher(&emulator.url, &url, &["--rules", "agentcore-runtime-vpc"]);
    agentcore_call_event(
        &emulator.url,
        "CreateAgentRuntime",
        json!({"agentRuntimeName": "public_agent"}),
        json!({"agentRuntimeId": ids[0], "status": "CREATING"}),
    );
    agentcore_call_event(
        &emulator.url,
        "UpdateAgentRuntime",
        json!({"agentRuntimeId": ids[1]}),
        json!({"agentRuntimeId": ids[1], "status": "UPDATING"}),
    );
    let found = findings_by_name(&lines, 2);
    assert_eq!(found["public_agent"]["status"], "fail", "{:#}", found["public_agent"]);
    assert_eq!(found["moved_agent"]["status"], "pass", "{:#}", found["moved_agent"]);
    assert_eq!(
        found["moved_agent"]["resource"]["type"],
        "AWS::BedrockAgentCore::Runtime"
    );
    support::wait_for(10, "the queue to empty", || messages_left(&emulator.url, &url) == 0);
    stop(watcher);
}

#[test]
fn a_created_knowledge_base_data_source_is_judged_on_its_key() {
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    let (base, sources) = support::knowledge_base(&emulator.url, REGION, &[("plain", None)]);
    let (watcher, lines, _log) = spawn_watcher(&emulator.url, &url, &["--rules", "bedrock-data-source-kms"]);
    cloudtrail_event(
        &emulator.url,
        "bedrock",
        "CreateDataSource",
        json!({"knowledgeBaseId": base, "name": "plain"}),
        json!({"dataSource": {"knowledgeBaseId": base, "dataSourceId": sources[0]}}),
    );
    let found = findings_by_name(&lines, 1);
    let plain = &found[&format!("{base}/plain")];
    assert_eq!(plain["status"], "fail", "{plain:#}");
    assert_eq!(plain["resource"]["type"], "AWS::Bedrock::DataSource", "{plain:#}");
    support::wait_for(10, "the queue to empty", || messages_left(&emulator.url, &url) == 0);
    stop(watcher);
}

#[test]
fn a_bedrock_agent_is_judged_when_created_and_again_when_its_guardrail_goes() {
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    let script = format!(
        r#"
import boto3, sys
c = boto3.client('bedrock-agent', endpoint_url=sys.argv[1], region_name='{REGION}',
                 aws_access_key_id='testing', aws_secret_access_key='testing')
role, model = 'arn:aws:iam::123456789012:role/agent', 'anthropic.claude-3-5-sonnet-20240620-v1:0'
agent = c.create_agent(agentName='support-agent', agentResourceRoleArn=role, foundationModel=model,
                       guardrailConfiguration={{'guardrailIdentifier': 'a1b2c3d4e5f6', 'guardrailVersion': '1'}})
print(agent['agent']['agentId'])
"#
    );
    let id = String::from_utf8(support::python_scene(&script, &emulator.url)).unwrap();
    let id = id.trim();
    // Whether its role is shared is the reconciling audit's to judge: an
    // event names one agent.
    let rules = "bedrock-agent-guardrail,bedrock-agent-role-dedicated";
    let (watcher, lines, _log) = spawn_watcher(&emulator.url, &url, &["--rules", rules]);
    cloudtrail_event(
        &emulator.url,
        "bedrock",
        "CreateAgent",
        json!({"agentName": "support-agent"}),
        json!({"agent": {"agentId": id, "agentName": "support-agent"}}),
    );
    let created = finding_for(&lines, "support-agent", Duration::from_secs(20));
    assert_eq!(created["status"], "pass", "{created:#}");
    assert_eq!(created["resource"]["type"], "AWS::Bedrock::Agent", "{created:#}");
    // The guardrail is taken off; the update's event brings the failure.
    let update = format!(
        "import boto3, sys\nc = boto3.client('bedrock-agent', endpoint_url=sys.argv[1], region_name='{REGION}', aws_access_key_id='testing', aws_secret_access_key='testing')\nc.update_agent(agentId='{id}', agentName='support-agent', agentResourceRoleArn='arn:aws:iam::123456789012:role/agent', foundationModel='anthropic.claude-3-5-sonnet-20240620-v1:0')\n"
    );
    support::python_scene(&update, &emulator.url);
    cloudtrail_event(
        &emulator.url,
        "bedrock",
        "UpdateAgent",
        json!({"agentId": id, "agentName": "support-agent"}),
        json!({}),
    );
    let updated = finding_for(&lines, "support-agent", Duration::from_secs(20));
    assert_eq!(updated["status"], "fail", "{updated:#}");
    support::wait_for(10, "the queue to empty", || messages_left(&emulator.url, &url) == 0);
    stop(watcher);
    for line in [created, updated].into_iter().chain(lines.try_iter()) {
        assert_eq!(line["rule"], "bedrock-agent-guardrail", "{line:#}");
    }
}

#[test]
fn a_guardrail_is_judged_again_when_an_update_weakens_it() {
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    let client = format!(
        "import boto3, sys\nc = boto3.client('bedrock', endpoint_url=sys.argv[1], region_name='{REGION}', aws_access_key_id='testing', aws_secret_access_key='testing')\n"
    );
    let filter = |strength: &str| {
        format!("contentPolicyConfig={{'filtersConfig': [{{'type': 'PROMPT_ATTACK', 'inputStrength': '{strength}', 'outputStrength': 'NONE'}}]}}")
    };
    let made = format!(
        "{client}print(c.create_guardrail(name='support-guardrail', blockedInputMessaging='Sorry.', blockedOutputsMessaging='Sorry.', {})['guardrailId'])\n",
        filter("HIGH")
    );
    let id = String::from_utf8(support::python_scene(&made, &emulator.url)).unwrap();
    let id = id.trim();
    let (watcher, lines, _log) = spawn_watcher(&emulator.url, &url, &["--rules", "bedrock-guardrail-prompt-attack"]);
    cloudtrail_event(
        &emulator.url,
        "bedrock",
        "CreateGuardrail",
        json!({"name": "support-guardrail"}),
        json!({"guardrailId": id, "version": "DRAFT"}),
    );
    let created = finding_for(&lines, "support-guardrail", Duration::from_secs(20));
    assert_eq!(created["status"], "pass", "{created:#}");
    assert_eq!(created["resource"]["type"], "AWS::Bedrock::Guardrail", "{created:#}");
    let weakened = format!(
        "{client}c.update_guardrail(guardrailIdentifier='{id}', name='support-guardrail', blockedInputMessaging='Sorry.', blockedOutputsMessaging='Sorry.', {})\n",
        filter("LOW")
    );
    support::python_scene(&weakened, &emulator.url);
    cloudtrail_event(
        &emulator.url,
        "bedrock",
        "UpdateGuardrail",
        json!({"guardrailIdentifier": id}),
        json!({"guardrailId": id}),
    );
    let updated = finding_for(&lines, "support-guardrail", Duration::from_secs(20));
    assert_eq!(updated["status"], "fail", "{updated:#}");
    support::wait_for(10, "the queue to empty", || messages_left(&emulator.url, &url) == 0);
    stop(watcher);
}

#[test]
fn a_deleted_invocation_logging_configuration_is_a_failure_within_seconds() {
    let emulator = Emulator::start();
    let url = plumbing(&emulator.url);
    let client = format!(
        "import boto3, sys\nc = lambda n: boto3.client(n, endpoint_url=sys.argv[1], region_name='{REGION}', aws_access_key_id='testing', aws_secret_access_key='testing')\n"
    );
    let used = format!(
        "{client}c('cloudwatch').put_metric_data(Namespace='AWS/Bedrock', MetricData=[{{'MetricName': 'Invocations', 'Value': 1}}])\nc('bedrock').put_model_invocation_logging_configuration(loggingConfig={{'s3Config': {{'bucketName': 'acme-bedrock-logs'}}}})\n"
    );
    support::python_scene(&used, &emulator.url);
    let (watcher, lines, _log) = spawn_watcher(&emulator.url, &url, &["--rules", "bedrock-invocation-logging"]);
    cloudtrail_event(
        &emulator.url,
        "bedrock",
        "PutModelInvocationLoggingConfiguration",
        json!({"loggingConfig": {"s3Config": {"bucketName": "acme-bedrock-logs"}}}),
        json!(null),
    );
    let on = finding_for(&lines, "model-invocation-logging", Duration::from_secs(20));
    assert_eq!(on["status"], "pass", "{on:#}");
    support::python_scene(
        &format!("{client}c('bedrock').delete_model_invocation_logging_configuration()\n"),
        &emulator.url,
    );
    cloudtrail_event(
        &emulator.url,
        "bedrock",
        "DeleteModelInvocationLoggingConfiguration",
        json!(null),
        json!(null),
    );
    let off = finding_for(&lines, "model-invocation-logging", Duration::from_secs(20));
    assert_eq!(off["status"], "fail", "{off:#}");
    assert_eq!(off["resource"]["region"], REGION, "{off:#}");
    support::wait_for(10, "the queue to empty", || messages_left(&emulator.url, &url) == 0);
    stop(watcher);
}
