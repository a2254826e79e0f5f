//! `vigil audit` on what grants access: secrets written into notebook
//! lifecycle scripts, execution roles that no longer exist, and roles
//! allowed every action (read from the emulator's IAM, once per role and
//! only when asked).

mod support;

use support::seed;
use support::{audit_json, calls, Emulator};

#[test]
fn lifecycle_scripts_are_searched_for_secrets_that_findings_never_repeat() {
    use aws_sdk_sagemaker::types::NotebookInstanceLifecycleHook;
    use base64::Engine;
    let token = "ghp_R8xJk2mVq9LpT4wZs7YbN3cHd6FgA1eKu5Xo";
    let emulator = Emulator::start();
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let hook = |script: &str| {
            let content = base64::engine::general_purpose::STANDARD.encode(script);
            NotebookInstanceLifecycleHook::builder().content(content).build()
        };
        sm.create_notebook_instance_lifecycle_config()
            .notebook_instance_lifecycle_config_name("clean")
            .on_start(hook("#!/bin/bash\nsudo -u ec2-user -i pip install pandas\n"))
            .send()
            .await
            .unwrap();
        sm.create_notebook_instance_lifecycle_config()
            .notebook_instance_lifecycle_config_name("leaky")
            .on_create(hook("#!/bin/bash\nset -e\n"))
            .on_start(hook(&format!("#!/bin/bash\nset -e\nexport GITHUB_TOKEN={token}\n")))
            .send()
            .await
            .unwrap();
    });
    let rule = "sagemaker-notebook-lifecycle-secrets";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let verdict = |name: &str| support::status_and_message(&found, "eu-west-1", name);
    assert_eq!(verdict("clean").0, "pass");
    let (status, why) = verdict("leaky");
    assert_eq!(status, "fail");
    assert!(why.contains("github-pat on line 3 of OnStart"), "{why}");
    assert!(!report.to_string().contains(token), "the report repeats the secret");
    assert_eq!(
        calls(&report, "sagemaker:ListNotebookInstanceLifecycleConfigs", "operations"),
        1
    );
    assert_eq!(
        calls(
            &report,
            "sagemaker:DescribeNotebookInstanceLifecycleConfig",
            "operations"
        ),
        2
    );
}

#[test]
fn a_model_whose_execution_role_is_gone_fails_and_each_role_is_looked_up_once() {
    let emulator = Emulator::start();
    // The role `fraud-model` exists in IAM; `deleted` does not.
    seed::iam_role(&emulator.url, "fraud-model");
    let role = |name: &str| format!("arn:aws:iam::123456789012:role/{name}");
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        for (model, role_name) in [
            ("kept-a", "fraud-model"),
            ("kept-b", "fraud-model"),
            ("orphaned", "deleted"),
        ] {
            seed::model_as(&sm, model, &role(role_name)).send().await.unwrap();
        }
    });
    let rule = "sagemaker-model-execution-role-exists";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let status = |name: &str| found[&("eu-west-1".to_owned(), name.to_owned())]["status"].clone();
    assert_eq!(
        (status("kept-a"), status("kept-b"), status("orphaned")),
        ("pass".into(), "pass".into(), "fail".into())
    );
    // Two distinct roles, two lookups; none when the rule is not chosen.
    assert_eq!(calls(&report, "iam:GetRole", "operations"), 2);
    // Notebook instances are looked up the same way.
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        sm.create_notebook_instance()
            .notebook_instance_name("orphaned-notebook")
            .instance_type(aws_sdk_sagemaker::types::InstanceType::MlT3Medium)
            .role_arn(role("deleted"))
            .send()
            .await
            .unwrap();
    });
    let rule = "sagemaker-notebook-execution-role-exists";
    let (_, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rule]);
    let found = support::verdicts_for(&report, rule);
    let notebook = &found[&("eu-west-1".to_owned(), "orphaned-notebook".to_owned())];
    assert_eq!(notebook["status"], "fail", "{notebook:#}");
    let (_, other) = audit_json(
        &emulator.url,
        &["--regions", "eu-west-1", "--rules", "sagemaker-model-network-isolation"],
    );
    assert_eq!(calls(&other, "iam:GetRole", "operations"), 0);
}

