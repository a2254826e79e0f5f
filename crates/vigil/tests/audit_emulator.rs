//! `vigil audit` end to end: the real binary, the official SDK, and a patched
//! moto server (plus microburst for faults), asserting exact verdicts.

mod support;

use serde_json::json;
use std::time::{Duration, Instant};
use support::seed::{self, Isolation, Spec};
use support::{audit_json, calls, verdicts, Emulator, FaultProxy};

const RULE: &str = "sagemaker-model-network-isolation";

/// 255 models over three regions, built every way the rule must tell apart.
fn estate() -> Vec<Spec> {
    let mut specs = Vec::new();
    for (region, count) in [("us-east-1", 120), ("eu-west-1", 90), ("ap-southeast-2", 45)] {
        for i in 0..count {
            let isolation = [Isolation::On, Isolation::Off, Isolation::Absent][i % 3];
            let mut spec = Spec::new(region, &format!("{region}-model-{i:03}"), isolation);
            spec.containers = if i % 5 == 0 { 3 } else { 1 };
            spec.in_vpc = i % 4 == 0;
            specs.push(spec);
        }
    }
    specs
}

#[test]
fn every_model_in_every_region_gets_its_exact_verdict() {
    let emulator = Emulator::start();
    let specs = estate();
    seed::create_all(&emulator.url, &specs);

    let regions = "us-east-1,eu-west-1,ap-southeast-2,us-west-2"; // us-west-2 is empty
    let (code, report) = audit_json(&emulator.url, &["--regions", regions]);

    assert_eq!(code, 1, "failures were found");
    let found = verdicts(&report);
    assert_eq!(found.len(), specs.len());
    for spec in &specs {
        let finding = &found[&(spec.region.clone(), spec.name.clone())];
        assert_eq!(finding["status"], spec.expected_status(), "{}", spec.name);
        assert_eq!(finding["rule"], RULE);
        assert_eq!(finding["risk"], "medium");
        assert_eq!(finding["suppressed"], false);
        assert_eq!(finding["resource"]["type"], "AWS::SageMaker::Model");
        assert_eq!(finding["resource"]["account"], "123456789012");
        let arn = format!("arn:aws:sagemaker:{}:123456789012:model/{}", spec.region, spec.name);
        assert_eq!(finding["resource"]["arn"], arn.as_str());
    }
    // The VPC rule judges the same models from the same DescribeModel answers.
    let in_vpc = support::verdicts_for(&report, "sagemaker-model-in-vpc");
    assert_eq!(in_vpc.len(), specs.len());
    for spec in &specs {
        let expected = if spec.in_vpc { "pass" } else { "fail" };
        assert_eq!(
            in_vpc[&(spec.region.clone(), spec.name.clone())]["status"],
            expected,
            "{}",
            spec.name
        );
    }
    let failing =
        specs.iter().filter(|s| s.expected_status() == "fail").count() + specs.iter().filter(|s| !s.in_vpc).count();
    assert_eq!(report["summary"]["fail"], failing);
    assert_eq!(report["summary"]["pass"], 2 * specs.len() - failing);
    assert_eq!(report["summary"]["regions"]["us-east-1"]["fail"], 80 + 90);
    assert!(report["errors"].as_array().unwrap().is_empty());

    // No wasted calls: one DescribeModel per model, full pages of 100.
    assert_eq!(
        calls(&report, "sagemaker:DescribeModel", "operations"),
        specs.len() as u64
    );
    assert_eq!(calls(&report, "sagemaker:ListModels", "operations"), 2 + 1 + 1 + 1);
    assert_eq!(
        calls(&report, "ec2:DescribeRegions", "operations"),
        0,
        "regions were given"
    );
}

#[test]
fn empty_pages_that_carry_a_token_are_followed() {
    let emulator = Emulator::start_with(&["--empty-first-page"]);
    let specs: Vec<Spec> = (0..3)
        .map(|i| Spec::new("eu-west-1", &format!("m{i}"), Isolation::On).in_vpc())
        .collect();
    seed::create_all(&emulator.url, &specs);

    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1"]);

    assert_eq!(code, 0);
    assert_eq!(verdicts(&report).len(), 3);
    assert_eq!(calls(&report, "sagemaker:ListModels", "operations"), 2);
}

