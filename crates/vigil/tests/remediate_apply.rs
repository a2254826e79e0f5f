//! `vigil remediate --apply` against the emulator: endpoints moved, a fault
//! at each step rolled back with nothing lost, a name taken by someone else
//! left alone, the confirmation prompt, re-runs that change nothing. Every test ends
//! by comparing the complete set of models, endpoint configurations and
//! endpoints with what it must be.

mod support;

use serde_json::json;
use support::block_on;
use support::remediation::{apply, apply_command, denied, expected, inventory, REGION, RULE};
use support::seed::{self, Isolation, Spec};
use support::{vigil_command, Emulator, FaultProxy};

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
    let child = apply_command(&proxy.url, state.path(), &[])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    support::wait_for(20, "vigil never sent CreateModel", || !proxy.fired().is_empty());
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
