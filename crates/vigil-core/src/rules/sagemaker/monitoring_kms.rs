//! `sagemaker-monitoring-kms`: a monitoring job encrypts its storage
//! volumes and the reports it writes with keys of the customer's.

use crate::model::{MonitoringJob, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{volume_and_output_verdict, VolumeAndOutput};

pub static RULE: Rule = Rule {
    id: "sagemaker-monitoring-kms",
    aliases: &[],
    title: "Encrypt SageMaker Model Monitoring Volumes and Reports with Customer-Managed KMS Keys",
    fails_when: "a monitoring job definition, or a schedule's definition, names no customer-managed key for its storage volumes (unless its instances have only instance storage) or for its output",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::MonitoringJob,
    property: MonitoringJob::OUTPUT_KMS_KEY_ID,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &[],
        checkov: &["CKV_AWS_367", "CKV_AWS_368"],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::MonitoringJob(job) = resource else {
        return None;
    };
    let subject = job.described();
    // Paths as this type spells them: definitions say `JobResources` and
    // name their output block after their type.
    let (resources, output) = match job.type_name.strip_suffix("Definition") {
        Some(definition) => (
            "JobResources",
            format!("{}OutputConfig", definition.trim_start_matches("AWS::SageMaker::")),
        ),
        None => ("MonitoringResources", "MonitoringOutputConfig".to_owned()),
    };
    Some(volume_and_output_verdict(&job.identity.keys, VolumeAndOutput {
        subject: &subject,
        subject_lower: &subject,
        instance_types: job.settings.instance_type.clone().map(|t| t.into_iter().collect()),
        volume_key: &job.settings.volume_kms_key_id,
        volume_path: &format!("{resources}.ClusterConfig.VolumeKmsKeyId"),
        output_key: &job.settings.output_kms_key_id,
        output: &format!("the reports it writes to S3 ({output}.KmsKeyId)"),
    }))
}

const ARTICLE: Article = Article {
    what: "\
Checks that every model-monitoring job definition (data quality, model \
quality, model bias, model explainability) and every monitoring schedule's \
definition names a KMS key of your own for both what it encrypts: the ML \
storage volumes of its instances (`ClusterConfig.VolumeKmsKeyId`) and the \
reports it writes to S3 (the output configuration's `KmsKeyId`). The \
finding says which is missing. A schedule that names a separate definition \
is judged on that definition. Instances with only NVMe instance storage \
(the `d` families such as `ml.m5d`, and `ml.g4dn`, `ml.g5` and others) take \
no volume key: AWS encrypts that storage in hardware, so only the output \
key is required of them. Checkov reads the two keys as two checks, on \
data-quality definitions only.",
    why: "\
A monitoring job copies the data an endpoint captured (real inference \
requests and responses) onto its volumes, and writes statistics, \
constraint violations and, for bias and explainability, per-feature \
reports to S3. Without keys of your own both are encrypted with keys AWS \
manages, which you cannot restrict, audit apart or revoke. A report in S3 \
encrypted with your key can only be read by principals your key policy \
allows, even if the bucket policy is too broad.

Risk level Medium: the data is encrypted either way; what is missing is \
control over the key.",
    audit_console: "\
1. Open **Governance > Model monitoring** in the SageMaker console and open \
each job definition.
2. Under the cluster (resources) settings, *Volume KMS key* must name a key \
of yours, unless the instance type has instance storage; under the output \
settings, so must *KMS key*.
3. Repeat in every region.",
    audit_cli: "\
```sh
for d in $(aws sagemaker list-data-quality-job-definitions \\
    --query 'JobDefinitionSummaries[].MonitoringJobDefinitionName' --output text); do
  aws sagemaker describe-data-quality-job-definition --job-definition-name \"$d\" --output text \\
    --query '[JobDefinitionName, JobResources.ClusterConfig.VolumeKmsKeyId, DataQualityJobOutputConfig.KmsKeyId]'
done
```

`None`, or an `alias/aws/…` key, fails. Repeat with `model-quality`, \
`model-bias` and `model-explainability` (their output block is named after \
them); for a schedule with its own definition, read \
`MonitoringScheduleConfig.MonitoringJobDefinition` from \
`aws sagemaker describe-monitoring-schedule`.",
    remediate_console: "\
Job definitions cannot be changed: create a new definition with the same \
settings and both keys set, point the schedule at it (**Edit** schedule), \
then delete the old definition. The monitoring role needs `kms:Encrypt`, \
`kms:Decrypt`, `kms:GenerateDataKey` and `kms:CreateGrant` on the key.",
    remediate_cli: "\
Copy the definition with both keys set, move its schedule, delete the old one:

```sh
KEY=$(aws kms create-key --description \"SageMaker monitoring\" --query KeyMetadata.Arn --output text)
aws sagemaker describe-data-quality-job-definition --job-definition-name fraud-dq \\
  | jq --arg key \"$KEY\" '{RoleArn, DataQualityBaselineConfig, DataQualityAppSpecification, DataQualityJobInput,
         DataQualityJobOutputConfig, JobResources, NetworkConfig, StoppingCondition}
        | with_entries(select(.value != null and .value != {}))
        | .JobDefinitionName = \"fraud-dq-kms\"
        | .JobResources.ClusterConfig.VolumeKmsKeyId = $key
        | .DataQualityJobOutputConfig.KmsKeyId = $key' > fraud-dq-kms.json
aws sagemaker create-data-quality-job-definition --cli-input-json file://fraud-dq-kms.json
aws sagemaker describe-monitoring-schedule --monitoring-schedule-name fraud-hourly \\
  --query MonitoringScheduleConfig | jq '.MonitoringJobDefinitionName = \"fraud-dq-kms\"' > schedule.json
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
    JobResources:
      ClusterConfig:
        InstanceCount: 1
        InstanceType: ml.m5.xlarge
        VolumeSizeInGB: 20
        VolumeKmsKeyId: !Ref MonitorKey
    DataQualityJobOutputConfig:
      KmsKeyId: !Ref MonitorKey
      MonitoringOutputs:
        - S3Output:
            S3Uri: s3://acme-monitor/fraud/
            LocalPath: /opt/ml/processing/output
    # DataQualityAppSpecification, DataQualityJobInput, NetworkConfig …
```

The properties replace the definition, so CloudFormation creates a new \
one. For a schedule with an embedded definition, set \
`MonitoringResources.ClusterConfig.VolumeKmsKeyId` and \
`MonitoringOutputConfig.KmsKeyId` under \
`MonitoringScheduleConfig.MonitoringJobDefinition`.",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_data_quality_job_definition\" \"fraud\" {
  role_arn = aws_iam_role.monitor.arn
  job_resources {
    cluster_config {
      instance_count    = 1
      instance_type     = \"ml.m5.xlarge\"
      volume_size_in_gb = 20
      volume_kms_key_id = aws_kms_key.monitor.arn
    }
  }
  data_quality_job_output_config {
    kms_key_id = aws_kms_key.monitor.arn
    monitoring_outputs {
      s3_output {
        s3_uri = \"s3://acme-monitor/fraud/\"
      }
    }
  }
  # data_quality_app_specification, data_quality_job_input, network_config …
}
```",
    references: &[
        (
            "SageMaker API: MonitoringClusterConfig (VolumeKmsKeyId)",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringClusterConfig.html",
        ),
        (
            "SageMaker API: MonitoringOutputConfig (KmsKeyId)",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringOutputConfig.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::model::{Identity, MonitoringSettings};

    const KEY: &str = "arn:aws:kms:eu-west-1:123456789012:key/k";

    fn verdict(
        type_name: &'static str,
        instance: &str,
        volume: Option<&str>,
        output: Option<&str>,
    ) -> (String, String) {
        let mut settings = MonitoringSettings::unreadable("unused");
        settings.instance_type = Fact::Known(Some(instance.to_owned()));
        settings.volume_kms_key_id = Fact::Known(volume.map(str::to_owned));
        settings.output_kms_key_id = Fact::Known(output.map(str::to_owned));
        let job = MonitoringJob {
            identity: Identity::declared("fraud".into()),
            type_name,
            settings,
        };
        let v = check(&crate::rules::kms::as_customer_keys(Resource::MonitoringJob(job))).unwrap();
        (v.status.as_str().to_owned(), v.message)
    }

    #[test]
    fn the_missing_key_is_named_as_the_type_spells_it() {
        let bias = "AWS::SageMaker::ModelBiasJobDefinition";
        assert_eq!(verdict(bias, "ml.m5.large", Some(KEY), Some(KEY)).0, "pass");
        let (s, why) = verdict(bias, "ml.m5.large", None, Some(KEY));
        assert_eq!(s, "fail");
        assert!(
            why.contains("JobResources.ClusterConfig.VolumeKmsKeyId") && !why.contains("OutputConfig"),
            "{why}"
        );
        let (_, why) = verdict(bias, "ml.m5.large", Some(KEY), Some("alias/aws/s3"));
        assert!(why.contains("ModelBiasJobOutputConfig.KmsKeyId"), "{why}");
        let (_, why) = verdict("AWS::SageMaker::MonitoringSchedule", "ml.m5.large", None, None);
        assert!(
            why.contains("MonitoringResources.ClusterConfig.VolumeKmsKeyId")
                && why.contains("MonitoringOutputConfig.KmsKeyId"),
            "{why}"
        );
    }

    #[test]
    fn instance_storage_takes_no_volume_key() {
        let dq = "AWS::SageMaker::DataQualityJobDefinition";
        let (s, why) = verdict(dq, "ml.m5d.xlarge", None, Some(KEY));
        assert_eq!(s, "pass", "{why}");
        assert!(why.contains("instance storage"), "{why}");
    }

    #[test]
    fn what_could_not_be_read_is_unknown() {
        let job = MonitoringJob {
            identity: Identity::declared("fraud".into()),
            type_name: "AWS::SageMaker::MonitoringSchedule",
            settings: MonitoringSettings::unreadable("AccessDenied"),
        };
        assert_eq!(check(&crate::rules::kms::as_customer_keys(Resource::MonitoringJob(job))).unwrap().status.as_str(), "unknown");
    }
}
