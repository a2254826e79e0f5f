//! `vigil remediate --apply` against the emulator: faithful copies, endpoints
//! moved, a fault at each step rolled back with nothing lost, a crash
//! resumed without duplicates, re-runs that change nothing. Every test ends
//! by comparing the complete set of models, endpoint configurations and
//! endpoints with what it must be.

mod support;

use aws_sdk_sagemaker::operation::describe_model::DescribeModelOutput;
use aws_sdk_sagemaker::types::{ContainerDefinition, InferenceExecutionConfig, InferenceExecutionMode, Tag, VpcConfig};
use serde_json::json;
use std::collections::BTreeMap;
use support::remediation::{apply, block_on, denied, expected, inventory, REGION, RULE};
use support::seed::{self, Isolation, Spec};
use support::{vigil_command, Emulator, FaultProxy};

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
/// ARN, creation time and isolation; tags the same plus `vigil:replaces`.
fn assert_faithful(url: &str, old: &str, new: &str) {
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
        assert_faithful(&emulator.url, old, new);
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
fn endpoints_move_to_faithful_configs_a_rerun_changes_nothing_and_delete_old_cleans_up() {
    let emulator = Emulator::start();
    let state = tempfile::tempdir().unwrap();
    seed::create_all(
        &emulator.url,
        &[
            Spec::new(REGION, "fraud-a", Isolation::Off).in_vpc(),
            Spec::new(REGION, "ensemble", Isolation::Absent),
        ],
    );
    // One configuration names both failing models (production and shadow):
    // they are one unit, and the configuration is copied once.
    seed::serve(
        &emulator.url,
        REGION,
        "fraud-cfg",
        "fraud-a",
        Some("ensemble"),
        &["fraud-prod", "fraud-canary"],
    );

    let (code, out) = apply(&emulator.url, state.path(), &["--update-endpoints"]);

    assert_eq!(code, 0, "{out:#}");
    assert_eq!(out["outcome"]["units"].as_array().unwrap().len(), 1, "{out:#}");
    let moved = expected(&[
        "model fraud-a",
        "model fraud-a-isolated",
        "model ensemble",
        "model ensemble-isolated",
        "endpoint-config fraud-cfg",
        "endpoint-config fraud-cfg-isolated",
        "endpoint fraud-prod on fraud-cfg-isolated",
        "endpoint fraud-canary on fraud-cfg-isolated",
    ]);
    assert_eq!(inventory(&emulator.url), moved);
    let sm = seed::client(&emulator.url, REGION);
    let (old, new) = block_on(async {
        let get = |name: &str| sm.describe_endpoint_config().endpoint_config_name(name).send();
        (
            get("fraud-cfg").await.unwrap(),
            get("fraud-cfg-isolated").await.unwrap(),
        )
    });
    let models = |variants: &[aws_sdk_sagemaker::types::ProductionVariant]| -> Vec<String> {
        variants.iter().map(|v| v.model_name().unwrap().to_owned()).collect()
    };
    assert_eq!(models(new.production_variants()), ["fraud-a-isolated"]);
    assert_eq!(models(new.shadow_production_variants()), ["ensemble-isolated"]);
    let same_but_model = |a: &[aws_sdk_sagemaker::types::ProductionVariant],
                          b: &[aws_sdk_sagemaker::types::ProductionVariant]| {
        a.iter().zip(b).all(|(a, b)| {
            let mut b = b.clone();
            b.model_name = a.model_name.clone();
            *a == b
        })
    };
    assert!(same_but_model(old.production_variants(), new.production_variants()));
    assert!(same_but_model(
        old.shadow_production_variants(),
        new.shadow_production_variants()
    ));
    assert_eq!(old.data_capture_config(), new.data_capture_config());
    assert_eq!(old.kms_key_id(), new.kms_key_id());

    let (code, again) = apply(&emulator.url, state.path(), &["--update-endpoints"]);
    assert_eq!(code, 0, "{again:#}");
    assert_eq!(inventory(&emulator.url), moved, "a re-run changes nothing");
    assert!(again["outcome"]["units"].as_array().unwrap().is_empty(), "{again:#}");
    let calls = &again["outcome"]["calls"];
    for write in ["CreateModel", "CreateEndpointConfig", "UpdateEndpoint"] {
        assert!(
            calls[format!("sagemaker:{write}")].is_null(),
            "{write} on a re-run: {calls}"
        );
    }

    let (code, cleaned) = apply(&emulator.url, state.path(), &["--update-endpoints", "--delete-old"]);
    assert_eq!(code, 0, "{cleaned:#}");
    assert_eq!(
        inventory(&emulator.url),
        expected(&[
            "model fraud-a-isolated",
            "model ensemble-isolated",
            "endpoint-config fraud-cfg-isolated",
            "endpoint fraud-prod on fraud-cfg-isolated",
            "endpoint fraud-canary on fraud-cfg-isolated",
        ])
    );
}

/// A fault the proxy injects, and what the run must leave behind.
struct Fault {
    name: &'static str,
    rule: serde_json::Value,
}

#[test]
fn a_fault_at_each_step_is_rolled_back_with_nothing_lost() {
    let faults = [
        Fault {
            name: "CreateModel",
            rule: denied("CreateModel", None),
        },
        Fault {
            name: "CreateEndpointConfig",
            rule: denied("CreateEndpointConfig", None),
        },
        // fraud-canary moves first; the second move fails and the first is undone.
        Fault {
            name: "UpdateEndpoint",
            rule: denied("UpdateEndpoint", Some("EndpointName == 'fraud-prod'")),
        },
    ];
    for fault in faults {
        let emulator = Emulator::start();
        let proxy = FaultProxy::start(&emulator.url);
        let state = tempfile::tempdir().unwrap();
        seed::create_all(&emulator.url, &[Spec::new(REGION, "fraud-a", Isolation::Off)]);
        seed::serve(
            &emulator.url,
            REGION,
            "fraud-cfg",
            "fraud-a",
            None,
            &["fraud-prod", "fraud-canary"],
        );
        let before = inventory(&emulator.url);
        proxy.set_rules(json!([fault.rule]));

        let (code, out) = apply(&proxy.url, state.path(), &["--update-endpoints"]);

        assert_eq!(code, 1, "{}: {out:#}", fault.name);
        let unit = &out["outcome"]["units"][0];
        assert_eq!(unit["status"], "rolled_back", "{}: {unit:#}", fault.name);
        assert!(
            unit["error"].as_str().unwrap().contains(fault.name),
            "{}: {unit:#}",
            fault.name
        );
        assert_eq!(
            inventory(&emulator.url),
            before,
            "{}: nothing lost, nothing left",
            fault.name
        );
        assert!(!proxy.fired().is_empty(), "{}: the fault fired", fault.name);
    }
}

#[test]
fn a_failed_or_slow_deployment_is_rolled_back() {
    for (flags, extra, why) in [
        (vec!["--failing-update", "*-isolated"], vec![], "deployment failed"),
        // The isolated configuration deploys slowly, the old one quickly.
        (
            vec!["--slow-update", "*-isolated:1.5"],
            vec!["--wait-timeout", "1s"],
            "still Updating",
        ),
    ] {
        let emulator = Emulator::start_with(&flags);
        let state = tempfile::tempdir().unwrap();
        seed::create_all(&emulator.url, &[Spec::new(REGION, "fraud-a", Isolation::Off)]);
        seed::serve(&emulator.url, REGION, "fraud-cfg", "fraud-a", None, &["fraud-prod"]);
        let before = inventory(&emulator.url);
        let mut args = vec!["--update-endpoints"];
        args.extend(extra);

        let (code, out) = apply(&emulator.url, state.path(), &args);

        assert_eq!(code, 1, "{why}: {out:#}");
        let unit = &out["outcome"]["units"][0];
        assert_eq!(unit["status"], "rolled_back", "{why}: {unit:#}");
        assert!(unit["error"].as_str().unwrap().contains(why), "{why}: {unit:#}");
        assert_eq!(
            inventory(&emulator.url),
            before,
            "{why}: the endpoint is back, the copies are gone"
        );
    }
}

#[test]
fn a_failed_delete_keeps_the_old_model_and_the_new_one_stands() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    let state = tempfile::tempdir().unwrap();
    seed::create_all(&emulator.url, &[Spec::new(REGION, "fraud-a", Isolation::Off)]);
    seed::serve(&emulator.url, REGION, "fraud-cfg", "fraud-a", None, &["fraud-prod"]);
    proxy.set_rules(json!([denied("DeleteModel", None)]));

    let (code, out) = apply(&proxy.url, state.path(), &["--update-endpoints", "--delete-old"]);

    assert_eq!(code, 3, "{out:#}");
    assert!(out["outcome"]["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("fraud-a kept"));
    assert_eq!(
        inventory(&emulator.url),
        expected(&[
            "model fraud-a",
            "model fraud-a-isolated",
            "endpoint-config fraud-cfg-isolated",
            "endpoint fraud-prod on fraud-cfg-isolated",
        ])
    );
}

#[test]
fn apply_outside_a_terminal_needs_yes_and_changes_nothing_without_it() {
    let emulator = Emulator::start();
    let state = tempfile::tempdir().unwrap();
    seed::create_all(&emulator.url, &[Spec::new(REGION, "fraud-a", Isolation::Off)]);
    let before = inventory(&emulator.url);

    let out = vigil_command(&[
        "remediate",
        RULE,
        "--regions",
        REGION,
        "--endpoint-url",
        &emulator.url,
        "--apply",
    ])
    .env("VIGIL_STATE_DIR", state.path())
    .stdin(std::process::Stdio::null())
    .output()
    .unwrap();

    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert_eq!(inventory(&emulator.url), before);
    assert!(
        !state.path().join("remediation").exists(),
        "no journal for a run that did not start"
    );
}

#[test]
fn on_a_terminal_apply_asks_first_and_only_yes_goes_on() {
    let emulator = Emulator::start();
    let state = tempfile::tempdir().unwrap();
    seed::create_all(&emulator.url, &[Spec::new(REGION, "fraud-a", Isolation::Off)]);
    let before = inventory(&emulator.url);
    let vigil = vigil_command(&[]);
    let line = format!(
        "{} remediate {RULE} --regions {REGION} --endpoint-url {} --apply",
        env!("CARGO_BIN_EXE_vigil"),
        emulator.url
    );
    // util-linux `script` runs vigil on a pseudo-terminal and types the answer.
    let answer = |text: &str| {
        use std::io::Write;
        let mut command = std::process::Command::new("script");
        command
            .args(["-qec", &line, "/dev/null"])
            .env_clear()
            .envs(vigil.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .env("VIGIL_STATE_DIR", state.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped());
        let mut child = command.spawn().expect("util-linux script");
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };

    let (code, shown) = answer("no\n");
    assert_eq!(code, Some(2), "{shown}");
    assert!(
        shown.contains("Type 'yes' to go on") && shown.contains("nothing was changed"),
        "{shown}"
    );
    assert_eq!(inventory(&emulator.url), before, "no is no");

    let (code, shown) = answer("yes\n");
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains("APPLIED"), "{shown}");
    assert_eq!(
        inventory(&emulator.url),
        expected(&["model fraud-a", "model fraud-a-isolated"])
    );
}

#[test]
fn a_name_taken_after_the_plan_is_never_deleted_by_the_rollback() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    let state = tempfile::tempdir().unwrap();
    seed::create_all(&emulator.url, &[Spec::new(REGION, "fraud-a", Isolation::Off)]);
    // Hold Vigil's CreateModel at the proxy while someone else takes the name.
    proxy.set_rules(json!([
        {"service": "sagemaker", "operation": "CreateModel", "latency": 3000}
    ]));
    let child = vigil_command(&[
        "remediate",
        RULE,
        "--regions",
        REGION,
        "--endpoint-url",
        &proxy.url,
        "--apply",
        "--yes",
        "--format",
        "json",
    ])
    .env("VIGIL_STATE_DIR", state.path())
    .stdout(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while proxy.fired().is_empty() {
        assert!(std::time::Instant::now() < deadline, "vigil never sent CreateModel");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    seed::create_all(&emulator.url, &[Spec::new(REGION, "fraud-a-isolated", Isolation::On)]);
    let out = child.wait_with_output().unwrap();

    let outcome: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{outcome:#}");
    let unit = &outcome["outcome"]["units"][0];
    assert_eq!(unit["status"], "rolled_back", "{unit:#}");
    assert!(
        unit["error"].as_str().unwrap().contains("not made by Vigil"),
        "{unit:#}"
    );
    assert_eq!(
        inventory(&emulator.url),
        expected(&["model fraud-a", "model fraud-a-isolated"]),
        "someone else's model survives the rollback"
    );
}