#[test]
fn what_cannot_be_read_is_unknown_or_an_error_never_a_pass() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    let names = ["ok-a", "ok-b", "denied", "throttled-twice", "throttled-always"];
    let mut specs: Vec<Spec> = names
        .iter()
        .map(|n| Spec::new("us-east-1", n, Isolation::On).in_vpc())
        .collect();
    specs.push(Spec::new("eu-west-1", "hidden", Isolation::Off));
    seed::create_all(&emulator.url, &specs);
    let describe = |model: &str| format!("ModelName == '{model}'");
    proxy.set_rules(json!([
        {"service": "sagemaker", "operation": "ListModels", "region": "eu-west-1",
         "error": {"code": "AccessDeniedException", "status": 400,
                   "message": "User is not authorized to perform: sagemaker:ListModels"}},
        {"service": "sagemaker", "operation": "DescribeModel", "body": describe("denied"),
         "error": {"code": "AccessDeniedException", "status": 400,
                   "message": "User is not authorized to perform: sagemaker:DescribeModel"}},
        {"service": "sagemaker", "operation": "DescribeModel", "body": describe("throttled-twice"), "times": 2,
         "error": {"code": "ThrottlingException", "status": 400, "message": "Rate exceeded"}},
        {"service": "sagemaker", "operation": "DescribeModel", "body": describe("throttled-always"),
         "error": {"code": "ThrottlingException", "status": 400, "message": "Rate exceeded"}},
    ]));

    let (code, report) = audit_json(&proxy.url, &["--regions", "us-east-1,eu-west-1", "--max-attempts", "3"]);

    assert_eq!(code, 3, "nothing failed, but not everything could be read");
    let found = verdicts(&report);
    let status = |name: &str| found[&("us-east-1".to_owned(), name.to_owned())]["status"].clone();
    let reason = |name: &str| {
        found[&("us-east-1".to_owned(), name.to_owned())]["reason"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(status("ok-a"), "pass");
    assert_eq!(status("ok-b"), "pass");
    assert_eq!(status("throttled-twice"), "pass", "retries got through");
    assert_eq!(status("denied"), "unknown");
    assert!(reason("denied").contains("access denied"), "{}", reason("denied"));
    assert_eq!(status("throttled-always"), "unknown");
    assert!(
        reason("throttled-always").contains("throttled after 3 attempts"),
        "{}",
        reason("throttled-always")
    );
    assert_eq!(found.len(), 5, "the unreadable region contributes no verdict");

    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["region"], "eu-west-1");
    assert_eq!(errors[0]["operation"], "sagemaker:ListModels");
    assert!(errors[0]["message"].as_str().unwrap().contains("access denied"));

    // One operation per model; the retries show up as attempts only.
    assert_eq!(calls(&report, "sagemaker:DescribeModel", "operations"), 5);
    assert_eq!(calls(&report, "sagemaker:DescribeModel", "attempts"), 5 + 2 + 2);
}

