//! `sagemaker-inference-experiment-kms`: a shadow-mode inference experiment
//! encrypts its instances' storage and the traffic it captures with keys
//! the customer manages.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{InferenceExperiment, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{instance_storage_only, judge_key, lacking};

pub static RULE: Rule = Rule {
    id: "sagemaker-inference-experiment-kms",
    aliases: &[],
    title: "Encrypt SageMaker Inference Experiment Storage and Captured Data with Customer-Managed KMS Keys",
    fails_when: "an inference experiment has no customer-managed `KmsKey` (unless its instances have only instance storage), or stores captured data (`DataStorageConfig`) without a customer-managed `KmsKey`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::InferenceExperiment,
    property: InferenceExperiment::KMS_KEY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["SageMaker.23", "SageMaker.24"],
        aws_config: &[],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::InferenceExperiment(experiment) = resource else {
        return None;
    };
    let name = &experiment.identity.name;
    let keys = &experiment.identity.keys;
    let mut missing = Vec::new();
    let mut unread = None;
    let mut notes = Vec::new();
    let volume_exempt = matches!(&experiment.instance_types,
        Fact::Known(types) if !types.is_empty() && types.iter().all(|t| instance_storage_only(t)));
    let volume = match &experiment.kms_key_id {
        Fact::Known(key) => judge_key(keys, key.as_deref()),
        Fact::Unknown(why) => Fact::Unknown(why.clone()),
    };
    let judged = [
        ("the storage volumes of its instances (KmsKey)", volume, volume_exempt),
        (
            "the requests and responses it captures to S3 (DataStorageConfig.KmsKey)",
            match &experiment.data_storage {
                Fact::Known(Some(store)) => judge_key(keys, store.kms_key_id.as_deref()),
                Fact::Known(None) => Fact::Known(Ok(None)),
                Fact::Unknown(why) => Fact::Unknown(why.clone()),
            },
            false,
        ),
    ];
    for (what, key, exempt) in judged {
        match key {
            Fact::Known(Ok(note)) => notes.extend(note),
            _ if exempt => {}
            Fact::Known(Err(fault)) => match &experiment.instance_types {
                Fact::Unknown(why) if what.ends_with("(KmsKey)") => unread = unread.or(Some(why.clone())),
                _ => missing.push(lacking(what, &fault)),
            },
            Fact::Unknown(why) => unread = unread.or(Some(why)),
        }
    }
    Some(match (missing.is_empty(), unread) {
        (false, _) => Verdict {
            status: Status::Fail,
            message: format!(
                "Inference experiment {name} has no customer-managed KMS key for {}.",
                missing.join(" nor for ")
            ),
        },
        (true, Some(why)) => Verdict::unknown(why, format!("The keys of inference experiment {name} could not be read.")),
        (true, None) => Verdict {
            status: Status::Pass,
            message: std::iter::once(format!("Inference experiment {name} encrypts its storage and what it captures with customer-managed keys (or needs no key where its instances have only instance storage)."))
                .chain(notes)
                .collect::<Vec<_>>()
                .join(" "),
        },
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker inference experiment (a shadow test that mirrors \
production traffic to a candidate model) names a KMS key of your own for \
both what it encrypts: the storage volumes of the instances that host its \
variants (`KmsKey`), and, when it captures traffic, the requests and \
responses it writes to S3 (`DataStorageConfig.KmsKey`). The finding says \
which is missing. Variants whose instances have only NVMe instance storage \
take no volume key. Security Hub checks the two as SageMaker.23 and \
SageMaker.24.",
    why: "\
A shadow experiment sends copies of real production requests to the \
shadow variant and can store every request and both variants' responses: \
exactly the data the production endpoint was built to protect. Without keys \
of your own, volumes and captured data are encrypted with keys AWS manages, \
which you cannot restrict, audit apart or revoke.

Risk level Medium: the data is encrypted either way; what is missing is \
control over the key.",
    audit_console: "\
1. Open **Inference > Shadow tests** in the SageMaker console and open each \
test.
2. Its settings must name a KMS key for the instances' storage and, when \
data capture is on, a KMS key for the capture destination.
3. Repeat in every region.",
    audit_cli: "\
```sh
for e in $(aws sagemaker list-inference-experiments --query 'InferenceExperiments[].Name' --output text); do
  aws sagemaker describe-inference-experiment --name \"$e\" --output text \\
    --query '[Name, KmsKey, DataStorageConfig.Destination, DataStorageConfig.KmsKey]'
done
```

A `None` key fails (the data key only when a destination is shown).",
    remediate_console: "\
The keys are set when an experiment is created. Create a new shadow test \
with the same variants and both keys set, then stop and delete the old one.",
    remediate_cli: "\
Copy the experiment with both keys set, then stop and delete the old one:

```sh
KEY=$(aws kms create-key --description \"SageMaker inference experiments\" --query KeyMetadata.Arn --output text)
aws sagemaker describe-inference-experiment --name fraud-shadow \\
  | jq --arg key \"$KEY\" '{Type, Description, RoleArn, EndpointName: .EndpointMetadata.EndpointName,
         ModelVariants: [.ModelVariants[] | {ModelName, VariantName, InfrastructureConfig}],
         DataStorageConfig, ShadowModeConfig}
        | with_entries(select(.value != null))
        | .Name = \"fraud-shadow-kms\" | .KmsKey = $key
        | if .DataStorageConfig then .DataStorageConfig.KmsKey = $key else . end' > fraud-shadow-kms.json
aws sagemaker stop-inference-experiment --name fraud-shadow --model-variant-actions fraud-shadow=Remove,fraud=Retain
aws sagemaker delete-inference-experiment --name fraud-shadow
aws sagemaker create-inference-experiment --cli-input-json file://fraud-shadow-kms.json
```

An endpoint runs one experiment at a time: the old one is stopped (keeping \
the production variant) before the new one starts. The experiment's role \
needs `kms:CreateGrant`, `kms:Decrypt` and `kms:GenerateDataKey` on the key.",
    remediate_cloudformation: "\
```yaml
FraudShadow:
  Type: AWS::SageMaker::InferenceExperiment
  Properties:
    Name: fraud-shadow-kms
    Type: ShadowMode
    RoleArn: !GetAtt ExperimentRole.Arn
    EndpointName: fraud
    KmsKey: !Ref ExperimentKey
    DataStorageConfig:
      Destination: s3://acme-shadow/fraud/
      KmsKey: !Ref ExperimentKey
    ModelVariants:
      - ModelName: fraud-v3
        VariantName: fraud
        InfrastructureConfig:
          InfrastructureType: RealTimeInference
          RealTimeInferenceConfig: { InstanceType: ml.m5.xlarge, InstanceCount: 1 }
      - ModelName: fraud-v4
        VariantName: fraud-shadow
        InfrastructureConfig:
          InfrastructureType: RealTimeInference
          RealTimeInferenceConfig: { InstanceType: ml.m5.xlarge, InstanceCount: 1 }
    ShadowModeConfig:
      SourceModelVariantName: fraud
      ShadowModelVariants:
        - { ShadowModelVariantName: fraud-shadow, SamplingPercentage: 50 }
```",
    remediate_terraform: "\
The AWS provider for Terraform has no inference experiment resource; start \
experiments from CloudFormation, the CLI or the SDK with both keys set.",
    references: &[
        (
            "SageMaker API: CreateInferenceExperiment",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateInferenceExperiment.html",
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
    use crate::model::{Identity, KeyedStore};

    const KEY: &str = "arn:aws:kms:eu-west-1:123456789012:key/k";

    fn verdict(key: Option<&str>, data: Option<Option<&str>>, types: &[&str]) -> (&'static str, String) {
        let experiment = InferenceExperiment {
            identity: Identity::declared("fraud-shadow".into()),
            kms_key_id: Fact::Known(key.map(str::to_owned)),
            data_storage: Fact::Known(data.map(|k| KeyedStore {
                kms_key_id: k.map(str::to_owned),
            })),
            instance_types: Fact::Known(types.iter().map(|t| t.to_string()).collect()),
        };
        let v = check(&crate::rules::kms::as_customer_keys(Resource::InferenceExperiment(experiment))).unwrap();
        (v.status.as_str(), v.message)
    }

    #[test]
    fn both_keys_are_needed_and_the_missing_one_is_named() {
        assert_eq!(verdict(Some(KEY), Some(Some(KEY)), &["ml.m5.xlarge"]).0, "pass");
        assert_eq!(verdict(Some(KEY), None, &["ml.m5.xlarge"]).0, "pass");
        let (s, why) = verdict(None, Some(Some(KEY)), &["ml.m5.xlarge"]);
        assert_eq!(s, "fail");
        assert!(why.contains("(KmsKey)") && !why.contains("DataStorageConfig"), "{why}");
        let (s, why) = verdict(Some(KEY), Some(None), &["ml.m5.xlarge"]);
        assert_eq!(s, "fail");
        assert!(
            why.contains("DataStorageConfig.KmsKey") && !why.contains("(KmsKey)"),
            "{why}"
        );
    }

    #[test]
    fn instance_storage_takes_no_volume_key() {
        assert_eq!(verdict(None, None, &["ml.g5.xlarge", "ml.p4d.24xlarge"]).0, "pass");
        assert_eq!(verdict(None, None, &["ml.g5.xlarge", "ml.m5.xlarge"]).0, "fail");
    }
}
