//! Untrusted text never reaches a terminal raw: escape sequences and
//! newlines in template ids, source lines and API error messages are written
//! out visibly in every text rendering, with or without colour.

mod support;

use serde_json::json;
use support::seed::{self, Isolation, Spec};
use support::{vigil, vigil_command, Emulator, FaultProxy};

/// No escape, bell or other control byte but the newlines the report itself
/// writes; and no line that starts where an injected newline would put it.
fn assert_inert(text: &str, forged: &str) {
    for c in text.chars() {
        assert!(
            !(c.is_control() && c != '\n'),
            "raw control character {:?} in:\n{text}",
            c
        );
    }
    assert!(
        !text.lines().any(|l| l.trim_start().starts_with(forged)),
        "a forged line:\n{text}"
    );
}

#[test]
fn a_hostile_template_cannot_drive_the_terminal_through_scan_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stack.yaml");
    std::fs::write(
        &path,
        "Resources:\n  \"Evil\\e]0;owned\\a\\e[2J\\nFORGED 1 pass\":\n    Type: AWS::SageMaker::Model\n    Properties:\n      ExecutionRoleArn: arn:aws:iam::123456789012:role/sm\n      PrimaryContainer: {Image: img}\n      EnableNetworkIsolation: \"\\e]52;c;ZXZpbA==\\a\"\n",
    )
    .unwrap();
    let out = vigil_command(&["scan", path.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Evil\\x1b]0;owned\\x07"), "{stdout}");
    assert_inert(&stdout, "FORGED");
    assert_inert(&String::from_utf8_lossy(&out.stderr), "FORGED");
}

#[test]
fn a_hostile_api_error_message_cannot_drive_the_terminal_through_audit_text() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(&emulator.url);
    seed::create_all(&emulator.url, &[Spec::new("eu-west-1", "fraud-a", Isolation::Off)]);
    proxy.set_rules(json!([{
        "service": "sagemaker", "operation": "DescribeModel",
        "error": {"code": "AccessDeniedException", "status": 400,
                  "message": "denied\u{1b}]52;c;ZXZpbA==\u{7}\nFORGED 0 fail"}
    }]));
    let out = vigil(&[
        "audit",
        "--endpoint-url",
        &proxy.url,
        "--regions",
        "eu-west-1",
        "--no-progress",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("denied\\x1b]52;c;ZXZpbA==\\x07\\x0aFORGED"), "{stdout}");
    assert_inert(&stdout, "FORGED");
}
