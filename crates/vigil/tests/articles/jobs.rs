//! The articles of the training, processing and tuning job rules, run as written.

use super::*;

#[test]
fn training_job_execution_role_exists() {
    let scene = training_job("churn-7", "").replace(ROLE, "arn:aws:iam::123456789012:role/ml-jobs");
    check(Case {
        rule: "sagemaker-training-job-execution-role-exists",
        scene,
        audit_shows: &["churn-7 arn:aws:iam::123456789012:role/ml-jobs missing"],
        after: &[("churn-7", Some("pass"))],
        then: None,
    });
}

#[test]
fn processing_job_execution_role_exists() {
    let scene = r#"aws sagemaker create-processing-job --processing-job-name features-2026-11-26 \
  --role-arn arn:aws:iam::123456789012:role/ml-jobs \
  --app-specification ImageUri=123456789012.dkr.ecr.eu-west-1.amazonaws.com/features:1 \
  --processing-resources '{"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}}' \
  --stopping-condition MaxRuntimeInSeconds=3600"#
        .to_owned();
    check(Case {
        rule: "sagemaker-processing-job-execution-role-exists",
        scene,
        audit_shows: &["features-2026-11-26 arn:aws:iam::123456789012:role/ml-jobs missing"],
        after: &[("features-2026-11-26", Some("pass"))],
        then: None,
    });
}

#[test]
fn tuning_job_execution_role_exists() {
    let scene = r#"aws sagemaker create-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name hpo-2026-11-26 \
  --hyper-parameter-tuning-job-config '{"Strategy": "Bayesian", "ResourceLimits": {"MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": 2}}' \
  --training-job-definition '{"AlgorithmSpecification": {"TrainingImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:3", "TrainingInputMode": "File"}, "RoleArn": "arn:aws:iam::123456789012:role/ml-jobs", "OutputDataConfig": {"S3OutputPath": "s3://acme-models/hpo/"}, "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50}, "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}'"#
        .to_owned();
    check(Case {
        rule: "sagemaker-tuning-job-execution-role-exists",
        scene,
        audit_shows: &["hpo-2026-11-26 arn:aws:iam::123456789012:role/ml-jobs missing"],
        after: &[("hpo-2026-11-26", Some("pass"))],
        then: None,
    });
}

/// A finished-looking training job as the articles name them.
fn training_job(name: &str, extra: &str) -> String {
    format!(
            "aws sagemaker create-training-job --training-job-name {name} --role-arn {ROLE} \
               --algorithm-specification TrainingImage=123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:3,TrainingInputMode=File \
               --input-data-config '[{{\"ChannelName\": \"train\", \"DataSource\": {{\"S3DataSource\": {{\"S3DataType\": \"S3Prefix\", \"S3Uri\": \"s3://acme-data/churn/\"}}}}}}]' \
               --output-data-config S3OutputPath=s3://acme-models/churn/ \
               --stopping-condition MaxRuntimeInSeconds=3600 {extra}"
    )
}

#[test]
fn training_job_network_isolation() {
    check(Case {
        rule: "sagemaker-training-job-network-isolation",
        scene: training_job(
            "churn-2026-10-01",
            "--resource-config InstanceType=ml.m5.xlarge,InstanceCount=1,VolumeSizeInGB=50",
        ),
        audit_shows: &["churn-2026-10-01 false"],
        after: &[("churn-2026-10-01", Some("fail")), ("churn-2026-11-26", Some("pass"))],
        then: None,
    });
}

#[test]
fn training_job_kms() {
    check(Case {
        rule: "sagemaker-training-job-kms",
        scene: training_job(
            "churn-2026-11-01",
            "--resource-config InstanceType=ml.m5.xlarge,InstanceCount=1,VolumeSizeInGB=50",
        ),
        audit_shows: &["\"volume\": null", "\"type\": \"ml.m5.xlarge\""],
        after: &[("churn-2026-11-01", Some("fail")), ("churn-2026-11-02", Some("pass"))],
        then: None,
    });
}

#[test]
fn training_job_in_vpc() {
    check(Case {
        rule: "sagemaker-training-job-in-vpc",
        scene: training_job(
            "churn-2026-11-26",
            "--resource-config InstanceType=ml.m5.xlarge,InstanceCount=1,VolumeSizeInGB=50",
        ),
        audit_shows: &["null"],
        after: &[("churn-2026-11-26", Some("fail"))],
        then: None,
    });
}

#[test]
fn training_job_inter_container_encryption() {
    check(Case {
        rule: "sagemaker-training-job-inter-container-encryption",
        scene: training_job(
            "dist-2026-11-26",
            "--resource-config InstanceType=ml.m5.xlarge,InstanceCount=2,VolumeSizeInGB=50",
        ),
        audit_shows: &["2", "false"],
        after: &[("dist-2026-11-26", Some("fail"))],
        then: None,
    });
}

#[test]
fn processing_job_network_isolation() {
    let scene = format!(
        r#"aws sagemaker create-processing-job --processing-job-name features-2026-11-26 --role-arn {ROLE} \
  --app-specification ImageUri=123456789012.dkr.ecr.eu-west-1.amazonaws.com/features:1 \
  --processing-resources '{{"ClusterConfig": {{"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}}}}' \
  --stopping-condition MaxRuntimeInSeconds=3600"#
    );
    check(Case {
        rule: "sagemaker-processing-job-network-isolation",
        scene,
        audit_shows: &["null"],
        after: &[("features-2026-11-26", Some("fail"))],
        then: None,
    });
}

#[test]
fn tuning_job_network_isolation() {
    let scene = format!(
        r#"aws sagemaker create-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name hpo-2026-11-26 \
  --hyper-parameter-tuning-job-config '{{"Strategy": "Bayesian", "ResourceLimits": {{"MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": 2}}}}' \
  --training-job-definition '{{"AlgorithmSpecification": {{"TrainingImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:3", "TrainingInputMode": "File"}}, "RoleArn": "{ROLE}", "OutputDataConfig": {{"S3OutputPath": "s3://acme-models/hpo/"}}, "ResourceConfig": {{"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50}}, "StoppingCondition": {{"MaxRuntimeInSeconds": 3600}}}}'"#
    );
    check(Case {
        rule: "sagemaker-tuning-job-network-isolation",
        scene,
        audit_shows: &["null"],
        after: &[("hpo-2026-11-26", Some("fail"))],
        then: None,
    });
}
