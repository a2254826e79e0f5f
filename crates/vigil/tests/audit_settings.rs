//! Every rule that reads a setting (`vigil_core::model::Setting`), audited
//! live from its fixtures: `live.json` beside its template fixtures lists
//! the resources to create, in order (each entry `{"<command>": input}`,
//! the input as `aws sagemaker <command> --cli-input-json` takes it), and
//! each one's verdict, and the real binary must give exactly those against the
//! emulator. A rule on a setting without the file fails here, so a new
//! setting needs no hand-written live test. `$CUSTOMER_KEY` in the file is
//! the ARN of a customer-managed KMS key made first (KMS is asked of keys).

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use support::Emulator;

pub const REGION: &str = "eu-west-1";

/// Creates each resource through boto3, whose parameters are the CLI's input JSON.
fn create(emulator: &Emulator, fixture: &Value) {
    let script = format!(
        r#"
import boto3, json, sys
sm = boto3.client('sagemaker', endpoint_url=sys.argv[1], region_name='{REGION}',
                  aws_access_key_id='testing', aws_secret_access_key='testing')
text = r'''{fixture}'''
if '$CUSTOMER_KEY' in text:
    kms = boto3.client('kms', endpoint_url=sys.argv[1], region_name='{REGION}',
                       aws_access_key_id='testing', aws_secret_access_key='testing')
    text = text.replace('$CUSTOMER_KEY', kms.create_key()['KeyMetadata']['Arn'])
fixture = json.loads(text)
for entry in fixture['create']:
    for command, params in entry.items():
        getattr(sm, command.replace('-', '_'))(**params)
"#
    );
    support::python_scene(&script, &emulator.url);
}

#[test]
fn every_rule_on_a_setting_gives_its_live_fixtures_verdicts() {
    let rules: Vec<_> = vigil_core::registry::RULES
        .iter()
        .filter(|rule| rule.setting.is_some())
        .collect();
    assert!(!rules.is_empty(), "no rule reads a setting: this test proves nothing");
    for rule in rules {
        let fixture = support::live_fixture(rule.id)
            .unwrap_or_else(|| panic!("{} reads a setting, so it needs its fixtures' live.json", rule.id));
        let emulator = Emulator::start();
        create(&emulator, &fixture);
        let (_, report) = support::audit_json(&emulator.url, &["--regions", REGION, "--rules", rule.id]);
        assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
        let got: BTreeMap<String, String> = support::verdicts_for(&report, rule.id)
            .into_iter()
            .map(|((_, name), finding)| (name, finding["status"].as_str().unwrap().to_owned()))
            .collect();
        let expected: BTreeMap<String, String> = serde_json::from_value(fixture["verdicts"].clone()).unwrap();
        assert_eq!(got, expected, "{}: live verdicts", rule.id);
    }
}