/// IAM as the role-permission tests need it: roles with inline and attached
/// policies, created with boto3 against the emulator.
const IAM_SCENE: &str = r#"
import boto3, json, sys
iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1',
                   aws_access_key_id='testing', aws_secret_access_key='testing')
def doc(action):
    return json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': action, 'Resource': '*'}]})
for role in ['scoped', 'inline-admin', 'managed-admin', 'managed-admin-2']:
    iam.create_role(RoleName=role, AssumeRolePolicyDocument='{}')
iam.put_role_policy(RoleName='scoped', PolicyName='data', PolicyDocument=doc(['s3:GetObject', 's3:*']))
reader = iam.create_policy(PolicyName='reader', PolicyDocument=doc('sagemaker:Describe*'))['Policy']['Arn']
iam.attach_role_policy(RoleName='scoped', PolicyArn=reader)
iam.put_role_policy(RoleName='inline-admin', PolicyName='admin', PolicyDocument=doc('*'))
everything = iam.create_policy(PolicyName='everything', PolicyDocument=doc(['*']))['Policy']['Arn']
iam.attach_role_policy(RoleName='managed-admin', PolicyArn=everything)
iam.attach_role_policy(RoleName='managed-admin-2', PolicyArn=everything)
"#;

#[test]
fn a_notebook_whose_role_may_do_everything_fails_and_names_the_policy() {
    let emulator = Emulator::start();
    support::python_scene(IAM_SCENE, &emulator.url);
    let notebooks = [
        ("scoped", "arn:aws:iam::123456789012:role/scoped"),
        ("inline-admin", "arn:aws:iam::123456789012:role/inline-admin"),
        ("managed-admin", "arn:aws:iam::123456789012:role/managed-admin"),
        (
            "managed-admin-2",
            "arn:aws:iam::123456789012:role/service-role/managed-admin-2",
        ),
        ("deleted", "arn:aws:iam::123456789012:role/deleted"),
        ("elsewhere", "arn:aws:iam::210987654321:role/scoped"),
    ];
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        for (name, role) in notebooks {
            sm.create_notebook_instance()
                .notebook_instance_name(name)
                .instance_type(aws_sdk_sagemaker::types::InstanceType::MlT3Medium)
                .role_arn(role)
                .send()
                .await
                .unwrap();
        }
    });
    let rule = "sagemaker-notebook-role-all-actions";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let names: Vec<&str> = notebooks.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        support::statuses_of(&report, rule, "eu-west-1", &names),
        ["pass", "fail", "fail", "fail", "unknown", "unknown"]
    );
    let found = support::verdicts_for(&report, rule);
    let finding = |name: &str| found[&("eu-west-1".to_owned(), name.to_owned())].clone();
    let message = finding("inline-admin")["message"].as_str().unwrap().to_owned();
    assert!(message.contains("admin (statement 1)"), "{message}");
    let message = finding("managed-admin")["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("arn:aws:iam::123456789012:policy/everything"),
        "{message}"
    );
    let reason = finding("deleted")["reason"].as_str().unwrap_or_default().to_owned();
    assert!(reason.contains("no longer exists"), "{:#}", finding("deleted"));
    let reason = finding("elsewhere")["reason"].as_str().unwrap_or_default().to_owned();
    assert!(reason.contains("account 210987654321"), "{:#}", finding("elsewhere"));
    // Each same-account role is read once; the shared managed policy once.
    assert_eq!(calls(&report, "iam:ListRolePolicies", "operations"), 5);
    assert_eq!(calls(&report, "iam:GetRolePolicy", "operations"), 2);
    assert_eq!(calls(&report, "iam:GetPolicy", "operations"), 2);
    assert_eq!(calls(&report, "iam:GetPolicyVersion", "operations"), 2);
    let (_, other) = audit_json(
        &emulator.url,
        &["--regions", "eu-west-1", "--rules", "sagemaker-notebook-in-vpc"],
    );
    assert_eq!(calls(&other, "iam:ListRolePolicies", "operations"), 0);
}

