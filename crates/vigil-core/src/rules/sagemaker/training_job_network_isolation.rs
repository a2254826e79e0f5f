//! `sagemaker-training-job-network-isolation`: training containers run with
//! no network access and no AWS credentials.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-training-job-network-isolation",
    aliases: &[],
    title: "Enable Network Isolation for SageMaker Training Jobs",
    fails_when: "a training job ran without `EnableNetworkIsolation`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::TrainingJob,
    property: crate::model::TrainingJob::NETWORK_ISOLATION,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["sagemaker_training_jobs_network_isolation_enabled"],
        checkov: &[],
        conformity: &["Enable Network Isolation for SageMaker Training Jobs"],
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
        &job.network_isolation,
        |isolated| *isolated,
        format!("Training job {name} ran with network isolation."),
        format!("Training job {name} ran without network isolation: its containers could reach the network and held AWS credentials."),
        format!("Network isolation of training job {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker training job has `EnableNetworkIsolation` set to \
`true`, as `DescribeTrainingJob` reports it. A job without the flag fails. \
Every job in the audit window counts, whatever its status: a stopped or failed \
job ran its containers just the same. `vigil audit` looks at jobs created in \
the last 90 days by default (`--since` changes the window).",
    why: "\
Training containers read the full training data set and often third-party \
code (frameworks, pre-trained weights, data loaders). Without isolation they \
can open connections anywhere the network allows and hold the credentials of \
the job's execution role. One malicious or compromised dependency is enough \
to copy the data set out.

With isolation on, the containers have no network and no AWS credentials; \
SageMaker itself still downloads the input data and uploads the model \
artefacts. Jobs that need the network during training (pulling packages, \
calling APIs) must be changed to bake those dependencies into the image.

Risk level Medium: the data at stake is the whole training set, but the \
exposure needs a hostile component inside the container.",
    audit_console: "\
1. Open the SageMaker console and choose **Training > Training jobs**.
2. Open each job; under **Network**, *Enable network isolation* must read **True**.
3. Repeat in every region.",
    audit_cli: "\
```sh
for job in $(aws sagemaker list-training-jobs --creation-time-after 2026-08-28 \\
    --query 'TrainingJobSummaries[].TrainingJobName' --output text); do
  echo \"$job $(aws sagemaker describe-training-job --training-job-name \"$job\" --query EnableNetworkIsolation)\"
done
```

`false` or `null` fails.",
    remediate_console: "\
A finished job cannot be changed; fix how jobs are started. In **Create \
training job**, under **Network**, tick **Enable network isolation**. For jobs \
started from code, change the code (below) and run the next job isolated.",
    remediate_cli: "\
```sh
# reuse the inputs of the last run (here churn-2026-10-01)
aws sagemaker describe-training-job --training-job-name churn-2026-10-01 --query InputDataConfig > inputs.json
aws sagemaker create-training-job --training-job-name churn-2026-11-26 \\
  --enable-network-isolation \\
  --algorithm-specification TrainingImage=123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:4,TrainingInputMode=File \\
  --role-arn arn:aws:iam::123456789012:role/training \\
  --input-data-config file://inputs.json --output-data-config S3OutputPath=s3://acme-models/churn/ \\
  --resource-config InstanceType=ml.m5.xlarge,InstanceCount=1,VolumeSizeInGB=50 \\
  --stopping-condition MaxRuntimeInSeconds=86400
```

With the SageMaker Python SDK: `Estimator(..., enable_network_isolation=True)`.",
    remediate_cloudformation: "\
CloudFormation has no training-job resource; jobs are started by code or \
pipelines. For a SageMaker Pipeline defined in a template \
(`AWS::SageMaker::Pipeline`), set `EnableNetworkIsolation: true` in the \
training step's arguments.",
    remediate_terraform: "\
Terraform has no training-job resource either. In an `aws_sagemaker_pipeline` \
definition, set `\"EnableNetworkIsolation\": true` in each training step's \
`Arguments`.",
    references: &[
        (
            "SageMaker: run training and inference containers in internet-free mode",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html",
        ),
        (
            "SageMaker API: CreateTrainingJob",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTrainingJob.html",
        ),
    ],
};
