//! `vigil audit` on the other SageMaker resource kinds (notebook instances,
//! domains, training, processing, tuning and monitoring jobs, model
//! containers): the real
//! binary against the patched emulator, exact verdicts, and proof that rules
//! of a kind share one collection pass and that unneeded kinds are not read.

mod support;

use support::seed;
use support::{audit_json, calls, Emulator};

const RULE: &str = "sagemaker-model-network-isolation";

#[test]
fn notebook_instances_get_exact_verdicts_and_are_only_read_when_a_rule_needs_them() {
    use aws_sdk_sagemaker::types::{
        DirectInternetAccess, InstanceMetadataServiceConfiguration, InstanceType, RootAccess,
    };
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, "eu-west-1");
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let create = |name: &str| {
            sm.create_notebook_instance()
                .notebook_instance_name(name)
                .instance_type(InstanceType::MlT3Medium)
                .role_arn(seed::ROLE)
        };
        create("open").send().await.unwrap();
        create("locked")
            .subnet_id("subnet-0abc")
            .security_group_ids("sg-0abc")
            .direct_internet_access(DirectInternetAccess::Disabled)
            .root_access(RootAccess::Disabled)
            .kms_key_id(key.as_str())
            .instance_metadata_service_configuration(
                InstanceMetadataServiceConfiguration::builder()
                    .minimum_instance_metadata_service_version("2")
                    .build(),
            )
            .send()
            .await
            .unwrap();
        create("in-vpc-with-root")
            .subnet_id("subnet-0abc")
            .security_group_ids("sg-0abc")
            .kms_key_id("alias/aws/sagemaker")
            .platform_identifier("notebook-al2-v3")
            .instance_metadata_service_configuration(
                InstanceMetadataServiceConfiguration::builder()
                    .minimum_instance_metadata_service_version("1")
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });

    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1"]);

    assert_eq!(code, 1);
    let status = |rule: &str, name: &str| {
        support::verdicts_for(&report, rule)[&("eu-west-1".to_owned(), name.to_owned())]["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let expected = [
        ("sagemaker-notebook-direct-internet-access", ["fail", "pass", "fail"]),
        ("sagemaker-notebook-in-vpc", ["fail", "pass", "pass"]),
        ("sagemaker-notebook-root-access", ["fail", "pass", "fail"]),
        // No key, a key of one's own, an AWS managed key.
        ("sagemaker-notebook-kms-key", ["fail", "pass", "fail"]),
        // Unset (IMDSv1 allowed), 2, 1.
        ("sagemaker-notebook-imdsv2", ["fail", "pass", "fail"]),
        // AWS's default (Amazon Linux 2023) twice, then Amazon Linux 2, past its end.
        ("sagemaker-notebook-supported-platform", ["pass", "pass", "fail"]),
    ];
    for (rule, statuses) in expected {
        for (name, want) in ["open", "locked", "in-vpc-with-root"].iter().zip(statuses) {
            assert_eq!(status(rule, name), want, "{rule} on {name}");
        }
    }
    let notebook = &support::verdicts_for(&report, "sagemaker-notebook-in-vpc")[&("eu-west-1".into(), "open".into())];
    assert_eq!(notebook["resource"]["type"], "AWS::SageMaker::NotebookInstance");
    let platform = &support::verdicts_for(&report, "sagemaker-notebook-supported-platform")
        [&("eu-west-1".into(), "in-vpc-with-root".into())];
    assert!(
        platform["message"]
            .as_str()
            .unwrap()
            .contains("notebook-al2-v3, on Amazon Linux 2"),
        "{platform}"
    );
    // Six rules, one pass: each notebook is described once.
    assert_eq!(calls(&report, "sagemaker:ListNotebookInstances", "operations"), 1);
    assert_eq!(calls(&report, "sagemaker:DescribeNotebookInstance", "operations"), 3);

    let (_, models_only) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", RULE]);
    assert_eq!(
        calls(&models_only, "sagemaker:ListNotebookInstances", "operations"),
        0,
        "no rule needs notebooks"
    );
    assert!(models_only["findings"].as_array().unwrap().is_empty());
}

