//! A region's Bedrock model invocation logging, audited live: on where
//! models are invoked (a note elsewhere), recording text, and the keys of
//! the bucket and log group it writes to.

use super::*;

/// A model was invoked in `region`: Bedrock's metric of it in CloudWatch.
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
fn an_invocation_log_bucket_is_judged_public_as_s3_and_block_public_access_say() {
    let emulator = Emulator::start();
    let url = &emulator.url;
    let public_policy = r#"json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': '*', 'Action': 's3:GetObject', 'Resource': f'arn:aws:s3:::{name}/*'}]})"#;
    for (region, exposed) in [
        ("us-east-1", String::new()),
        ("eu-west-1", "client('s3').put_bucket_acl(Bucket=name, ACL='public-read')".to_owned()),
        ("eu-central-1", format!("client('s3').put_bucket_policy(Bucket=name, Policy={public_policy})")),
        // A public policy that the bucket's Block Public Access overrides.
        ("ap-south-1", format!("client('s3').put_bucket_policy(Bucket=name, Policy={public_policy})\nclient('s3').put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={{'RestrictPublicBuckets': True}})")),
    ] {
        logging_to(url, region, Some("None"), None);
        in_region(url, region, &format!("import json\nname = 'invocations-' + region\n{exposed}"));
    }
    let rule = "bedrock-invocation-logs-public";
    let regions = "us-east-1,eu-west-1,eu-central-1,ap-south-1";
    let (code, report) = audit_json(url, &["--regions", regions, "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let finding = |region: &str| found[&(region.to_owned(), "model-invocation-logging".to_owned())].clone();
    let statuses: Vec<_> = regions.split(',').map(|r| finding(r)["status"].clone()).collect();
    assert_eq!(statuses, ["pass", "fail", "fail", "pass"], "{report:#}");
    let acl = finding("eu-west-1")["message"].as_str().unwrap().to_owned();
    assert!(acl.contains("its ACL, which grants access to AllUsers"), "{acl}");
    let policy = finding("eu-central-1")["message"].as_str().unwrap().to_owned();
    assert!(policy.contains("its bucket policy"), "{policy}");

    // The account's Block Public Access overrides both.
    in_region(
        url,
        "us-east-1",
        // boto3 puts the account in the host, which an emulator's address
        // cannot take: the call is signed and sent as Vigil sends its read.
        r#"import urllib.request
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
body = '<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><IgnorePublicAcls>true</IgnorePublicAcls><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>'
request = AWSRequest(method='PUT', url=sys.argv[1] + '/v20180820/configuration/publicAccessBlock', data=body, headers={'x-amz-account-id': '123456789012', 'Content-Type': 'application/xml'})
S3SigV4Auth(Credentials('testing', 'testing'), 's3', region).add_auth(request)
urllib.request.urlopen(urllib.request.Request(request.url, data=body.encode(), headers=dict(request.headers), method='PUT'))"#,
    );
    let (code, report) = audit_json(url, &["--regions", regions, "--rules", rule]);
    assert_eq!(code, 0, "{report:#}");
    let passed = support::verdicts_for(&report, rule)
        .values()
        .filter(|f| f["status"] == "pass")
        .count();
    assert_eq!(passed, 4, "{report:#}");

    // S3 refused: unknown, with the refusal.
    let proxy = FaultProxy::start(url);
    proxy.set_rules(json!([
        {"service": "s3", "error": {"code": "AccessDenied", "status": 403, "message": "Access Denied"}},
    ]));
    let (code, report) = audit_json(&proxy.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 3, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let (_, unknown) = found.iter().next().unwrap();
    assert_eq!(unknown["status"], "unknown", "{unknown:#}");
    let reason = unknown["reason"].as_str().unwrap();
    assert!(
        reason.contains("access denied to s3:GetAccountPublicAccessBlock"),
        "{reason}"
    );
}
