//! `vigil audit` on the kinds of the ML platform around models: feature
//! groups, HyperPod clusters, images and app image configurations,
//! inference experiments, Augmented AI flow definitions and the model
//! registry; the real binary against the patched emulator, exact verdicts,
//! and the calls each kind costs.

mod support;

use support::seed;
use support::{audit_json, calls, Emulator};

#[test]
fn feature_groups_are_judged_on_the_key_of_each_store_they_have() {
    use aws_sdk_sagemaker::types::{OfflineStoreConfig, OnlineStoreConfig, OnlineStoreSecurityConfig, S3StorageConfig};
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, "eu-west-1");
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let online = |key: Option<&str>| {
            OnlineStoreConfig::builder()
                .enable_online_store(true)
                .set_security_config(key.map(|k| OnlineStoreSecurityConfig::builder().kms_key_id(k).build()))
                .build()
        };
        let offline = |key: &str| {
            OfflineStoreConfig::builder()
                .s3_storage_config(S3StorageConfig::builder().s3_uri("s3://f/").kms_key_id(key).build())
                .build()
        };
        let groups = [
            ("locked", Some(online(Some(key.as_str()))), Some(offline(key.as_str()))),
            ("online-open", Some(online(None)), Some(offline(key.as_str()))),
            ("offline-aws-managed", None, Some(offline("alias/aws/s3"))),
            ("offline-only", None, Some(offline(key.as_str()))),
        ];
        for (name, online, offline) in groups {
            seed::feature_group(&sm, name)
                .role_arn(seed::ROLE)
                .set_online_store_config(online)
                .set_offline_store_config(offline)
                .send()
                .await
                .unwrap();
        }
    });
    let rule = "sagemaker-feature-group-kms";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let verdict = |name: &str| support::status_and_message(&found, "eu-west-1", name);
    assert_eq!(verdict("locked").0, "pass");
    let (status, why) = verdict("online-open");
    assert_eq!(status, "fail");
    assert!(why.contains("online store") && !why.contains("offline"), "{why}");
    let (status, why) = verdict("offline-aws-managed");
    assert_eq!(status, "fail");
    assert!(why.contains("offline store"), "{why}");
    let (status, why) = verdict("offline-only");
    assert_eq!(status, "pass");
    assert!(why.contains("no online store"), "{why}");
    assert_eq!(calls(&report, "sagemaker:ListFeatureGroups", "operations"), 1);
    assert_eq!(calls(&report, "sagemaker:DescribeFeatureGroup", "operations"), 4);
}

#[test]
fn hyperpod_clusters_are_judged_on_the_keys_of_every_groups_volumes() {
    use aws_sdk_sagemaker::types::{
        ClusterEbsVolumeConfig, ClusterInstanceGroupSpecification, ClusterInstanceStorageConfig, ClusterInstanceType,
        ClusterLifeCycleConfig,
    };
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, "eu-west-1");
    let volume = |root: bool, key: Option<&str>| {
        let ebs = ClusterEbsVolumeConfig::builder()
            .set_root_volume(root.then_some(true))
            .set_volume_size_in_gb((!root).then_some(500))
            .set_volume_kms_key_id(key.map(str::to_owned))
            .build();
        ClusterInstanceStorageConfig::EbsVolumeConfig(ebs)
    };
    let group = |name: &str, volumes: Vec<ClusterInstanceStorageConfig>| {
        ClusterInstanceGroupSpecification::builder()
            .instance_group_name(name)
            .instance_type(ClusterInstanceType::MlT3Medium)
            .instance_count(1)
            .execution_role(seed::ROLE)
            .life_cycle_config(
                ClusterLifeCycleConfig::builder()
                    .source_s3_uri("s3://sagemaker-lifecycle/")
                    .on_create("on_create.sh")
                    .build(),
            )
            .set_instance_storage_configs(Some(volumes))
            .build()
    };
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let clusters = [
            (
                "keyed",
                vec![group(
                    "workers",
                    vec![volume(true, Some(key.as_str())), volume(false, Some(key.as_str()))],
                )],
            ),
            (
                "root-unkeyed",
                vec![
                    group("workers", vec![volume(true, Some(key.as_str()))]),
                    group("controller", vec![volume(false, Some(key.as_str()))]),
                ],
            ),
            (
                "secondary-unkeyed",
                vec![group(
                    "workers",
                    vec![volume(true, Some(key.as_str())), volume(false, None)],
                )],
            ),
        ];
        for (name, groups) in clusters {
            sm.create_cluster()
                .cluster_name(name)
                .set_instance_groups(Some(groups))
                .send()
                .await
                .unwrap();
        }
    });
    let rule = "sagemaker-hyperpod-cluster-kms";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let verdict = |name: &str| support::status_and_message(&found, "eu-west-1", name);
    assert_eq!(verdict("keyed").0, "pass");
    let (status, why) = verdict("root-unkeyed");
    assert_eq!(status, "fail");
    assert!(
        why.contains("root volumes of instance group controller") && !why.contains("group workers"),
        "{why}"
    );
    let (status, why) = verdict("secondary-unkeyed");
    assert_eq!(status, "fail");
    assert!(why.contains("secondary volumes of instance group workers"), "{why}");
    assert_eq!(calls(&report, "sagemaker:ListClusters", "operations"), 1);
    assert_eq!(calls(&report, "sagemaker:DescribeCluster", "operations"), 3);
}

