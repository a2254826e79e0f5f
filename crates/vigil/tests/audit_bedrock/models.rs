//! Bedrock prompts, custom and imported models and batch inference jobs,
//! audited live: each one's KMS key, and the network of the job that
//! trained a custom model.

use super::*;

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
