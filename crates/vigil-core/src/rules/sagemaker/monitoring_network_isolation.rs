//! `sagemaker-monitoring-network-isolation`: model-monitoring jobs (data
//! quality, model quality, bias, explainability) run their containers with no
//! network access.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-monitoring-network-isolation",
    aliases: &[],
    title: "Enable Network Isolation for SageMaker Model Monitoring Jobs",
    fails_when: "a data-quality, model-quality, bias or explainability job definition, or a monitoring schedule, runs without network isolation",
    risk: RiskLevel::Medium,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::MonitoringJob,
    property: crate::model::MonitoringJob::NETWORK_ISOLATION,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["SageMaker.11", "SageMaker.12", "SageMaker.14", "SageMaker.20", "SageMaker.25"],
        aws_config: &["sagemaker-data-quality-job-isolation", "sagemaker-model-quality-job-isolation", "sagemaker-model-bias-job-isolation", "sagemaker-model-explainability-job-isolation"],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::MonitoringJob(job) = resource else {
        return None;
    };
    let job_name = job.described();
    Some(Verdict::on(
        &job.settings.network_isolation,
        |isolated| *isolated,
        format!("{job_name} runs its monitoring jobs with network isolation."),
        format!(
            "{job_name} runs its monitoring jobs without network isolation: their containers can reach the network."
        ),
        format!("Network isolation of {job_name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that every model-monitoring job definition (data quality, model \
quality, model bias, model explainability) has \
`NetworkConfig.EnableNetworkIsolation` set to `true`, and that every \
monitoring schedule runs isolated: a schedule with its own job definition is \
judged on it, a schedule that names a separate job definition is judged on \
that definition. A missing flag fails.",
    why: "\
Monitoring jobs run on a schedule against the data an endpoint captures: \
real inference requests and responses, often personal data, plus the \
baseline statistics of the training set. They run analysis containers, \
including third-party ones such as the Clarify bias and explainability \
images. Without isolation those containers can send what they read to any \
destination the network allows; because they run unattended every hour or \
day, a leak repeats until someone notices.

With isolation, SageMaker still delivers the captured data and collects the \
reports; the containers themselves cannot open connections.

Risk level Medium: the same exposure as a non-isolated processing job, but \
recurring and over production traffic.",
    audit_console: "\
1. Open the SageMaker console, **Inference > Endpoints**, and for each \
endpoint its **Monitoring** tab, or **Governance > Model monitoring**.
2. For each schedule and job definition, network isolation must be enabled \
in its network settings.",
    audit_cli: "\
```sh
for d in $(aws sagemaker list-data-quality-job-definitions \\
    --query 'JobDefinitionSummaries[].MonitoringJobDefinitionName' --output text); do
  echo \"$d $(aws sagemaker describe-data-quality-job-definition --job-definition-name \"$d\" \\
    --query NetworkConfig.EnableNetworkIsolation)\"
done
```

Repeat with `model-quality`, `model-bias` and `model-explainability`, and \
for schedules `aws sagemaker describe-monitoring-schedule \\
--query MonitoringScheduleConfig.MonitoringJobDefinition.NetworkConfig`.",
    remediate_console: "\
Job definitions cannot be changed: create a new definition with network \
isolation enabled, point the monitoring schedule at it (**Edit** schedule), \
then delete the old definition.",
    remediate_cli: "\
Copy the definition with isolation on, move its schedule, delete the old one:

```sh
aws sagemaker describe-data-quality-job-definition --job-definition-name fraud-dq \\
  | jq '{RoleArn, DataQualityBaselineConfig, DataQualityAppSpecification, DataQualityJobInput,
         DataQualityJobOutputConfig, JobResources, NetworkConfig, StoppingCondition}
        | with_entries(select(.value != null and .value != {}))
        | .JobDefinitionName = \"fraud-dq-isolated\"
        | .NetworkConfig.EnableNetworkIsolation = true' > fraud-dq-isolated.json
aws sagemaker create-data-quality-job-definition --cli-input-json file://fraud-dq-isolated.json
aws sagemaker describe-monitoring-schedule --monitoring-schedule-name fraud-hourly \\
  --query MonitoringScheduleConfig | jq '.MonitoringJobDefinitionName = \"fraud-dq-isolated\"' > schedule.json
aws sagemaker update-monitoring-schedule --monitoring-schedule-name fraud-hourly \\
  --monitoring-schedule-config file://schedule.json
aws sagemaker delete-data-quality-job-definition --job-definition-name fraud-dq
```

For the other definition types, use their `describe-`, `create-` and \
`delete-` commands and their own output and app-specification fields. An \
isolated job cannot reach S3 or any endpoint itself: SageMaker still \
stages its input and output.",
    remediate_cloudformation: "\
```yaml
DataQuality:
  Type: AWS::SageMaker::DataQualityJobDefinition
  Properties:
    RoleArn: !GetAtt MonitorRole.Arn
    NetworkConfig:
      EnableNetworkIsolation: true
    # DataQualityAppSpecification, DataQualityJobInput, DataQualityJobOutputConfig, JobResources …
```

For a schedule with an embedded definition, set the same `NetworkConfig` \
under `MonitoringScheduleConfig.MonitoringJobDefinition`.",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_data_quality_job_definition\" \"fraud\" {
  role_arn = aws_iam_role.monitor.arn
  network_config {
    enable_network_isolation = true
  }
  # data_quality_app_specification, data_quality_job_input, … 
}
```",
    references: &[
        (
            "SageMaker API: MonitoringNetworkConfig",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringNetworkConfig.html",
        ),
        (
            "AWS Config: sagemaker-data-quality-job-isolation",
            "https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-data-quality-job-isolation.html",
        ),
    ],
};
