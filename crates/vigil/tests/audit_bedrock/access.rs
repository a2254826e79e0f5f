//! IAM roles audited live for `AmazonBedrockFullAccess`: read once per
//! account, whatever the number of regions, and placed in the first.

use super::*;

/// Makes roles through boto3: (name, trusted service or none for the
/// account, whether AmazonBedrockFullAccess is attached).
fn roles(endpoint: &str, made: &[(&str, Option<&str>, bool)]) {
    let made = serde_json::to_string(made).unwrap();
    in_region(
        endpoint,
        "us-east-1",
        &format!(
            r#"import json
iam = client('iam')
for name, service, full in json.loads('{made}'):
    principal = {{'Service': service}} if service else {{'AWS': 'arn:aws:iam::123456789012:root'}}
    trust = {{'Version': '2012-10-17', 'Statement': [{{'Effect': 'Allow', 'Principal': principal, 'Action': 'sts:AssumeRole'}}]}}
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    if full:
        iam.attach_role_policy(RoleName=name, PolicyArn='arn:aws:iam::aws:policy/AmazonBedrockFullAccess')
iam.create_service_linked_role(AWSServiceName='bedrock.amazonaws.com')"#
        ),
    );
}

#[test]
fn roles_with_bedrock_full_access_fail_once_per_account_service_linked_ones_aside() {
    let emulator = Emulator::start();
    roles(
        &emulator.url,
        &[
            ("developer", None, true),
            ("worker", Some("lambda.amazonaws.com"), true),
            ("reader", None, false),
        ],
    );
    let rule = "bedrock-full-access-role";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1,us-east-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    // One finding per role, in the first region audited: not one per region.
    assert_eq!(
        support::statuses_of(&report, rule, "eu-west-1", &["developer", "worker", "reader"]),
        ["fail", "fail", "pass"]
    );
    let found = support::verdicts_for(&report, rule);
    assert_eq!(found.len(), 3, "the service-linked role is not judged: {report:#}");
    assert_eq!(report["calls"]["iam:ListRoles"]["operations"], 1, "{report:#}");
    let worker = &found[&("eu-west-1".to_owned(), "worker".to_owned())];
    assert_eq!(worker["resource"]["type"], "AWS::IAM::Role", "{worker:#}");
    assert_eq!(
        worker["resource"]["arn"], "arn:aws:iam::123456789012:role/worker",
        "{worker:#}"
    );

    // The attachments cannot be listed: every role is unknown.
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([
        {"service": "iam", "operation": "ListEntitiesForPolicy",
         "error": {"code": "AccessDenied", "status": 403, "message": "not authorized"}},
    ]));
    let (code, report) = audit_json(&proxy.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 3, "{report:#}");
    let found = support::verdicts_for(&report, rule);
    assert_eq!(found.len(), 3, "{report:#}");
    for finding in found.values() {
        assert_eq!(finding["status"], "unknown", "{finding:#}");
        let reason = finding["reason"].as_str().unwrap();
        assert!(
            reason.contains("access denied to iam:ListEntitiesForPolicy"),
            "{reason}"
        );
    }

    // The roles cannot be listed: an error, and no verdict at all.
    proxy.set_rules(json!([
        {"service": "iam", "operation": "ListRoles",
         "error": {"code": "AccessDenied", "status": 403, "message": "not authorized"}},
    ]));
    let (code, report) = audit_json(&proxy.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 3, "{report:#}");
    assert!(support::verdicts_for(&report, rule).is_empty(), "{report:#}");
    let errors = report["errors"].as_array().unwrap();
    assert!(errors.iter().any(|e| e["operation"] == "iam:ListRoles"), "{report:#}");
}

