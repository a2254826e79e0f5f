//! The copies `vigil remediate --apply` makes, against the emulator: old and
//! new `DescribeModel` and `DescribeEndpointConfig` compared field by field
//! (single, multi-container and model-package models, a 63-character name,
//! a configuration with data capture, async inference, a serverless variant,
//! a KMS key and tags), and the complete inventory afterwards.

mod support;

use aws_sdk_sagemaker::operation::describe_model::DescribeModelOutput;
use aws_sdk_sagemaker::types::{ContainerDefinition, InferenceExecutionConfig, InferenceExecutionMode, Tag, VpcConfig};
use std::collections::BTreeMap;
use support::block_on;
use support::remediation::{apply, expected, inventory, REGION};
use support::seed::{self, Isolation, Spec};
use support::Emulator;

fn describe(url: &str, name: &str) -> DescribeModelOutput {
    block_on(seed::client(url, REGION).describe_model().model_name(name).send()).unwrap()
}

fn tags(url: &str, arn: &str) -> BTreeMap<String, String> {
    let out = block_on(seed::client(url, REGION).list_tags().resource_arn(arn).send()).unwrap();
    out.tags()
        .iter()
        .map(|t| (t.key().unwrap().to_owned(), t.value().unwrap().to_owned()))
        .collect()
}

/// The models every apply test starts from: one in a VPC with tags and an
/// environment, a three-container model in Direct mode, a model built from
/// a model package, a 63-character name, and one already isolated.
fn seed_models(url: &str) -> String {
    let long = format!("fraud-{}", "x".repeat(57));
    seed::create_all(
        url,
        &[
            Spec::new(REGION, &long, Isolation::Absent),
            Spec::new(REGION, "fraud-ok", Isolation::On),
        ],
    );
    let sm = seed::client(url, REGION);
    block_on(async {
        let container = ContainerDefinition::builder()
            .image("123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud:3")
            .model_data_url("s3://models/fraud/model.tar.gz")
            .environment("SAGEMAKER_PROGRAM", "serve.py")
            .container_hostname("fraud")
            .build();
        sm.create_model()
            .model_name("fraud-a")
            .execution_role_arn(seed::ROLE)
            .primary_container(container)
            .vpc_config(
                VpcConfig::builder()
                    .subnets("subnet-0abc")
                    .security_group_ids("sg-0abc")
                    .build(),
            )
            .tags(Tag::builder().key("team").value("fraud").build())
            .tags(Tag::builder().key("cost-centre").value("42").build())
            .send()
            .await
            .unwrap();
        let mut ensemble = sm
            .create_model()
            .model_name("ensemble")
            .execution_role_arn(seed::ROLE)
            .inference_execution_config(
                InferenceExecutionConfig::builder()
                    .mode(InferenceExecutionMode::Direct)
                    .build(),
            );
        for i in 0..3 {
            ensemble = ensemble.containers(
                ContainerDefinition::builder()
                    .image(format!("123456789012.dkr.ecr.eu-west-1.amazonaws.com/step-{i}:1"))
                    .container_hostname(format!("step-{i}"))
                    .build(),
            );
        }
        ensemble.send().await.unwrap();
        let package = ContainerDefinition::builder()
            .model_package_name("arn:aws:sagemaker:eu-west-1:123456789012:model-package/sampler/1")
            .build();
        sm.create_model()
            .model_name("marketplace")
            .execution_role_arn(seed::ROLE)
            .primary_container(package)
            .send()
            .await
            .unwrap();
    });
    long
}

/// Old and new `DescribeModel`, field by field: the same but for the name,
/// ARN, creation time and isolation; tags the same plus `vigil:replaces`
/// and `vigil:run` (the run that made it).
fn assert_faithful(url: &str, old: &str, new: &str, run: &str) {
    let (a, b) = (describe(url, old), describe(url, new));
    assert_eq!(b.enable_network_isolation(), Some(true), "{new} is isolated");
    assert_ne!(a.enable_network_isolation(), Some(true));
    assert_eq!(a.primary_container(), b.primary_container(), "{new}: PrimaryContainer");
    assert_eq!(a.containers(), b.containers(), "{new}: Containers");
    assert_eq!(a.execution_role_arn(), b.execution_role_arn(), "{new}: role");
    assert_eq!(a.vpc_config(), b.vpc_config(), "{new}: VpcConfig");
    assert_eq!(
        a.inference_execution_config(),
        b.inference_execution_config(),
        "{new}: InferenceExecutionConfig"
    );
    let mut want = tags(url, a.model_arn().unwrap());
    want.insert("vigil:replaces".into(), old.into());
    want.insert("vigil:run".into(), run.into());
    assert_eq!(tags(url, b.model_arn().unwrap()), want, "{new}: tags");
}