#[test]
fn a_model_deleted_between_list_and_describe_is_unknown_and_says_so() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    let specs = [
        Spec::new("us-east-1", "stays", Isolation::On).in_vpc(),
        Spec::new("us-east-1", "doomed", Isolation::On).in_vpc(),
    ];
    seed::create_all(&emulator.url, &specs);
    // Hold doomed's DescribeModel at the proxy long enough to delete it.
    proxy.set_rules(json!([
        {"service": "sagemaker", "operation": "DescribeModel", "body": "ModelName == 'doomed'", "latency": 3000}
    ]));

    let child = support::vigil_command(&[
        "audit",
        "--format",
        "json",
        "--endpoint-url",
        &proxy.url,
        "--regions",
        "us-east-1",
    ])
    .stdout(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while proxy.fired().is_empty() {
        assert!(Instant::now() < deadline, "vigil never asked for doomed");
        std::thread::sleep(Duration::from_millis(50));
    }
    seed::delete(&emulator.url, "us-east-1", "doomed");
    let out = child.wait_with_output().unwrap();

    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = verdicts(&report);
    let doomed = &found[&("us-east-1".to_owned(), "doomed".to_owned())];
    assert_eq!(doomed["status"], "unknown");
    assert!(
        doomed["reason"].as_str().unwrap().contains("deleted between listing"),
        "{doomed}"
    );
    assert_eq!(found[&("us-east-1".to_owned(), "stays".to_owned())]["status"], "pass");
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn default_regions_are_the_enabled_commercial_ones() {
    let emulator = Emulator::start();
    seed::create_all(&emulator.url, &[Spec::new("eu-west-1", "only", Isolation::Off)]);

    let (code, report) = audit_json(&emulator.url, &[]);

    assert_eq!(code, 1);
    let regions: Vec<&str> = report["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(regions.contains(&"eu-west-1") && regions.contains(&"us-east-1"));
    assert!(
        !regions.iter().any(|r| r.starts_with("cn-") || r.starts_with("us-gov-")),
        "{regions:?}"
    );
    // moto lists il-central-1 as not opted in: skipped with a note, not an error.
    assert!(!regions.contains(&"il-central-1"));
    let notes = report["notes"].as_array().unwrap();
    assert!(notes
        .iter()
        .any(|n| n.as_str().unwrap().contains("not opted in") && n.as_str().unwrap().contains("il-central-1")));
    assert!(report["errors"].as_array().unwrap().is_empty());
    assert_eq!(calls(&report, "ec2:DescribeRegions", "operations"), 1);
    assert_eq!(
        calls(&report, "sagemaker:ListModels", "operations"),
        regions.len() as u64
    );
    assert_eq!(verdicts(&report).len(), 1);
}

#[test]
fn notebook_instances_get_exact_verdicts_and_are_only_read_when_a_rule_needs_them() {
    use aws_sdk_sagemaker::types::{DirectInternetAccess, InstanceType, RootAccess};
    let emulator = Emulator::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
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
            .send()
            .await
            .unwrap();
        create("in-vpc-with-root")
            .subnet_id("subnet-0abc")
            .security_group_ids("sg-0abc")
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
    ];
    for (rule, statuses) in expected {
        for (name, want) in ["open", "locked", "in-vpc-with-root"].iter().zip(statuses) {
            assert_eq!(status(rule, name), want, "{rule} on {name}");
        }
    }
    let notebook = &support::verdicts_for(&report, "sagemaker-notebook-in-vpc")[&("eu-west-1".into(), "open".into())];
    assert_eq!(notebook["resource"]["type"], "AWS::SageMaker::NotebookInstance");
    // Three rules, one pass: each notebook is described once.
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
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
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
            .send()
            .await
            .unwrap();
        create("defaulted").send().await.unwrap();
    });

    let (code, report) = audit_json(
        &emulator.url,
        &["--regions", "eu-west-1", "--rules", "sagemaker-domain-vpc-only"],
    );

    assert_eq!(code, 1);
    let found = support::verdicts_for(&report, "sagemaker-domain-vpc-only");
    assert_eq!(found[&("eu-west-1".to_owned(), "private".to_owned())]["status"], "pass");
    assert_eq!(
        found[&("eu-west-1".to_owned(), "defaulted".to_owned())]["status"],
        "fail"
    );
    assert_eq!(calls(&report, "sagemaker:DescribeDomain", "operations"), 2);
    assert_eq!(
        calls(&report, "sagemaker:ListModels", "operations"),
        0,
        "only the kinds the chosen rules need are read"
    );
}

