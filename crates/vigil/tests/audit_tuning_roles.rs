//! A tuning job whose training definitions run as different roles has
//! each role read with `iam:GetRole`: one that is gone fails the job and
//! is named; when all exist the job passes. Roles are read once each.

mod support;

use support::{audit_json, calls, python_scene, status_and_message, verdicts_for, Emulator};

const RULE: &str = "sagemaker-tuning-job-execution-role-exists";

/// Role `hpo-a` exists; `hpo-gone` does not. Job `two-roles` runs as both,
/// `both-there` as `hpo-a` and `hpo-b` (which exists).
const SCENE: &str = r#"
import boto3, sys
args = dict(endpoint_url=sys.argv[1], region_name='eu-west-1',
            aws_access_key_id='testing', aws_secret_access_key='testing')
iam, sm = boto3.client('iam', **args), boto3.client('sagemaker', **args)
for role in ['hpo-a', 'hpo-b']:
    iam.create_role(RoleName=role, AssumeRolePolicyDocument='{}')
def definition(name, role):
    return {'DefinitionName': name, 'RoleArn': f'arn:aws:iam::123456789012:role/{role}',
            'AlgorithmSpecification': {'TrainingImage': '123456789012.dkr.ecr.eu-west-1.amazonaws.com/t:1',
                                       'TrainingInputMode': 'File'},
            'OutputDataConfig': {'S3OutputPath': 's3://models/hpo/'},
            'ResourceConfig': {'InstanceType': 'ml.m5.xlarge', 'InstanceCount': 1, 'VolumeSizeInGB': 10},
            'StoppingCondition': {'MaxRuntimeInSeconds': 60}}
config = {'Strategy': 'Bayesian', 'ResourceLimits': {'MaxNumberOfTrainingJobs': 2, 'MaxParallelTrainingJobs': 1}}
for job, roles in [('two-roles', ['hpo-a', 'hpo-gone']), ('both-there', ['hpo-a', 'hpo-b'])]:
    sm.create_hyper_parameter_tuning_job(
        HyperParameterTuningJobName=job, HyperParameterTuningJobConfig=config,
        TrainingJobDefinitions=[definition(f'd{i}', r) for i, r in enumerate(roles)])
"#;

#[test]
fn each_role_of_a_tuning_job_is_read_and_a_gone_one_fails_it() {
    let emulator = Emulator::start();
    python_scene(SCENE, &emulator.url);
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", RULE]);
    assert_eq!(code, 1, "{report:#}");
    let found = verdicts_for(&report, RULE);
    let (status, message) = status_and_message(&found, "eu-west-1", "two-roles");
    assert_eq!(status, "fail", "{message}");
    assert!(message.contains("role/hpo-gone, which no longer exists"), "{message}");
    let (status, message) = status_and_message(&found, "eu-west-1", "both-there");
    assert_eq!(status, "pass", "{message}");
    assert!(
        message.contains("role/hpo-a") && message.contains("role/hpo-b"),
        "{message}"
    );
    // hpo-a is shared by both jobs: three roles, three reads.
    assert_eq!(calls(&report, "iam:GetRole", "operations"), 3, "{:#}", report["calls"]);
}
