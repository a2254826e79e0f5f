//! `sagemaker-endpoint-config-kms-key`: the ML storage volumes of an
//! endpoint's instances are encrypted with a key the customer manages.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{ProductionVariant, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{instance_storage_only, judge_key, key_verdict, Storage};

pub static RULE: Rule = Rule {
    id: "sagemaker-endpoint-config-kms-key",
    aliases: &[],
    title: "Encrypt SageMaker Endpoint Storage with a Customer-Managed KMS Key",
    fails_when: "an endpoint configuration with instance variants on EBS-backed instance types has no `KmsKeyId`, or names an AWS managed key",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::EndpointConfig,
    property: crate::model::EndpointConfig::KMS_KEY_ID,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &["sagemaker-endpoint-configuration-kms-key-configured"],
        prowler: &["sagemaker_endpoint_config_kms_encryption_enabled"],
        checkov: &["CKV_AWS_98"],
        conformity: &["Endpoints Encrypted With KMS CMKs"],
    },
    article: ARTICLE,
    check,
};

/// Why no key applies to any of the variants, if none does: NVMe instance
/// storage is encrypted in hardware and takes no key. A serverless variant
/// does take one: AWS's serverless guide says the configuration's key
/// encrypts the model's container image copied for the endpoint (and the
/// AWS Config rule is non-compliant without it).
fn no_volume(variants: &[ProductionVariant]) -> Result<Option<String>, String> {
    let mut types = Vec::new();
    for variant in variants {
        if variant.serverless {
            return Ok(None);
        }
        match &variant.instance_type {
            Fact::Known(Some(t)) if instance_storage_only(t) => types.push(t.clone()),
            Fact::Known(_) => return Ok(None),
            Fact::Unknown(reason) => return Err(reason.clone()),
        }
    }
    Ok(Some(format!(
        "its instances ({}) have only NVMe instance storage, which AWS encrypts in hardware and which takes no key",
        types.join(", ")
    )))
}

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::EndpointConfig(config) = resource else {
        return None;
    };
    let name = &config.identity.name;
    let keyed = config
        .kms_key_id
        .known()
        .is_some_and(|key| matches!(judge_key(&config.identity.keys, key.as_deref()), Fact::Known(Ok(_))));
    if !keyed {
        let exempt = match &config.variants {
            Fact::Known(variants) if !variants.is_empty() => no_volume(variants),
            Fact::Known(_) => Ok(None),
            Fact::Unknown(reason) => Err(reason.clone()),
        };
        match exempt {
            Ok(Some(why)) => {
                return Some(Verdict {
                    status: Status::Pass,
                    message: format!("Endpoint configuration {name} needs no storage key: {why}."),
                })
            }
            Err(reason) if config.kms_key_id.known().is_some() => {
                return Some(Verdict::unknown(
                    reason,
                    format!("Endpoint configuration {name} has no key of its own, and whether its instance types take one could not be read."),
                ))
            }
            _ => {}
        }
    }
    Some(key_verdict(
        &config.identity.keys,
        &config.kms_key_id,
        Storage {
            subject: &format!("Endpoint configuration {name}"),
            subject_lower: &format!("endpoint configuration {name}"),
            held: "the storage volumes of its instances",
            held_is: "the storage volumes of its instances are",
        },
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each endpoint configuration names a KMS key of your own \
(`KmsKeyId`) for the ML storage volumes attached to the instances that \
serve its production variants. A missing key, or an AWS managed key \
(`alias/aws/sagemaker`, or any key KMS says AWS manages), fails, as does \
a key that is disabled or pending deletion. Instance types with only NVMe \
instance storage (`ml.m5d`, `ml.g4dn`, `ml.g5`, `ml.p4d` and the other `d` \
families) take no key and pass with the reason said: AWS encrypts them in \
hardware and SageMaker refuses a `KmsKeyId` for them. Serverless variants \
need the key too: AWS's serverless guide says it encrypts the model's \
container image copied for the endpoint, and the AWS Config rule is \
non-compliant without it.",
    why: "\
An endpoint's volumes hold the model artefacts it loaded and whatever its \
container writes to disk while serving: cached inputs, logs, temporary \
files. With a key of your own, only the principals your key policy allows \
can use that data, every use of the key is logged in CloudTrail apart from \
other keys, and disabling the key makes the data unreadable. A key AWS \
manages gives you none of these.

Risk level Medium: the data is encrypted either way; what is missing is \
control over the key.",
    audit_console: "\
1. Open **Inference > Endpoint configurations** in the SageMaker console.
2. Open each configuration; under **Encryption key**, a key of yours must be named.
3. Repeat in every region.",
    audit_cli: "\
```sh
for c in $(aws sagemaker list-endpoint-configs --query 'EndpointConfigs[].EndpointConfigName' --output text); do
  echo \"$c $(aws sagemaker describe-endpoint-config --endpoint-config-name \"$c\" --query KmsKeyId --output text)\"
done
```

`None` fails unless every variant runs on an instance type with NVMe \
instance storage only.",
    remediate_console: "\
An endpoint configuration cannot be changed. Create a copy with **Clone**, \
choose your key under **Encryption key**, then open the endpoint and \
**Change** its configuration to the copy (SageMaker moves the traffic \
without downtime). Delete the old configuration once no endpoint uses it.",
    remediate_cli: "\
```sh
KEY=$(aws kms create-key --description \"SageMaker endpoints\" --query KeyMetadata.Arn --output text)
aws sagemaker describe-endpoint-config --endpoint-config-name fraud-cfg --query ProductionVariants > variants.json
aws sagemaker create-endpoint-config --endpoint-config-name fraud-cfg-kms \\
  --production-variants file://variants.json \\
  --kms-key-id \"$KEY\"
aws sagemaker update-endpoint --endpoint-name fraud --endpoint-config-name fraud-cfg-kms
```

Copy the old configuration's data capture and async inference settings to \
the new one too (`describe-endpoint-config` shows them).",
    remediate_cloudformation: "\
Changing `KmsKeyId` replaces the configuration, and CloudFormation moves the \
endpoint that references it to the new one.

```yaml
EndpointConfig:
  Type: AWS::SageMaker::EndpointConfig
  Properties:
    KmsKeyId: !GetAtt EndpointKey.Arn
    ProductionVariants:
      - VariantName: primary
        ModelName: !GetAtt Model.ModelName
        InstanceType: ml.m5.large
        InitialInstanceCount: 2
```",
    remediate_terraform: "\
Changing `kms_key_arn` replaces the configuration; with no fixed `name` \
and `create_before_destroy`, the endpoint moves to the new one first.

```hcl
resource \"aws_sagemaker_endpoint_configuration\" \"fraud\" {
  kms_key_arn = aws_kms_key.endpoint.arn

  production_variants {
    variant_name           = \"primary\"
    model_name             = aws_sagemaker_model.fraud.name
    instance_type          = \"ml.m5.large\"
    initial_instance_count = 2
  }

  lifecycle {
    create_before_destroy = true
  }
}
```",
    references: &[
        (
            "SageMaker API: CreateEndpointConfig (KmsKeyId and instance storage)",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html",
        ),
        (
            "SageMaker: protect data at rest using encryption",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EndpointConfig, Identity};

    fn variant(instance_type: Option<&str>) -> ProductionVariant {
        ProductionVariant {
            name: "primary".into(),
            serverless: instance_type.is_none(),
            instance_type: Fact::Known(instance_type.map(str::to_owned)),
            initial_instance_count: Fact::Known(instance_type.map(|_| 1)),
        }
    }

    fn status(key: Option<&str>, variants: Vec<ProductionVariant>) -> (String, String) {
        let mut config = EndpointConfig::unreadable(Identity::declared("c".into()), "x");
        config.kms_key_id = Fact::Known(key.map(str::to_owned));
        config.variants = Fact::Known(variants);
        let v = check(&crate::rules::kms::as_customer_keys(Resource::EndpointConfig(config))).unwrap();
        (v.status.as_str().to_owned(), v.message)
    }

    #[test]
    fn a_key_of_ones_own_is_needed_where_a_volume_is() {
        let key = Some("arn:aws:kms:eu-west-1:123456789012:key/k");
        assert_eq!(status(key, vec![variant(Some("ml.m5.large"))]).0, "pass");
        assert_eq!(status(None, vec![variant(Some("ml.m5.large"))]).0, "fail");
        let (s, m) = status(Some("alias/aws/sagemaker"), vec![variant(Some("ml.m5.large"))]);
        assert_eq!(s, "fail");
        assert!(m.contains("AWS managed key"), "{m}");
        // One EBS-backed variant among NVMe ones still needs the key.
        let mixed = vec![variant(Some("ml.g5.xlarge")), variant(Some("ml.m5.large"))];
        assert_eq!(status(None, mixed).0, "fail");
    }

    #[test]
    fn instance_storage_takes_no_key_and_says_so_but_serverless_needs_one() {
        let (s, m) = status(None, vec![variant(Some("ml.g5.xlarge"))]);
        assert_eq!(s, "pass");
        assert!(m.contains("ml.g5.xlarge") && m.contains("NVMe"), "{m}");
        // AWS's serverless guide: the key encrypts the model's image.
        assert_eq!(status(None, vec![variant(None)]).0, "fail");
        assert_eq!(status(None, vec![variant(Some("ml.g5.xlarge")), variant(None)]).0, "fail");
    }

    #[test]
    fn an_unreadable_instance_type_without_a_key_is_unknown() {
        let mut v = variant(Some("ml.m5.large"));
        v.instance_type = Fact::unknown("InstanceType is a parameter without a default");
        assert_eq!(status(None, vec![v]).0, "unknown");
    }
}
