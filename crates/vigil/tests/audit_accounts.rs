//! `vigil audit --accounts … --role-name …`: several accounts in one run,
//! each other than the caller's entered through its role (moto's STS
//! AssumeRole puts the session in the role's account). An account whose
//! role cannot be assumed is reported and the others are still audited.

mod support;

use aws_sdk_sagemaker::config::{BehaviorVersion, Credentials, Region};
use serde_json::json;
use std::collections::BTreeMap;
use support::{audit_json, block_on, Emulator, FaultProxy};

const REGION: &str = "eu-west-1";
const OTHER: &str = "111111111111";
const DENIED: &str = "222222222222";

#[test]
fn every_readable_account_is_audited_and_a_denied_one_is_reported() {
    let emulator = Emulator::start();
    support::seed::create_all(
        &emulator.url,
        &[support::seed::Spec::new(
            REGION,
            "home-open",
            support::seed::Isolation::Off,
        )],
    );
    support::seed::in_account(&emulator.url, OTHER, &[("other-open", false), ("other-ok", true)]);
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([
        {"service": "sts", "operation": "AssumeRole", "body": format!("contains(RoleArn, '{DENIED}')"),
         "error": {"code": "AccessDenied", "status": 403, "message": "not authorized to perform sts:AssumeRole"}},
        {"service": "sts", "operation": "AssumeRole", "latency": 1}
    ]));
    let accounts = format!("123456789012,{OTHER},{DENIED}");
    let (code, report) = audit_json(
        &proxy.url,
        &[
            "--regions",
            REGION,
            "--rules",
            "sagemaker-model-network-isolation",
            "--accounts",
            &accounts,
            "--role-name",
            "VigilAudit",
        ],
    );
    assert_eq!(code, 1, "{report:#}");
    let verdicts: BTreeMap<(String, String), String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let r = &f["resource"];
            let key = (
                r["account"].as_str().unwrap().to_owned(),
                r["name"].as_str().unwrap().to_owned(),
            );
            (key, f["status"].as_str().unwrap().to_owned())
        })
        .collect();
    let expected: BTreeMap<(String, String), String> = [
        (("123456789012", "home-open"), "fail"),
        ((OTHER, "other-open"), "fail"),
        ((OTHER, "other-ok"), "pass"),
    ]
    .into_iter()
    .map(|((a, n), s)| ((a.to_owned(), n.to_owned()), s.to_owned()))
    .collect();
    assert_eq!(verdicts, expected);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (errors[0]["scope"].as_str(), errors[0]["account"].as_str()),
        (Some("account"), Some(DENIED))
    );
    assert!(
        errors[0]["message"].as_str().unwrap().contains("could not be assumed"),
        "{}",
        errors[0]["message"]
    );
    let statuses: Vec<(String, String)> = report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_owned(),
                a["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            (OTHER.into(), "audited".into()),
            ("123456789012".into(), "audited".into()),
            (DENIED.into(), "error".into())
        ],
        "every account, in id order"
    );
    let other = report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == OTHER)
        .unwrap();
    assert_eq!(
        (other["counts"]["fail"].as_u64(), other["counts"]["pass"].as_u64()),
        (Some(1), Some(1))
    );
    // One AssumeRole for the readable account, however many calls its audit made.
    let assumed = proxy
        .fired()
        .iter()
        .filter(|f| f["operation"] == "AssumeRole" && f["action"].as_str().unwrap_or_default().starts_with("latency"))
        .count();
    assert_eq!(assumed, 1);
    // The text report says which account each failure is in, and the account it could not enter.
    let text = support::vigil(&[
        "audit",
        "--regions",
        REGION,
        "--rules",
        "sagemaker-model-network-isolation",
        "--endpoint-url",
        &proxy.url,
        "--accounts",
        &accounts,
        "--role-name",
        "VigilAudit",
    ]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("of 3 accounts (2 audited)"), "{text}");
    assert!(
        text.contains(&format!("  other-open  {OTHER}  {REGION}  [Medium]")),
        "{text}"
    );
    assert!(text.contains(&format!("  {DENIED} account: ")), "{text}");
}

/// An organization with two member accounts besides the management one
/// (the emulator's default account); returns the members' ids.
fn organization(endpoint: &str) -> Vec<String> {
    block_on(async {
        let client = aws_sdk_organizations::Client::from_conf(
            aws_sdk_organizations::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .endpoint_url(endpoint)
                .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
                .build(),
        );
        client.create_organization().send().await.expect("CreateOrganization");
        let mut ids = Vec::new();
        for name in ["ml-dev", "ml-prod"] {
            let created = client
                .create_account()
                .account_name(name)
                .email(format!("{name}@example.com"))
                .send()
                .await
                .expect("CreateAccount");
            ids.push(
                created
                    .create_account_status()
                    .unwrap()
                    .account_id()
                    .unwrap()
                    .to_owned(),
            );
        }
        ids
    })
}

#[test]
fn org_audits_every_active_account_but_those_left_out() {
    let emulator = Emulator::start();
    let members = organization(&emulator.url);
    support::seed::in_account(&emulator.url, &members[0], &[("dev-open", false)]);
    support::seed::in_account(&emulator.url, &members[1], &[("prod-open", false)]);
    let (code, report) = audit_json(
        &emulator.url,
        &[
            "--regions",
            REGION,
            "--rules",
            "sagemaker-model-network-isolation",
            "--org",
            "--role-name",
            "OrganizationAccountAccessRole",
            "--exclude-accounts",
            &members[1],
        ],
    );
    assert_eq!(code, 1, "{report:#}");
    let mut audited: Vec<String> = report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    audited.sort();
    let mut expected = vec!["123456789012".to_owned(), members[0].clone()];
    expected.sort();
    assert_eq!(audited, expected, "the management account and the member not left out");
    let names: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resource"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["dev-open"]);
}

#[test]
fn org_without_an_organization_is_one_line_and_exit_2() {
    let emulator = Emulator::start();
    let out = support::vigil(&[
        "audit",
        "--regions",
        REGION,
        "--endpoint-url",
        &emulator.url,
        "--org",
        "--role-name",
        "VigilAudit",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("vigil: error: "), "{stderr}");
    assert!(
        first.ends_with("listing accounts needs the organization's management account or a delegated administrator"),
        "{first}"
    );
}
