//! The articles of the Studio, feature store, HyperPod, image, inference
//! experiment and human-review rules, run as written.

use super::*;

/// moto names a domain's id `d-NAME`, so the articles' example ids exist.
fn domain(name: &str) -> String {
    format!(
        "aws sagemaker create-domain --domain-name {name} --auth-mode IAM \
           --default-user-settings ExecutionRole=arn:aws:iam::123456789012:role/studio \
           --vpc-id vpc-0abc --subnet-ids subnet-0abc"
    )
}

#[test]
fn domain_kms_key() {
    check(Case {
        rule: "sagemaker-domain-kms-key",
        scene: domain("abc123def456"),
        audit_shows: &["d-abc123def456", "null"],
        after: &[("abc123def456", Some("fail")), ("studio-v2", Some("pass"))],
        then: None,
    });
}

#[test]
fn domain_sso() {
    check(Case {
        rule: "sagemaker-domain-sso",
        scene: domain("abc123def456"),
        audit_shows: &["\"IAM\""],
        after: &[("abc123def456", Some("fail")), ("studio-sso", Some("pass"))],
        then: None,
    });
}

#[test]
fn domain_vpc_only() {
    check(Case {
        rule: "sagemaker-domain-vpc-only",
        scene: domain("abc123"),
        audit_shows: &["d-abc123 PublicInternetOnly"],
        after: &[("abc123", Some("pass"))],
        then: None,
    });
}

#[test]
fn feature_group_kms() {
    let scene = format!(
        r#"aws sagemaker create-feature-group --feature-group-name customers --role-arn {ROLE} \
  --record-identifier-feature-name customer_id --event-time-feature-name event_time \
  --feature-definitions FeatureName=customer_id,FeatureType=String FeatureName=event_time,FeatureType=String \
  --online-store-config EnableOnlineStore=true \
  --offline-store-config '{{"S3StorageConfig": {{"S3Uri": "s3://acme-features"}}}}'"#
    );
    check(Case {
        rule: "sagemaker-feature-group-kms",
        scene,
        audit_shows: &["customers\tTrue\tNone\tNone"],
        after: &[("customers", None), ("customers-kms", Some("pass"))],
        then: None,
    });
}

#[test]
fn hyperpod_cluster_kms() {
    let scene = format!(
        r#"aws sagemaker create-cluster --cluster-name llm-train --instance-groups '[{{"InstanceGroupName": "workers",
  "InstanceType": "ml.t3.medium", "InstanceCount": 1, "ExecutionRole": "{ROLE}",
  "LifeCycleConfig": {{"SourceS3Uri": "s3://sagemaker-lifecycle/llm/", "OnCreate": "on_create.sh"}}}}]'"#
    );
    check(Case {
        rule: "sagemaker-hyperpod-cluster-kms",
        scene,
        audit_shows: &[r#"["llm-train","workers",null]"#],
        after: &[("llm-train", Some("pass"))],
        then: None,
    });
}

#[test]
fn image_tagged() {
    let scene = format!(
        "aws sagemaker create-image --image-name base-python --role-arn {ROLE}\naws sagemaker create-app-image-config --app-image-config-name base-python-config"
    );
    check(Case {
        rule: "sagemaker-image-tagged",
        scene,
        audit_shows: &[":image/base-python 0", ":app-image-config/base-python-config 0"],
        after: &[("base-python", Some("pass")), ("base-python-config", Some("pass"))],
        then: None,
    });
}

#[test]
fn inference_experiment_kms() {
    let variant = |model: &str, name: &str| {
        format!(
            r#"{{"ModelName": "{model}", "VariantName": "{name}", "InfrastructureConfig": {{"InfrastructureType": "RealTimeInference", "RealTimeInferenceConfig": {{"InstanceType": "ml.m5.xlarge", "InstanceCount": 1}}}}}}"#
        )
    };
    let scene = format!(
        r#"aws sagemaker create-inference-experiment --name fraud-shadow --type ShadowMode --role-arn {ROLE} \
  --endpoint-name fraud --model-variants '[{}, {}]' \
  --shadow-mode-config '{{"SourceModelVariantName": "fraud", "ShadowModelVariants": [{{"ShadowModelVariantName": "fraud-shadow", "SamplingPercentage": 50}}]}}' \
  --data-storage-config Destination=s3://acme-shadow/fraud/"#,
        variant("fraud-v3", "fraud"),
        variant("fraud-v4", "fraud-shadow")
    );
    check(Case {
        rule: "sagemaker-inference-experiment-kms",
        scene,
        audit_shows: &["fraud-shadow\tNone\ts3://acme-shadow/fraud/\tNone"],
        after: &[("fraud-shadow", None), ("fraud-shadow-kms", Some("pass"))],
        then: None,
    });
}

#[test]
fn flow_definition_kms() {
    let scene = format!(
        r#"aws sagemaker create-flow-definition --flow-definition-name invoices --role-arn {ROLE} \
  --human-loop-config '{{"WorkteamArn": "arn:aws:sagemaker:eu-west-1:123456789012:workteam/private-crowd/reviewers", "HumanTaskUiArn": "arn:aws:sagemaker:eu-west-1:123456789012:human-task-ui/invoices", "TaskTitle": "Invoice review", "TaskDescription": "Check the extracted invoice fields", "TaskCount": 1}}' \
  --output-config S3OutputPath=s3://acme-a2i/invoices/"#
    );
    check(Case {
        rule: "sagemaker-flow-definition-kms",
        scene,
        audit_shows: &["invoices\tNone"],
        after: &[("invoices", None), ("invoices-kms", Some("pass"))],
        then: None,
    });
}
