//! `sagemaker-training-job-kms`: a training job encrypts both its storage
//! volumes and the model artefacts it writes with keys of the customer's.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{volume_and_output_verdict, VolumeAndOutput};

pub static RULE: Rule = Rule {
    id: "sagemaker-training-job-kms",
    aliases: &[],
    title: "Encrypt SageMaker Training Job Volumes and Output with Customer-Managed KMS Keys",
    fails_when: "a training job has no `ResourceConfig.VolumeKmsKeyId` (unless its instances have only instance storage) or no `OutputDataConfig.KmsKeyId`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::TrainingJob,
    property: crate::model::TrainingJob::VOLUME_KMS_KEY_ID,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["sagemaker_training_jobs_volume_and_output_encryption_enabled"],
        checkov: &[],
        conformity: &["Output and Storage Volume Data Encrypted With KMS CMKs"],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::TrainingJob(job) = resource else {
        return None;
    };
    let name = &job.identity.name;
    Some(volume_and_output_verdict(&job.identity.keys, VolumeAndOutput {
        subject: &format!("Training job {name}"),
        subject_lower: &format!("training job {name}"),
        instance_types: job.instance_types.clone(),
        volume_key: &job.volume_kms_key_id,
        volume_path: "ResourceConfig.VolumeKmsKeyId",
        output_key: &job.output_kms_key_id,
        output: "the model artefacts it writes to S3 (OutputDataConfig.KmsKeyId)",
    }))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each training job names a KMS key of your own for both what it \
encrypts: its ML storage volumes (`ResourceConfig.VolumeKmsKeyId`) and the \
model artefacts it writes to S3 (`OutputDataConfig.KmsKeyId`). The finding \
says which is missing. Jobs whose instances have only NVMe instance storage \
(the `d` families such as `ml.m5d`, and `ml.g4dn`, `ml.g5`, `ml.p4d`, \
`ml.p5`, `ml.trn1` and others) take no volume key: AWS encrypts that storage \
in hardware, so only the output key is required of them. Peers read one of \
the two: Prowler the volume key, Steampipe the output key.",
    why: "\
A training job's volumes hold the training data it copied in, checkpoints \
and intermediate results; its output is the model itself. Without keys of \
your own both are encrypted with keys AWS manages, which you cannot restrict, \
audit apart or revoke. A model artefact in S3 encrypted with your key can \
only be read by principals your key policy allows, even if the bucket policy \
is too broad.

Risk level Medium: the data is encrypted either way; what is missing is \
control over the key.",
    audit_console: "\
1. Open **Training jobs** in the SageMaker console and open a job.
2. Under **Resource configuration**, *Volume KMS key* must name a key of yours (unless the instance type has instance storage); under **Output data configuration**, so must *KMS key*.
3. Repeat in every region.",
    audit_cli: "\
```sh
aws sagemaker describe-training-job --training-job-name churn-2026-11-01 \\
  --query '{volume: ResourceConfig.VolumeKmsKeyId, output: OutputDataConfig.KmsKeyId, type: ResourceConfig.InstanceType}'
```

A `null` key fails (the volume key only for instance types with EBS storage).",
    remediate_console: "\
A training job cannot be changed once created: start the next run with \
both keys set (**Create training job**, then *Resource configuration* → \
*Encryption key*, and *Output data configuration* → *Encryption key*), and \
make the pipeline or notebook that starts jobs set them every time.",
    remediate_cli: "\
```sh
KEY=$(aws kms create-key --description \"SageMaker training\" --query KeyMetadata.Arn --output text)
aws sagemaker create-training-job --training-job-name churn-2026-11-02 \\
  --role-arn arn:aws:iam::123456789012:role/training \\
  --algorithm-specification TrainingImage=123456789012.dkr.ecr.eu-west-1.amazonaws.com/train:1,TrainingInputMode=File \\
  --resource-config InstanceType=ml.m5.xlarge,InstanceCount=1,VolumeSizeInGB=50,VolumeKmsKeyId=$KEY \\
  --output-data-config S3OutputPath=s3://models/churn/,KmsKeyId=$KEY \\
  --stopping-condition MaxRuntimeInSeconds=3600
```

With the SageMaker Python SDK: `Estimator(..., volume_kms_key=KEY, output_kms_key=KEY)`.",
    remediate_cloudformation: "\
Training jobs are not CloudFormation resources. Set both keys where jobs are \
started: in a SageMaker Pipelines `TrainingStep`, a Step Functions \
`sagemaker:createTrainingJob` task (`ResourceConfig.VolumeKmsKeyId` and \
`OutputDataConfig.KmsKeyId` in its parameters), or the code that calls \
`CreateTrainingJob`.",
    remediate_terraform: "\
Training jobs are not Terraform resources either. Create the key with \
Terraform and pass its ARN to whatever starts the jobs:

```hcl
resource \"aws_kms_key\" \"training\" {
  description         = \"SageMaker training volumes and output\"
  enable_key_rotation = true
}

output \"training_kms_key_arn\" {
  value = aws_kms_key.training.arn
}
```",
    references: &[
        (
            "SageMaker: protect data at rest using encryption",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html",
        ),
        (
            "SageMaker API: ResourceConfig (VolumeKmsKeyId and instance storage)",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::model::{Identity, TrainingJob};

    fn status(types: &[&str], volume: Option<&str>, output: Option<&str>) -> (String, String) {
        let mut job = TrainingJob::unreadable(Identity::declared("j".into()), "x");
        job.instance_types = Fact::Known(types.iter().map(|t| t.to_string()).collect());
        job.volume_kms_key_id = Fact::Known(volume.map(str::to_owned));
        job.output_kms_key_id = Fact::Known(output.map(str::to_owned));
        let v = check(&crate::rules::kms::as_customer_keys(Resource::TrainingJob(job))).unwrap();
        (v.status.as_str().to_owned(), v.message)
    }

    #[test]
    fn both_keys_are_needed_and_the_missing_one_is_named() {
        let key = Some("arn:aws:kms:eu-west-1:123456789012:key/k");
        assert_eq!(status(&["ml.m5.xlarge"], key, key).0, "pass");
        let (s, why) = status(&["ml.m5.xlarge"], None, key);
        assert_eq!(s, "fail");
        assert!(
            why.contains("VolumeKmsKeyId") && !why.contains("OutputDataConfig"),
            "{why}"
        );
        let (s, why) = status(&["ml.m5.xlarge"], key, Some("alias/aws/s3"));
        assert_eq!(s, "fail");
        assert!(
            why.contains("OutputDataConfig") && !why.contains("VolumeKmsKeyId"),
            "{why}"
        );
        let (_, why) = status(&["ml.m5.xlarge"], None, None);
        assert!(
            why.contains("VolumeKmsKeyId") && why.contains("OutputDataConfig"),
            "{why}"
        );
    }

    #[test]
    fn instance_storage_takes_no_volume_key() {
        let key = Some("arn:aws:kms:eu-west-1:123456789012:key/k");
        let (s, why) = status(&["ml.p4d.24xlarge"], None, key);
        assert_eq!(s, "pass", "{why}");
        assert!(why.contains("instance storage"), "{why}");
        // One group on EBS storage needs the volume key again.
        assert_eq!(status(&["ml.g5.2xlarge", "ml.m5.xlarge"], None, key).0, "fail");
    }

    #[test]
    fn what_could_not_be_read_is_unknown() {
        let job = TrainingJob::unreadable(Identity::declared("j".into()), "AccessDenied");
        let v = check(&crate::rules::kms::as_customer_keys(Resource::TrainingJob(job))).unwrap();
        assert_eq!(v.status.as_str(), "unknown");
    }
}