#[test]
fn images_and_app_image_configs_are_judged_on_their_tags() {
    use aws_sdk_sagemaker::types::Tag;
    let emulator = Emulator::start();
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let owner = Tag::builder().key("owner").value("ml-platform").build();
        sm.create_image()
            .image_name("tagged")
            .role_arn(seed::ROLE)
            .tags(owner.clone())
            .send()
            .await
            .unwrap();
        sm.create_image()
            .image_name("bare")
            .role_arn(seed::ROLE)
            .send()
            .await
            .unwrap();
        sm.create_app_image_config()
            .app_image_config_name("cfg-bare")
            .send()
            .await
            .unwrap();
        let arn = sm
            .create_app_image_config()
            .app_image_config_name("cfg-tagged-later")
            .send()
            .await
            .unwrap()
            .app_image_config_arn()
            .unwrap()
            .to_owned();
        sm.add_tags().resource_arn(arn).tags(owner).send().await.unwrap();
    });
    let rule = "sagemaker-image-tagged";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let verdict = |name: &str| {
        let finding = &found[&("eu-west-1".to_owned(), name.to_owned())];
        (
            finding["status"].as_str().unwrap().to_owned(),
            finding["resource"]["type"].as_str().unwrap().to_owned(),
        )
    };
    assert_eq!(verdict("tagged"), ("pass".into(), "AWS::SageMaker::Image".into()));
    assert_eq!(verdict("bare"), ("fail".into(), "AWS::SageMaker::Image".into()));
    assert_eq!(
        verdict("cfg-bare"),
        ("fail".into(), "AWS::SageMaker::AppImageConfig".into())
    );
    assert_eq!(
        verdict("cfg-tagged-later"),
        ("pass".into(), "AWS::SageMaker::AppImageConfig".into())
    );
    assert_eq!(calls(&report, "sagemaker:ListImages", "operations"), 1);
    assert_eq!(calls(&report, "sagemaker:ListAppImageConfigs", "operations"), 1);
    assert_eq!(calls(&report, "sagemaker:ListTags", "operations"), 4);
}

#[test]
fn inference_experiments_are_judged_on_both_keys() {
    use aws_sdk_sagemaker::types::{
        InferenceExperimentDataStorageConfig, InferenceExperimentType, ModelInfrastructureConfig,
        ModelInfrastructureType, ModelVariantConfig, RealTimeInferenceConfig, ShadowModeConfig,
        ShadowModelVariantConfig,
    };
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, "eu-west-1");
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let variant = ModelVariantConfig::builder()
            .model_name("fraud-v3")
            .variant_name("fraud")
            .infrastructure_config(
                ModelInfrastructureConfig::builder()
                    .infrastructure_type(ModelInfrastructureType::RealTimeInference)
                    .real_time_inference_config(
                        RealTimeInferenceConfig::builder()
                            .instance_type("ml.m5.xlarge".into())
                            .instance_count(1)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let shadow = ShadowModeConfig::builder()
            .source_model_variant_name("fraud")
            .shadow_model_variants(
                ShadowModelVariantConfig::builder()
                    .shadow_model_variant_name("fraud")
                    .sampling_percentage(50)
                    .build(),
            )
            .build();
        let storage = |key: Option<&str>| {
            InferenceExperimentDataStorageConfig::builder()
                .destination("s3://acme-shadow/fraud/")
                .set_kms_key(key.map(str::to_owned))
                .build()
        };
        for (name, key, data) in [
            ("keyed", Some(key.as_str()), Some(storage(Some(key.as_str())))),
            ("no-data-key", Some(key.as_str()), Some(storage(None))),
            ("no-volume-key", None, None),
        ] {
            sm.create_inference_experiment()
                .name(name)
                .r#type(InferenceExperimentType::ShadowMode)
                .role_arn(seed::ROLE)
                .endpoint_name("fraud")
                .model_variants(variant.clone())
                .shadow_mode_config(shadow.clone())
                .set_kms_key(key.map(str::to_owned))
                .set_data_storage_config(data)
                .send()
                .await
                .unwrap();
        }
    });
    let rule = "sagemaker-inference-experiment-kms";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let verdict = |name: &str| support::status_and_message(&found, "eu-west-1", name);
    assert_eq!(verdict("keyed").0, "pass");
    let (status, why) = verdict("no-data-key");
    assert_eq!(status, "fail");
    assert!(
        why.contains("DataStorageConfig.KmsKey") && !why.contains("(KmsKey)"),
        "{why}"
    );
    let (status, why) = verdict("no-volume-key");
    assert_eq!(status, "fail");
    assert!(why.contains("(KmsKey)") && !why.contains("DataStorageConfig"), "{why}");
    assert_eq!(calls(&report, "sagemaker:DescribeInferenceExperiment", "operations"), 3);
}

