//! `sagemaker-model-in-vpc`: every SageMaker model sends its containers'
//! traffic through a VPC the account controls. Complements network
//! isolation for containers that must call out.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-model-in-vpc",
    aliases: &[],
    title: "Run SageMaker Models in a VPC",
    fails_when: "a model has no `VpcConfig`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::SageMakerModel,
    property: crate::model::SageMakerModel::VPC_CONFIG,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &["sagemaker-model-in-vpc"],
        prowler: &["sagemaker_models_vpc_settings_configured"],
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
    Some(Verdict::on(
        &model.vpc,
        Option::is_some,
        format!("Model {name} runs its containers in a VPC."),
        format!("Model {name} has no VpcConfig: its containers reach the network through SageMaker's own, outside your VPC's controls."),
        format!("The VPC settings of model {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon SageMaker model has a `VpcConfig` naming at least one \
subnet, as `DescribeModel` reports it. A model without one fails. A `VpcConfig` \
that SageMaker answers with no subnets counts as absent.",
    why: "\
Without a VPC configuration, the containers that serve a model get their \
network from SageMaker's service-managed network, where your security groups, \
network ACLs, VPC endpoints, flow logs and egress firewalls do not apply. \
Whatever the container can reach, you can neither restrict nor observe.

Attaching the model to private subnets puts its traffic under those controls: \
VPC endpoints (gateway or interface) for S3 and other services keep it off the \
internet, security groups limit where it may go, and flow logs record it. For \
containers that need no network at run time, network isolation \
(`sagemaker-model-network-isolation`) is stronger still; the two together are \
the tightest setting.

Risk level Medium: it does not expose the model by itself, but it leaves \
outbound traffic from your containers uncontrolled and unlogged.",
    audit_console: "\
1. Open the SageMaker console and choose **Inference > Models**.
2. Open each model; under **Network**, a VPC, subnets and security groups must be shown.
3. Repeat in every region you use.",
    audit_cli: "\
```sh
for model in $(aws sagemaker list-models --region eu-west-1 --query 'Models[].ModelName' --output text); do
  echo \"$model $(aws sagemaker describe-model --region eu-west-1 --model-name \"$model\" \\
    --query 'VpcConfig.Subnets' --output text)\"
done
```

`None` (or an empty list) means the model fails. `vigil audit` checks every \
enabled region in one pass, sharing the `DescribeModel` calls with the other \
model rules.",
    remediate_console: "\
Models cannot be changed after creation:

1. Open the failing model and note its IAM role, containers, environment and tags.
2. **Create model** with a new name and the same settings; under **Network**, \
choose the VPC, private subnets in at least two Availability Zones, and a \
security group that allows only the traffic the container needs.
3. Give the subnets a route to what the container calls (VPC endpoints for \
S3, ECR and CloudWatch Logs, or a NAT gateway), and give the execution role \
the `ec2:CreateNetworkInterface` family of permissions SageMaker needs.
4. Point each endpoint at a new endpoint configuration using the new model.",
    remediate_cli: "\
```sh
aws sagemaker describe-model --model-name fraud-a > old.json
aws sagemaker create-model \\
  --model-name fraud-a-vpc \\
  --execution-role-arn \"$(jq -r .ExecutionRoleArn old.json)\" \\
  --primary-container file://<(jq .PrimaryContainer old.json) \\
  --vpc-config SecurityGroupIds=sg-0123abcd,Subnets=subnet-0a1b2c3d,subnet-4e5f6a7b \\
  --enable-network-isolation
```

Then create an endpoint configuration that names `fraud-a-vpc` and run \
`aws sagemaker update-endpoint` for each endpoint that served `fraud-a`.",
    remediate_cloudformation: "\
Add `VpcConfig`; CloudFormation replaces the model when it changes.

```yaml
Model:
  Type: AWS::SageMaker::Model
  Properties:
    ExecutionRoleArn: !GetAtt ModelRole.Arn
    EnableNetworkIsolation: true
    VpcConfig:
      Subnets: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
      SecurityGroupIds: [!Ref ModelSecurityGroup]
    PrimaryContainer:
      Image: !Ref InferenceImage
```",
    remediate_terraform: "\
Add a `vpc_config` block; Terraform plans a replacement of the model. Add \
`lifecycle { create_before_destroy = true }` so endpoints keep a model to \
serve, and leave `name` out: the new model is created while the old one \
still exists, so a fixed name would clash.

```hcl
resource \"aws_sagemaker_model\" \"fraud\" {
  execution_role_arn       = aws_iam_role.model.arn
  enable_network_isolation = true

  lifecycle {
    create_before_destroy = true
  }

  vpc_config {
    subnets            = module.vpc.private_subnets
    security_group_ids = [aws_security_group.model.id]
  }

  primary_container {
    image = var.inference_image
  }
}
```",
    references: &[
        (
            "SageMaker: give hosted models access to resources in your VPC",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html",
        ),
        (
            "AWS Config: sagemaker-model-in-vpc",
            "https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-model-in-vpc.html",
        ),
        (
            "SageMaker API: VpcConfig",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_VpcConfig.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::finding::Status;
    use crate::model::{SageMakerModel, VpcConfig};

    fn model(vpc: Fact<Option<VpcConfig>>) -> Resource {
        let mut m = SageMakerModel::unreadable(crate::Identity::declared("fraud-a".into()), "unused");
        m.vpc = vpc;
        Resource::SageMakerModel(m)
    }

    #[test]
    fn a_model_in_a_vpc_passes() {
        let vpc = VpcConfig {
            subnets: vec!["subnet-1".into()],
            security_group_ids: vec![],
        };
        assert_eq!(check(&model(Fact::Known(Some(vpc)))).unwrap().status, Status::Pass);
    }

    #[test]
    fn a_model_without_vpc_fails() {
        assert_eq!(check(&model(Fact::Known(None))).unwrap().status, Status::Fail);
    }

    #[test]
    fn unreadable_vpc_is_unknown() {
        assert!(matches!(
            check(&model(Fact::unknown("denied"))).unwrap().status,
            Status::Unknown { .. }
        ));
    }
}
