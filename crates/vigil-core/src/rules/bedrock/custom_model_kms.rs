//! `bedrock-custom-model-kms`: a custom model's weights are encrypted with
//! a KMS key of the customer's.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{key_verdict, Storage};

pub static RULE: Rule = Rule {
    id: "bedrock-custom-model-kms",
    aliases: &[],
    title: "Encrypt Amazon Bedrock Custom Models with a Customer-Managed KMS Key",
    fails_when: "a custom model has no `modelKmsKeyArn` (`custom_model_kms_key_id` in Terraform), or names an AWS managed key",
    risk: RiskLevel::High,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::CustomModel,
    property: crate::model::CustomModel::KMS_KEY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_custom_model_encrypted_with_cmk"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::CustomModel(model) = resource else {
        return None;
    };
    let name = &model.identity.name;
    Some(key_verdict(
        &model.identity.keys,
        &model.kms_key_arn,
        Storage {
            subject: &format!("Custom model {name}"),
            subject_lower: &format!("custom model {name}"),
            held: "its weights",
            held_is: "its weights are",
        },
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock custom model (fine-tuned, distilled or \
further pre-trained) is encrypted with a KMS key of your own \
(`modelKmsKeyArn`, set by the customization job's `customModelKmsKeyId`). \
A model without one, or naming an AWS managed key, fails; a key KMS says \
is disabled or pending deletion fails too.",
    why: "\
A custom model is trained on your data, and its weights can reproduce \
it: customer records, support transcripts, code. Without a key of your \
own the weights are encrypted with a key AWS owns, which you cannot \
restrict with a key policy, audit apart in CloudTrail, or revoke; with \
your key, using or copying the model needs a grant on it, and disabling \
the key stops every use at once.

Risk level High (as Prowler rates it): the model is a derivative of the \
training data, kept as long as the model is.",
    audit_console: "\
1. Open the Amazon Bedrock console and choose **Custom models**.
2. Open each model; under *Model details*, the KMS key must be one of \
yours.
3. Repeat in every region.",
    audit_cli: "\
```sh
for name in $(aws bedrock list-custom-models --query 'modelSummaries[].modelName' --output text); do
  aws bedrock get-custom-model --model-identifier \"$name\" --query '[modelName, modelKmsKeyArn]' --output text
done
```

`None` fails.",
    remediate_console: "\
A model's key cannot be changed. Run its customization job again \
(**Custom models**, the model's job, **Duplicate job**) with a customer \
managed KMS key under *Model encryption*, move what uses the model \
(provisioned throughput, applications) to the new one, then delete the \
old model.",
    remediate_cli: "\
A model's key cannot be changed: train it again with the key, from the \
old job's settings, then delete the old model once nothing uses it:

```sh
KEY=$(aws kms create-key --description \"Bedrock custom models\" --query KeyMetadata.Arn --output text)
job=$(aws bedrock get-custom-model --model-identifier support-model --query jobArn --output text)
aws bedrock get-model-customization-job --job-identifier \"$job\" \\
  | jq --arg key \"$KEY\" '{jobName: (.jobName + \"-cmk\"), customModelName: (.outputModelName + \"-cmk\"), roleArn,
        baseModelIdentifier: .baseModelArn, customizationType, trainingDataConfig, validationDataConfig,
        outputDataConfig, hyperParameters, vpcConfig, customModelKmsKeyId: $key}
      | with_entries(select(.value != null))' > job.json
aws bedrock create-model-customization-job --cli-input-json file://job.json
# once the new model is trained and nothing uses the old one:
# aws bedrock delete-custom-model --model-identifier support-model
```",
    remediate_cloudformation: "\
CloudFormation has no custom model resource; train the model with the CLI \
or Terraform.",
    remediate_terraform: "\
```hcl
resource \"aws_bedrock_custom_model\" \"support\" {
  custom_model_name       = \"support-model\"
  job_name                = \"support-model-tuning\"
  base_model_identifier   = \"amazon.titan-text-express-v1\"
  role_arn                = aws_iam_role.customization.arn
  custom_model_kms_key_id = aws_kms_key.models.arn
  hyperparameters = {
    epochCount = \"2\"
  }
  training_data_config {
    s3_uri = \"s3://acme-training/support.jsonl\"
  }
  output_data_config {
    s3_uri = \"s3://acme-training/output/\"
  }
}
```

Changing the key replaces the model: Terraform runs the job again.",
    references: &[(
        "Amazon Bedrock: encryption of custom models",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-custom-job.html",
    )],
};
