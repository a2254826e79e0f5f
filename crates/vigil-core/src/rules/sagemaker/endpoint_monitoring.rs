//! `sagemaker-endpoint-monitoring`: every endpoint is watched by at least
//! one model-monitoring schedule.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-endpoint-monitoring",
    aliases: &[],
    title: "Monitor SageMaker Endpoints with Model Monitor Schedules",
    fails_when: "no monitoring schedule (data quality, model quality, bias or explainability) names the endpoint",
    risk: RiskLevel::Low,
    categories: &["Logging"],
    resource_kind: ResourceKind::Endpoint,
    property: crate::model::Endpoint::MONITORING,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["sagemaker_models_monitor_enabled"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::Endpoint(endpoint) = resource else {
        return None;
    };
    let name = &endpoint.identity.name;
    let schedules = endpoint.monitoring_schedules.known().map(|s| s.join(", "));
    Some(Verdict::on(
        &endpoint.monitoring_schedules,
        |schedules| !schedules.is_empty(),
        format!("Endpoint {name} is monitored by {}.", schedules.unwrap_or_default()),
        format!("Endpoint {name} has no monitoring schedule: drift in its inputs, predictions or bias goes unseen."),
        format!("The monitoring schedules of endpoint {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each endpoint is named by at least one SageMaker Model Monitor \
schedule: data quality, model quality, bias drift or feature attribution \
drift, as `ListMonitoringSchedules --endpoint-name` reports them. Endpoints \
are judged live only: in a template, the schedule that watches an endpoint \
is a resource of its own.",
    why: "\
A model's inputs change after deployment: new customers, a changed upstream \
system, an attack that feeds it crafted data. Without monitoring, the first \
sign is a business metric going wrong weeks later. A schedule compares what \
the endpoint receives and answers (from its data capture) with a baseline, \
every hour or day, and raises violations and CloudWatch metrics you can \
alarm on.

Risk level Low: nothing is exposed, but degradation and abuse go unseen.",
    audit_console: "\
1. Open **Inference > Endpoints** in the SageMaker console and open an endpoint.
2. Under **Monitoring schedules**, at least one schedule must be listed.
3. Repeat in every region.",
    audit_cli: "\
```sh
for e in $(aws sagemaker list-endpoints --query 'Endpoints[].EndpointName' --output text); do
  echo \"$e $(aws sagemaker list-monitoring-schedules --endpoint-name \"$e\" \\
    --query 'length(MonitoringScheduleSummaries)')\"
done
```

`0` fails.",
    remediate_console: "\
Enable data capture on the endpoint's configuration first (see \
`sagemaker-endpoint-config-data-capture`), then open the endpoint, choose \
**Monitoring > Create monitoring schedule**, pick *Data quality*, point it \
at a baseline computed from the training data, and choose a schedule.",
    remediate_cli: "\
```sh
aws sagemaker create-data-quality-job-definition --job-definition-name fraud-dq \\
  --role-arn arn:aws:iam::123456789012:role/monitor \\
  --data-quality-app-specification ImageUri=468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer \\
  --data-quality-job-input '{\"EndpointInput\": {\"EndpointName\": \"fraud\", \"LocalPath\": \"/opt/ml/processing/input\"}}' \\
  --data-quality-job-output-config '{\"MonitoringOutputs\": [{\"S3Output\": {\"S3Uri\": \"s3://acme-monitor/fraud/\", \"LocalPath\": \"/opt/ml/processing/output\"}}]}' \\
  --job-resources '{\"ClusterConfig\": {\"InstanceCount\": 1, \"InstanceType\": \"ml.m5.large\", \"VolumeSizeInGB\": 20}}' \\
  --network-config EnableNetworkIsolation=true
aws sagemaker create-monitoring-schedule --monitoring-schedule-name fraud-dq \\
  --monitoring-schedule-config '{\"MonitoringJobDefinitionName\": \"fraud-dq\", \"MonitoringType\": \"DataQuality\", \"ScheduleConfig\": {\"ScheduleExpression\": \"cron(0 * ? * * *)\"}}'
```

Add `--data-quality-baseline-config` with the constraints and statistics a \
baselining job computed from your training data, or the job only reports \
statistics. The analyzer image's account differs per region (see the \
reference below).",
    remediate_cloudformation: "\
```yaml
DataQuality:
  Type: AWS::SageMaker::DataQualityJobDefinition
  Properties:
    RoleArn: !GetAtt MonitorRole.Arn
    DataQualityAppSpecification:
      ImageUri: !Ref AnalyzerImage
    DataQualityJobInput:
      EndpointInput:
        EndpointName: !GetAtt Endpoint.EndpointName
        LocalPath: /opt/ml/processing/input
    DataQualityJobOutputConfig:
      MonitoringOutputs:
        - S3Output:
            S3Uri: !Sub s3://${MonitorBucket}/fraud/
            LocalPath: /opt/ml/processing/output
    JobResources:
      ClusterConfig: {InstanceCount: 1, InstanceType: ml.m5.large, VolumeSizeInGB: 20}
    NetworkConfig:
      EnableNetworkIsolation: true
Schedule:
  Type: AWS::SageMaker::MonitoringSchedule
  Properties:
    MonitoringScheduleName: fraud-dq
    MonitoringScheduleConfig:
      MonitoringJobDefinitionName: !GetAtt DataQuality.JobDefinitionName
      MonitoringType: DataQuality
      ScheduleConfig:
        ScheduleExpression: cron(0 * ? * * *)
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_data_quality_job_definition\" \"fraud\" {
  role_arn = aws_iam_role.monitor.arn
  data_quality_app_specification {
    image_uri = var.analyzer_image
  }
  data_quality_job_input {
    endpoint_input {
      endpoint_name = aws_sagemaker_endpoint.fraud.name
    }
  }
  data_quality_job_output_config {
    monitoring_outputs {
      s3_output {
        s3_uri = \"s3://${aws_s3_bucket.monitor.bucket}/fraud/\"
      }
    }
  }
  job_resources {
    cluster_config {
      instance_count    = 1
      instance_type     = \"ml.m5.large\"
      volume_size_in_gb = 20
    }
  }
  network_config {
    enable_network_isolation = true
  }
}

resource \"aws_sagemaker_monitoring_schedule\" \"fraud\" {
  monitoring_schedule_config {
    monitoring_job_definition_name = aws_sagemaker_data_quality_job_definition.fraud.name
    monitoring_type                = \"DataQuality\"
    schedule_config {
      schedule_expression = \"cron(0 * ? * * *)\"
    }
  }
}
```",
    references: &[
        (
            "SageMaker Model Monitor",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor.html",
        ),
        (
            "SageMaker Model Monitor: prebuilt container image URIs per region",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-pre-built-container.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::model::{Endpoint, Identity};

    fn status(schedules: Fact<Vec<String>>) -> String {
        let endpoint = Endpoint {
            identity: Identity::declared("fraud".into()),
            monitoring_schedules: schedules,
        };
        check(&Resource::Endpoint(endpoint)).unwrap().status.as_str().to_owned()
    }

    #[test]
    fn an_endpoint_needs_one_schedule_and_unread_is_unknown() {
        assert_eq!(status(Fact::Known(vec!["fraud-dq".into()])), "pass");
        assert_eq!(status(Fact::Known(vec![])), "fail");
        assert_eq!(status(Fact::unknown("AccessDeniedException")), "unknown");
    }
}
