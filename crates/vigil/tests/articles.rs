//! Every rule article's AWS CLI snippets, run as written (bash, the AWS CLI
//! from the emulator venv, jq) against the emulator, in the state the
//! article assumes; then `vigil audit` says whether the fix fixed. An
//! article whose commands do not work as written fails here, not in a
//! reader's terminal. Snippets that cannot run as written say why
//! (`NOT_RUN`), and a rule whose article has snippets but no case fails.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};
use support::Emulator;

const REGION: &str = "eu-west-1";

/// One article: the state it starts from, what its audit commands must
/// print there, and each resource's verdict once its fix has run.
struct Case {
    rule: &'static str,
    /// AWS CLI commands that build the state the article talks about.
    scene: String,
    /// Text the audit snippets must print for the failing resource.
    audit_shows: &'static [&'static str],
    /// (resource name, status) after every snippet ran; `None` for gone.
    after: &'static [(&'static str, Option<&'static str>)],
    /// A shell check of what the verdicts do not show (endpoints moved).
    then: Option<String>,
}

/// Snippets that cannot run as written, by a line they contain, and why.
const NOT_RUN: &[(&str, &str)] = &[(
    "vigil remediate sagemaker-model-network-isolation --models",
    "asks for confirmation on a terminal; remediate_apply.rs runs the same apply with --yes",
)];

const ROLE: &str = "arn:aws:iam::123456789012:role/sm";

fn articles_snippets(rule: &str) -> Vec<(String, String)> {
    let out = support::vigil(&["explain", rule, "--format", "markdown"]);
    assert!(out.status.success(), "vigil explain {rule}: {out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut section = String::new();
    let mut snippets = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading.to_owned();
        } else if line == "```sh" {
            let code: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            snippets.push((section.clone(), code.join("\n")));
        }
    }
    snippets
}

/// `script` in bash with `-euo pipefail`, in `dir`, with the venv's AWS CLI
/// pointed at the emulator and nothing of the developer's own AWS set-up.
fn shell(emulator: &Emulator, dir: &Path, script: &str) -> Output {
    let venv_bin = support::python().parent().unwrap().to_owned();
    let path = format!("{}:{}", venv_bin.display(), std::env::var("PATH").unwrap_or_default());
    Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(dir)
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir)
        .env("AWS_ENDPOINT_URL", &emulator.url)
        .env("AWS_DEFAULT_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_PAGER", "")
        .output()
        .expect("running bash")
}