#[test]
fn training_jobs_in_the_window_get_exact_verdicts_for_three_rules() {
    use aws_sdk_sagemaker::types::{
        AlgorithmSpecification, OutputDataConfig, ResourceConfig, StoppingCondition, TrainingInputMode,
        TrainingInstanceType, VpcConfig,
    };
    let emulator = Emulator::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let job = |name: &str, instances: i32| {
            sm.create_training_job()
                .training_job_name(name)
                .role_arn(seed::ROLE)
                .algorithm_specification(
                    AlgorithmSpecification::builder()
                        .training_image("123456789012.dkr.ecr.eu-west-1.amazonaws.com/train:1")
                        .training_input_mode(TrainingInputMode::File)
                        .build(),
                )
                .output_data_config(OutputDataConfig::builder().s3_output_path("s3://out/").build())
                .resource_config(
                    ResourceConfig::builder()
                        .instance_type(TrainingInstanceType::MlM5Xlarge)
                        .instance_count(instances)
                        .volume_size_in_gb(10)
                        .build(),
                )
                .stopping_condition(StoppingCondition::builder().max_runtime_in_seconds(3600).build())
        };
        let vpc = VpcConfig::builder()
            .subnets("subnet-0abc")
            .security_group_ids("sg-0abc")
            .build();
        job("locked", 1)
            .enable_network_isolation(true)
            .vpc_config(vpc.clone())
            .send()
            .await
            .unwrap();
        job("open-distributed", 4).send().await.unwrap();
        job("encrypted-distributed", 2)
            .enable_inter_container_traffic_encryption(true)
            .vpc_config(vpc)
            .send()
            .await
            .unwrap();
    });

    let rules = "sagemaker-training-job-network-isolation,sagemaker-training-job-in-vpc,sagemaker-training-job-inter-container-encryption";
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
    ] {
        for (name, want) in ["locked", "open-distributed", "encrypted-distributed"].iter().zip(want) {
            assert_eq!(status(rule, name), want, "{rule} on {name}");
        }
    }
    assert_eq!(
        calls(&report, "sagemaker:DescribeTrainingJob", "operations"),
        3,
        "three rules, one description each"
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
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
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
    use aws_sdk_sagemaker::types::{
        DataQualityAppSpecification, DataQualityJobInput, EndpointInput, MonitoringAppSpecification,
        MonitoringClusterConfig, MonitoringJobDefinition, MonitoringNetworkConfig, MonitoringOutput,
        MonitoringOutputConfig, MonitoringResources, MonitoringS3Output, MonitoringScheduleConfig, MonitoringType,
        NetworkConfig, ProcessingInstanceType,
    };
    let emulator = Emulator::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let sm = seed::client(&emulator.url, "eu-west-1");
        let resources = MonitoringResources::builder()
            .cluster_config(
                MonitoringClusterConfig::builder()
                    .instance_count(1)
                    .instance_type(ProcessingInstanceType::MlM5Large)
                    .volume_size_in_gb(20)
                    .build(),
            )
            .build();
        let outputs = MonitoringOutputConfig::builder()
            .monitoring_outputs(
                MonitoringOutput::builder()
                    .s3_output(
                        MonitoringS3Output::builder()
                            .s3_uri("s3://b/o")
                            .local_path("/opt/ml/processing/output")
                            .build(),
                    )
                    .build(),
            )
            .build();
        let image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/monitor:1";
        for (name, isolated) in [("dq-isolated", Some(true)), ("dq-open", None)] {
            let mut request = sm
                .create_data_quality_job_definition()
                .job_definition_name(name)
                .role_arn(seed::ROLE)
                .job_resources(resources.clone())
                .data_quality_app_specification(DataQualityAppSpecification::builder().image_uri(image).build())
                .data_quality_job_input(
                    DataQualityJobInput::builder()
                        .endpoint_input(
                            EndpointInput::builder()
                                .endpoint_name("fraud")
                                .local_path("/opt/ml/processing/input")
                                .build(),
                        )
                        .build(),
                )
                .data_quality_job_output_config(outputs.clone());
            if let Some(isolated) = isolated {
                request = request.network_config(
                    MonitoringNetworkConfig::builder()
                        .enable_network_isolation(isolated)
                        .build(),
                );
            }
            request.send().await.unwrap();
        }
        let embedded = MonitoringJobDefinition::builder()
            .role_arn(seed::ROLE)
            .monitoring_resources(resources.clone())
            .monitoring_output_config(outputs.clone())
            .monitoring_app_specification(MonitoringAppSpecification::builder().image_uri(image).build())
            .network_config(NetworkConfig::builder().enable_network_isolation(true).build())
            .build();
        let schedules = [
            (
                "embedded-isolated",
                MonitoringScheduleConfig::builder()
                    .monitoring_job_definition(embedded)
                    .build(),
            ),
            (
                "names-open",
                MonitoringScheduleConfig::builder()
                    .monitoring_job_definition_name("dq-open")
                    .monitoring_type(MonitoringType::DataQuality)
                    .build(),
            ),
            (
                "names-missing",
                MonitoringScheduleConfig::builder()
                    .monitoring_job_definition_name("gone")
                    .monitoring_type(MonitoringType::DataQuality)
                    .build(),
            ),
        ];
        for (name, config) in schedules {
            sm.create_monitoring_schedule()
                .monitoring_schedule_name(name)
                .monitoring_schedule_config(config)
                .send()
                .await
                .unwrap();
        }
    });

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
    assert_eq!(calls(&report, "sagemaker:DescribeMonitoringSchedule", "operations"), 3);
}
