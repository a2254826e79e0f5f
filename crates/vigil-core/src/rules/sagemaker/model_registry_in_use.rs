//! `sagemaker-model-registry-in-use`: a region's models are governed
//! through the model registry: it holds at least one approved version.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{ModelRegistry, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-model-registry-in-use",
    aliases: &[],
    title: "Govern SageMaker Models through the Model Registry",
    fails_when: "a region's model registry has no model package group, or no approved model version",
    risk: RiskLevel::Low,
    categories: &["Governance"],
    resource_kind: ResourceKind::ModelRegistry,
    property: ModelRegistry::PACKAGE_GROUPS,
    remediation: None,
    template_fix: None,
    // Every audited region without a registry would fail, used or not.
    opt_in: true,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["sagemaker_models_registry_in_use"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::ModelRegistry(registry) = resource else {
        return None;
    };
    let region = registry.identity.region.as_deref().unwrap_or("this region");
    let unread = |why: &String| {
        Verdict::unknown(
            why.clone(),
            format!("The model registry in {region} could not be read."),
        )
    };
    Some(match (&registry.has_groups, &registry.has_approved_version) {
        (Fact::Unknown(why), _) => unread(why),
        (Fact::Known(false), _) => Verdict {
            status: Status::Fail,
            message: format!("The model registry in {region} has no model package group: models reach production without a registered, reviewed version."),
        },
        (Fact::Known(true), Fact::Known(true)) => Verdict {
            status: Status::Pass,
            message: format!("The model registry in {region} holds at least one approved model version."),
        },
        (Fact::Known(true), Fact::Known(false)) => Verdict {
            status: Status::Fail,
            message: format!("The model registry in {region} has model package groups but no approved version: nothing has been through approval."),
        },
        (Fact::Known(true), Fact::Unknown(why)) => unread(why),
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks, in each audited region, that the SageMaker Model Registry is in \
use: there is at least one model package group, and at least one model \
version (a versioned model package) in it has the approval status \
`Approved`. The rule is opt-in: it judges regions, not resources, and \
fails every region that has no registry, whether or not the team runs \
models there. Choose it with `--rules sagemaker-model-registry-in-use` (or \
`Governance`) for the regions you deploy models in.",
    why: "\
The registry is where a model version is recorded with its lineage \
(training job, data, metrics), reviewed and approved before deployment. \
Without it, what runs in production is whatever someone deployed: nobody \
can say which data trained it, who approved it, or roll back to the \
version before. Approval status is also what CI/CD pipelines key on to \
deploy only reviewed models.

Risk level Low: a governance practice, not an exposure.",
    audit_console: "\
1. Open **Models > Model registry** in SageMaker Studio.
2. There must be at least one model group, and at least one version in it \
must show **Approved**.
3. Repeat in every region you deploy models in.",
    audit_cli: "\
```sh
aws sagemaker list-model-package-groups --max-results 1 --query 'length(ModelPackageGroupSummaryList)'
aws sagemaker list-model-packages --model-package-type Versioned --model-approval-status Approved \\
  --max-results 1 --query 'length(ModelPackageSummaryList)'
```

A `0` on either line fails.",
    remediate_console: "\
In Studio, **Models > Model registry > Create model group**; register each \
model version from its training pipeline, then review it and set its \
status to **Approved** before deploying it.",
    remediate_cli: "\
```sh
aws sagemaker create-model-package-group --model-package-group-name fraud \\
  --model-package-group-description 'Fraud scoring models'
aws sagemaker create-model-package --model-package-group-name fraud \\
  --model-approval-status PendingManualApproval \\
  --inference-specification '{\"Containers\": [{\"Image\": \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud:4\", \"ModelDataUrl\": \"s3://acme-models/fraud/4/model.tar.gz\"}], \"SupportedContentTypes\": [\"text/csv\"], \"SupportedResponseMIMETypes\": [\"text/csv\"]}'
# after review:
aws sagemaker update-model-package \\
  --model-package-arn arn:aws:sagemaker:eu-west-1:123456789012:model-package/fraud/1 \\
  --model-approval-status Approved
```",
    remediate_cloudformation: "\
```yaml
FraudModels:
  Type: AWS::SageMaker::ModelPackageGroup
  Properties:
    ModelPackageGroupName: fraud
    ModelPackageGroupDescription: Fraud scoring models
```

Register versions (`AWS::SageMaker::ModelPackage`, or from SageMaker \
Pipelines' `RegisterModel` step) and approve them after review.",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_model_package_group\" \"fraud\" {
  model_package_group_name        = \"fraud\"
  model_package_group_description = \"Fraud scoring models\"
}
```

Versions are registered by the training pipeline and approved after \
review.",
    references: &[
        (
            "SageMaker: Model Registry",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry.html",
        ),
        (
            "SageMaker API: ListModelPackages",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListModelPackages.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Identity;

    fn verdict(groups: Fact<bool>, approved: Fact<bool>) -> (&'static str, String) {
        let registry = ModelRegistry {
            identity: Identity::from_arn(
                "model-registry".into(),
                Some(ModelRegistry::arn("eu-west-1", "123456789012")),
            ),
            has_groups: groups,
            has_approved_version: approved,
        };
        let v = check(&Resource::ModelRegistry(registry)).unwrap();
        (v.status.as_str(), v.message)
    }

    #[test]
    fn a_registry_needs_a_group_and_an_approved_version() {
        assert_eq!(verdict(Fact::Known(true), Fact::Known(true)).0, "pass");
        let (s, why) = verdict(Fact::Known(false), Fact::Known(false));
        assert_eq!(s, "fail");
        assert!(why.contains("in eu-west-1 has no model package group"), "{why}");
        let (s, why) = verdict(Fact::Known(true), Fact::Known(false));
        assert_eq!(s, "fail");
        assert!(why.contains("no approved version"), "{why}");
        assert_eq!(verdict(Fact::unknown("denied"), Fact::Known(true)).0, "unknown");
    }
}
