//! `vigil remediate` (plan) against the emulator: the right models, faithful
//! configurations, valid new names, the endpoints that serve each model, and
//! nothing changed.

mod support;

use support::seed::{self, Isolation, Spec};
use support::{vigil, Emulator};

const RULE: &str = "sagemaker-model-network-isolation";

fn plan(emulator: &Emulator, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec![
        "remediate",
        RULE,
        "--regions",
        "eu-west-1",
        "--endpoint-url",
        &emulator.url,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = vigil(&args);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), json)
}

fn fix<'a>(plan: &'a serde_json::Value, model: &str) -> &'a serde_json::Value {
    plan["plan"]["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["model"] == model)
        .unwrap_or_else(|| panic!("{model} not planned"))
}

#[test]
fn the_plan_covers_failing_models_faithfully_and_changes_nothing() {
    let emulator = Emulator::start();
    let long = format!("fraud-{}", "x".repeat(57));
    assert_eq!(long.len(), 63);
    let mut multi = Spec::new("eu-west-1", "ensemble", Isolation::Absent).in_vpc();
    multi.containers = 3;
    seed::create_all(
        &emulator.url,
        &[
            Spec::new("eu-west-1", "fraud-a", Isolation::Off).in_vpc(),
            Spec::new("eu-west-1", "fraud-ok", Isolation::On),
            Spec::new("eu-west-1", &long, Isolation::Absent),
            multi,
        ],
    );
    seed::serve(
        &emulator.url,
        "eu-west-1",
        "fraud-cfg",
        "fraud-a",
        Some("ensemble"),
        &["fraud-prod", "fraud-canary"],
    );
    seed::serve(&emulator.url, "eu-west-1", "idle-cfg", "fraud-a", None, &[]);
    let before = seed::inventory(&emulator.url, "eu-west-1");

    let (code, plan) = plan(&emulator, &[]);

    assert_eq!(code, 1, "there is something to fix");
    assert_eq!(
        seed::inventory(&emulator.url, "eu-west-1"),
        before,
        "a plan changes nothing"
    );
    let mut planned: Vec<&str> = plan["plan"]["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    planned.sort();
    assert_eq!(
        planned,
        ["ensemble", "fraud-a", long.as_str()],
        "isolated models are left alone"
    );

    let a = fix(&plan, "fraud-a");
    assert_eq!(a["new_model"], "fraud-a-isolated");
    assert_eq!(a["new_config"]["enable_network_isolation"], true);
    assert_eq!(a["new_config"]["execution_role_arn"], seed::ROLE);
    assert_eq!(a["new_config"]["vpc_config"]["subnets"][0], "subnet-0abc");
    assert_eq!(
        a["new_config"]["containers"][0]["model_data_url"],
        "s3://models/0/model.tar.gz"
    );
    let configs = a["endpoint_configs"].as_array().unwrap();
    assert_eq!(configs.len(), 2);
    let serving = configs.iter().find(|c| c["name"] == "fraud-cfg").unwrap();
    assert_eq!(serving["new_name"], "fraud-cfg-isolated");
    assert_eq!(serving["production_variants"][0], "primary");
    let mut endpoints: Vec<&str> = serving["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    endpoints.sort();
    assert_eq!(endpoints, ["fraud-canary", "fraud-prod"]);
    let idle = configs.iter().find(|c| c["name"] == "idle-cfg").unwrap();
    assert!(idle["endpoints"].as_array().unwrap().is_empty());

    let ensemble = fix(&plan, "ensemble");
    assert_eq!(ensemble["new_config"]["single_container"], false);
    assert_eq!(ensemble["new_config"]["containers"].as_array().unwrap().len(), 3);
    assert_eq!(
        ensemble["endpoint_configs"][0]["shadow_variants"][0], "shadow",
        "a shadow variant counts as serving"
    );

    let new_long = fix(&plan, &long)["new_model"].as_str().unwrap().to_owned();
    assert!(
        new_long.len() <= 63 && new_long.ends_with("-isolated") && new_long != long,
        "{new_long}"
    );
    assert!(new_long.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    assert!(!plan["plan"]["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn models_and_exclusions_choose_what_is_planned_and_names_never_collide() {
    let emulator = Emulator::start();
    seed::create_all(
        &emulator.url,
        &[
            Spec::new("eu-west-1", "fraud-a", Isolation::Off),
            Spec::new("eu-west-1", "fraud-b", Isolation::Off),
            Spec::new("eu-west-1", "churn", Isolation::Off),
            // Someone else's model already has the name Vigil would pick.
            Spec::new("eu-west-1", "fraud-a-isolated", Isolation::On),
        ],
    );

    let (_, plan) = plan(&emulator, &["--models", "fraud-*", "--exclude", "fraud-b"]);

    let planned: Vec<&str> = plan["plan"]["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    assert_eq!(planned, ["fraud-a"]);
    assert_eq!(fix(&plan, "fraud-a")["new_model"], "fraud-a-isolated-2");
}

#[test]
fn a_model_built_from_a_model_package_keeps_its_package() {
    let emulator = Emulator::start();
    support::block_on(async {
        let container = aws_sdk_sagemaker::types::ContainerDefinition::builder()
            .model_package_name("arn:aws:sagemaker:eu-west-1:123456789012:model-package/sampler/1")
            .build();
        seed::client(&emulator.url, "eu-west-1")
            .create_model()
            .model_name("marketplace")
            .execution_role_arn(seed::ROLE)
            .primary_container(container)
            .send()
            .await
            .unwrap();
    });

    let (_, plan) = plan(&emulator, &[]);

    let container = &fix(&plan, "marketplace")["new_config"]["containers"][0];
    assert_eq!(
        container["model_package_name"],
        "arn:aws:sagemaker:eu-west-1:123456789012:model-package/sampler/1"
    );
    assert!(container["image"].is_null());
}

#[test]
fn rules_without_a_remediation_are_refused() {
    let out = vigil(&[
        "remediate",
        "sagemaker-model-in-vpc",
        "--regions",
        "eu-west-1",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no automatic remediation"));
}
