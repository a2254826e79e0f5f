//! `bedrock-imported-model-kms`: a model imported into Bedrock is encrypted
//! with a KMS key of the customer's.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{key_verdict, Storage};

pub static RULE: Rule = Rule {
    id: "bedrock-imported-model-kms",
    aliases: &[],
    title: "Encrypt Amazon Bedrock Imported Models with a Customer-Managed KMS Key",
    fails_when: "an imported model has no `modelKmsKeyArn`, or names an AWS managed key",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::ImportedModel,
    property: crate::model::ImportedModel::KMS_KEY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_imported_model_encrypted_with_cmk"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::ImportedModel(model) = resource else {
        return None;
    };
    let name = &model.identity.name;
    Some(key_verdict(
        &model.identity.keys,
        &model.kms_key_arn,
        Storage {
            subject: &format!("Imported model {name}"),
            subject_lower: &format!("imported model {name}"),
            held: "its weights",
            held_is: "its weights are",
        },
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each model imported into Amazon Bedrock (Custom Model \
Import: an open-weight model such as Llama or Mistral, often fine-tuned \
elsewhere on your data) is encrypted with a KMS key of your own \
(`modelKmsKeyArn`, set by the import job's `importedModelKmsKeyId`). A \
model without one, or naming an AWS managed key, fails; a key KMS says is \
disabled or pending deletion fails too. No CloudFormation or Terraform \
type imports a model: this rule judges audits.",
    why: "\
Imported weights are usually the result of your own fine-tuning, and can \
reproduce what they were trained on. Without a key of your own, Bedrock \
encrypts them with a key AWS owns: you cannot limit who may use the model \
through a key policy, see its use apart in CloudTrail, or make it \
unusable at once by disabling the key.

Risk level Medium: the weights are encrypted either way; what is missing \
is your control over them.",
    audit_console: "\
1. Open the Amazon Bedrock console and choose **Imported models**.
2. Open each model; under *Model details*, the KMS key must be one of \
yours.
3. Repeat in every region.",
    audit_cli: "\
```sh
for id in $(aws bedrock list-imported-models --query 'modelSummaries[].modelName' --output text); do
  aws bedrock get-imported-model --model-identifier \"$id\" --query '[modelName, modelKmsKeyArn]' --output text
done
```

`None` fails.",
    remediate_console: "\
A model's key cannot be changed. Import the model again (**Imported \
models**, **Import model**) with a customer managed KMS key under *Model \
encryption*, move what uses the model to the new one, then delete the \
old one.",
    remediate_cli: "\
Import again under a key of yours, then, once the new import job has \
completed and nothing uses the old model, delete it:

```sh
KEY=$(aws kms create-key --description \"Bedrock imported models\" --query KeyMetadata.Arn --output text)
aws bedrock create-model-import-job --job-name support-llama-import-keyed \\
  --imported-model-name support-llama-keyed --role-arn arn:aws:iam::123456789012:role/model-import \\
  --model-data-source 's3DataSource={s3Uri=s3://acme-models/support-llama/}' \\
  --imported-model-kms-key-id \"$KEY\" >/dev/null
aws bedrock delete-imported-model --model-identifier support-llama
```",
    remediate_cloudformation: "\
CloudFormation has no type for imported models; import them with the \
CLI or an SDK.",
    remediate_terraform: "\
Terraform has no resource for imported models; import them with the CLI \
or an SDK.",
    references: &[(
        "Amazon Bedrock: encryption of imported custom models",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-import-model.html",
    )],
};
