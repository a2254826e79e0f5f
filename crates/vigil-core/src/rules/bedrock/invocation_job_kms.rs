//! `bedrock-invocation-job-kms`: a batch inference job writes its output to
//! S3 under a KMS key of the customer's.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{key_verdict, Storage};

pub static RULE: Rule = Rule {
    id: "bedrock-invocation-job-kms",
    aliases: &[],
    title: "Encrypt Amazon Bedrock Batch Inference Output with a Customer-Managed KMS Key",
    fails_when: "a batch inference job's `outputDataConfig.s3OutputDataConfig` has no `s3EncryptionKeyId`, or names an AWS managed key",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::InvocationJob,
    property: crate::model::InvocationJob::OUTPUT_KMS_KEY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_model_invocation_job_output_encrypted_with_cmk"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::InvocationJob(job) = resource else {
        return None;
    };
    let name = &job.identity.name;
    Some(key_verdict(
        &job.identity.keys,
        &job.output_kms_key,
        Storage {
            subject: &format!("Batch inference job {name}"),
            subject_lower: &format!("batch inference job {name}"),
            held: "the model's answers it writes to S3",
            held_is: "the model's answers it writes to S3 are",
        },
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon Bedrock batch inference job (model invocation \
job) submitted in the audit window names a KMS key of your own for its \
output (`outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId`). A job \
without one, or naming an AWS managed key, fails; a key KMS says is \
disabled or pending deletion fails too. Every job in the window counts, \
whatever its status; the window is the last 90 days unless `--since` \
says otherwise. No CloudFormation or Terraform type starts a batch job: \
this rule judges audits.",
    why: "\
A batch job runs a model over thousands of prompts at once (documents to \
summarise, tickets to classify) and writes every answer to S3, next to \
the prompts it read. Without a key of its own the output takes whatever \
the bucket does by default, which the job does not control and which is \
usually a key AWS manages: you cannot limit who decrypts the answers \
with a key policy, or audit their reads apart in CloudTrail.

Risk level Medium: the output is encrypted either way; what is missing \
is your control over it.",
    audit_console: "\
1. Open the Amazon Bedrock console and choose **Batch inference**.
2. Open each job; under *Output data*, the KMS key must be one of yours.
3. Repeat in every region.",
    audit_cli: "\
```sh
aws bedrock list-model-invocation-jobs \\
  --query 'invocationJobSummaries[].[jobName, outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId]' --output text
```

`None` fails.",
    remediate_console: "\
A job cannot be changed once submitted. Submit the next one with a \
customer managed KMS key under *Output data* > *Encryption*, and let the \
job's service role use the key (`kms:GenerateDataKey`, `kms:Decrypt`).",
    remediate_cli: "\
Name the key in the output configuration of the next job:

```sh
KEY=$(aws kms create-key --description \"Bedrock batch output\" --query KeyMetadata.Arn --output text)
aws bedrock create-model-invocation-job --job-name nightly-summaries-keyed \\
  --role-arn arn:aws:iam::123456789012:role/batch-inference \\
  --model-id anthropic.claude-3-5-sonnet-20240620-v1:0 \\
  --input-data-config 's3InputDataConfig={s3Uri=s3://acme-batch/input/}' \\
  --output-data-config \"s3OutputDataConfig={s3Uri=s3://acme-batch/output/,s3EncryptionKeyId=$KEY}\" >/dev/null
```

A job already submitted keeps failing until it leaves the audit window.",
    remediate_cloudformation: "\
CloudFormation has no type for batch inference jobs; submit them with \
the CLI or an SDK, naming the key.",
    remediate_terraform: "\
Terraform has no resource for batch inference jobs; submit them with the \
CLI or an SDK, naming the key.",
    references: &[(
        "Amazon Bedrock: protect batch inference jobs (encryption of output data)",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/batch-inference-data.html",
    )],
};
