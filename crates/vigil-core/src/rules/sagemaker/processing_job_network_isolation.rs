//! `sagemaker-processing-job-network-isolation`: processing containers run
//! with no network access. No peer checks this one.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-processing-job-network-isolation",
    aliases: &[],
    title: "Enable Network Isolation for SageMaker Processing Jobs",
    fails_when: "a processing job's `NetworkConfig.EnableNetworkIsolation` is not true",
    risk: RiskLevel::Medium,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::ProcessingJob,
    property: crate::model::IsolatableJob::NETWORK_ISOLATION,
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
    let Resource::ProcessingJob(job) = resource else {
        return None;
    };
    let name = &job.identity.name;
    Some(Verdict::on(
        &job.network_isolation,
        |isolated| *isolated,
        format!("Processing job {name} ran with network isolation."),
        format!("Processing job {name} ran without network isolation: its containers could reach the network."),
        format!("Network isolation of processing job {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker processing job has \
`NetworkConfig.EnableNetworkIsolation` set to `true`, as \
`DescribeProcessingJob` reports it. A job without it fails. Jobs of every \
status created in the audit window count (the last 90 days unless `--since` \
says otherwise): a stopped or failed job ran its containers too.",
    why: "\
Processing jobs do feature engineering, data validation and model \
evaluation: they read raw data, often the most sensitive copy there is, and \
run scripts that pull in many libraries. Without isolation, the container can \
send that data anywhere the network allows. With isolation, SageMaker still \
moves the inputs and outputs between S3 and the container, but the container \
itself can open no connection.

None of the usual peers (Prowler, AWS Config, Security Hub, Checkov) checks \
processing jobs, which is why they are easy to overlook.

Risk level Medium, as for training jobs: the data set is at stake, but a \
hostile component inside the container is needed to misuse the network.",
    audit_console: "\
1. Open the SageMaker console and choose **Processing > Processing jobs**.
2. Open each job; under **Network**, network isolation must be enabled.",
    audit_cli: "\
```sh
aws sagemaker describe-processing-job --processing-job-name features-2026-11-26 \\
  --query NetworkConfig.EnableNetworkIsolation
```

`false` or `null` fails.",
    remediate_console: "\
Jobs cannot be changed once started. Start the next run with network \
isolation on (and the dependencies baked into the image).",
    remediate_cli: "\
Pass `--network-config EnableNetworkIsolation=true` to `aws sagemaker \
create-processing-job`; with the SageMaker Python SDK, \
`Processor(..., network_config=NetworkConfig(enable_network_isolation=True))`.",
    remediate_cloudformation: "\
CloudFormation has no processing-job resource. In an `AWS::SageMaker::Pipeline` \
definition, set `NetworkConfig: {EnableNetworkIsolation: true}` in each \
processing step.",
    remediate_terraform: "\
Terraform has no processing-job resource. In an `aws_sagemaker_pipeline` \
definition, set the same `NetworkConfig` in each processing step.",
    references: &[(
        "SageMaker API: NetworkConfig",
        "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_NetworkConfig.html",
    )],
};
