//! No silent skips: every rule that claims a template source judges its
//! kind in all five formats (CloudFormation YAML and JSON, Terraform HCL,
//! `.tf.json` and plan JSON). One failing resource per kind and format;
//! each rule of the kind must report it failing.

mod support;

use std::collections::BTreeSet;
use support::vigil;

/// A kind: its CloudFormation type and properties (as JSON), its Terraform
/// type and attributes (as JSON; blocks as lists of objects), its HCL body,
/// and the rules that must fail it.
struct Kind {
    cfn_type: &'static str,
    cfn_properties: &'static str,
    tf_type: &'static str,
    tf_values: &'static str,
    hcl_body: &'static str,
    rules: &'static [&'static str],
}

const KINDS: &[Kind] = &[
    Kind {
        cfn_type: "AWS::SageMaker::Model",
        cfn_properties: r#"{"ExecutionRoleArn": "arn:aws:iam::1:role/r", "PrimaryContainer": {"Image": "img"}, "EnableNetworkIsolation": false}"#,
        tf_type: "aws_sagemaker_model",
        tf_values: r#"{"name": "m", "execution_role_arn": "arn:aws:iam::1:role/r", "enable_network_isolation": false}"#,
        hcl_body: "name = \"m\"\n  execution_role_arn = \"arn:aws:iam::1:role/r\"\n  enable_network_isolation = false",
        rules: &["sagemaker-model-network-isolation", "sagemaker-model-in-vpc"],
    },
    Kind {
        cfn_type: "AWS::SageMaker::NotebookInstance",
        cfn_properties: r#"{"InstanceType": "ml.t3.medium", "RoleArn": "r", "DirectInternetAccess": "Enabled", "RootAccess": "Enabled"}"#,
        tf_type: "aws_sagemaker_notebook_instance",
        tf_values: r#"{"name": "n", "role_arn": "r", "instance_type": "ml.t3.medium", "direct_internet_access": "Enabled", "root_access": "Enabled"}"#,
        hcl_body: "name = \"n\"\n  role_arn = \"r\"\n  instance_type = \"ml.t3.medium\"\n  direct_internet_access = \"Enabled\"\n  root_access = \"Enabled\"",
        rules: &[
            "sagemaker-notebook-direct-internet-access",
            "sagemaker-notebook-in-vpc",
            "sagemaker-notebook-root-access",
        ],
    },
    Kind {
        cfn_type: "AWS::SageMaker::Domain",
        cfn_properties: r#"{"DomainName": "d", "AuthMode": "IAM", "AppNetworkAccessType": "PublicInternetOnly"}"#,
        tf_type: "aws_sagemaker_domain",
        tf_values: r#"{"domain_name": "d", "auth_mode": "IAM", "app_network_access_type": "PublicInternetOnly"}"#,
        hcl_body: "domain_name = \"d\"\n  auth_mode = \"IAM\"\n  app_network_access_type = \"PublicInternetOnly\"",
        rules: &["sagemaker-domain-vpc-only"],
    },
    Kind {
        cfn_type: "AWS::SageMaker::DataQualityJobDefinition",
        cfn_properties: r#"{"NetworkConfig": {"EnableNetworkIsolation": false}, "JobResources": {"ClusterConfig": {"InstanceCount": 2, "InstanceType": "ml.m5.large"}}}"#,
        tf_type: "aws_sagemaker_data_quality_job_definition",
        tf_values: r#"{"name": "q", "network_config": [{"enable_network_isolation": false}], "job_resources": [{"cluster_config": [{"instance_count": 2, "instance_type": "ml.m5.large"}]}]}"#,
        hcl_body: "name = \"q\"\n  network_config {\n    enable_network_isolation = false\n  }\n  job_resources {\n    cluster_config {\n      instance_count = 2\n      instance_type = \"ml.m5.large\"\n    }\n  }",
        rules: &[
            "sagemaker-monitoring-network-isolation",
            "sagemaker-monitoring-inter-container-encryption",
            "sagemaker-monitoring-kms",
        ],
    },
    Kind {
        cfn_type: "AWS::SageMaker::EndpointConfig",
        cfn_properties: r#"{"ProductionVariants": [{"VariantName": "v", "ModelName": "m", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}]}"#,
        tf_type: "aws_sagemaker_endpoint_configuration",
        tf_values: r#"{"name": "e", "production_variants": [{"variant_name": "v", "model_name": "m", "instance_type": "ml.m5.large", "initial_instance_count": 1}]}"#,
        hcl_body: "name = \"e\"\n  production_variants {\n    variant_name = \"v\"\n    model_name = \"m\"\n    instance_type = \"ml.m5.large\"\n    initial_instance_count = 1\n  }",
        rules: &[
            "sagemaker-endpoint-config-kms-key",
            "sagemaker-endpoint-config-data-capture",
            "sagemaker-endpoint-config-multi-instance",
        ],
    },
    Kind {
        cfn_type: "AWS::SageMaker::FeatureGroup",
        cfn_properties: r#"{"RecordIdentifierFeatureName": "id", "EventTimeFeatureName": "t", "OnlineStoreConfig": {"EnableOnlineStore": true}}"#,
        tf_type: "aws_sagemaker_feature_group",
        tf_values: r#"{"feature_group_name": "f", "record_identifier_feature_name": "id", "event_time_feature_name": "t", "online_store_config": [{"enable_online_store": true}]}"#,
        hcl_body: "feature_group_name = \"f\"\n  online_store_config {\n    enable_online_store = true\n  }",
        rules: &["sagemaker-feature-group-kms"],
    },
    Kind {
        cfn_type: "AWS::SageMaker::NotebookInstanceLifecycleConfig",
        // `export GITHUB_TOKEN=ghp_…` in base64.
        cfn_properties: r#"{"OnStart": [{"Content": "ZXhwb3J0IEdJVEhVQl9UT0tFTj1naHBfUjh4SmsybVZxOUxwVDR3WnM3WWJOM2NIZDZGZ0ExZUt1NVhvCg=="}]}"#,
        tf_type: "aws_sagemaker_notebook_instance_lifecycle_configuration",
        tf_values: r#"{"name": "l", "on_start": "ZXhwb3J0IEdJVEhVQl9UT0tFTj1naHBfUjh4SmsybVZxOUxwVDR3WnM3WWJOM2NIZDZGZ0ExZUt1NVhvCg=="}"#,
        hcl_body: "name = \"l\"\n  on_start = base64encode(\"export GITHUB_TOKEN=ghp_R8xJk2mVq9LpT4wZs7YbN3cHd6FgA1eKu5Xo\")",
        rules: &["sagemaker-notebook-lifecycle-secrets"],
    },
    Kind {
        cfn_type: "AWS::SageMaker::Image",
        cfn_properties: r#"{"ImageName": "i", "ImageRoleArn": "r"}"#,
        tf_type: "aws_sagemaker_image",
        tf_values: r#"{"image_name": "i", "role_arn": "r"}"#,
        hcl_body: "image_name = \"i\"\n  role_arn = \"r\"",
        rules: &["sagemaker-image-tagged"],
    },
];

