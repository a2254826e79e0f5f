//! Keys are judged by what KMS says, live: for the key rules of notebook
//! instances, endpoint configurations and training jobs, an AWS managed
//! key named by its ARN fails (as by its `alias/aws/…` alias), a disabled
//! key and one pending deletion fail with that state, a key KMS cannot
//! describe for this account is unknown with the reason, and a usable key
//! of the customer's passes. Each distinct key is described once.

mod support;

use std::collections::BTreeMap;
use support::{audit_json, calls, python_scene, verdicts_for, Emulator};

const REGION: &str = "eu-west-1";

/// Makes the keys, then one notebook instance, endpoint configuration and
/// training job per key, named after it.
const SCENE: &str = r#"
import boto3, sys
args = dict(endpoint_url=sys.argv[1], region_name='eu-west-1',
            aws_access_key_id='testing', aws_secret_access_key='testing')
kms, sm = boto3.client('kms', **args), boto3.client('sagemaker', **args)
mine = kms.create_key()['KeyMetadata']['Arn']
# moto takes only a key id (not an ARN) for these two.
disabled = kms.create_key()['KeyMetadata']
kms.disable_key(KeyId=disabled['KeyId'])
pending = kms.create_key()['KeyMetadata']
kms.schedule_key_deletion(KeyId=pending['KeyId'], PendingWindowInDays=7)
keys = {
    'mine': mine,
    'aws-by-arn': kms.describe_key(KeyId='alias/aws/sagemaker')['KeyMetadata']['Arn'],
    'aws-by-alias': 'alias/aws/sagemaker',
    'disabled': disabled['Arn'],
    'pending': pending['Arn'],
    'elsewhere': 'arn:aws:kms:eu-west-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab',
}
role = 'arn:aws:iam::123456789012:role/sm'
sm.create_model(ModelName='fraud', ExecutionRoleArn=role,
                PrimaryContainer={'Image': '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud:1'})
for name, key in keys.items():
    sm.create_notebook_instance(NotebookInstanceName=name, InstanceType='ml.t3.medium', RoleArn=role, KmsKeyId=key)
    sm.create_endpoint_config(EndpointConfigName=name, KmsKeyId=key, ProductionVariants=[
        {'VariantName': 'v', 'ModelName': 'fraud', 'InstanceType': 'ml.m5.large', 'InitialInstanceCount': 1}])
    sm.create_training_job(
        TrainingJobName=name, RoleArn=role,
        AlgorithmSpecification={'TrainingImage': '123456789012.dkr.ecr.eu-west-1.amazonaws.com/train:1',
                                'TrainingInputMode': 'File'},
        ResourceConfig={'InstanceType': 'ml.m5.xlarge', 'InstanceCount': 1, 'VolumeSizeInGB': 10,
                        'VolumeKmsKeyId': key},
        OutputDataConfig={'S3OutputPath': 's3://models/out/', 'KmsKeyId': key},
        StoppingCondition={'MaxRuntimeInSeconds': 60})
"#;

const RULES: [&str; 3] = [
    "sagemaker-notebook-kms-key",
    "sagemaker-endpoint-config-kms-key",
    "sagemaker-training-job-kms",
];

#[test]
fn every_key_rule_judges_a_key_by_what_kms_says_of_it() {
    let emulator = Emulator::start();
    python_scene(SCENE, &emulator.url);
    let (_, report) = audit_json(&emulator.url, &["--regions", REGION, "--rules", &RULES.join(",")]);
    let expected = [
        ("mine", "pass", ""),
        ("aws-by-arn", "fail", "AWS managed key"),
        ("aws-by-alias", "fail", "AWS managed key"),
        ("disabled", "fail", "KMS says is Disabled"),
        ("pending", "fail", "KMS says is PendingDeletion"),
        ("elsewhere", "unknown", ""),
    ];
    for rule in RULES {
        let found: BTreeMap<String, serde_json::Value> = verdicts_for(&report, rule)
            .into_iter()
            .map(|((_, name), finding)| (name, finding))
            .collect();
        for (name, status, says) in expected {
            let finding = &found[name];
            assert_eq!(finding["status"], status, "{rule} on {name}: {finding:#}");
            let message = finding["message"].as_str().unwrap();
            assert!(message.contains(says), "{rule} on {name}: {message}");
            if status == "unknown" {
                let reason = finding["reason"].as_str().unwrap_or_default();
                assert!(reason.contains("kms:DescribeKey"), "{rule} on {name}: {finding:#}");
            }
        }
    }
    // Five keys to describe (an `alias/aws/…` alias needs no call), once
    // each for the three kinds that name them.
    assert_eq!(
        calls(&report, "kms:DescribeKey", "operations"),
        5,
        "{:#}",
        report["calls"]
    );
}