#[test]
fn flow_definitions_are_judged_on_their_output_key() {
    use aws_sdk_sagemaker::types::{FlowDefinitionOutputConfig, HumanLoopConfig};
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, "eu-west-1");
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let human_loop = HumanLoopConfig::builder()
            .workteam_arn("arn:aws:sagemaker:eu-west-1:123456789012:workteam/private-crowd/reviewers")
            .human_task_ui_arn("arn:aws:sagemaker:eu-west-1:123456789012:human-task-ui/invoices")
            .task_title("Invoice review")
            .task_description("Check the extracted invoice fields")
            .task_count(1)
            .build();
        for (name, key) in [("keyed", Some(key.as_str())), ("open", None)] {
            let output = FlowDefinitionOutputConfig::builder()
                .s3_output_path("s3://acme-a2i/invoices/")
                .set_kms_key_id(key.map(str::to_owned))
                .build();
            sm.create_flow_definition()
                .flow_definition_name(name)
                .role_arn(seed::ROLE)
                .human_loop_config(human_loop.clone())
                .output_config(output)
                .send()
                .await
                .unwrap();
        }
    });
    let rule = "sagemaker-flow-definition-kms";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let status = |name: &str| found[&("eu-west-1".to_owned(), name.to_owned())]["status"].clone();
    assert_eq!((status("keyed"), status("open")), ("pass".into(), "fail".into()));
    assert_eq!(calls(&report, "sagemaker:DescribeFlowDefinition", "operations"), 2);
}

#[test]
fn the_model_registry_of_each_region_is_judged_on_approved_versions() {
    use aws_sdk_sagemaker::types::ModelApprovalStatus;
    let emulator = Emulator::start();
    support::block_on(async {
        // eu-west-1: a group whose only version is approved; us-east-1: a
        // group with a version awaiting approval; eu-central-1: nothing.
        for (region, status) in [
            ("eu-west-1", ModelApprovalStatus::Approved),
            ("us-east-1", ModelApprovalStatus::PendingManualApproval),
        ] {
            let sm = seed::client(&emulator.url, region);
            sm.create_model_package_group()
                .model_package_group_name("fraud")
                .send()
                .await
                .unwrap();
            sm.create_model_package()
                .model_package_group_name("fraud")
                .model_approval_status(status)
                .send()
                .await
                .unwrap();
        }
    });
    let rule = "sagemaker-model-registry-in-use";
    let regions = "eu-west-1,us-east-1,eu-central-1";
    let (code, report) = audit_json(&emulator.url, &["--regions", regions, "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let verdict = |region: &str| {
        let finding = &found[&(region.to_owned(), "model-registry".to_owned())];
        (
            finding["status"].as_str().unwrap().to_owned(),
            finding["message"].to_string(),
        )
    };
    assert_eq!(verdict("eu-west-1").0, "pass");
    let (status, why) = verdict("us-east-1");
    assert_eq!(status, "fail");
    assert!(why.contains("no approved version"), "{why}");
    let (status, why) = verdict("eu-central-1");
    assert_eq!(status, "fail");
    assert!(why.contains("no model package group"), "{why}");
    // Opt-in: the default rules never read the registry.
    let (_, default) = audit_json(&emulator.url, &["--regions", "eu-west-1"]);
    assert_eq!(calls(&default, "sagemaker:ListModelPackageGroups", "operations"), 0);
}
