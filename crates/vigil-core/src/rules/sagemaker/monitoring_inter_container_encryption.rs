//! `sagemaker-monitoring-inter-container-encryption`: monitoring jobs that
//! run on several instances encrypt what those instances send each other.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-monitoring-inter-container-encryption",
    aliases: &[],
    title: "Encrypt Inter-Container Traffic of Distributed SageMaker Model Monitoring Jobs",
    fails_when: "a monitoring job definition, or a schedule's definition, runs on two or more instances without `NetworkConfig.EnableInterContainerTrafficEncryption`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::MonitoringJob,
    property: crate::model::MonitoringJob::INTER_CONTAINER_ENCRYPTION,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["SageMaker.9", "SageMaker.10", "SageMaker.13", "SageMaker.15", "SageMaker.22"],
        aws_config: &[],
        prowler: &[],
        checkov: &["CKV_AWS_369"],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::MonitoringJob(job) = resource else {
        return None;
    };
    let (settings, job_name) = (&job.settings, job.described());
    let single = || {
        Verdict {
        status: Status::Pass,
        message: format!(
            "{job_name} runs its monitoring jobs on one instance: there is no inter-container traffic, and AWS applies the setting only from two instances."
        ),
    }
    };
    Some(match (&settings.inter_container_encryption, &settings.instance_count) {
        (Fact::Known(true), _) => Verdict {
            status: Status::Pass,
            message: format!("{job_name} encrypts the traffic between its monitoring instances."),
        },
        (_, Fact::Known(1)) => single(),
        (Fact::Known(false), Fact::Known(count)) => Verdict {
            status: Status::Fail,
            message: format!(
                "{job_name} runs its monitoring jobs on {count} instances without inter-container traffic encryption: the captured requests and responses they exchange cross the network in the clear."
            ),
        },
        (Fact::Unknown(why), _) | (_, Fact::Unknown(why)) => Verdict::unknown(
            why.clone(),
            format!("Whether {job_name} encrypts traffic between its instances could not be read."),
        ),
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that every model-monitoring job definition (data quality, model \
quality, model bias, model explainability) and every monitoring schedule's \
definition that runs on two or more instances \
(`ClusterConfig.InstanceCount`) has \
`NetworkConfig.EnableInterContainerTrafficEncryption` set to `true`. A \
missing flag is off. A schedule that names a separate definition is judged \
on that definition. Definitions on a single instance pass: they send \
nothing between containers, and AWS applies the setting only from two \
instances. Security Hub's data-quality control (SageMaker.9) and Checkov \
fail single-instance definitions too; set the flag anyway if a definition \
may be scaled out later.",
    why: "\
A monitoring job spread over several instances shares its work between \
them: slices of the captured inference requests and responses (often \
personal data) and of the baseline travel from one instance to another. \
Without inter-container encryption that traffic crosses the network in the \
clear, and anyone able to observe it sees the data. With encryption on, \
SageMaker wraps the traffic between the job's containers in IPsec.

Encryption makes distributed jobs somewhat slower; for monitoring, which \
runs unattended on a schedule, the cost is rarely felt.

Risk level Medium: the traffic stays inside AWS's network and the job's \
VPC, but it carries production data, every hour or day.",
    audit_console: "\
1. Open **Governance > Model monitoring** (or an endpoint's **Monitoring** \
tab) in the SageMaker console and open each job definition.
2. Where the instance count is 2 or more, *Enable inter-container traffic \
encryption* under **Network** must read **True**.
3. Repeat in every region.",
    audit_cli: "\
```sh
for d in $(aws sagemaker list-data-quality-job-definitions \\
    --query 'JobDefinitionSummaries[].MonitoringJobDefinitionName' --output text); do
  aws sagemaker describe-data-quality-job-definition --job-definition-name \"$d\" --output text \\
    --query '[JobDefinitionName, JobResources.ClusterConfig.InstanceCount, NetworkConfig.EnableInterContainerTrafficEncryption]'
done
```

A count of 2 or more with `False` or `None` fails. Repeat with \
`model-quality`, `model-bias` and `model-explainability`; for a schedule \
with its own definition, read \
`MonitoringScheduleConfig.MonitoringJobDefinition.NetworkConfig` from \
`aws sagemaker describe-monitoring-schedule`.",
    remediate_console: "\
Job definitions cannot be changed: create a new definition with the same \
settings and **Enable inter-container traffic encryption** ticked, point \
the schedule at it (**Edit** schedule), then delete the old definition.",
    remediate_cli: "\
Copy the definition with the flag on, move its schedule, delete the old one:

```sh
aws sagemaker describe-data-quality-job-definition --job-definition-name fraud-dq \\
  | jq '{RoleArn, DataQualityBaselineConfig, DataQualityAppSpecification, DataQualityJobInput,
         DataQualityJobOutputConfig, JobResources, NetworkConfig, StoppingCondition}
        | with_entries(select(.value != null and .value != {}))
        | .JobDefinitionName = \"fraud-dq-encrypted\"
        | .NetworkConfig.EnableInterContainerTrafficEncryption = true' > fraud-dq-encrypted.json
aws sagemaker create-data-quality-job-definition --cli-input-json file://fraud-dq-encrypted.json
aws sagemaker describe-monitoring-schedule --monitoring-schedule-name fraud-hourly \\
  --query MonitoringScheduleConfig | jq '.MonitoringJobDefinitionName = \"fraud-dq-encrypted\"' > schedule.json
aws sagemaker update-monitoring-schedule --monitoring-schedule-name fraud-hourly \\
  --monitoring-schedule-config file://schedule.json
aws sagemaker delete-data-quality-job-definition --job-definition-name fraud-dq
```

For the other definition types, use their `describe-`, `create-` and \
`delete-` commands and their own output and app-specification fields.",
    remediate_cloudformation: "\
```yaml
DataQuality:
  Type: AWS::SageMaker::DataQualityJobDefinition
  Properties:
    RoleArn: !GetAtt MonitorRole.Arn
    NetworkConfig:
      EnableNetworkIsolation: true
      EnableInterContainerTrafficEncryption: true
    JobResources:
      ClusterConfig:
        InstanceCount: 2
        InstanceType: ml.m5.xlarge
        VolumeSizeInGB: 20
    # DataQualityAppSpecification, DataQualityJobInput, DataQualityJobOutputConfig …
```

The property replaces the definition, so CloudFormation creates a new one; \
a schedule that names it with `!GetAtt DataQuality.JobDefinitionName` \
follows. For a schedule with an embedded definition, set the same \
`NetworkConfig` under `MonitoringScheduleConfig.MonitoringJobDefinition`.",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_data_quality_job_definition\" \"fraud\" {
  role_arn = aws_iam_role.monitor.arn
  network_config {
    enable_network_isolation                = true
    enable_inter_container_traffic_encryption = true
  }
  # data_quality_app_specification, data_quality_job_input, job_resources, …
}
```",
    references: &[
        (
            "SageMaker API: MonitoringNetworkConfig",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringNetworkConfig.html",
        ),
        (
            "Security Hub: SageMaker controls",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Identity, MonitoringJob, MonitoringSettings};

    fn status(count: Fact<u32>, encrypted: Fact<bool>) -> (&'static str, String) {
        let mut settings = MonitoringSettings::unreadable("unused");
        settings.instance_count = count;
        settings.inter_container_encryption = encrypted;
        let job = MonitoringJob {
            identity: Identity::declared("dq".into()),
            type_name: "AWS::SageMaker::DataQualityJobDefinition",
            settings,
        };
        let verdict = check(&Resource::MonitoringJob(job)).unwrap();
        (verdict.status.as_str(), verdict.message)
    }

    #[test]
    fn only_distributed_definitions_need_encryption() {
        let (s, why) = status(Fact::Known(1), Fact::Known(false));
        assert_eq!(s, "pass");
        assert!(why.contains("one instance"), "{why}");
        let (s, why) = status(Fact::Known(3), Fact::Known(false));
        assert_eq!(s, "fail");
        assert!(
            why.starts_with("DataQualityJobDefinition dq runs") && why.contains("3 instances"),
            "{why}"
        );
        assert_eq!(status(Fact::Known(3), Fact::Known(true)).0, "pass");
    }

    #[test]
    fn an_unread_count_is_unknown_unless_encryption_is_on() {
        assert_eq!(status(Fact::unknown("x"), Fact::Known(false)).0, "unknown");
        assert_eq!(status(Fact::unknown("x"), Fact::Known(true)).0, "pass");
        assert_eq!(status(Fact::Known(2), Fact::unknown("x")).0, "unknown");
    }
}
