//! The command line as a user meets it: exit codes, help for bad input,
//! `rules`, `explain`, report files and colour.

mod support;

use support::seed::{self, Isolation, Spec};
use support::{vigil, Emulator};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_malformed_region_is_a_usage_error_that_names_it() {
    let out = vigil(&[
        "audit",
        "--regions",
        "us-east-1,eu-wset",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("'eu-wset' is not an AWS region name"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_region_one_typo_from_a_real_one_is_refused_with_the_likely_one() {
    let out = vigil(&[
        "audit",
        "--regions",
        "eu-west-7",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).lines().next().unwrap(),
        "error: invalid value 'eu-west-7' for '--regions <REGIONS>': 'eu-west-7' is not a region where SageMaker is offered; did you mean 'eu-west-1', 'eu-west-2' or 'eu-west-3'? (a region newer than this Vigil: list it in VIGIL_EXTRA_REGIONS)"
    );
    // A region newer than the list is let through when the user says so.
    let mut command = support::vigil_command(&[
        "audit",
        "--regions",
        "eu-west-7",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]);
    let out = command.env("VIGIL_EXTRA_REGIONS", "eu-west-7").output().unwrap();
    assert!(!stderr(&out).contains("did you mean"), "{}", stderr(&out));
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let out = vigil(&["audit", "--regoins", "us-east-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--regoins"), "{}", stderr(&out));
}

#[test]
fn an_endpoint_that_is_not_a_url_is_refused() {
    let out = vigil(&["audit", "--endpoint-url", "localhost:5000"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'localhost:5000' is not an http:// or https:// URL"));
}

#[test]
fn an_unreachable_endpoint_is_a_configuration_error() {
    let out = vigil(&[
        "audit",
        "--regions",
        "us-east-1",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("sts:GetCallerIdentity"), "{}", stderr(&out));
}

#[test]
fn missing_credentials_are_explained() {
    let out = support::vigil_command(&[
        "audit",
        "--regions",
        "us-east-1",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ])
    .env_remove("AWS_ACCESS_KEY_ID")
    .env_remove("AWS_SECRET_ACCESS_KEY")
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // One line with the fix; the SDK's chain of attempts only with -v.
    assert_eq!(
        stderr(&out).lines().collect::<Vec<_>>(),
        [
            "vigil: error: no AWS credentials found; set AWS_PROFILE, pass --profile, or configure the standard credential chain",
            "vigil: (-v shows the AWS SDK's error)",
        ]
    );
    let verbose = support::vigil_command(&[
        "audit",
        "--regions",
        "us-east-1",
        "--endpoint-url",
        "http://127.0.0.1:9",
        "-v",
    ])
    .env_remove("AWS_ACCESS_KEY_ID")
    .env_remove("AWS_SECRET_ACCESS_KEY")
    .output()
    .unwrap();
    assert!(
        stderr(&verbose).lines().nth(1).unwrap().starts_with("vigil:   "),
        "{}",
        stderr(&verbose)
    );
}

#[test]
fn rules_lists_the_flagship_with_its_cross_references() {
    let out = vigil(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for needle in [
        "sagemaker-model-network-isolation",
        "[Medium]",
        "SageMaker.5",
        "sagemaker-model-isolation-enabled",
        "sagemaker_models_network_isolation_enabled",
        "CKV_AWS_370",
    ] {
        assert!(text.contains(needle), "missing {needle} in {text}");
    }
    let json: serde_json::Value = serde_json::from_slice(&vigil(&["rules", "--format", "json"]).stdout).unwrap();
    assert_eq!(json[0]["xrefs"]["security_hub"], serde_json::json!(["SageMaker.5"]));
    assert_eq!(json[0]["risk"], "medium");
    // A system may name one control several times: each is listed.
    let monitoring = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "sagemaker-monitoring-network-isolation")
        .unwrap();
    assert_eq!(monitoring["xrefs"]["aws_config"].as_array().unwrap().len(), 4);
    assert_eq!(monitoring["xrefs"]["security_hub"][4], "SageMaker.25");
}

#[test]
fn rules_can_be_chosen_by_standard() {
    let out = vigil(&["rules", "--format", "json"]);
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("agent.yaml");
    std::fs::write(
        &template,
        "Resources:\n  Agent:\n    Type: AWS::BedrockAgentCore::Runtime\n    Properties:\n      AgentRuntimeName: a\n      NetworkConfiguration: {NetworkMode: PUBLIC}\n  Notebook:\n    Type: AWS::SageMaker::NotebookInstance\n    Properties:\n      InstanceType: ml.t3.medium\n      RoleArn: arn:aws:iam::123456789012:role/r\n",
    )
    .unwrap();
    let args = |rules: &'static str| {
        [
            "scan",
            template.to_str().unwrap(),
            "--rules",
            rules,
            "--format",
            "json",
            "--no-store",
        ]
        .map(str::to_owned)
    };
    let out = vigil(&args("aws-ai-security-best-practices").each_ref().map(String::as_str));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let chosen: std::collections::BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        chosen.contains("agentcore-runtime-vpc") && chosen.contains("sagemaker-notebook-root-access"),
        "{chosen:?}"
    );
    // Every rule chosen answers a control of the standard, by its Security Hub id.
    for rule in all
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| chosen.contains(r["id"].as_str().unwrap()))
    {
        let ids = rule["xrefs"]["security_hub"].as_array().unwrap();
        assert!(
            ids.iter().any(|id| id.as_str().unwrap().starts_with("SageMaker.")
                || id.as_str().unwrap().starts_with("BedrockAgentCore.")),
            "{rule:#}"
        );
    }
    // IMDSv2 on notebooks answers no control of the standard (it is Checkov's).
    assert!(!chosen.contains("sagemaker-notebook-imdsv2"), "{chosen:?}");
}

#[test]
fn rules_can_be_chosen_by_category_or_peer_id() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("stack.yaml");
    std::fs::write(
        &template,
        "Resources:\n  Model:\n    Type: AWS::SageMaker::Model\n    Properties:\n      ExecutionRoleArn: arn:aws:iam::123456789012:role/r\n      PrimaryContainer: {Image: img}\n  Notebook:\n    Type: AWS::SageMaker::NotebookInstance\n    Properties:\n      InstanceType: ml.t3.medium\n      RoleArn: arn:aws:iam::123456789012:role/r\n",
    )
    .unwrap();
    let path = template.to_str().unwrap();
    let out = vigil(&[
        "scan",
        path,
        "--rules",
        "SageMaker.3,CKV_AWS_370",
        "--format",
        "json",
        "--no-store",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    rules.sort();
    rules.dedup();
    assert_eq!(
        rules,
        ["sagemaker-model-network-isolation", "sagemaker-notebook-root-access"],
        "{report:#}"
    );
    let out = vigil(&[
        "scan",
        path,
        "--rules",
        "network",
        "--exclude-rules",
        "sagemaker-model-in-vpc,SageMaker.1,SageMaker.2",
        "--format",
        "json",
        "--no-store",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // A category chooses its opt-in rules too (the private registry one).
    assert_eq!(
        rules,
        [
            "sagemaker-model-network-isolation",
            "sagemaker-model-private-registry",
            "sagemaker-notebook-vpc-egress"
        ],
        "a category, less ids and peer ids: {report:#}"
    );
    let out = vigil(&["rules", "--xref"]);
    assert!(stdout(&out).contains("SageMaker.25"));
    let out = vigil(&["audit", "--rules", "Encryptoin", "--regions", "us-east-1"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("vigil: error: no rule, category or peer id 'Encryptoin'"),
        "{stderr}"
    );
}

#[test]
fn explain_sets_the_article_for_a_terminal_and_gives_markdown_on_request() {
    let out = vigil(&["explain", "sagemaker-model-network-isolation"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with("Enable Network Isolation for SageMaker Models\n====="),
        "{text}"
    );
    assert!(text.contains("\nWhat it checks\n--------------\n"), "{text}");
    for line in text.lines().filter(|l| !l.starts_with("    ") && !l.starts_with('|')) {
        // Only a word longer than a line (a URL) may stand alone past it.
        let breakable = line.trim().contains(' ');
        assert!(
            line.chars().count() <= 80 || !breakable,
            "wrapped to 80 columns off a terminal: {line:?}"
        );
    }
    assert!(!text.contains("**"), "{text}");
    assert!(
        text.contains("    aws sagemaker describe-model"),
        "code set apart: {text}"
    );
    let out = vigil(&["explain", "sagemaker-model-network-isolation", "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for heading in [
        "# Enable Network Isolation for SageMaker Models",
        "## What it checks",
        "## Why it matters",
        "## Audit: console",
        "## Audit: AWS CLI",
        "## Remediate: console",
        "## Remediate: AWS CLI",
        "## Remediate: CloudFormation",
        "## Remediate: Terraform",
        "## References",
    ] {
        assert!(text.contains(heading), "missing {heading}");
    }
    assert!(text.contains("describe-model"));
    assert!(text.contains("--enable-network-isolation"));
}

#[test]
fn an_unknown_rule_is_one_line_with_the_likely_one_or_where_to_look() {
    let out = vigil(&["explain", "sagemaker-model-network-isolaton"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).lines().next().unwrap_or_default(),
        "vigil: error: no rule 'sagemaker-model-network-isolaton'; did you mean 'sagemaker-model-network-isolation'? (`vigil rules` lists them all)"
    );
    let out = vigil(&["audit", "--rules", "notebook-root", "--regions", "us-east-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).lines().next().unwrap_or_default(),
        "vigil: error: no rule, category or peer id 'notebook-root'; `vigil rules` lists them all"
    );
}

#[test]
fn a_clean_account_exits_zero_and_the_report_file_is_written_whole() {
    let emulator = Emulator::start();
    seed::create_all(&emulator.url, &[Spec::new("eu-west-1", "good", Isolation::On).in_vpc()]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("findings.json");

    let out = vigil(&[
        "audit",
        "--regions",
        "eu-west-1",
        "--endpoint-url",
        &emulator.url,
        "--format",
        "json",
        "--output",
        path.to_str().unwrap(),
    ]);

    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "the report went to the file, not stdout");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(report["schema_version"], "1");
    // Isolation, VPC and its execution role (which exists): every default
    // model rule; and that role holds no AmazonBedrockFullAccess.
    assert_eq!(report["summary"]["pass"], 4, "every rule passes: {report}");
    assert_eq!(report["summary"]["fail"], 0, "{report}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file is left behind"
    );
}

#[test]
fn text_report_names_failing_models_without_colour_when_piped() {
    let emulator = Emulator::start();
    seed::create_all(
        &emulator.url,
        &[
            Spec::new("eu-west-1", "leaky", Isolation::Absent),
            Spec::new("eu-west-1", "tight", Isolation::On),
        ],
    );

    let out = vigil(&["audit", "--regions", "eu-west-1", "--endpoint-url", &emulator.url]);

    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("FAILED (3)"), "isolation once, VPC twice: {text}");
    assert!(text.contains("leaky  eu-west-1"));
    assert!(text.contains("arn:aws:sagemaker:eu-west-1:123456789012:model/leaky"));
    assert!(
        !text.contains("tight  eu-west-1  [Medium] sagemaker-model-network-isolation"),
        "passes only with --verbose"
    );
    assert!(!text.contains('\u{1b}'), "no escape codes into a pipe");
    // tight's isolation and both models' execution role pass, and that
    // role holds no AmazonBedrockFullAccess.
    assert!(text.contains("4 pass, 3 fail, 0 unknown"), "{text}");
}

#[test]
fn rules_xref_maps_every_rule_to_every_system() {
    let out = vigil(&["rules", "--xref"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let block: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "sagemaker-model-in-vpc")
        .take(6)
        .collect();
    assert_eq!(
        block,
        [
            "sagemaker-model-in-vpc",
            "  Security Hub  -",
            "  AWS Config    sagemaker-model-in-vpc",
            "  Prowler       sagemaker_models_vpc_settings_configured",
            "  Checkov       -",
            "  Conformity    -",
        ],
        "{text}"
    );
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest <= 100, "fits a terminal: {widest} columns\n{text}");
}

#[test]
fn rules_can_be_chosen_and_unknown_ids_are_refused() {
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let report = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["scan", examples, "--format", "json"];
        all.extend_from_slice(args);
        serde_json::from_slice(&vigil(&all).stdout).unwrap()
    };
    let rules_of = |r: &serde_json::Value| {
        let mut ids: Vec<String> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect();
        ids.dedup();
        ids.sort();
        ids.dedup();
        ids
    };
    assert_eq!(
        rules_of(&report(&["--rules", "sagemaker-model-in-vpc"])),
        ["sagemaker-model-in-vpc"]
    );
    // Excluding one rule leaves every other default rule that judged the
    // template (listed from the run, so a new rule needs no edit here).
    let every = rules_of(&report(&[]));
    assert!(
        every.len() > 2 && every.iter().any(|id| id == "sagemaker-model-in-vpc"),
        "{every:?}"
    );
    let others: Vec<String> = every.into_iter().filter(|id| id != "sagemaker-model-in-vpc").collect();
    assert_eq!(
        rules_of(&report(&["--exclude-rules", "sagemaker-model-in-vpc"])),
        others
    );
    let out = vigil(&[
        "audit",
        "--rules",
        "sagemaker-nope",
        "--regions",
        "us-east-1",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no rule 'sagemaker-nope'"));
}

#[test]
fn output_to_a_pipe_or_device_writes_into_it_and_never_replaces_it() {
    // `--output /dev/null` once replaced /dev/null with a regular file (the
    // atomic rename). A FIFO stands in for any such special file here.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let (sent, received) = std::sync::mpsc::channel();
    {
        let fifo = fifo.clone();
        std::thread::spawn(move || sent.send(std::fs::read(fifo).unwrap()));
    }
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/cloudformation");

    let out = vigil(&["scan", examples, "--format", "json", "--output", fifo.to_str().unwrap()]);

    assert!(out.status.code().is_some_and(|c| c != 2), "{}", stderr(&out));
    use std::os::unix::fs::FileTypeExt;
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the pipe is still a pipe");
    let received = received
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("nothing was written into the pipe");
    let report: serde_json::Value = serde_json::from_slice(&received).unwrap();
    assert_eq!(report["schema_version"], "1");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn a_profile_that_is_not_defined_is_refused_with_the_ones_that_are() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        "[default]\nregion = eu-west-1\n[profile dev]\nregion = eu-west-1\n",
    )
    .unwrap();
    let out = support::vigil_command(&["audit", "--profile", "prod", "--regions", "eu-west-1"])
        .env("AWS_CONFIG_FILE", &config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).lines().next().unwrap_or_default(),
        "vigil: error: no profile 'prod' in the shared config files (~/.aws/config and ~/.aws/credentials, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE); profiles found: default, dev"
    );
}

#[test]
fn an_endpoint_that_never_answers_is_one_line_after_a_bounded_wait() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // Accepts every connection and never answers; ends with the test.
    std::thread::spawn(move || {
        let held: Vec<_> = listener.incoming().collect();
        drop(held);
    });
    let out = vigil(&["audit", "--regions", "us-east-1", "--endpoint-url", &url]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).lines().collect::<Vec<_>>(),
        [
            format!("vigil: error: {url} could not be reached for sts:GetCallerIdentity (2 attempts of up to 10 s): check --endpoint-url, the network and any proxy settings"),
            "vigil: (-v shows the AWS SDK's error)".to_owned(),
        ]
    );
}
