//! `sagemaker-model-private-registry`: every container of a model is pulled
//! from a private registry reached through the model's VPC.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-model-private-registry",
    aliases: &[],
    title: "Pull SageMaker Model Containers from a Private Registry in Your VPC",
    fails_when: "a container of a model (its primary container or any container of an inference pipeline) has no `ImageConfig`, or `RepositoryAccessMode: Platform`",
    risk: RiskLevel::Low,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::SageMakerModel,
    property: crate::model::Container::PRIMARY,
    remediation: None,
    template_fix: None,
    opt_in: true,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["SageMaker.16", "SageMaker.19"],
        aws_config: &[
            "sagemaker-model-private-registry-required",
            "sagemaker-model-multicontainer-private-registry",
        ],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::SageMakerModel(model) = resource else {
        return None;
    };
    let name = &model.identity.name;
    let unknown = |reason: String| {
        Verdict::unknown(
            reason,
            format!("Where the containers of model {name} are pulled from could not be read."),
        )
    };
    let containers = match &model.containers {
        Fact::Known(containers) if !containers.is_empty() => containers,
        Fact::Known(_) => return Some(unknown("the model names no container Vigil can read".into())),
        Fact::Unknown(reason) => return Some(unknown(reason.clone())),
    };
    let mut public = Vec::new();
    for (i, container) in containers.iter().enumerate() {
        match &container.repository_access_mode {
            Fact::Known(Some(mode)) if mode == "Vpc" => {}
            Fact::Known(_) => public.push((i + 1).to_string()),
            Fact::Unknown(reason) => return Some(unknown(reason.clone())),
        }
    }
    Some(if public.is_empty() {
        Verdict {
            status: Status::Pass,
            message: format!("Model {name} pulls every container image from a private registry in its VPC."),
        }
    } else {
        Verdict {
            status: Status::Fail,
            message: format!(
                "Model {name} pulls container {} of {} through SageMaker's platform access (Amazon ECR), not from a private registry in its VPC.",
                public.join(", "),
                containers.len()
            ),
        }
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that every container of a model, its `PrimaryContainer` or each of \
the `Containers` of an inference pipeline, sets \
`ImageConfig.RepositoryAccessMode` to `Vpc`: SageMaker pulls the image from \
a Docker registry reached through the model's VPC. A container without \
`ImageConfig`, or with `Platform`, is pulled by SageMaker itself from Amazon \
ECR, and fails. This is the peers' definition (Security Hub SageMaker.16 for \
the primary container, SageMaker.19 for pipelines): it suits teams whose \
policy is that production images come only from their own registry inside \
the network. Because it fails every model whose images live in ECR, Vigil \
runs it only when chosen: `--rules sagemaker-model-private-registry`, \
`--rules Network` or `--rules SageMaker.16`.",
    why: "\
A registry inside your VPC keeps every image a model runs under the network \
controls you already apply: who can push, which images exist, and that \
nothing is pulled from outside. Images pulled through SageMaker's platform \
access come from ECR repositories that any principal with push rights in \
the account can change, outside those controls.

Risk level Low: an ECR repository with restricted push rights, scanning and \
immutable tags gives much of the same assurance.",
    audit_console: "\
1. Open **Inference > Models** in the SageMaker console and open a model.
2. Under **Container definition**, *Repository access mode* must read **Vpc** for every container.
3. Repeat in every region.",
    audit_cli: "\
```sh
for model in $(aws sagemaker list-models --query 'Models[].ModelName' --output text); do
  echo \"$model $(aws sagemaker describe-model --model-name \"$model\" \\
    --query '{primary: PrimaryContainer.ImageConfig.RepositoryAccessMode, pipeline: Containers[].ImageConfig.RepositoryAccessMode}' \\
    --output text)\"
done
```

The first column is the primary container's mode, then each pipeline \
container's; `None` (no `ImageConfig`) or `Platform` for any container \
of the model fails.",
    remediate_console: "\
Models cannot be changed. Push the image to your registry in the VPC, then \
**Create model** with the same role, VPC settings and tags, choose *Use a \
private registry in your VPC* for each container, and move the endpoints \
to a configuration that names the new model.",
    remediate_cli: "\
```sh
aws sagemaker describe-model --model-name fraud-a > old.json
aws sagemaker create-model \\
  --model-name fraud-a-private \\
  --execution-role-arn \"$(jq -r .ExecutionRoleArn old.json)\" \\
  --primary-container 'Image=registry.internal.example.com:5000/fraud:1,ImageConfig={RepositoryAccessMode=Vpc}' \\
  --vpc-config file://<(jq .VpcConfig old.json) \\
  --enable-network-isolation
```

The model needs a `VpcConfig` whose subnets reach the registry, and the \
registry a TLS certificate from a public certificate authority.",
    remediate_cloudformation: "\
```yaml
Model:
  Type: AWS::SageMaker::Model
  Properties:
    ExecutionRoleArn: !GetAtt ModelRole.Arn
    EnableNetworkIsolation: true
    PrimaryContainer:
      Image: registry.internal.example.com:5000/fraud:1
      ImageConfig:
        RepositoryAccessMode: Vpc
    VpcConfig:
      SecurityGroupIds: [!Ref ModelSecurityGroup]
      Subnets: !Ref PrivateSubnets
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_model\" \"fraud\" {
  execution_role_arn       = aws_iam_role.model.arn
  enable_network_isolation = true

  primary_container {
    image = \"registry.internal.example.com:5000/fraud:1\"
    image_config {
      repository_access_mode = \"Vpc\"
    }
  }

  vpc_config {
    security_group_ids = [aws_security_group.model.id]
    subnets            = var.private_subnets
  }
}
```",
    references: &[
        (
            "SageMaker: use a private Docker registry for real-time inference containers",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-containers-inference-private.html",
        ),
        (
            "SageMaker API: ImageConfig",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ImageConfig.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Container, Identity, SageMakerModel};

    fn status(modes: Vec<Fact<Option<&str>>>) -> (String, String) {
        let mut model = SageMakerModel::unreadable(Identity::declared("m".into()), "x");
        model.containers = Fact::Known(
            modes
                .into_iter()
                .map(|m| Container {
                    repository_access_mode: m.map(|m| m.map(str::to_owned)),
                    ..Container::default()
                })
                .collect(),
        );
        let v = check(&Resource::SageMakerModel(model)).unwrap();
        (v.status.as_str().to_owned(), v.message)
    }

    #[test]
    fn every_container_must_come_from_the_vpc_registry() {
        assert_eq!(status(vec![Fact::Known(Some("Vpc"))]).0, "pass");
        assert_eq!(status(vec![Fact::Known(None)]).0, "fail");
        let (s, m) = status(vec![
            Fact::Known(Some("Vpc")),
            Fact::Known(Some("Platform")),
            Fact::Known(None),
        ]);
        assert_eq!(s, "fail");
        assert!(m.contains("container 2, 3 of 3"), "{m}");
    }

    #[test]
    fn an_unreadable_mode_or_no_container_is_unknown() {
        assert_eq!(status(vec![Fact::unknown("a parameter")]).0, "unknown");
        assert_eq!(status(vec![]).0, "unknown");
    }
}
