//! The articles of rules on a setting, run from their live fixtures: the
//! scene is the fixture's resources, created with the AWS CLI from their
//! input JSON, and its `article` part says what the audit snippets print
//! and each resource's verdict after the fix. Such a rule needs no case
//! written here.

use super::*;

fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

/// The case a fixture's `article` part makes, if it has one.
pub fn case(rule: &'static str) -> Option<Case> {
    let fixture = support::live_fixture(rule)?;
    let article = fixture.get("article")?;
    let scene = fixture["create"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|entry| entry.as_object().unwrap())
        .enumerate()
        .map(|(n, (command, input))| {
            format!(
                "cat > {n}.json <<'JSON'\n{input}\nJSON\naws sagemaker {command} --cli-input-json file://{n}.json\n"
            )
        })
        .collect();
    let audit_shows: Vec<&'static str> = article["audit_shows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|shown| leak(shown.as_str().unwrap()))
        .collect();
    let after: Vec<(&'static str, Option<&'static str>)> = article["after"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, status)| (leak(name), status.as_str().map(leak)))
        .collect();
    Some(Case {
        rule,
        scene,
        audit_shows: Vec::leak(audit_shows),
        after: Vec::leak(after),
        then: None,
    })
}

#[test]
fn articles_of_rules_on_settings() {
    let mut ran = 0;
    for rule in vigil_core::registry::RULES.iter().filter(|r| r.setting.is_some()) {
        if let Some(case) = case(rule.id) {
            check(case);
            ran += 1;
        }
    }
    assert!(ran > 0, "no rule on a setting has an article case in its live fixture");
}
