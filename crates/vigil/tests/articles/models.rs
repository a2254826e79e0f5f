//! The articles of the model, endpoint and monitoring rules, run as written.

use super::*;

const FRAUD_MODEL: &str = r#"
aws sagemaker create-model --model-name fraud-a --execution-role-arn arn:aws:iam::123456789012:role/sm \
  --primary-container Image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud:1,ModelDataUrl=s3://models/fraud.tar.gz \
  --vpc-config SecurityGroupIds=sg-0123abcd,Subnets=subnet-0a1b2c3d \
  --tags Key=team,Value=fraud
aws sagemaker create-endpoint-config --endpoint-config-name fraud-cfg \
  --production-variants VariantName=primary,ModelName=fraud-a,InitialInstanceCount=1,InstanceType=ml.m5.large
aws sagemaker create-endpoint --endpoint-name fraud --endpoint-config-name fraud-cfg
"#;

#[test]
fn model_network_isolation() {
    check(Case {
        rule: "sagemaker-model-network-isolation",
        scene: FRAUD_MODEL.to_owned(),
        audit_shows: &["eu-west-1 fraud-a false"],
        after: &[("fraud-a", Some("fail")), ("fraud-a-isolated", Some("pass"))],
        then: endpoint_moved_to("fraud-cfg-isolated"),
    });
}

#[test]
fn model_in_vpc() {
    check(Case {
        rule: "sagemaker-model-in-vpc",
        scene:
            "aws sagemaker create-model --model-name fraud-a --execution-role-arn arn:aws:iam::123456789012:role/sm \
                  --primary-container Image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud:1"
                .to_owned(),
        audit_shows: &["fraud-a None"],
        after: &[("fraud-a", Some("fail")), ("fraud-a-vpc", Some("pass"))],
        then: None,
    });
}

/// A data-quality definition `fraud-dq` on `instances` instances with
/// nothing optional set, and the schedule `fraud-hourly` that runs it.
fn monitoring(instances: u32) -> String {
    format!(
        r#"aws sagemaker create-data-quality-job-definition --job-definition-name fraud-dq --role-arn {ROLE} \
  --data-quality-app-specification ImageUri=123456789012.dkr.ecr.eu-west-1.amazonaws.com/monitor:1 \
  --data-quality-job-input '{{"EndpointInput": {{"EndpointName": "fraud", "LocalPath": "/opt/ml/processing/input"}}}}' \
  --data-quality-job-output-config '{{"MonitoringOutputs": [{{"S3Output": {{"S3Uri": "s3://monitor/fraud", "LocalPath": "/opt/ml/processing/output"}}}}]}}' \
  --job-resources '{{"ClusterConfig": {{"InstanceCount": {instances}, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}}}}'
aws sagemaker create-monitoring-schedule --monitoring-schedule-name fraud-hourly \
  --monitoring-schedule-config '{{"MonitoringJobDefinitionName": "fraud-dq", "MonitoringType": "DataQuality", "ScheduleConfig": {{"ScheduleExpression": "cron(0 * ? * * *)"}}}}'"#
    )
}

#[test]
fn monitoring_network_isolation() {
    check(Case {
        rule: "sagemaker-monitoring-network-isolation",
        scene: monitoring(1),
        audit_shows: &["fraud-dq null"],
        after: &[
            ("fraud-dq", None),
            ("fraud-dq-isolated", Some("pass")),
            ("fraud-hourly", Some("pass")),
        ],
        then: None,
    });
}

#[test]
fn monitoring_inter_container_encryption() {
    check(Case {
        rule: "sagemaker-monitoring-inter-container-encryption",
        scene: monitoring(2),
        audit_shows: &["fraud-dq\t2\tNone"],
        after: &[
            ("fraud-dq", None),
            ("fraud-dq-encrypted", Some("pass")),
            ("fraud-hourly", Some("pass")),
        ],
        then: None,
    });
}