/// The five forms of one failing resource of `kind`: (file name, text).
fn forms(kind: &Kind) -> Vec<(&'static str, String)> {
    let cfn_json = format!(
        r#"{{"Resources": {{"R": {{"Type": "{}", "Properties": {}}}}}}}"#,
        kind.cfn_type, kind.cfn_properties
    );
    // JSON is YAML: a flow mapping under a block key keeps it YAML-shaped.
    let cfn_yaml = format!(
        "Resources:\n  R:\n    Type: {}\n    Properties: {}\n",
        kind.cfn_type, kind.cfn_properties
    );
    let hcl = format!("resource \"{}\" \"r\" {{\n  {}\n}}\n", kind.tf_type, kind.hcl_body);
    let tf_json = format!(r#"{{"resource": {{"{}": {{"r": {}}}}}}}"#, kind.tf_type, kind.tf_values);
    let plan = format!(
        r#"{{"format_version": "1.2", "resource_changes": [{{"address": "{t}.r", "type": "{t}", "change": {{"actions": ["create"], "after": {v}}}}}]}}"#,
        t = kind.tf_type,
        v = kind.tf_values
    );
    // A plan whose resource_changes list nothing: what it plans is in
    // planned_values, and is read from there.
    let planned = format!(
        r#"{{"format_version": "1.2", "resource_changes": [], "planned_values": {{"root_module": {{"resources": [{{"address": "{t}.r", "mode": "managed", "type": "{t}", "name": "r", "values": {v}}}]}}}}}}"#,
        t = kind.tf_type,
        v = kind.tf_values
    );
    vec![
        ("stack.yaml", cfn_yaml),
        ("stack.json", cfn_json),
        ("main.tf", hcl),
        ("main.tf.json", tf_json),
        ("plan.json", plan),
        ("planned.json", planned),
    ]
}

#[test]
fn every_template_rule_judges_its_kind_in_all_five_formats() {
    let mut missing = Vec::new();
    for kind in KINDS {
        for (name, text) in forms(kind) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let out = vigil(&["scan", "--format", "json", path.to_str().unwrap()]);
            let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let failing: BTreeSet<&str> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["status"] == "fail")
                .map(|f| f["rule"].as_str().unwrap())
                .collect();
            for rule in kind.rules {
                if !failing.contains(rule) {
                    missing.push(format!("{rule} in {name} ({}): {report}", kind.tf_type));
                }
            }
        }
    }
    assert!(missing.is_empty(), "silent skips:\n{}", missing.join("\n"));
}
