//! `sagemaker-model-network-isolation`: every SageMaker model runs its
//! containers with network isolation. The flagship rule: metadata, article and
//! check in one place.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-model-network-isolation",
    aliases: &[],
    title: "Enable Network Isolation for SageMaker Models",
    fails_when: "a model's `EnableNetworkIsolation` is not `true`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::SageMakerModel,
    property: crate::model::SageMakerModel::NETWORK_ISOLATION,
    remediation: Some("re-creates the model with network isolation on and moves its endpoints"),
    template_fix: Some(crate::rule::FixSafety::Replaces(
        "CloudFormation and Terraform replace the model to change its isolation: endpoint configurations that name it by reference are replaced, and their endpoints updated, in the same deployment",
    )),
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["SageMaker.5"],
        aws_config: &["sagemaker-model-isolation-enabled"],
        prowler: &["sagemaker_models_network_isolation_enabled"],
        checkov: &["CKV_AWS_370"],
        conformity: &["Enable Network Isolation for SageMaker Models"],
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
        &model.network_isolation,
        |isolated| *isolated,
        format!("Model {name} has network isolation enabled."),
        format!("Model {name} does not enable network isolation: its containers can reach the network and receive AWS credentials."),
        format!("Network isolation of model {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Amazon SageMaker model has `EnableNetworkIsolation` set to \
`true`, as `DescribeModel` reports it. SageMaker treats a missing flag as \
`false`, and so does Vigil: a model created without the flag fails.",
    why: "\
A model's containers serve inference on data you send them. Without network \
isolation, code inside those containers (your own, a third party's base image, \
or a compromised dependency) can open connections to anywhere the network \
allows and is handed the temporary AWS credentials of the model's execution \
role, so it can read or write whatever that role permits. That is a direct \
path for inference data or model artefacts to leave the account.

With isolation on, the containers can make no outbound call at all, not even to \
Amazon S3 or other AWS services, and receive no AWS credentials. SageMaker still \
downloads the model artefacts and uploads logs on the container's behalf. \
Isolation is required for models bought on AWS Marketplace and is cheap to \
adopt for any container that does not call out at run time.

Risk level Medium: the flag does not expose a model by itself, but it removes \
the last barrier between a misbehaving container and your data and credentials.",
    audit_console: "\
1. Open the SageMaker console and choose **Inference > Models**.
2. Open each model; under **Network**, *Enable network isolation* must read **True**.
3. Repeat in every region you use (region picker, top right).",
    audit_cli: "\
List the models of a region, then ask each one for its flag; repeat per region:

```sh
for region in $(aws ec2 describe-regions --query 'Regions[].RegionName' --output text); do
  for model in $(aws sagemaker list-models --region \"$region\" --query 'Models[].ModelName' --output text); do
    echo \"$region $model $(aws sagemaker describe-model --region \"$region\" \\
      --model-name \"$model\" --query EnableNetworkIsolation)\"
  done
done
```

`false` or `null` means the model fails. `vigil audit` does the same across \
every enabled region in one command.",
    remediate_console: "\
Models cannot be changed after creation, so create a replacement:

1. Open the failing model and note its IAM role, containers (image, model data, \
environment), VPC subnets and security groups, and tags.
2. Choose **Create model**, give it a new name, and enter the same role, \
containers, VPC settings and tags.
3. Under **Network**, tick **Enable network isolation**, then create the model.
4. For every endpoint serving the old model: copy its endpoint configuration \
with the new model name, then **Update endpoint** to the new configuration.
5. Delete the old model only once no endpoint configuration uses it.

Test the new model first: a container that downloads data, calls an API or \
reads AWS credentials at run time will stop working.",
    remediate_cli: "\
```sh
aws sagemaker describe-model --model-name fraud-a > old.json   # keep the full definition
aws sagemaker list-tags --resource-arn \"$(jq -r .ModelArn old.json)\" --query Tags > tags.json
aws sagemaker create-model \\
  --model-name fraud-a-isolated \\
  --execution-role-arn \"$(jq -r .ExecutionRoleArn old.json)\" \\
  --primary-container file://<(jq .PrimaryContainer old.json) \\
  --vpc-config file://<(jq .VpcConfig old.json) \\
  --tags file://tags.json \\
  --enable-network-isolation
# then, per endpoint configuration that names fraud-a (here fraud-cfg):
aws sagemaker describe-endpoint-config --endpoint-config-name fraud-cfg --query ProductionVariants \\
  | jq 'map(if .ModelName == \"fraud-a\" then .ModelName = \"fraud-a-isolated\" else . end)' > variants.json
aws sagemaker create-endpoint-config --endpoint-config-name fraud-cfg-isolated --production-variants file://variants.json
aws sagemaker update-endpoint --endpoint-name fraud --endpoint-config-name fraud-cfg-isolated
```

Use `--containers` instead of `--primary-container` for multi-container \
models, and drop `--vpc-config` if the old model had none. Copy the old \
configuration's data capture, KMS key and async inference settings to the new \
one too (`describe-endpoint-config` shows them).

Vigil does all of this in one command, plan first:

```sh
vigil remediate sagemaker-model-network-isolation --regions eu-west-1          # the plan; changes nothing
vigil remediate sagemaker-model-network-isolation --models 'fraud-*' --apply --update-endpoints
```

It copies each model field for field from `DescribeModel` (role, containers, \
inference execution mode, VPC configuration, tags, plus a `vigil:replaces` \
tag), copies every endpoint configuration that names it, moves each endpoint \
with `UpdateEndpoint` and waits for `InService`. Models sharing an endpoint \
configuration change together; if any step fails, what was done for them is \
undone (endpoints back on their old configuration, copies deleted). Every step \
is journaled; `vigil remediate --resume` finishes a run that was interrupted. \
Old models and configurations are kept unless `--delete-old` is given, and \
then deleted only once nothing runs on them. Applying needs, on top of the \
read permissions, `sagemaker:CreateModel`, `sagemaker:CreateEndpointConfig`, \
`sagemaker:AddTags` (tags at creation), `sagemaker:UpdateEndpoint`, \
`iam:PassRole` on the models' execution roles, and for `--delete-old` \
`sagemaker:DeleteModel` and `sagemaker:DeleteEndpointConfig`.",
    remediate_cloudformation: "\
Set the property on the model resource. CloudFormation cannot change it in \
place: updating `EnableNetworkIsolation` replaces the model (a new physical \
model is created and the old one deleted), and endpoint configurations that \
reference it are replaced in turn.

```yaml
Model:
  Type: AWS::SageMaker::Model
  Properties:
    ExecutionRoleArn: !GetAtt ModelRole.Arn
    EnableNetworkIsolation: true
    PrimaryContainer:
      Image: !Ref InferenceImage
      ModelDataUrl: !Sub s3://${ArtifactBucket}/model.tar.gz
```",
    remediate_terraform: "\
Set the argument on `aws_sagemaker_model`; Terraform plans a replacement \
(destroy and create), so add `lifecycle { create_before_destroy = true }` to \
keep endpoints serving. The new model is created while the old one still \
exists, so it cannot have the same fixed `name`: leave `name` out and \
Terraform generates a unique one (endpoint configurations that reference \
`aws_sagemaker_model.fraud.name` follow it).

```hcl
resource \"aws_sagemaker_model\" \"fraud\" {
  execution_role_arn       = aws_iam_role.model.arn
  enable_network_isolation = true

  lifecycle {
    create_before_destroy = true
  }

  primary_container {
    image          = var.inference_image
    model_data_url = \"s3://${var.artifact_bucket}/model.tar.gz\"
  }
}
```",
    references: &[
        (
            "SageMaker: run training and inference containers in internet-free mode",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html",
        ),
        (
            "SageMaker API: CreateModel",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModel.html",
        ),
        (
            "AWS Security Hub: SageMaker.5",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html#sagemaker-5",
        ),
        (
            "AWS Config: sagemaker-model-isolation-enabled",
            "https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-model-isolation-enabled.html",
        ),
        (
            "CloudFormation: AWS::SageMaker::Model",
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-model.html",
        ),
        (
            "Terraform: aws_sagemaker_model",
            "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sagemaker_model",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::finding::Status;
    use crate::model::SageMakerModel;

    fn model(isolation: Fact<bool>) -> Resource {
        let mut m = SageMakerModel::unreadable(crate::Identity::declared("fraud-a".into()), "unused");
        m.network_isolation = isolation;
        Resource::SageMakerModel(m)
    }

    #[test]
    fn isolated_model_passes() {
        assert_eq!(check(&model(Fact::Known(true))).unwrap().status, Status::Pass);
    }

    #[test]
    fn non_isolated_model_fails() {
        assert_eq!(check(&model(Fact::Known(false))).unwrap().status, Status::Fail);
    }

    #[test]
    fn unreadable_flag_is_unknown_with_its_reason() {
        let verdict = check(&model(Fact::unknown("access denied"))).unwrap();
        assert_eq!(
            verdict.status,
            Status::Unknown {
                reason: "access denied".into()
            }
        );
    }
}
