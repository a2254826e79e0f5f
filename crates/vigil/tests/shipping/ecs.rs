//! The ECS template (`deploy/ecs.yaml`: `vigil watch` as a service, the
//! organization audit on an EventBridge Scheduler schedule), checked by
//! cfn-lint (PyPI) against AWS's resource specifications, and its commands
//! accepted by the binary.

use crate::{repo, stdout_of, venv_tool, yaml};
use std::process::Command;

#[test]
fn the_ecs_template_lints_clean_and_its_commands_parse() {
    let template = repo().join("deploy/ecs.yaml");
    stdout_of(Command::new(venv_tool("cfn-lint")).arg(&template));
    // cfn-lint does fail a broken template, so the check above can fail.
    let broken = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(
        broken.path(),
        text.replace("LaunchType: FARGATE", "LaunchType: FARGATTE"),
    )
    .unwrap();
    let refused = Command::new(venv_tool("cfn-lint")).arg(broken.path()).output().unwrap();
    assert!(!refused.status.success());

    let parsed = yaml(&template);
    let resources = parsed["Resources"].as_object().unwrap();
    for name in ["WatchTaskDefinition", "AuditTaskDefinition"] {
        let container = &resources[name]["Properties"]["ContainerDefinitions"][0];
        assert_eq!(container["User"], "65532:65532", "{name}");
        assert_eq!(container["ReadonlyRootFilesystem"], true, "{name}");
        // Parameters stand in for their values; the rest is vigil's own CLI.
        let mut args: Vec<String> = container["Command"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| match a.as_str() {
                Some(word) => word.to_string(),
                None => match a["Ref"].as_str().unwrap() {
                    "QueueUrl" => "https://sqs.us-east-1.amazonaws.com/111122223333/q".into(),
                    other => other.to_string(),
                },
            })
            .collect();
        args.push("--help".into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert!(crate::support::vigil(&args).status.success(), "{args:?}");
    }
    let schedule = &resources["AuditSchedule"]["Properties"]["Target"];
    assert_eq!(
        schedule["EcsParameters"]["TaskDefinitionArn"]["Ref"],
        "AuditTaskDefinition"
    );
}
