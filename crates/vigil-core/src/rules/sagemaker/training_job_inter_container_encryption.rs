//! `sagemaker-training-job-inter-container-encryption`: distributed training
//! encrypts what its instances send each other.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-training-job-inter-container-encryption",
    aliases: &[],
    title: "Encrypt Inter-Container Traffic of Distributed SageMaker Training Jobs",
    fails_when: "a training job on more than one instance did not encrypt inter-container traffic",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::TrainingJob,
    property: crate::model::TrainingJob::INTER_CONTAINER_ENCRYPTION,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["sagemaker_training_jobs_intercontainer_encryption_enabled"],
        checkov: &[],
        conformity: &["Enable Inter-Container Traffic Encryption"],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::TrainingJob(job) = resource else {
        return None;
    };
    let name = &job.identity.name;
    // A single instance has no inter-container traffic to protect.
    if job.instance_count == Fact::Known(1) {
        return Some(Verdict {
            status: Status::Pass,
            message: format!("Training job {name} ran on one instance: there was no inter-container traffic."),
        });
    }
    Some(Verdict::on(
        &job.inter_container_encryption,
        |encrypted| *encrypted,
        format!("Training job {name} encrypted the traffic between its instances."),
        format!("Training job {name} ran on several instances without inter-container traffic encryption."),
        format!("The inter-container encryption of training job {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each distributed SageMaker training job (more than one instance in \
total) has `EnableInterContainerTrafficEncryption` set to `true`. Jobs on a \
single instance pass: they send nothing between containers. Jobs of every \
status in the audit window count (the last 90 days unless `--since` says \
otherwise).",
    why: "\
In distributed training, instances exchange gradients, parameters and \
sometimes raw batches of training data. Without inter-container encryption \
that traffic crosses the network in the clear; anyone able to observe it \
(a misconfigured mirror, a compromised host on the path) sees model internals \
and data. With encryption on, SageMaker wraps the traffic between training \
containers in IPsec.

Encryption makes distributed training somewhat slower; for most jobs the cost \
is small next to the exposure.

Risk level Medium: the traffic stays inside AWS's network and the job's VPC, \
but it can carry the training data itself.",
    audit_console: "\
1. Open **Training > Training jobs** in the SageMaker console.
2. For each job with an instance count above 1, *Enable inter-container \
traffic encryption* under **Network** must read **True**.",
    audit_cli: "\
```sh
aws sagemaker describe-training-job --training-job-name dist-2026-11-26 \\
  --query '[ResourceConfig.InstanceCount, EnableInterContainerTrafficEncryption]'
```

A count above 1 with `false` fails.",
    remediate_console: "\
Jobs cannot be changed once started; in **Create training job**, tick \
**Enable inter-container traffic encryption** under **Network** for every \
multi-instance job.",
    remediate_cli: "\
Add `--enable-inter-container-traffic-encryption` to `aws sagemaker \
create-training-job`; with the Python SDK, pass \
`encrypt_inter_container_traffic=True` to the estimator.",
    remediate_cloudformation: "\
CloudFormation has no training-job resource. In an `AWS::SageMaker::Pipeline` \
definition, set `EnableInterContainerTrafficEncryption: true` in each \
distributed training step.",
    remediate_terraform: "\
Terraform has no training-job resource. In an `aws_sagemaker_pipeline` \
definition, set `\"EnableInterContainerTrafficEncryption\": true` in each \
distributed training step.",
    references: &[
        (
            "SageMaker: protect communications between ML compute instances in a distributed training job",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/train-encrypt.html",
        ),
        (
            "SageMaker API: CreateTrainingJob",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTrainingJob.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TrainingJob;

    fn job(instances: u32, encrypted: bool) -> Resource {
        let mut j = TrainingJob::unreadable(crate::Identity::declared("j".into()), "unused");
        j.instance_count = Fact::Known(instances);
        j.inter_container_encryption = Fact::Known(encrypted);
        Resource::TrainingJob(j)
    }

    #[test]
    fn only_distributed_jobs_need_encryption() {
        assert_eq!(check(&job(1, false)).unwrap().status, Status::Pass);
        assert_eq!(check(&job(4, false)).unwrap().status, Status::Fail);
        assert_eq!(check(&job(4, true)).unwrap().status, Status::Pass);
    }
}