#[test]
fn domains_are_judged_on_their_network_access_type() {
    use aws_sdk_sagemaker::types::{AppNetworkAccessType, AuthMode, UserSettings};
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, "eu-west-1");
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let create = |name: &str| {
            sm.create_domain()
                .domain_name(name)
                .auth_mode(AuthMode::Iam)
                .vpc_id("vpc-0abc")
                .subnet_ids("subnet-0abc")
                .default_user_settings(UserSettings::builder().execution_role(seed::ROLE).build())
        };
        create("private")
            .app_network_access_type(AppNetworkAccessType::VpcOnly)
            .kms_key_id(key.as_str())
            .auth_mode(AuthMode::Sso)
            .send()
            .await
            .unwrap();
        create("defaulted").send().await.unwrap();
    });

    let (code, report) = audit_json(
        &emulator.url,
        &[
            "--regions",
            "eu-west-1",
            "--rules",
            "sagemaker-domain-vpc-only,sagemaker-domain-kms-key,sagemaker-domain-sso",
        ],
    );

    assert_eq!(code, 1);
    for rule in [
        "sagemaker-domain-vpc-only",
        "sagemaker-domain-kms-key",
        "sagemaker-domain-sso",
    ] {
        let found = support::verdicts_for(&report, rule);
        assert_eq!(
            found[&("eu-west-1".to_owned(), "private".to_owned())]["status"],
            "pass",
            "{rule}"
        );
        assert_eq!(
            found[&("eu-west-1".to_owned(), "defaulted".to_owned())]["status"],
            "fail",
            "{rule}"
        );
    }
    // Three rules, one pass: each domain is described once.
    assert_eq!(calls(&report, "sagemaker:DescribeDomain", "operations"), 2);
    assert_eq!(
        calls(&report, "sagemaker:ListModels", "operations"),
        0,
        "only the kinds the chosen rules need are read"
    );
}

#[test]
fn training_jobs_in_the_window_get_exact_verdicts_for_four_rules() {
    use aws_sdk_sagemaker::types::{OutputDataConfig, ResourceConfig, TrainingInstanceType, VpcConfig};
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, "eu-west-1");
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let job = |name: &str, instances: i32| seed::training_job(&sm, name, seed::ROLE, instances);
        let vpc = VpcConfig::builder()
            .subnets("subnet-0abc")
            .security_group_ids("sg-0abc")
            .build();
        let key = key.as_str();
        job("locked", 1)
            .enable_network_isolation(true)
            .vpc_config(vpc.clone())
            .resource_config(
                ResourceConfig::builder()
                    .instance_type(TrainingInstanceType::MlM5Xlarge)
                    .instance_count(1)
                    .volume_size_in_gb(10)
                    .volume_kms_key_id(key)
                    .build(),
            )
            .output_data_config(
                OutputDataConfig::builder()
                    .s3_output_path("s3://out/")
                    .kms_key_id(key)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        job("open-distributed", 4).send().await.unwrap();
        job("encrypted-distributed", 2)
            .enable_inter_container_traffic_encryption(true)
            .vpc_config(vpc)
            .output_data_config(
                OutputDataConfig::builder()
                    .s3_output_path("s3://out/")
                    .kms_key_id(key)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });

    let rules = "sagemaker-training-job-network-isolation,sagemaker-training-job-in-vpc,sagemaker-training-job-inter-container-encryption,sagemaker-training-job-kms";
    let (code, report) = audit_json(
        &emulator.url,
        &["--regions", "eu-west-1", "--rules", rules, "--since", "1d"],
    );

    assert_eq!(code, 1);
    let status = |rule: &str, name: &str| {
        support::verdicts_for(&report, rule)[&("eu-west-1".to_owned(), name.to_owned())]["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    for (rule, want) in [
        ("sagemaker-training-job-network-isolation", ["pass", "fail", "fail"]),
        ("sagemaker-training-job-in-vpc", ["pass", "fail", "pass"]),
        (
            "sagemaker-training-job-inter-container-encryption",
            ["pass", "fail", "pass"],
        ),
        // Both keys; neither; the output key only, on EBS-backed instances.
        ("sagemaker-training-job-kms", ["pass", "fail", "fail"]),
    ] {
        for (name, want) in ["locked", "open-distributed", "encrypted-distributed"].iter().zip(want) {
            assert_eq!(status(rule, name), want, "{rule} on {name}");
        }
    }
    let half = &support::verdicts_for(&report, "sagemaker-training-job-kms")
        [&("eu-west-1".to_owned(), "encrypted-distributed".to_owned())]["message"];
    let half = half.as_str().unwrap();
    assert!(
        half.contains("VolumeKmsKeyId") && !half.contains("OutputDataConfig"),
        "the finding names the missing key: {half}"
    );
    assert_eq!(
        calls(&report, "sagemaker:DescribeTrainingJob", "operations"),
        3,
        "four rules, one description each"
    );
    let notes = report["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n.as_str().unwrap().contains("the last 1d")),
        "{notes:?}"
    );

    let future = support::vigil(&["audit", "--since", "2999-01-01", "--endpoint-url", &emulator.url]);
    assert_eq!(future.status.code(), Some(2));
}