#[test]
fn without_update_endpoints_only_isolated_copies_are_made_and_they_are_faithful() {
    let emulator = Emulator::start();
    let state = tempfile::tempdir().unwrap();
    let long = seed_models(&emulator.url);
    seed::serve(&emulator.url, REGION, "fraud-cfg", "fraud-a", None, &["fraud-prod"]);
    let before = inventory(&emulator.url);

    let (code, out) = apply(&emulator.url, state.path(), &[]);

    assert_eq!(code, 0, "{out:#}");
    let new_long = out["plan"]["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["model"] == long.as_str())
        .unwrap()["new_model"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(new_long.len() <= 63 && new_long.ends_with("-isolated"), "{new_long}");
    for (old, new) in [
        ("fraud-a", "fraud-a-isolated"),
        ("ensemble", "ensemble-isolated"),
        ("marketplace", "marketplace-isolated"),
        (long.as_str(), new_long.as_str()),
    ] {
        assert_faithful(&emulator.url, old, new, out["outcome"]["run"].as_str().unwrap());
    }
    let mut after = before.clone();
    after.extend(
        [
            "fraud-a-isolated",
            "ensemble-isolated",
            "marketplace-isolated",
            &new_long,
        ]
        .map(|m| format!("model {m}")),
    );
    after.sort();
    assert_eq!(
        inventory(&emulator.url),
        after,
        "only the copies are new; fraud-prod still on fraud-cfg"
    );
    let note = out["outcome"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["models"]["fraud-a"] == "fraud-a-isolated")
        .unwrap()["notes"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(note.contains("--update-endpoints"), "{note}");
}

#[test]
fn a_copied_endpoint_config_keeps_every_setting_but_the_model() {
    use aws_sdk_sagemaker::types::{
        AsyncInferenceConfig, AsyncInferenceOutputConfig, CaptureMode, CaptureOption, DataCaptureConfig,
        ProductionVariant, ProductionVariantInstanceType, ProductionVariantServerlessConfig,
    };
    let emulator = Emulator::start();
    let state = tempfile::tempdir().unwrap();
    seed::create_all(&emulator.url, &[Spec::new(REGION, "fraud-a", Isolation::Off)]);
    let sm = seed::client(&emulator.url, REGION);
    block_on(async {
        sm.create_endpoint_config()
            .endpoint_config_name("rich-cfg")
            .production_variants(
                ProductionVariant::builder()
                    .variant_name("primary")
                    .model_name("fraud-a")
                    .initial_instance_count(2)
                    .instance_type(ProductionVariantInstanceType::MlM5Large)
                    .initial_variant_weight(0.75)
                    .build(),
            )
            .production_variants(
                ProductionVariant::builder()
                    .variant_name("serverless")
                    .model_name("fraud-a")
                    .serverless_config(
                        ProductionVariantServerlessConfig::builder()
                            .memory_size_in_mb(2048)
                            .max_concurrency(5)
                            .build(),
                    )
                    .build(),
            )
            .data_capture_config(
                DataCaptureConfig::builder()
                    .enable_capture(true)
                    .initial_sampling_percentage(20)
                    .destination_s3_uri("s3://capture/fraud")
                    .capture_options(CaptureOption::builder().capture_mode(CaptureMode::Input).build())
                    .build(),
            )
            .async_inference_config(
                AsyncInferenceConfig::builder()
                    .output_config(
                        AsyncInferenceOutputConfig::builder()
                            .s3_output_path("s3://async/out")
                            .build(),
                    )
                    .build(),
            )
            .kms_key_id("arn:aws:kms:eu-west-1:123456789012:key/1234abcd")
            .tags(Tag::builder().key("team").value("fraud").build())
            .send()
            .await
            .unwrap();
    });

    let (code, out) = apply(&emulator.url, state.path(), &["--update-endpoints"]);

    assert_eq!(code, 0, "{out:#}");
    let (old, new) = block_on(async {
        let get = |name: &str| sm.describe_endpoint_config().endpoint_config_name(name).send();
        (get("rich-cfg").await.unwrap(), get("rich-cfg-isolated").await.unwrap())
    });
    let renamed: Vec<ProductionVariant> = old
        .production_variants()
        .iter()
        .map(|v| {
            let mut v = v.clone();
            v.model_name = Some("fraud-a-isolated".into());
            v
        })
        .collect();
    assert!(
        old.production_variants()[1].serverless_config().is_some() && old.data_capture_config().is_some(),
        "the emulator describes what the test compares"
    );
    assert_eq!(new.production_variants(), renamed, "weights, counts, serverless kept");
    assert_eq!(old.data_capture_config(), new.data_capture_config());
    assert_eq!(old.async_inference_config(), new.async_inference_config());
    assert!(new.async_inference_config().is_some(), "the emulator describes it");
    assert_eq!(old.kms_key_id(), new.kms_key_id());
    let mut want = tags(&emulator.url, old.endpoint_config_arn().unwrap());
    want.insert("vigil:replaces".into(), "rich-cfg".into());
    want.insert("vigil:run".into(), out["outcome"]["run"].as_str().unwrap().into());
    assert_eq!(tags(&emulator.url, new.endpoint_config_arn().unwrap()), want);
    assert_eq!(
        inventory(&emulator.url),
        expected(&[
            "model fraud-a",
            "model fraud-a-isolated",
            "endpoint-config rich-cfg",
            "endpoint-config rich-cfg-isolated",
        ])
    );
}
