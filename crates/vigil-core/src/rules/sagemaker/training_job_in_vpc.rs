//! `sagemaker-training-job-in-vpc`: training jobs run in the account's VPC.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-training-job-in-vpc",
    aliases: &[],
    title: "Run SageMaker Training Jobs in a VPC",
    fails_when: "a training job had no `VpcConfig`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::TrainingJob,
    property: crate::model::TrainingJob::VPC_CONFIG,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["sagemaker_training_jobs_vpc_settings_configured"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::TrainingJob(job) = resource else {
        return None;
    };
    let name = &job.identity.name;
    Some(Verdict::on(
        &job.vpc,
        Option::is_some,
        format!("Training job {name} ran in a VPC."),
        format!("Training job {name} had no VpcConfig: its traffic bypassed your VPC's controls."),
        format!("The VPC settings of training job {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker training job has a `VpcConfig` with at least one \
subnet. Every job in the audit window counts, whatever its status (stopped \
and failed jobs ran too); the window is the last 90 days unless `--since` \
says otherwise.",
    why: "\
A training job without a VPC configuration reaches S3 and anything else over \
SageMaker's own network: your security groups, VPC endpoint policies (for \
example one that allows only your buckets), flow logs and egress controls do \
not apply to it. In your VPC, the job's traffic is governed and recorded, and \
S3 gateway endpoint policies can stop it from writing to buckets outside the \
organisation.

Risk level Medium: the job still needs a hostile component to misuse the \
network, but nothing you control would stop or record it.",
    audit_console: "\
1. Open **Training > Training jobs** in the SageMaker console.
2. Open each job; under **Network**, a VPC, subnets and security groups must be shown.",
    audit_cli: "\
```sh
aws sagemaker describe-training-job --training-job-name churn-2026-11-26 --query VpcConfig
```

`null` fails.",
    remediate_console: "\
Jobs cannot be changed once started; in **Create training job**, choose a VPC, \
private subnets and a security group under **Network**, and give the subnets \
an S3 gateway endpoint (and interface endpoints for CloudWatch Logs and ECR).",
    remediate_cli: "\
Add `--vpc-config SecurityGroupIds=sg-0123abcd,Subnets=subnet-0a1b2c3d,subnet-4e5f6a7b` \
to `aws sagemaker create-training-job`; with the Python SDK, pass `subnets=` \
and `security_group_ids=` to the estimator.",
    remediate_cloudformation: "\
CloudFormation has no training-job resource. In an `AWS::SageMaker::Pipeline` \
definition, give each training step a `VpcConfig`.",
    remediate_terraform: "\
Terraform has no training-job resource. In an `aws_sagemaker_pipeline` \
definition, give each training step a `VpcConfig`.",
    references: &[
        (
            "SageMaker: give training jobs access to resources in your VPC",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/train-vpc.html",
        ),
        (
            "SageMaker API: CreateTrainingJob",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTrainingJob.html",
        ),
    ],
};
