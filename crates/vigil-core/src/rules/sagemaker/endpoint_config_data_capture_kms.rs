//! `sagemaker-endpoint-config-data-capture-kms`: what an endpoint captures
//! of its requests and responses is encrypted with the customer's own key.
//! The capture's key is a setting, read by path on every source.

use crate::rules::kms::{key_verdict, Storage};
use crate::fact::Fact;
use crate::model::{Property, Resource, ResourceKind, Setting, Value};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

const CAPTURE_KEY: Setting = Setting {
    property: Property {
        cloudformation: "DataCaptureConfig.KmsKeyId",
        terraform: "data_capture_config.kms_key_id",
    },
    api: "DataCaptureConfig.KmsKeyId",
    // A key chosen at deployment (a reference, a parameter) is still a key.
    presence: true,
    whole: false,
};

pub static RULE: Rule = Rule {
    id: "sagemaker-endpoint-config-data-capture-kms",
    aliases: &[],
    title: "Encrypt SageMaker Endpoint Data Capture with a Customer-Managed Key",
    fails_when: "an endpoint configuration captures data without a customer-managed `DataCaptureConfig.KmsKeyId`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::EndpointConfig,
    property: CAPTURE_KEY.property,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: Some(&CAPTURE_KEY),
    xrefs: CrossRefs::NONE,
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::EndpointConfig(config) = resource else {
        return None;
    };
    let name = &config.identity.name;
    let key = match config.identity.settings.get(&CAPTURE_KEY) {
        Fact::Known(Value::Absent) => Fact::Known(None),
        Fact::Known(Value::Text(key)) => Fact::Known(Some(key)),
        Fact::Known(other) => Fact::Unknown(format!("DataCaptureConfig.KmsKeyId is {other:?}, not a key id")),
        Fact::Unknown(reason) => Fact::Unknown(reason),
    };
    Some(match &config.data_capture {
        Fact::Known(false) => Verdict {
            status: crate::finding::Status::Pass,
            message: format!("Endpoint configuration {name} captures no data, so there is nothing to encrypt."),
        },
        Fact::Unknown(reason) => Verdict::unknown(
            reason.clone(),
            format!("Whether endpoint configuration {name} captures data could not be read."),
        ),
        Fact::Known(true) => key_verdict(
            &config.identity.keys,
            &key,
            Storage {
                subject: &format!("The data capture of endpoint configuration {name}"),
                subject_lower: &format!("the data capture of endpoint configuration {name}"),
                held: "what it captures",
                held_is: "what it captures is",
            },
        ),
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that each endpoint configuration that captures data \
(`DataCaptureConfig`, capture on) names a customer-managed KMS key in \
`DataCaptureConfig.KmsKeyId`. Without one, SageMaker encrypts the captured \
requests and responses with the AWS managed key for S3 of the role's \
account; an `alias/aws/…` key fails too. A configuration that captures \
nothing passes.",
    why: "\
Captured payloads are the inputs and outputs of a production model: \
customer records, documents, predictions about people. They land in S3 \
next to each other for months, where Model Monitor and analysts read them. \
With an AWS managed key, anyone the bucket lets in can read them: the key \
policy cannot be narrowed, its use cannot be audited apart, and it cannot \
be disabled to cut access in an incident.

With your own key, reading the capture needs both the bucket and the key, \
so the people who may see production traffic are the ones you granted the \
key to, and CloudTrail records each decryption.

Risk level Medium: the data is already encrypted; the gap is who controls \
the key.",
    audit_console: "\
1. Open **Endpoint configurations** in the SageMaker console and choose one.
2. Under **Data capture**, if capture is on, *Encryption key* must name one of your keys.
3. Repeat for every configuration, in every region.",
    audit_cli: "\
```sh
aws sagemaker describe-endpoint-config --endpoint-config-name fraud-v1 \\
  --query 'DataCaptureConfig.[EnableCapture, KmsKeyId]' --output text
```

`True` with `None` (or an `alias/aws/` key) fails.",
    remediate_console: "\
An endpoint configuration cannot be changed. Create a copy with **Clone**, \
choose your key under **Data capture**, then open the endpoint and \
**Change** its configuration to the copy; SageMaker moves the traffic \
without downtime.",
    remediate_cli: "\
Create a configuration with the key, then point the endpoint at it with \
`aws sagemaker update-endpoint --endpoint-name fraud --endpoint-config-name fraud-v2`.

```sh
KEY=$(aws kms create-key --description \"SageMaker data capture\" --query KeyMetadata.Arn --output text)
cat > capture.json <<EOF
{\"EnableCapture\": true, \"InitialSamplingPercentage\": 20,
 \"DestinationS3Uri\": \"s3://acme-capture/fraud/\", \"KmsKeyId\": \"$KEY\",
 \"CaptureOptions\": [{\"CaptureMode\": \"Input\"}, {\"CaptureMode\": \"Output\"}]}
EOF
aws sagemaker create-endpoint-config --endpoint-config-name fraud-v2 \\
  --production-variants VariantName=primary,ModelName=fraud,InstanceType=ml.m5.large,InitialInstanceCount=2 \\
  --data-capture-config file://capture.json
```",
    remediate_cloudformation: "\
Changing the key replaces the configuration, and the endpoint moves to the new one.

```yaml
FraudConfig:
  Type: AWS::SageMaker::EndpointConfig
  Properties:
    ProductionVariants:
      - VariantName: primary
        ModelName: !GetAtt Fraud.ModelName
        InstanceType: ml.m5.large
        InitialInstanceCount: 2
    DataCaptureConfig:
      EnableCapture: true
      InitialSamplingPercentage: 20
      DestinationS3Uri: s3://acme-capture/fraud/
      KmsKeyId: !GetAtt CaptureKey.Arn
      CaptureOptions:
        - CaptureMode: Input
        - CaptureMode: Output
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
    destination_s3_uri          = \"s3://acme-capture/fraud/\"
    kms_key_id                  = aws_kms_key.capture.arn
    capture_options {
      capture_mode = \"Input\"
    }
    capture_options {
      capture_mode = \"Output\"
    }
  }
}
```",
    references: &[
        (
            "SageMaker API: DataCaptureConfig",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DataCaptureConfig.html",
        ),
        (
            "SageMaker: capture data from a real-time endpoint",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::model::{EndpointConfig, Identity, Settings};

    fn judged(capture: Fact<bool>, key: Fact<Value>) -> Status {
        let mut config = EndpointConfig::unreadable(Identity::declared("fraud".into()), "not read");
        config.data_capture = capture;
        config.identity.settings = Settings::default();
        config.identity.settings.insert(&CAPTURE_KEY, key);
        check(&crate::rules::kms::as_customer_keys(Resource::EndpointConfig(config))).unwrap().status
    }

    #[test]
    fn a_capture_needs_a_customer_key_and_no_capture_needs_none() {
        let text = |key: &str| Fact::Known(Value::Text(key.into()));
        assert_eq!(judged(Fact::Known(true), text("arn:aws:kms:eu-west-1:1:key/k")), Status::Pass);
        assert_eq!(judged(Fact::Known(true), text("alias/aws/s3")), Status::Fail);
        assert_eq!(judged(Fact::Known(true), Fact::Known(Value::Absent)), Status::Fail);
        assert_eq!(judged(Fact::Known(false), Fact::Known(Value::Absent)), Status::Pass);
        assert!(matches!(judged(Fact::Known(true), Fact::Known(Value::Block)), Status::Unknown { .. }));
        assert!(matches!(judged(Fact::unknown("x"), text("k")), Status::Unknown { reason } if reason == "x"));
    }
}