fn run(emulator: &Emulator, dir: &Path, what: &str, script: &str) -> String {
    let out = shell(emulator, dir, script);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{script}\n--- stdout\n{stdout}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn statuses(emulator: &Emulator, rule: &str) -> BTreeMap<String, String> {
    let (_, report) = support::audit_json(&emulator.url, &["--regions", REGION, "--rules", rule]);
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    support::verdicts_for(&report, rule)
        .into_iter()
        .map(|((_, name), finding)| (name, finding["status"].as_str().unwrap().to_owned()))
        .collect()
}

fn check(case: Case) {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    run(&emulator, dir.path(), "the scene", &case.scene);
    let mut audit_output = String::new();
    let mut ran = 0;
    for (section, code) in articles_snippets(case.rule) {
        if let Some((_, why)) = NOT_RUN.iter().find(|(line, _)| code.contains(line)) {
            eprintln!("{}: not run ({why}):\n{code}", case.rule);
            continue;
        }
        let out = run(&emulator, dir.path(), &format!("{} '{section}'", case.rule), &code);
        if section.starts_with("Audit") {
            audit_output.push_str(&out);
        }
        ran += 1;
    }
    assert!(ran > 0, "{}: no snippet ran", case.rule);
    for shown in case.audit_shows {
        assert!(
            audit_output.contains(shown),
            "{}: the audit snippets printed {audit_output:?}, not {shown:?}",
            case.rule
        );
    }
    let got = statuses(&emulator, case.rule);
    for (name, status) in case.after {
        assert_eq!(
            got.get(*name).map(String::as_str),
            *status,
            "{}: {name} after the article's fix; all: {got:?}",
            case.rule
        );
    }
    if let Some(then) = &case.then {
        run(&emulator, dir.path(), "the check after", then);
    }
}

/// Every rule whose article has a shell snippet has a case below, and
/// every snippet left out is still in an article (no stale excuse).
#[test]
fn every_article_with_snippets_has_a_case() {
    let out = support::vigil(&["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let source = include_str!("articles.rs");
    let mut missing = Vec::new();
    let mut all_snippets = String::new();
    for rule in rules.as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let snippets = articles_snippets(id);
        if !snippets.is_empty() && !source.contains(&format!("rule: \"{id}\"")) {
            missing.push(id.to_owned());
        }
        all_snippets.extend(snippets.into_iter().map(|(_, code)| code));
    }
    assert!(rules.as_array().unwrap().len() >= 17, "{rules:#}");
    assert!(missing.is_empty(), "articles with snippets and no case: {missing:?}");
    for (line, _) in NOT_RUN {
        assert!(
            all_snippets.contains(line),
            "NOT_RUN names a snippet no article has: {line}"
        );
    }
}

const FRAUD_MODEL: &str = r#"
aws sagemaker create-model --model-name fraud-a --execution-role-arn arn:aws:iam::123456789012:role/sm \
  --primary-container Image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud:1,ModelDataUrl=s3://models/fraud.tar.gz \
  --vpc-config SecurityGroupIds=sg-0123abcd,Subnets=subnet-0a1b2c3d \
  --tags Key=team,Value=fraud
aws sagemaker create-endpoint-config --endpoint-config-name fraud-cfg \
  --production-variants VariantName=primary,ModelName=fraud-a,InitialInstanceCount=1,InstanceType=ml.m5.large
aws sagemaker create-endpoint --endpoint-name fraud --endpoint-config-name fraud-cfg
"#;

#[test]
fn model_network_isolation() {
    check(Case {
        rule: "sagemaker-model-network-isolation",
        scene: FRAUD_MODEL.to_owned(),
        audit_shows: &["eu-west-1 fraud-a false"],
        after: &[("fraud-a", Some("fail")), ("fraud-a-isolated", Some("pass"))],
        then: endpoint_moved_to("fraud-cfg-isolated"),
    });
}

#[test]
fn model_in_vpc() {
    check(Case {
        rule: "sagemaker-model-in-vpc",
        scene:
            "aws sagemaker create-model --model-name fraud-a --execution-role-arn arn:aws:iam::123456789012:role/sm \
                  --primary-container Image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud:1"
                .to_owned(),
        audit_shows: &["fraud-a None"],
        after: &[("fraud-a", Some("fail")), ("fraud-a-vpc", Some("pass"))],
        then: None,
    });
}

const NOTEBOOK: &str = "aws sagemaker create-notebook-instance --notebook-instance-name research \
  --instance-type ml.t3.medium --role-arn arn:aws:iam::123456789012:role/notebook";

#[test]
fn notebook_root_access() {
    check(Case {
        rule: "sagemaker-notebook-root-access",
        scene: NOTEBOOK.to_owned(),
        audit_shows: &["\"Enabled\""],
        after: &[("research", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_imdsv2() {
    check(Case {
        rule: "sagemaker-notebook-imdsv2",
        scene: NOTEBOOK.to_owned(),
        audit_shows: &["null"],
        after: &[("research", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_supported_platform() {
    check(Case {
        rule: "sagemaker-notebook-supported-platform",
        scene: format!("{NOTEBOOK} --platform-identifier notebook-al2-v3"),
        audit_shows: &["notebook-al2-v3"],
        after: &[("research", None), ("research-v2", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_role_all_actions() {
    let everything = r#"'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'"#;
    check(Case {
        rule: "sagemaker-notebook-role-all-actions",
        scene: format!(
            "aws iam create-role --role-name notebook-research --assume-role-policy-document '{{}}'
aws iam put-role-policy --role-name notebook-research --policy-name admin --policy-document {everything}
aws iam create-policy --policy-name everything --policy-document {everything}
aws iam attach-role-policy --role-name notebook-research --policy-arn arn:aws:iam::123456789012:policy/everything
aws sagemaker create-notebook-instance --notebook-instance-name research \
  --instance-type ml.t3.medium --role-arn arn:aws:iam::123456789012:role/notebook-research"
        ),
        audit_shows: &["\"Action\": \"*\""],
        after: &[("research", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_vpc_egress() {
    check(Case {
        rule: "sagemaker-notebook-vpc-egress",
        scene: "vpc=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text)
subnet=$(aws ec2 create-subnet --vpc-id \"$vpc\" --cidr-block 10.0.1.0/24 --query Subnet.SubnetId --output text)
table=$(aws ec2 create-route-table --vpc-id \"$vpc\" --query RouteTable.RouteTableId --output text)
aws ec2 associate-route-table --route-table-id \"$table\" --subnet-id \"$subnet\"
aws sagemaker create-notebook-instance --notebook-instance-name research \\
  --instance-type ml.t3.medium --role-arn arn:aws:iam::123456789012:role/notebook \\
  --subnet-id \"$subnet\" --security-group-ids sg-0abc --direct-internet-access Disabled"
            .to_owned(),
        audit_shows: &["[]"],
        after: &[("research", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_direct_internet_access() {
    check(Case {
        rule: "sagemaker-notebook-direct-internet-access",
        scene: NOTEBOOK.to_owned(),
        audit_shows: &["research Enabled"],
        after: &[("research", Some("fail")), ("research-2", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_in_vpc() {
    check(Case {
        rule: "sagemaker-notebook-in-vpc",
        scene: NOTEBOOK.to_owned(),
        audit_shows: &["null"],
        after: &[("research", Some("fail")), ("research-2", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_kms_key() {
    check(Case {
        rule: "sagemaker-notebook-kms-key",
        scene: NOTEBOOK.to_owned(),
        audit_shows: &["null"],
        after: &[("research", None), ("research-v2", Some("pass"))],
        then: None,
    });
}

/// moto names a domain's id `d-NAME`, so the articles' example ids exist.
fn domain(name: &str) -> String {
    format!(
        "aws sagemaker create-domain --domain-name {name} --auth-mode IAM \
           --default-user-settings ExecutionRole=arn:aws:iam::123456789012:role/studio \
           --vpc-id vpc-0abc --subnet-ids subnet-0abc"
    )
}

#[test]
fn domain_kms_key() {
    check(Case {
        rule: "sagemaker-domain-kms-key",
        scene: domain("abc123def456"),
        audit_shows: &["d-abc123def456", "null"],
        after: &[("abc123def456", Some("fail")), ("studio-v2", Some("pass"))],
        then: None,
    });
}

#[test]
fn domain_sso() {
    check(Case {
        rule: "sagemaker-domain-sso",
        scene: domain("abc123def456"),
        audit_shows: &["\"IAM\""],
        after: &[("abc123def456", Some("fail")), ("studio-sso", Some("pass"))],
        then: None,
    });
}

#[test]
fn domain_vpc_only() {
    check(Case {
        rule: "sagemaker-domain-vpc-only",
        scene: domain("abc123"),
        audit_shows: &["d-abc123 PublicInternetOnly"],
        after: &[("abc123", Some("pass"))],
        then: None,
    });
}

/// A data-quality definition `fraud-dq` on `instances` instances with
/// nothing optional set, and the schedule `fraud-hourly` that runs it.
fn monitoring(instances: u32) -> String {
    format!(
        r#"aws sagemaker create-data-quality-job-definition --job-definition-name fraud-dq --role-arn {ROLE} \
  --data-quality-app-specification ImageUri=123456789012.dkr.ecr.eu-west-1.amazonaws.com/monitor:1 \
  --data-quality-job-input '{{"EndpointInput": {{"EndpointName": "fraud", "LocalPath": "/opt/ml/processing/input"}}}}' \
  --data-quality-job-output-config '{{"MonitoringOutputs": [{{"S3Output": {{"S3Uri": "s3://monitor/fraud", "LocalPath": "/opt/ml/processing/output"}}}}]}}' \
  --job-resources '{{"ClusterConfig": {{"InstanceCount": {instances}, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}}}}'
aws sagemaker create-monitoring-schedule --monitoring-schedule-name fraud-hourly \
  --monitoring-schedule-config '{{"MonitoringJobDefinitionName": "fraud-dq", "MonitoringType": "DataQuality", "ScheduleConfig": {{"ScheduleExpression": "cron(0 * ? * * *)"}}}}'"#
    )
}

#[test]
fn monitoring_network_isolation() {
    check(Case {
        rule: "sagemaker-monitoring-network-isolation",
        scene: monitoring(1),
        audit_shows: &["fraud-dq null"],
        after: &[
            ("fraud-dq", None),
            ("fraud-dq-isolated", Some("pass")),
            ("fraud-hourly", Some("pass")),
        ],
        then: None,
    });
}

#[test]
fn monitoring_inter_container_encryption() {
    check(Case {
        rule: "sagemaker-monitoring-inter-container-encryption",
        scene: monitoring(2),
        audit_shows: &["fraud-dq\t2\tNone"],
        after: &[
            ("fraud-dq", None),
            ("fraud-dq-encrypted", Some("pass")),
            ("fraud-hourly", Some("pass")),
        ],
        then: None,
    });
}

#[test]
fn monitoring_kms() {
    check(Case {
        rule: "sagemaker-monitoring-kms",
        scene: monitoring(1),
        audit_shows: &["fraud-dq\tNone\tNone"],
        after: &[
            ("fraud-dq", None),
            ("fraud-dq-kms", Some("pass")),
            ("fraud-hourly", Some("pass")),
        ],
        then: None,
    });
}

#[test]
fn feature_group_kms() {
    let scene = format!(
        r#"aws sagemaker create-feature-group --feature-group-name customers --role-arn {ROLE} \
  --record-identifier-feature-name customer_id --event-time-feature-name event_time \
  --feature-definitions FeatureName=customer_id,FeatureType=String FeatureName=event_time,FeatureType=String \
  --online-store-config EnableOnlineStore=true \
  --offline-store-config '{{"S3StorageConfig": {{"S3Uri": "s3://acme-features"}}}}'"#
    );
    check(Case {
        rule: "sagemaker-feature-group-kms",
        scene,
        audit_shows: &["customers\tTrue\tNone\tNone"],
        after: &[("customers", None), ("customers-kms", Some("pass"))],
        then: None,
    });
}

#[test]
fn hyperpod_cluster_kms() {
    let scene = format!(
        r#"aws sagemaker create-cluster --cluster-name llm-train --instance-groups '[{{"InstanceGroupName": "workers",
  "InstanceType": "ml.t3.medium", "InstanceCount": 1, "ExecutionRole": "{ROLE}",
  "LifeCycleConfig": {{"SourceS3Uri": "s3://sagemaker-lifecycle/llm/", "OnCreate": "on_create.sh"}}}}]'"#
    );
    check(Case {
        rule: "sagemaker-hyperpod-cluster-kms",
        scene,
        audit_shows: &[r#"["llm-train","workers",null]"#],
        after: &[("llm-train", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_lifecycle_secrets() {
    // `export GITHUB_TOKEN=ghp_…` on line 2 of the start script.
    let script = "#!/bin/bash\nexport GITHUB_TOKEN=ghp_R8xJk2mVq9LpT4wZs7YbN3cHd6FgA1eKu5Xo\n";
    let scene = format!(
        "aws sagemaker create-notebook-instance-lifecycle-config --notebook-instance-lifecycle-config-name research \\\n  --on-start Content=$(printf '%s' '{script}' | base64 -w0)"
    );
    check(Case {
        rule: "sagemaker-notebook-lifecycle-secrets",
        scene,
        audit_shows: &["research OnStart: 2:export GITHUB_TOKEN="],
        after: &[("research", Some("pass"))],
        then: None,
    });
}

#[test]
fn image_tagged() {
    let scene = format!(
        "aws sagemaker create-image --image-name base-python --role-arn {ROLE}\naws sagemaker create-app-image-config --app-image-config-name base-python-config"
    );
    check(Case {
        rule: "sagemaker-image-tagged",
        scene,
        audit_shows: &[":image/base-python 0", ":app-image-config/base-python-config 0"],
        after: &[("base-python", Some("pass")), ("base-python-config", Some("pass"))],
        then: None,
    });
}

#[test]
fn inference_experiment_kms() {
    let variant = |model: &str, name: &str| {
        format!(
            r#"{{"ModelName": "{model}", "VariantName": "{name}", "InfrastructureConfig": {{"InfrastructureType": "RealTimeInference", "RealTimeInferenceConfig": {{"InstanceType": "ml.m5.xlarge", "InstanceCount": 1}}}}}}"#
        )
    };
    let scene = format!(
        r#"aws sagemaker create-inference-experiment --name fraud-shadow --type ShadowMode --role-arn {ROLE} \
  --endpoint-name fraud --model-variants '[{}, {}]' \
  --shadow-mode-config '{{"SourceModelVariantName": "fraud", "ShadowModelVariants": [{{"ShadowModelVariantName": "fraud-shadow", "SamplingPercentage": 50}}]}}' \
  --data-storage-config Destination=s3://acme-shadow/fraud/"#,
        variant("fraud-v3", "fraud"),
        variant("fraud-v4", "fraud-shadow")
    );
    check(Case {
        rule: "sagemaker-inference-experiment-kms",
        scene,
        audit_shows: &["fraud-shadow\tNone\ts3://acme-shadow/fraud/\tNone"],
        after: &[("fraud-shadow", None), ("fraud-shadow-kms", Some("pass"))],
        then: None,
    });
}

#[test]
fn flow_definition_kms() {
    let scene = format!(
        r#"aws sagemaker create-flow-definition --flow-definition-name invoices --role-arn {ROLE} \
  --human-loop-config '{{"WorkteamArn": "arn:aws:sagemaker:eu-west-1:123456789012:workteam/private-crowd/reviewers", "HumanTaskUiArn": "arn:aws:sagemaker:eu-west-1:123456789012:human-task-ui/invoices", "TaskTitle": "Invoice review", "TaskDescription": "Check the extracted invoice fields", "TaskCount": 1}}' \
  --output-config S3OutputPath=s3://acme-a2i/invoices/"#
    );
    check(Case {
        rule: "sagemaker-flow-definition-kms",
        scene,
        audit_shows: &["invoices\tNone"],
        after: &[("invoices", None), ("invoices-kms", Some("pass"))],
        then: None,
    });
}

#[test]
fn model_registry_in_use() {
    check(Case {
        rule: "sagemaker-model-registry-in-use",
        scene: "true".into(),
        audit_shows: &["0\n0\n"],
        after: &[("model-registry", Some("pass"))],
        then: None,
    });
}

#[test]
fn model_execution_role_exists() {
    let scene = "aws sagemaker create-model --model-name fraud \\\n  --execution-role-arn arn:aws:iam::123456789012:role/fraud-model \\\n  --primary-container Image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud:4".to_owned();
    check(Case {
        rule: "sagemaker-model-execution-role-exists",
        scene,
        audit_shows: &["fraud arn:aws:iam::123456789012:role/fraud-model missing"],
        after: &[("fraud", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_execution_role_exists() {
    let scene = "aws sagemaker create-notebook-instance --notebook-instance-name research --instance-type ml.t3.medium \\\n  --role-arn arn:aws:iam::123456789012:role/gone\naws iam create-role --role-name notebook-research --assume-role-policy-document '{}'".to_owned();
    check(Case {
        rule: "sagemaker-notebook-execution-role-exists",
        scene,
        audit_shows: &["research arn:aws:iam::123456789012:role/gone missing"],
        after: &[("research", Some("pass"))],
        then: None,
    });
}

#[test]
fn training_job_execution_role_exists() {
    let scene = training_job("churn-7", "").replace(ROLE, "arn:aws:iam::123456789012:role/ml-jobs");
    check(Case {
        rule: "sagemaker-training-job-execution-role-exists",
        scene,
        audit_shows: &["churn-7 arn:aws:iam::123456789012:role/ml-jobs missing"],
        after: &[("churn-7", Some("pass"))],
        then: None,
    });
}

#[test]
fn processing_job_execution_role_exists() {
    let scene = r#"aws sagemaker create-processing-job --processing-job-name features-2026-11-26 \
  --role-arn arn:aws:iam::123456789012:role/ml-jobs \
  --app-specification ImageUri=123456789012.dkr.ecr.eu-west-1.amazonaws.com/features:1 \
  --processing-resources '{"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}}' \
  --stopping-condition MaxRuntimeInSeconds=3600"#
        .to_owned();
    check(Case {
        rule: "sagemaker-processing-job-execution-role-exists",
        scene,
        audit_shows: &["features-2026-11-26 arn:aws:iam::123456789012:role/ml-jobs missing"],
        after: &[("features-2026-11-26", Some("pass"))],
        then: None,
    });
}

#[test]
fn tuning_job_execution_role_exists() {
    let scene = r#"aws sagemaker create-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name hpo-2026-11-26 \
  --hyper-parameter-tuning-job-config '{"Strategy": "Bayesian", "ResourceLimits": {"MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": 2}}' \
  --training-job-definition '{"AlgorithmSpecification": {"TrainingImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:3", "TrainingInputMode": "File"}, "RoleArn": "arn:aws:iam::123456789012:role/ml-jobs", "OutputDataConfig": {"S3OutputPath": "s3://acme-models/hpo/"}, "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50}, "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}'"#
        .to_owned();
    check(Case {
        rule: "sagemaker-tuning-job-execution-role-exists",
        scene,
        audit_shows: &["hpo-2026-11-26 arn:aws:iam::123456789012:role/ml-jobs missing"],
        after: &[("hpo-2026-11-26", Some("pass"))],
        then: None,
    });
}

#[test]
fn endpoint_config_execution_role_exists() {
    let scene = format!(
        "{FRAUD_MODEL}aws sagemaker create-endpoint-config --endpoint-config-name fraud-ic \\
  --execution-role-arn arn:aws:iam::123456789012:role/fraud-endpoint \\
  --production-variants VariantName=primary,ModelName=fraud-a,InitialInstanceCount=1,InstanceType=ml.m5.large\n"
    );
    check(Case {
        rule: "sagemaker-endpoint-config-execution-role-exists",
        scene,
        audit_shows: &["fraud-ic arn:aws:iam::123456789012:role/fraud-endpoint missing"],
        after: &[("fraud-cfg", Some("pass")), ("fraud-ic", Some("pass"))],
        then: None,
    });
}

/// A finished-looking training job as the articles name them.
fn training_job(name: &str, extra: &str) -> String {
    format!(
            "aws sagemaker create-training-job --training-job-name {name} --role-arn {ROLE} \
               --algorithm-specification TrainingImage=123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:3,TrainingInputMode=File \
               --input-data-config '[{{\"ChannelName\": \"train\", \"DataSource\": {{\"S3DataSource\": {{\"S3DataType\": \"S3Prefix\", \"S3Uri\": \"s3://acme-data/churn/\"}}}}}}]' \
               --output-data-config S3OutputPath=s3://acme-models/churn/ \
               --stopping-condition MaxRuntimeInSeconds=3600 {extra}"
    )
}

#[test]
fn training_job_network_isolation() {
    check(Case {
        rule: "sagemaker-training-job-network-isolation",
        scene: training_job(
            "churn-2026-10-01",
            "--resource-config InstanceType=ml.m5.xlarge,InstanceCount=1,VolumeSizeInGB=50",
        ),
        audit_shows: &["churn-2026-10-01 false"],
        after: &[("churn-2026-10-01", Some("fail")), ("churn-2026-11-26", Some("pass"))],
        then: None,
    });
}

#[test]
fn training_job_kms() {
    check(Case {
        rule: "sagemaker-training-job-kms",
        scene: training_job(
            "churn-2026-11-01",
            "--resource-config InstanceType=ml.m5.xlarge,InstanceCount=1,VolumeSizeInGB=50",
        ),
        audit_shows: &["\"volume\": null", "\"type\": \"ml.m5.xlarge\""],
        after: &[("churn-2026-11-01", Some("fail")), ("churn-2026-11-02", Some("pass"))],
        then: None,
    });
}

#[test]
fn training_job_in_vpc() {
    check(Case {
        rule: "sagemaker-training-job-in-vpc",
        scene: training_job(
            "churn-2026-11-26",
            "--resource-config InstanceType=ml.m5.xlarge,InstanceCount=1,VolumeSizeInGB=50",
        ),
        audit_shows: &["null"],
        after: &[("churn-2026-11-26", Some("fail"))],
        then: None,
    });
}

#[test]
fn training_job_inter_container_encryption() {
    check(Case {
        rule: "sagemaker-training-job-inter-container-encryption",
        scene: training_job(
            "dist-2026-11-26",
            "--resource-config InstanceType=ml.m5.xlarge,InstanceCount=2,VolumeSizeInGB=50",
        ),
        audit_shows: &["2", "false"],
        after: &[("dist-2026-11-26", Some("fail"))],
        then: None,
    });
}

#[test]
fn processing_job_network_isolation() {
    let scene = format!(
        r#"aws sagemaker create-processing-job --processing-job-name features-2026-11-26 --role-arn {ROLE} \
  --app-specification ImageUri=123456789012.dkr.ecr.eu-west-1.amazonaws.com/features:1 \
  --processing-resources '{{"ClusterConfig": {{"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}}}}' \
  --stopping-condition MaxRuntimeInSeconds=3600"#
    );
    check(Case {
        rule: "sagemaker-processing-job-network-isolation",
        scene,
        audit_shows: &["null"],
        after: &[("features-2026-11-26", Some("fail"))],
        then: None,
    });
}

#[test]
fn tuning_job_network_isolation() {
    let scene = format!(
        r#"aws sagemaker create-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name hpo-2026-11-26 \
  --hyper-parameter-tuning-job-config '{{"Strategy": "Bayesian", "ResourceLimits": {{"MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": 2}}}}' \
  --training-job-definition '{{"AlgorithmSpecification": {{"TrainingImage": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:3", "TrainingInputMode": "File"}}, "RoleArn": "{ROLE}", "OutputDataConfig": {{"S3OutputPath": "s3://acme-models/hpo/"}}, "ResourceConfig": {{"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50}}, "StoppingCondition": {{"MaxRuntimeInSeconds": 3600}}}}'"#
    );
    check(Case {
        rule: "sagemaker-tuning-job-network-isolation",
        scene,
        audit_shows: &["null"],
        after: &[("hpo-2026-11-26", Some("fail"))],
        then: None,
    });
}

/// The endpoint `fraud` runs on `config` once its update has settled.
fn endpoint_moved_to(config: &str) -> Option<String> {
    Some(format!(
        "sleep 1; test \"$(aws sagemaker describe-endpoint --endpoint-name fraud --query EndpointConfigName --output text)\" = {config}"
    ))
}

#[test]
fn endpoint_config_kms_key() {
    check(Case {
        rule: "sagemaker-endpoint-config-kms-key",
        scene: FRAUD_MODEL.to_owned(),
        audit_shows: &["fraud-cfg None"],
        after: &[("fraud-cfg", Some("fail")), ("fraud-cfg-kms", Some("pass"))],
        then: endpoint_moved_to("fraud-cfg-kms"),
    });
}

#[test]
fn endpoint_config_data_capture() {
    check(Case {
        rule: "sagemaker-endpoint-config-data-capture",
        scene: FRAUD_MODEL.to_owned(),
        audit_shows: &["fraud-cfg None"],
        after: &[("fraud-cfg", Some("fail")), ("fraud-cfg-capture", Some("pass"))],
        then: endpoint_moved_to("fraud-cfg-capture"),
    });
}

#[test]
fn endpoint_config_multi_instance() {
    check(Case {
        rule: "sagemaker-endpoint-config-multi-instance",
        scene: FRAUD_MODEL.to_owned(),
        audit_shows: &["fraud-cfg 1"],
        after: &[("fraud-cfg", Some("fail")), ("fraud-cfg-ha", Some("pass"))],
        then: endpoint_moved_to("fraud-cfg-ha"),
    });
}

#[test]
fn model_private_registry() {
    check(Case {
        rule: "sagemaker-model-private-registry",
        scene: FRAUD_MODEL.to_owned(),
        audit_shows: &["fraud-a None"],
        after: &[("fraud-a", Some("fail")), ("fraud-a-private", Some("pass"))],
        then: None,
    });
}

#[test]
fn endpoint_monitoring() {
    check(Case {
        rule: "sagemaker-endpoint-monitoring",
        scene: FRAUD_MODEL.to_owned(),
        audit_shows: &["fraud 0"],
        after: &[("fraud", Some("pass"))],
        then: None,
    });
}
