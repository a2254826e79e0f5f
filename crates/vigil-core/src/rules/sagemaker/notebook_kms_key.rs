//! `sagemaker-notebook-kms-key`: a notebook instance's storage volume is
//! encrypted with a key the customer manages.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{key_verdict, Storage};

pub static RULE: Rule = Rule {
    id: "sagemaker-notebook-kms-key",
    aliases: &[],
    title: "Encrypt SageMaker Notebook Instance Storage with a Customer-Managed KMS Key",
    fails_when: "a notebook instance has no `KmsKeyId`, or names a key KMS says AWS manages, or one that is disabled or pending deletion",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::NotebookInstance,
    property: crate::model::NotebookInstance::KMS_KEY_ID,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["SageMaker.21"],
        aws_config: &["sagemaker-notebook-instance-kms-key-configured"],
        prowler: &["sagemaker_notebook_instance_encryption_enabled"],
        checkov: &["CKV_AWS_22", "CKV_AWS_187"],
        conformity: &["Notebook Data Encrypted With KMS CMKs"],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::NotebookInstance(notebook) = resource else {
        return None;
    };
    let name = &notebook.identity.name;
    Some(key_verdict(
        &notebook.identity.keys,
        &notebook.kms_key_id,
        Storage {
            subject: &format!("Notebook instance {name}"),
            subject_lower: &format!("notebook instance {name}"),
            held: "its storage volume",
            held_is: "its storage volume is",
        },
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker notebook instance names a KMS key (`KmsKeyId`) of \
your own for its ML storage volume. An instance without one, or one that \
names an AWS managed key by its `alias/aws/…` alias, fails. The key is chosen \
when the instance is created and cannot be changed afterwards.",
    why: "\
The notebook's storage volume holds what data scientists work on: copies of \
training data, features, credentials pasted into notebooks, model artefacts. \
Without a key of your own, SageMaker encrypts it with a key AWS manages: you \
cannot narrow who may use that key, see its use apart from every other \
SageMaker volume in the account, or disable it to cut off access in an \
incident. A customer-managed key gives you all three, and its CloudTrail \
record shows every decrypt.

Risk level Medium: the data is encrypted either way; what is missing is \
control over the key. AWS Security Hub rates SageMaker.21 Medium.",
    audit_console: "\
1. Open **Notebook instances** in the SageMaker console.
2. Open each instance; under **Permissions and encryption**, *Encryption key* must name a key of yours, not **No custom encryption**.
3. Repeat in every region.",
    audit_cli: "\
```sh
aws sagemaker describe-notebook-instance --notebook-instance-name research --query KmsKeyId
```

`null` fails, as does a key named by an `alias/aws/` alias.",
    remediate_console: "\
The key of an existing instance cannot be changed:
1. Create a KMS key (or choose one) whose key policy lets the notebook's execution role use it.
2. Create a new notebook instance with the same settings, choosing that key under **Permissions and encryption**.
3. Copy the work from the old instance (through S3 or a code repository), then stop and delete the old instance.",
    remediate_cli: "\
```sh
KEY=$(aws kms create-key --description \"SageMaker notebooks\" --query KeyMetadata.Arn --output text)
aws sagemaker create-notebook-instance --notebook-instance-name research-v2 \\
  --instance-type ml.t3.medium --role-arn arn:aws:iam::123456789012:role/notebook \\
  --kms-key-id \"$KEY\"
# after copying the work over:
aws sagemaker stop-notebook-instance --notebook-instance-name research
aws sagemaker delete-notebook-instance --notebook-instance-name research
```",
    remediate_cloudformation: "\
Setting `KmsKeyId` replaces the instance: copy its work out first.

```yaml
NotebookKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
    KeyPolicy:
      Version: \"2012-10-17\"
      Statement:
        - Effect: Allow
          Principal: {AWS: !Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"}
          Action: kms:*
          Resource: \"*\"
Notebook:
  Type: AWS::SageMaker::NotebookInstance
  Properties:
    InstanceType: ml.t3.medium
    RoleArn: !GetAtt NotebookRole.Arn
    KmsKeyId: !GetAtt NotebookKey.Arn
```",
    remediate_terraform: "\
Setting `kms_key_id` replaces the instance: copy its work out first.

```hcl
resource \"aws_kms_key\" \"notebook\" {
  description         = \"SageMaker notebooks\"
  enable_key_rotation = true
}

resource \"aws_sagemaker_notebook_instance\" \"research\" {
  name          = \"research\"
  instance_type = \"ml.t3.medium\"
  role_arn      = aws_iam_role.notebook.arn
  kms_key_id    = aws_kms_key.notebook.arn
}
```",
    references: &[
        (
            "SageMaker: data protection with encryption at rest",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html",
        ),
        (
            "AWS Security Hub: SageMaker.21",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html#sagemaker-21",
        ),
        (
            "AWS Config: sagemaker-notebook-instance-kms-key-configured",
            "https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-notebook-instance-kms-key-configured.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::model::{Identity, NotebookInstance};
    use crate::rule::Verdict;

    fn verdict(key: Fact<Option<String>>) -> &'static str {
        let mut notebook = NotebookInstance::unreadable(Identity::declared("nb".into()), "x");
        notebook.kms_key_id = key;
        let verdict: Verdict = check(&crate::rules::kms::as_customer_keys(Resource::NotebookInstance(notebook))).unwrap();
        verdict.status.as_str()
    }

    #[test]
    fn a_key_of_ones_own_passes_and_none_or_an_aws_managed_one_fails() {
        let arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert_eq!(verdict(Fact::Known(Some(arn.into()))), "pass");
        assert_eq!(verdict(Fact::Known(Some("alias/team-notebooks".into()))), "pass");
        assert_eq!(verdict(Fact::Known(None)), "fail");
        assert_eq!(verdict(Fact::Known(Some("alias/aws/sagemaker".into()))), "fail");
        let aws_managed = "arn:aws:kms:eu-west-1:123456789012:alias/aws/sagemaker";
        assert_eq!(verdict(Fact::Known(Some(aws_managed.into()))), "fail");
        assert_eq!(verdict(Fact::unknown("denied")), "unknown");
    }
}
