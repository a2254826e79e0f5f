//! The renderers on one report built from real rule verdicts: every format
//! says the same thing (the same findings, counts and errors), text output
//! stays inert however hostile the names, and SARIF locations are URIs.

use vigil_core::model::SageMakerModel;
use vigil_core::{registry, Fact, Report, Resource, RunError};
use vigil_report::TextOptions;

fn model(name: &str, isolated: Fact<bool>) -> Resource {
    let arn = format!("arn:aws:sagemaker:eu-west-1:123456789012:model/{name}");
    let mut model = SageMakerModel::unreadable(
        vigil_core::Identity::from_arn(name.to_owned(), Some(arn)),
        "not read in this test",
    );
    model.network_isolation = isolated;
    Resource::SageMakerModel(model)
}

fn report() -> Report {
    let rule = registry::find("sagemaker-model-network-isolation").unwrap();
    let findings: Vec<_> = [
        model("fraud-a", Fact::Known(false)),
        model("fraud-ok", Fact::Known(true)),
        model(
            "evil\u{1b}]0;owned\u{7}\nFORGED",
            Fact::unknown("access denied\u{1b}[2J"),
        ),
    ]
    .iter()
    .flat_map(|r| vigil_core::judge::judge(&[rule], r))
    .collect();
    let errors = vec![RunError::in_region(
        vigil_core::report::ErrorScope::Region,
        Some("us-east-1".into()),
        Some("sagemaker:ListModels".into()),
        "throttled".into(),
    )];
    let reach = vigil_core::Reach::Live {
        account: None,
        accounts: Vec::new(),
        regions: vec!["eu-west-1".into(), "us-east-1".into()],
        calls: Default::default(),
    };
    Report::new(
        "audit",
        ("t0".into(), "t1".into()),
        reach,
        (findings, None),
        errors,
        Vec::new(),
    )
}

#[test]
fn text_json_and_junit_agree_on_the_verdicts() {
    let report = report();
    let text = vigil_report::render_text(&report, TextOptions::default());
    assert!(
        text.contains("1 pass, 1 fail, 1 unknown; 1 part(s) of the run could not be read"),
        "{text}"
    );
    assert!(
        text.contains("fraud-a") && text.contains("why unknown: access denied"),
        "{text}"
    );
    assert!(
        text.contains("what to do: `vigil explain sagemaker-model-network-isolation`; `vigil remediate sagemaker-model-network-isolation --regions eu-west-1 --models fraud-a` plans the fix"),
        "a failure says what to do: {text}"
    );
    let json: serde_json::Value = serde_json::from_str(&vigil_report::render_json(&report)).unwrap();
    assert_eq!(json["summary"]["pass"], 1);
    assert_eq!(json["summary"]["fail"], 1);
    assert_eq!(json["summary"]["unknown"], 1);
    assert_eq!(json["errors"][0]["operation"], "sagemaker:ListModels");
    let junit = vigil_report::render_junit(&report);
    assert_eq!(junit.matches("<testcase").count(), 3, "{junit}");
    assert_eq!(junit.matches("<failure").count(), 1, "{junit}");
}

#[test]
fn streamed_json_is_the_rendered_json() {
    let report = report();
    let mut streamed = Vec::new();
    vigil_report::write_json(&report, &mut streamed).unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), vigil_report::render_json(&report));
}

#[test]
fn text_keeps_hostile_names_inert_and_json_keeps_them_exact() {
    let report = report();
    let text = vigil_report::render_text(&report, TextOptions::default());
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text}");
    assert!(!text.lines().any(|l| l.trim_start().starts_with("FORGED")), "{text}");
    assert!(text.contains("evil\\x1b]0;owned\\x07\\x0aFORGED"), "{text}");
    let json = vigil_report::render_json(&report);
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let names: Vec<&str> = parsed["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resource"]["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"evil\u{1b}]0;owned\u{7}\nFORGED"),
        "JSON keeps the value exactly: {names:?}"
    );
}

#[test]
fn html_escapes_what_it_is_given_and_counts_what_the_report_counts() {
    let rule = registry::find("sagemaker-model-network-isolation").unwrap();
    let findings = vigil_core::judge::judge(&[rule], &model("<script>alert(1)</script>\"'&", Fact::Known(false)));
    let reach = vigil_core::Reach::Live {
        account: Some("123456789012".into()),
        accounts: Vec::new(),
        regions: vec!["eu-west-1".into()],
        calls: Default::default(),
    };
    let report = Report::new(
        "audit",
        ("t0".into(), "t1".into()),
        reach,
        (findings, None),
        Vec::new(),
        Vec::new(),
    );
    let html = vigil_report::render_html(&report, &[]);
    assert!(!html.contains("<script>alert"), "a name is text, never markup");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"));
    assert_eq!(html.matches("<script>").count(), 1, "only the page's own script");
    assert!(html.contains("<span id=\"shown\">1</span> of 1"));
    let trend = [
        ("2026-01-01T00:00:00.000Z".to_owned(), 3),
        ("2026-01-02T00:00:00.000Z".to_owned(), 1),
    ];
    assert!(vigil_report::render_html(&report, &trend).contains("Open failures after each recorded run (2 runs"));
}

#[test]
fn a_run_only_the_store_refused_is_said_to_be_unrecorded_not_unread() {
    let mut report = report();
    report.errors = vec![RunError::in_region(
        vigil_core::report::ErrorScope::Store,
        None,
        None,
        "the run was not recorded in the findings store: disk full".into(),
    )];
    let text = vigil_report::render_text(&report, TextOptions::default());
    assert!(
        text.contains("1 pass, 1 fail, 1 unknown; not recorded in the findings store"),
        "{text}"
    );
    assert!(!text.contains("could not be read"), "{text}");
}