#[test]
fn processing_and_tuning_jobs_are_judged_on_isolation() {
    use aws_sdk_sagemaker::types::{
        AppSpecification, HyperParameterAlgorithmSpecification, HyperParameterTrainingJobDefinition,
        HyperParameterTuningJobConfig, HyperParameterTuningJobStrategyType, NetworkConfig, OutputDataConfig,
        ProcessingClusterConfig, ProcessingInstanceType, ProcessingResources, ResourceConfig, ResourceLimits,
        StoppingCondition, TrainingInputMode, TrainingInstanceType,
    };
    let emulator = Emulator::start();
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let processing = |name: &str| {
            sm.create_processing_job()
                .processing_job_name(name)
                .role_arn(seed::ROLE)
                .app_specification(
                    AppSpecification::builder()
                        .image_uri("123456789012.dkr.ecr.eu-west-1.amazonaws.com/p:1")
                        .build(),
                )
                .processing_resources(
                    ProcessingResources::builder()
                        .cluster_config(
                            ProcessingClusterConfig::builder()
                                .instance_count(1)
                                .instance_type(ProcessingInstanceType::MlM5Xlarge)
                                .volume_size_in_gb(10)
                                .build(),
                        )
                        .build(),
                )
        };
        processing("features-isolated")
            .network_config(NetworkConfig::builder().enable_network_isolation(true).build())
            .send()
            .await
            .unwrap();
        processing("features-open").send().await.unwrap();
        let definition = |isolated: bool| {
            HyperParameterTrainingJobDefinition::builder()
                .algorithm_specification(
                    HyperParameterAlgorithmSpecification::builder()
                        .training_image("123456789012.dkr.ecr.eu-west-1.amazonaws.com/t:1")
                        .training_input_mode(TrainingInputMode::File)
                        .build(),
                )
                .role_arn(seed::ROLE)
                .output_data_config(OutputDataConfig::builder().s3_output_path("s3://out/").build())
                .resource_config(
                    ResourceConfig::builder()
                        .instance_type(TrainingInstanceType::MlM5Xlarge)
                        .instance_count(1)
                        .volume_size_in_gb(10)
                        .build(),
                )
                .stopping_condition(StoppingCondition::builder().max_runtime_in_seconds(3600).build())
                .enable_network_isolation(isolated)
                .build()
        };
        let config = HyperParameterTuningJobConfig::builder()
            .strategy(HyperParameterTuningJobStrategyType::Bayesian)
            .resource_limits(
                ResourceLimits::builder()
                    .max_number_of_training_jobs(4)
                    .max_parallel_training_jobs(2)
                    .build(),
            )
            .build();
        for (name, isolated) in [("hpo-isolated", true), ("hpo-open", false)] {
            sm.create_hyper_parameter_tuning_job()
                .hyper_parameter_tuning_job_name(name)
                .hyper_parameter_tuning_job_config(config.clone())
                .training_job_definition(definition(isolated))
                .send()
                .await
                .unwrap();
        }
    });

    let rules = "sagemaker-processing-job-network-isolation,sagemaker-tuning-job-network-isolation";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rules]);

    assert_eq!(code, 1);
    let processing = support::verdicts_for(&report, "sagemaker-processing-job-network-isolation");
    let tuning = support::verdicts_for(&report, "sagemaker-tuning-job-network-isolation");
    let status = |map: &std::collections::BTreeMap<(String, String), serde_json::Value>, name: &str| {
        map[&("eu-west-1".to_owned(), name.to_owned())]["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(status(&processing, "features-isolated"), "pass");
    assert_eq!(status(&processing, "features-open"), "fail");
    assert_eq!(status(&tuning, "hpo-isolated"), "pass");
    assert_eq!(status(&tuning, "hpo-open"), "fail");
    assert_eq!(
        calls(&report, "sagemaker:DescribeTrainingJob", "operations"),
        0,
        "training jobs are not read for these rules"
    );
}

#[test]
fn monitoring_definitions_and_schedules_are_judged_on_isolation() {
    let emulator = Emulator::start();
    seed::monitoring(&emulator.url, "eu-west-1");

    let (code, report) = audit_json(
        &emulator.url,
        &[
            "--regions",
            "eu-west-1",
            "--rules",
            "sagemaker-monitoring-network-isolation",
        ],
    );

    assert_eq!(code, 1);
    let found = support::verdicts_for(&report, "sagemaker-monitoring-network-isolation");
    let status = |name: &str| {
        found[&("eu-west-1".to_owned(), name.to_owned())]["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(status("dq-isolated"), "pass");
    assert_eq!(status("dq-open"), "fail");
    assert_eq!(status("embedded-isolated"), "pass");
    assert_eq!(
        status("names-open"),
        "fail",
        "a schedule is judged on the definition it names"
    );
    assert_eq!(status("names-missing"), "unknown");
    let missing = &found[&("eu-west-1".to_owned(), "names-missing".to_owned())];
    assert!(missing["reason"].as_str().unwrap().contains("gone"), "{missing}");
    assert_eq!(
        found[&("eu-west-1".to_owned(), "dq-open".to_owned())]["resource"]["type"],
        "AWS::SageMaker::DataQualityJobDefinition"
    );
    assert_eq!(calls(&report, "sagemaker:DescribeMonitoringSchedule", "operations"), 4);
}

#[test]
fn monitoring_definitions_are_judged_on_their_keys_and_inter_container_encryption() {
    let emulator = Emulator::start();
    seed::monitoring(&emulator.url, "eu-west-1");
    let rules = "sagemaker-monitoring-kms,sagemaker-monitoring-inter-container-encryption";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rules]);
    assert_eq!(code, 1, "{report:#}");
    let verdict = |rule: &str, name: &str| {
        let found = support::verdicts_for(&report, rule);
        let finding = &found[&("eu-west-1".to_owned(), name.to_owned())];
        (
            finding["status"].as_str().unwrap().to_owned(),
            finding["message"].as_str().unwrap_or_default().to_owned(),
        )
    };
    let kms = |name: &str| verdict("sagemaker-monitoring-kms", name);
    let ict = |name: &str| verdict("sagemaker-monitoring-inter-container-encryption", name);

    assert_eq!(kms("dq-isolated").0, "pass");
    assert_eq!(ict("dq-isolated").0, "pass");
    let (status, why) = kms("dq-open");
    assert_eq!(status, "fail");
    assert!(
        why.contains("JobResources.ClusterConfig.VolumeKmsKeyId")
            && why.contains("DataQualityJobOutputConfig.KmsKeyId"),
        "{why}"
    );
    let (status, why) = ict("dq-open");
    assert_eq!(status, "fail");
    assert!(why.contains("2 instances"), "{why}");
    // Its own definition: one instance (nothing to encrypt between), a
    // volume key and no output key.
    let (status, why) = ict("embedded-isolated");
    assert_eq!(status, "pass");
    assert!(why.contains("one instance"), "{why}");
    let (status, why) = kms("embedded-isolated");
    assert_eq!(status, "fail");
    assert!(
        why.contains("MonitoringOutputConfig.KmsKeyId") && !why.contains("VolumeKmsKeyId"),
        "{why}"
    );
    // Judged on the definition each names, found by type as well as name:
    // names-open runs the data-quality `shared`, names-bias the bias one.
    assert_eq!(kms("names-open").0, "fail");
    assert_eq!(ict("names-open").0, "fail");
    assert_eq!(kms("names-bias").0, "pass");
    assert_eq!(ict("names-bias").0, "pass");
    assert_eq!(kms("names-missing").0, "unknown");
    // One collection serves both rules.
    assert_eq!(calls(&report, "sagemaker:DescribeMonitoringSchedule", "operations"), 4);
    assert_eq!(
        calls(&report, "sagemaker:DescribeModelBiasJobDefinition", "operations"),
        1
    );
}

#[test]
fn model_containers_are_judged_on_where_their_images_come_from() {
    use aws_sdk_sagemaker::types::{ContainerDefinition, ImageConfig, RepositoryAccessMode};
    let emulator = Emulator::start();
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let container = |mode: Option<RepositoryAccessMode>| {
            let image_config = mode.map(|m| ImageConfig::builder().repository_access_mode(m).build());
            ContainerDefinition::builder()
                .image("registry.internal.example.com:5000/fraud:1")
                .set_image_config(image_config)
                .build()
        };
        sm.create_model()
            .model_name("private")
            .execution_role_arn(seed::ROLE)
            .primary_container(container(Some(RepositoryAccessMode::Vpc)))
            .send()
            .await
            .unwrap();
        sm.create_model()
            .model_name("ecr")
            .execution_role_arn(seed::ROLE)
            .primary_container(container(None))
            .send()
            .await
            .unwrap();
        sm.create_model()
            .model_name("pipeline")
            .execution_role_arn(seed::ROLE)
            .containers(container(Some(RepositoryAccessMode::Vpc)))
            .containers(container(Some(RepositoryAccessMode::Platform)))
            .send()
            .await
            .unwrap();
    });
    let rule = "sagemaker-model-private-registry";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let status = |name: &str| found[&("eu-west-1".to_owned(), name.to_owned())]["status"].clone();
    assert_eq!(status("private"), "pass");
    assert_eq!(status("ecr"), "fail");
    assert_eq!(status("pipeline"), "fail");
    let message = found[&("eu-west-1".to_owned(), "pipeline".to_owned())]["message"].clone();
    assert!(message.as_str().unwrap().contains("container 2 of 2"), "{message}");
}