#[test]
fn monitoring_kms() {
    check(Case {
        rule: "sagemaker-monitoring-kms",
        scene: monitoring(1),
        audit_shows: &["fraud-dq\tNone\tNone"],
        after: &[
            ("fraud-dq", None),
            ("fraud-dq-kms", Some("pass")),
            ("fraud-hourly", Some("pass")),
        ],
        then: None,
    });
}

#[test]
fn model_registry_in_use() {
    check(Case {
        rule: "sagemaker-model-registry-in-use",
        scene: "true".into(),
        audit_shows: &["0\n0\n"],
        after: &[("model-registry", Some("pass"))],
        then: None,
    });
}

#[test]
fn model_execution_role_exists() {
    let scene = "aws sagemaker create-model --model-name fraud \\\n  --execution-role-arn arn:aws:iam::123456789012:role/fraud-model \\\n  --primary-container Image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud:4".to_owned();
    check(Case {
        rule: "sagemaker-model-execution-role-exists",
        scene,
        audit_shows: &["fraud arn:aws:iam::123456789012:role/fraud-model missing"],
        after: &[("fraud", Some("pass"))],
        then: None,
    });
}

#[test]
fn endpoint_config_execution_role_exists() {
    let scene = format!(
        "{FRAUD_MODEL}aws sagemaker create-endpoint-config --endpoint-config-name fraud-ic \\
  --execution-role-arn arn:aws:iam::123456789012:role/fraud-endpoint \\
  --production-variants VariantName=primary,ModelName=fraud-a,InitialInstanceCount=1,InstanceType=ml.m5.large\n"
    );
    check(Case {
        rule: "sagemaker-endpoint-config-execution-role-exists",
        scene,
        audit_shows: &["fraud-ic arn:aws:iam::123456789012:role/fraud-endpoint missing"],
        after: &[("fraud-cfg", Some("pass")), ("fraud-ic", Some("pass"))],
        then: None,
    });
}

/// The endpoint `fraud` runs on `config` once its update has settled.
fn endpoint_moved_to(config: &str) -> Option<String> {
    Some(format!(
        "sleep 1; test \"$(aws sagemaker describe-endpoint --endpoint-name fraud --query EndpointConfigName --output text)\" = {config}"
    ))
}

#[test]
fn endpoint_config_kms_key() {
    check(Case {
        rule: "sagemaker-endpoint-config-kms-key",
        scene: FRAUD_MODEL.to_owned(),
        audit_shows: &["fraud-cfg None"],
        after: &[("fraud-cfg", Some("fail")), ("fraud-cfg-kms", Some("pass"))],
        then: endpoint_moved_to("fraud-cfg-kms"),
    });
}

#[test]
fn endpoint_config_data_capture() {
    check(Case {
        rule: "sagemaker-endpoint-config-data-capture",
        scene: FRAUD_MODEL.to_owned(),
        audit_shows: &["fraud-cfg None"],
        after: &[("fraud-cfg", Some("fail")), ("fraud-cfg-capture", Some("pass"))],
        then: endpoint_moved_to("fraud-cfg-capture"),
    });
}

#[test]
fn endpoint_config_multi_instance() {
    check(Case {
        rule: "sagemaker-endpoint-config-multi-instance",
        scene: FRAUD_MODEL.to_owned(),
        audit_shows: &["fraud-cfg 1"],
        after: &[("fraud-cfg", Some("fail")), ("fraud-cfg-ha", Some("pass"))],
        then: endpoint_moved_to("fraud-cfg-ha"),
    });
}

#[test]
fn model_private_registry() {
    check(Case {
        rule: "sagemaker-model-private-registry",
        scene: FRAUD_MODEL.to_owned(),
        audit_shows: &["fraud-a None"],
        after: &[("fraud-a", Some("fail")), ("fraud-a-private", Some("pass"))],
        then: None,
    });
}

#[test]
fn endpoint_monitoring() {
    check(Case {
        rule: "sagemaker-endpoint-monitoring",
        scene: FRAUD_MODEL.to_owned(),
        audit_shows: &["fraud 0"],
        after: &[("fraud", Some("pass"))],
        then: None,
    });
}
