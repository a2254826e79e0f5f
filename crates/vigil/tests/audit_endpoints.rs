//! `vigil audit` on what serves inference: endpoint configurations (storage
//! key, data capture, instance count) and endpoints (their monitoring
//! schedules), the real binary against the patched emulator.

mod support;

use support::seed::{self, Isolation, Spec};
use support::{audit_json, calls, Emulator};

#[test]
fn endpoint_configurations_are_judged_on_key_capture_and_instance_count() {
    use aws_sdk_sagemaker::types::{
        CaptureMode, CaptureOption, DataCaptureConfig, ProductionVariant, ProductionVariantInstanceType,
        ProductionVariantServerlessConfig,
    };
    let emulator = Emulator::start();
    let key = support::customer_key(&emulator.url, "eu-west-1");
    seed::create_all(&emulator.url, &[Spec::new("eu-west-1", "fraud", Isolation::On)]);
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let instances = |count: i32, instance_type: &str| {
            ProductionVariant::builder()
                .variant_name("primary")
                .model_name("fraud")
                .instance_type(ProductionVariantInstanceType::from(instance_type))
                .initial_instance_count(count)
                .build()
        };
        let capture = DataCaptureConfig::builder()
            .initial_sampling_percentage(20)
            .destination_s3_uri("s3://capture/fraud/")
            .capture_options(CaptureOption::builder().capture_mode(CaptureMode::Input).build())
            .build();
        sm.create_endpoint_config()
            .endpoint_config_name("hardened")
            .production_variants(instances(2, "ml.m5.large"))
            .kms_key_id(key.as_str())
            .data_capture_config(capture)
            .send()
            .await
            .unwrap();
        sm.create_endpoint_config()
            .endpoint_config_name("defaulted")
            .production_variants(instances(1, "ml.m5.large"))
            .send()
            .await
            .unwrap();
        sm.create_endpoint_config()
            .endpoint_config_name("nvme-serverless")
            .production_variants(instances(2, "ml.g4dn.xlarge"))
            .production_variants(
                ProductionVariant::builder()
                    .variant_name("burst")
                    .model_name("fraud")
                    .serverless_config(
                        ProductionVariantServerlessConfig::builder()
                            .memory_size_in_mb(2048)
                            .max_concurrency(5)
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    let rules = [
        "sagemaker-endpoint-config-kms-key",
        "sagemaker-endpoint-config-data-capture",
        "sagemaker-endpoint-config-multi-instance",
    ];
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", &rules.join(",")]);
    assert_eq!(code, 1, "{report:#}");
    let expected = [
        ("hardened", ["pass", "pass", "pass"]),
        ("defaulted", ["fail", "fail", "fail"]),
        // NVMe instance storage needs no key, but a serverless variant does:
        // AWS's serverless guide says the configuration's key encrypts the
        // model's container image.
        ("nvme-serverless", ["fail", "fail", "pass"]),
    ];
    for (config, statuses) in expected {
        for (rule, status) in rules.iter().zip(statuses) {
            let found = support::verdicts_for(&report, rule);
            assert_eq!(
                found[&("eu-west-1".to_owned(), config.to_owned())]["status"],
                status,
                "{rule} on {config}: {:#}",
                found[&("eu-west-1".to_owned(), config.to_owned())]
            );
        }
    }
    assert_eq!(calls(&report, "sagemaker:ListEndpointConfigs", "operations"), 1);
    assert_eq!(calls(&report, "sagemaker:DescribeEndpointConfig", "operations"), 3);
    assert_eq!(calls(&report, "sagemaker:DescribeModel", "operations"), 0);
}

#[test]
fn endpoints_are_judged_on_their_monitoring_schedules() {
    use aws_sdk_sagemaker::types::{
        DataQualityAppSpecification, DataQualityJobInput, EndpointInput, MonitoringClusterConfig, MonitoringOutput,
        MonitoringOutputConfig, MonitoringResources, MonitoringS3Output, MonitoringScheduleConfig, MonitoringType,
        ProcessingInstanceType, ProductionVariant, ProductionVariantInstanceType,
    };
    let emulator = Emulator::start();
    seed::create_all(&emulator.url, &[Spec::new("eu-west-1", "fraud", Isolation::On)]);
    support::block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        sm.create_endpoint_config()
            .endpoint_config_name("fraud-cfg")
            .production_variants(
                ProductionVariant::builder()
                    .variant_name("primary")
                    .model_name("fraud")
                    .instance_type(ProductionVariantInstanceType::MlM5Large)
                    .initial_instance_count(2)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        for endpoint in ["watched", "unwatched"] {
            sm.create_endpoint()
                .endpoint_name(endpoint)
                .endpoint_config_name("fraud-cfg")
                .send()
                .await
                .unwrap();
        }
        sm.create_data_quality_job_definition()
            .job_definition_name("watched-dq")
            .role_arn(seed::ROLE)
            .data_quality_app_specification(DataQualityAppSpecification::builder().image_uri("analyzer").build())
            .data_quality_job_input(
                DataQualityJobInput::builder()
                    .endpoint_input(
                        EndpointInput::builder()
                            .endpoint_name("watched")
                            .local_path("/opt/ml/processing/input")
                            .build(),
                    )
                    .build(),
            )
            .data_quality_job_output_config(
                MonitoringOutputConfig::builder()
                    .monitoring_outputs(
                        MonitoringOutput::builder()
                            .s3_output(
                                MonitoringS3Output::builder()
                                    .s3_uri("s3://monitor/watched/")
                                    .local_path("/opt/ml/processing/output")
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .job_resources(
                MonitoringResources::builder()
                    .cluster_config(
                        MonitoringClusterConfig::builder()
                            .instance_count(1)
                            .instance_type(ProcessingInstanceType::MlM5Large)
                            .volume_size_in_gb(20)
                            .build(),
                    )
                    .build(),
            )
            .role_arn(seed::ROLE)
            .send()
            .await
            .unwrap();
        sm.create_monitoring_schedule()
            .monitoring_schedule_name("watched-dq")
            .monitoring_schedule_config(
                MonitoringScheduleConfig::builder()
                    .monitoring_job_definition_name("watched-dq")
                    .monitoring_type(MonitoringType::DataQuality)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    let rule = "sagemaker-endpoint-monitoring";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let verdict = |name: &str| found[&("eu-west-1".to_owned(), name.to_owned())].clone();
    assert_eq!(verdict("watched")["status"], "pass", "{report:#}");
    assert!(verdict("watched")["message"].as_str().unwrap().contains("watched-dq"));
    assert_eq!(verdict("unwatched")["status"], "fail");
    assert_eq!(calls(&report, "sagemaker:ListEndpoints", "operations"), 1);
    assert_eq!(calls(&report, "sagemaker:ListMonitoringSchedules", "operations"), 2);
}