/// A processing job, a tuning job and an endpoint configuration run as
/// `role` (the configuration's `none`: no role of its own).
const JOBS_SCENE: &str = r#"
import boto3, sys
sm = boto3.client('sagemaker', endpoint_url=sys.argv[1], region_name='eu-west-1',
                  aws_access_key_id='testing', aws_secret_access_key='testing')
role = lambda name: f'arn:aws:iam::123456789012:role/{name}'
image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/train:1'
for job, name in [('features-kept', 'churn-training'), ('features-orphaned', 'deleted')]:
    sm.create_processing_job(ProcessingJobName=job, RoleArn=role(name), AppSpecification={'ImageUri': image},
        ProcessingResources={'ClusterConfig': {'InstanceCount': 1, 'InstanceType': 'ml.m5.large', 'VolumeSizeInGB': 20}},
        StoppingCondition={'MaxRuntimeInSeconds': 3600})
sm.create_hyper_parameter_tuning_job(HyperParameterTuningJobName='hpo-orphaned',
    HyperParameterTuningJobConfig={'Strategy': 'Bayesian', 'ResourceLimits': {'MaxNumberOfTrainingJobs': 2, 'MaxParallelTrainingJobs': 1}},
    TrainingJobDefinition={'AlgorithmSpecification': {'TrainingImage': image, 'TrainingInputMode': 'File'}, 'RoleArn': role('deleted'),
        'OutputDataConfig': {'S3OutputPath': 's3://out/'}, 'StoppingCondition': {'MaxRuntimeInSeconds': 3600},
        'ResourceConfig': {'InstanceType': 'ml.m5.xlarge', 'InstanceCount': 1, 'VolumeSizeInGB': 10}})
sm.create_model(ModelName='m', ExecutionRoleArn=role('churn-training'), PrimaryContainer={'Image': image})
variants = [{'VariantName': 'v', 'ModelName': 'm', 'InitialInstanceCount': 1, 'InstanceType': 'ml.m5.large'}]
sm.create_endpoint_config(EndpointConfigName='plain', ProductionVariants=variants)
sm.create_endpoint_config(EndpointConfigName='components', ProductionVariants=variants, ExecutionRoleArn=role('deleted'))
"#;

#[test]
fn jobs_and_endpoint_configurations_whose_role_is_gone_fail() {
    let emulator = Emulator::start();
    seed::iam_role(&emulator.url, "churn-training");
    support::python_scene(JOBS_SCENE, &emulator.url);
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        for (job, role) in [("kept", "churn-training"), ("orphaned", "deleted")] {
            seed::training_job(&sm, job, &format!("arn:aws:iam::123456789012:role/{role}"), 1)
                .send()
                .await
                .unwrap();
        }
    });
    let rules = "sagemaker-training-job-execution-role-exists,sagemaker-processing-job-execution-role-exists,sagemaker-tuning-job-execution-role-exists,sagemaker-endpoint-config-execution-role-exists";
    let (code, report) = audit_json(
        &emulator.url,
        &["--regions", "eu-west-1", "--rules", rules, "--since", "1d"],
    );
    assert_eq!(code, 1, "{report:#}");
    let statuses = |rule: &str, names: &[&str]| support::statuses_of(&report, rule, "eu-west-1", names);
    assert_eq!(
        statuses("sagemaker-training-job-execution-role-exists", &["kept", "orphaned"]),
        ["pass", "fail"]
    );
    assert_eq!(
        statuses(
            "sagemaker-processing-job-execution-role-exists",
            &["features-kept", "features-orphaned"]
        ),
        ["pass", "fail"]
    );
    assert_eq!(
        statuses("sagemaker-tuning-job-execution-role-exists", &["hpo-orphaned"]),
        ["fail"]
    );
    assert_eq!(
        statuses(
            "sagemaker-endpoint-config-execution-role-exists",
            &["plain", "components"]
        ),
        ["pass", "fail"]
    );
    // Two distinct roles across six resources: two lookups.
    assert_eq!(calls(&report, "iam:GetRole", "operations"), 2);
}