#[test]
fn active_long_term_bedrock_api_keys_fail_and_keys_that_cannot_authenticate_pass() {
    let emulator = Emulator::start();
    in_region(
        &emulator.url,
        "us-east-1",
        r#"iam = client('iam')
for user in ['forever', 'month', 'off']:
    iam.create_user(UserName=user)
iam.create_service_specific_credential(UserName='forever', ServiceName='bedrock.amazonaws.com')
iam.create_service_specific_credential(UserName='month', ServiceName='bedrock.amazonaws.com', CredentialAgeDays=30)
off = iam.create_service_specific_credential(UserName='off', ServiceName='bedrock.amazonaws.com')
iam.update_service_specific_credential(UserName='off', ServiceSpecificCredentialId=off['ServiceSpecificCredential']['ServiceSpecificCredentialId'], Status='Inactive')
iam.create_service_specific_credential(UserName='off', ServiceName='codecommit.amazonaws.com')"#,
    );
    let rule = "bedrock-api-key-long-term";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1,us-east-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    let found = support::verdicts_for(&report, rule);
    // Three Bedrock keys (the CodeCommit password is not one), once each.
    assert_eq!(found.len(), 3, "{report:#}");
    let of = |user: &str| {
        let finding = found
            .values()
            .find(|f| f["resource"]["arn"] == format!("arn:aws:iam::123456789012:user/{user}"))
            .unwrap_or_else(|| panic!("no key of {user}: {report:#}"));
        assert_eq!(finding["resource"]["region"], "eu-west-1", "{finding:#}");
        (
            finding["status"].as_str().unwrap().to_owned(),
            finding["message"].as_str().unwrap().to_owned(),
        )
    };
    let (status, message) = of("forever");
    assert_eq!(status, "fail");
    assert!(message.contains("never expires"), "{message}");
    let (status, message) = of("month");
    assert_eq!(status, "fail");
    assert!(message.contains("30 more days"), "{message}");
    assert_eq!(of("off").0, "pass");

    // The keys cannot be listed: an error, and no verdict.
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([
        {"service": "iam", "operation": "ListServiceSpecificCredentials",
         "error": {"code": "AccessDenied", "status": 403, "message": "not authorized"}},
    ]));
    let (code, report) = audit_json(&proxy.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 3, "{report:#}");
    assert!(support::verdicts_for(&report, rule).is_empty(), "{report:#}");
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["operation"] == "iam:ListServiceSpecificCredentials"),
        "{report:#}"
    );
}

#[test]
fn a_bedrock_api_key_fails_when_its_user_may_do_everything() {
    let emulator = Emulator::start();
    in_region(
        &emulator.url,
        "us-east-1",
        r#"import json
iam = client('iam')
for user in ['admin', 'bedrock-all', 'invoker']:
    iam.create_user(UserName=user)
    iam.create_service_specific_credential(UserName=user, ServiceName='bedrock.amazonaws.com')
iam.attach_user_policy(UserName='admin', PolicyArn='arn:aws:iam::aws:policy/AdministratorAccess')
everything = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'bedrock:*', 'Resource': '*'}]}
iam.put_user_policy(UserName='bedrock-all', PolicyName='all', PolicyDocument=json.dumps(everything))
invoke = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'bedrock:InvokeModel', 'Resource': '*'}]}
iam.put_user_policy(UserName='invoker', PolicyName='invoke', PolicyDocument=json.dumps(invoke))"#,
    );
    let rule = "bedrock-api-key-admin";
    let (code, report) = audit_json(&emulator.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], json!([]), "{report:#}");
    let found = support::verdicts_for(&report, rule);
    let status = |user: &str| {
        let arn = format!("arn:aws:iam::123456789012:user/{user}");
        let finding = found.values().find(|f| f["resource"]["arn"] == arn.as_str()).unwrap();
        finding["status"].as_str().unwrap().to_owned()
    };
    assert_eq!(
        [status("admin"), status("bedrock-all"), status("invoker")],
        ["fail", "fail", "pass"]
    );

    // The users' policies cannot be read: unknown, with the refusal.
    let proxy = FaultProxy::start(&emulator.url);
    proxy.set_rules(json!([
        {"service": "iam", "operation": "ListUserPolicies",
         "error": {"code": "AccessDenied", "status": 403, "message": "not authorized"}},
    ]));
    let (code, report) = audit_json(&proxy.url, &["--regions", "eu-west-1", "--rules", rule]);
    assert_eq!(code, 3, "{report:#}");
    for finding in support::verdicts_for(&report, rule).values() {
        assert_eq!(finding["status"], "unknown", "{finding:#}");
        let reason = finding["reason"].as_str().unwrap();
        assert!(reason.contains("access denied to iam:ListUserPolicies"), "{reason}");
    }
}
