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
const SECOND: &str = "us-west-2";

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
    support::seed::in_account_region(&emulator.url, OTHER, SECOND, &[("other-second", false)]);
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([
        {"service": "sts", "operation": "AssumeRole", "body": format!("contains(RoleArn, '{DENIED}')"),
         "error": {"code": "AccessDenied", "status": 403, "message": "not authorized to perform sts:AssumeRole"}},
        {"service": "sts", "operation": "AssumeRole", "latency": 1}
    ]));
    let accounts = format!("123456789012,{OTHER},{DENIED}");
    let regions = format!("{REGION},{SECOND}");
    let (code, report) = audit_json(
        &proxy.url,
        &[
            "--regions",
            &regions,
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
        ((OTHER, "other-second"), "fail"),
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
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("could not be assumed"), "{message}");
    // AWS's words, once, never the SDK's debug dump of them.
    assert!(message.contains("AccessDenied: "), "{message}");
    assert!(
        !message.contains("Error {") && !message.contains("unhandled error") && !message.contains("Some("),
        "{message}"
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
        (Some(2), Some(1))
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

fn organizations_client(endpoint: &str) -> aws_sdk_organizations::Client {
    aws_sdk_organizations::Client::from_conf(
        aws_sdk_organizations::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new("testing", "testing", None, None, "tests"))
            .build(),
    )
}

/// An organization with two member accounts besides the management one
/// (the emulator's default account); returns the members' ids.
fn organization(endpoint: &str) -> Vec<String> {
    block_on(async {
        let client = organizations_client(endpoint);
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
    let dev = report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == members[0].as_str())
        .unwrap();
    assert_eq!(dev["name"], "ml-dev", "the organization's name for the account");
    assert_eq!(
        report["summary"]["accounts"][&members[0]]["fail"], 1,
        "{:#}",
        report["summary"]
    );
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

/// Runs `vigil audit --format json` with extra environment.
fn audit_json_with(endpoint: &str, env: &[(&str, &str)], extra: &[&str]) -> (i32, serde_json::Value, String) {
    let mut args = vec!["audit", "--format", "json", "--endpoint-url", endpoint];
    args.extend_from_slice(extra);
    let mut command = support::vigil_command(&args);
    command.envs(env.iter().copied());
    let out = command.output().expect("running vigil");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|err| panic!("not JSON ({err}): {stderr}"));
    (out.status.code().expect("vigil exited by signal"), report, stderr)
}

#[test]
fn a_run_that_outlives_its_first_credentials_keeps_going() {
    // The emulator refuses calls signed with an expired session (patch 11).
    // Sessions of 3 s and a run of about 5 s: without a refresh before the
    // expiry, the later DescribeModel calls would fail and leave unknowns.
    let emulator = Emulator::start();
    let models: Vec<(String, bool)> = (0..16).map(|i| (format!("m-{i:02}"), i % 2 == 0)).collect();
    let seeded: Vec<(&str, bool)> = models.iter().map(|(n, i)| (n.as_str(), *i)).collect();
    support::seed::in_account(&emulator.url, OTHER, &seeded);
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([
        {"service": "sagemaker", "operation": "DescribeModel", "latency": 300},
        {"service": "sts", "operation": "AssumeRole", "latency": 1}
    ]));
    let started = std::time::Instant::now();
    let (code, report, stderr) = audit_json_with(
        &proxy.url,
        &[("VIGIL_ROLE_SESSION_SECONDS", "3")],
        &[
            "--regions",
            REGION,
            "--rules",
            "sagemaker-model-network-isolation",
            "--accounts",
            OTHER,
            "--role-name",
            "VigilAudit",
            "--concurrency",
            "1",
        ],
    );
    assert!(
        started.elapsed() > std::time::Duration::from_secs(4),
        "the run must outlive the 3 s session"
    );
    assert_eq!(code, 1, "{stderr} {report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    let verdicts = support::verdicts(&report);
    assert_eq!(verdicts.len(), models.len());
    for (name, isolated) in &models {
        let status = &verdicts[&(REGION.to_owned(), name.clone())]["status"];
        assert_eq!(
            status,
            if *isolated { "pass" } else { "fail" },
            "{name}: {:#}",
            verdicts[&(REGION.to_owned(), name.clone())]
        );
    }
    let assumed = proxy
        .fired()
        .iter()
        .filter(|f| f["operation"] == "AssumeRole" && f["action"].as_str().unwrap_or_default().starts_with("latency"))
        .count();
    assert!(assumed >= 2, "the session was refreshed ({assumed} AssumeRole)");
}

#[test]
fn shards_split_the_accounts_between_workers_without_overlap() {
    let emulator = Emulator::start();
    let accounts: Vec<String> = (1..=6).map(|i| format!("{}", 100_000_000_000u64 * i + i)).collect();
    for id in &accounts {
        support::seed::in_account(&emulator.url, id, &[(&format!("model-of-{id}"), false)]);
    }
    let list = accounts.join(",");
    let mut seen = Vec::new();
    for index in 0..3 {
        let shard = format!("{index}/3");
        let (code, report) = audit_json(
            &emulator.url,
            &[
                "--regions",
                REGION,
                "--rules",
                "sagemaker-model-network-isolation",
                "--accounts",
                &list,
                "--role-name",
                "VigilAudit",
                "--shard",
                &shard,
            ],
        );
        assert!(code == 0 || code == 1, "{report:#}");
        for account in report["accounts"].as_array().unwrap() {
            let id = account["id"].as_str().unwrap().to_owned();
            let names: Vec<&str> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["resource"]["account"] == id.as_str())
                .map(|f| f["resource"]["name"].as_str().unwrap())
                .collect();
            assert_eq!(names, [format!("model-of-{id}")], "each account judged by its shard");
            seen.push(id);
        }
    }
    seen.sort();
    assert_eq!(seen, accounts, "every account in exactly one shard");
    // A shard needs accounts to share out, and a shard that is no shard is refused.
    for bad in [
        vec!["--shard", "0/2"],
        vec!["--accounts", &list, "--role-name", "R", "--shard", "2/2"],
    ] {
        let mut args = vec!["audit", "--endpoint-url", &emulator.url];
        args.extend(bad.iter().copied());
        let out = support::vigil(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("shard"), "{stderr}");
    }
}

#[test]
fn ou_limits_the_audit_to_the_unit_and_the_units_below_it() {
    let emulator = Emulator::start();
    let members = organization(&emulator.url);
    // ml-prod goes into a unit nested in another; ml-dev stays at the root.
    let (outer, _inner) = block_on(async {
        let client = organizations_client(&emulator.url);
        let roots = client.list_roots().send().await.expect("ListRoots");
        let root = roots.roots()[0].id().unwrap().to_owned();
        let unit = |parent: String, name: &'static str| {
            let client = client.clone();
            async move {
                let made = client
                    .create_organizational_unit()
                    .parent_id(parent)
                    .name(name)
                    .send()
                    .await
                    .expect("CreateOrganizationalUnit");
                made.organizational_unit().unwrap().id().unwrap().to_owned()
            }
        };
        let outer = unit(root.clone(), "workloads").await;
        let inner = unit(outer.clone(), "production").await;
        client
            .move_account()
            .account_id(&members[1])
            .source_parent_id(&root)
            .destination_parent_id(&inner)
            .send()
            .await
            .expect("MoveAccount");
        (outer, inner)
    });
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
            "--ou",
            &outer,
            "--role-name",
            "OrganizationAccountAccessRole",
        ],
    );
    assert_eq!(code, 1, "{report:#}");
    let audited: Vec<&str> = report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(audited, [members[1].as_str()], "only the account below the unit");
    let names: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resource"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["prod-open"]);
}
