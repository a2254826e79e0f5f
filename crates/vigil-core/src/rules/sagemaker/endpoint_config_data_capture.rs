//! `sagemaker-endpoint-config-data-capture`: an endpoint configuration
//! captures the requests and responses its endpoints serve.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-endpoint-config-data-capture",
    aliases: &[],
    title: "Enable Data Capture for SageMaker Endpoints",
    fails_when: "an endpoint configuration has no `DataCaptureConfig`, or one with `EnableCapture: false`",
    risk: RiskLevel::Low,
    categories: &["Logging"],
    resource_kind: ResourceKind::EndpointConfig,
    property: crate::model::EndpointConfig::DATA_CAPTURE,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &[],
        checkov: &[],
        conformity: &["Enable Data Capture for Endpoints"],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::EndpointConfig(config) = resource else {
        return None;
    };
    let name = &config.identity.name;
    Some(Verdict::on(
        &config.data_capture,
        |on| *on,
        format!("Endpoint configuration {name} captures the requests and responses of its endpoints."),
        format!("Endpoint configuration {name} captures nothing: what its endpoints were asked and answered is not recorded."),
        format!("Data capture of endpoint configuration {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each endpoint configuration sets `DataCaptureConfig` without \
turning it off (`EnableCapture` absent or `true`; AWS enables capture when \
the flag is absent). Capture writes a sample of each endpoint's requests \
and responses (`InitialSamplingPercentage`) to the S3 location you name.",
    why: "\
Without capture there is no record of what a model was asked and what it \
answered: no way to investigate a complaint or an abuse of the endpoint, to \
see inputs drift away from the training data, or to feed SageMaker Model \
Monitor, which reads the captured data. Captured payloads are data like \
any other: encrypt the destination with your own key (`KmsKeyId` of the \
capture configuration) and limit who may read the bucket.

Risk level Low: nothing is exposed by the missing capture, but an incident \
on the endpoint cannot be reconstructed.",
    audit_console: "\
1. Open **Inference > Endpoint configurations** in the SageMaker console.
2. Open each configuration; **Data capture** must be enabled, with a destination.
3. Repeat in every region.",
    audit_cli: "\
```sh
for c in $(aws sagemaker list-endpoint-configs --query 'EndpointConfigs[].EndpointConfigName' --output text); do
  echo \"$c $(aws sagemaker describe-endpoint-config --endpoint-config-name \"$c\" \\
    --query 'DataCaptureConfig.EnableCapture' --output text)\"
done
```

`None` (no capture configured) or `False` fails.",
    remediate_console: "\
An endpoint configuration cannot be changed. Open the endpoint, choose \
**Update endpoint > Change the endpoint configuration > Create a new \
endpoint configuration**, enable **Data capture** with an S3 location, and \
update the endpoint to it (the traffic moves without downtime).",
    remediate_cli: "\
```sh
aws sagemaker describe-endpoint-config --endpoint-config-name fraud-cfg --query ProductionVariants > variants.json
cat > capture.json <<'JSON'
{\"EnableCapture\": true, \"InitialSamplingPercentage\": 20,
 \"DestinationS3Uri\": \"s3://acme-capture/fraud/\",
 \"CaptureOptions\": [{\"CaptureMode\": \"Input\"}, {\"CaptureMode\": \"Output\"}]}
JSON
aws sagemaker create-endpoint-config --endpoint-config-name fraud-cfg-capture \\
  --production-variants file://variants.json --data-capture-config file://capture.json
aws sagemaker update-endpoint --endpoint-name fraud --endpoint-config-name fraud-cfg-capture
```

Copy the old configuration's KMS key and async inference settings to the \
new one too.",
    remediate_cloudformation: "\
```yaml
EndpointConfig:
  Type: AWS::SageMaker::EndpointConfig
  Properties:
    DataCaptureConfig:
      EnableCapture: true
      InitialSamplingPercentage: 20
      DestinationS3Uri: !Sub s3://${CaptureBucket}/fraud/
      CaptureOptions:
        - CaptureMode: Input
        - CaptureMode: Output
    ProductionVariants:
      - VariantName: primary
        ModelName: !GetAtt Model.ModelName
        InstanceType: ml.m5.large
        InitialInstanceCount: 2
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_endpoint_configuration\" \"fraud\" {
  production_variants {
    variant_name           = \"primary\"
    model_name             = aws_sagemaker_model.fraud.name
    instance_type          = \"ml.m5.large\"
    initial_instance_count = 2
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 20
    destination_s3_uri          = \"s3://${aws_s3_bucket.capture.bucket}/fraud/\"
    capture_options {
      capture_mode = \"Input\"
    }
    capture_options {
      capture_mode = \"Output\"
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}
```",
    references: &[
        (
            "SageMaker: capture data from a real-time endpoint",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html",
        ),
        (
            "SageMaker API: DataCaptureConfig",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DataCaptureConfig.html",
        ),
    ],
};
