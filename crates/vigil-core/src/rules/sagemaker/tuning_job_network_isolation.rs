//! `sagemaker-tuning-job-network-isolation`: every training job a
//! hyperparameter tuning job launches runs isolated. No peer checks this one.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-tuning-job-network-isolation",
    aliases: &[],
    title: "Enable Network Isolation for SageMaker Hyperparameter Tuning Jobs",
    fails_when: "a tuning job has a training job definition without isolation",
    risk: RiskLevel::Medium,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::TuningJob,
    property: crate::model::IsolatableJob::TUNING_NETWORK_ISOLATION,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs::NONE,
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::TuningJob(job) = resource else {
        return None;
    };
    let name = &job.identity.name;
    Some(Verdict::on(
        &job.network_isolation,
        |isolated| *isolated,
        format!("Tuning job {name} launches only network-isolated training jobs."),
        format!("Tuning job {name} has a training job definition without network isolation."),
        format!("Network isolation of tuning job {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that every training job definition of each hyperparameter tuning job \
(`TrainingJobDefinition`, or each of `TrainingJobDefinitions`) has \
`EnableNetworkIsolation` set to `true`. One definition without it fails the \
tuning job. Jobs of every status created in the audit window count (the last \
90 days unless `--since` says otherwise).",
    why: "\
A tuning job launches tens or hundreds of training jobs from its \
definitions, each reading the training data. The training jobs inherit the \
definition's isolation setting, so one definition without isolation gives \
every job it launches network access and the execution role's credentials. \
Checking the training jobs alone would find the problem only after the \
fact, job by job; checking the tuning job finds its cause.

Risk level Medium, as for training jobs, multiplied by the number of jobs \
launched.",
    audit_console: "\
1. Open **Training > Hyperparameter tuning jobs** in the SageMaker console.
2. Open each job and its training job definition(s); network isolation must be enabled.",
    audit_cli: "\
```sh
aws sagemaker describe-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name hpo-2026-11-26 \\
  --query '[TrainingJobDefinition.EnableNetworkIsolation, TrainingJobDefinitions[].EnableNetworkIsolation]'
```

Any `false` or `null` fails.",
    remediate_console: "\
Tuning jobs cannot be changed once started. Create the next one with network \
isolation enabled in each training job definition.",
    remediate_cli: "\
Set `\"EnableNetworkIsolation\": true` in the `--training-job-definition` (or \
each of `--training-job-definitions`) passed to `aws sagemaker \
create-hyper-parameter-tuning-job`; with the Python SDK, build the tuner from \
an estimator created with `enable_network_isolation=True`.",
    remediate_cloudformation: "\
CloudFormation has no tuning-job resource. In an `AWS::SageMaker::Pipeline` \
definition, set `EnableNetworkIsolation: true` in the tuning step's training \
job definition.",
    remediate_terraform: "\
Terraform has no tuning-job resource. In an `aws_sagemaker_pipeline` \
definition, set it in the tuning step's training job definition.",
    references: &[(
        "SageMaker API: HyperParameterTrainingJobDefinition",
        "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_HyperParameterTrainingJobDefinition.html",
    )],
};
