//! `bedrock-custom-model-vpc`: a Bedrock custom model was trained by a
//! customization job that ran in the customer's VPC.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "bedrock-custom-model-vpc",
    aliases: &[],
    title: "Train Amazon Bedrock Custom Models in a VPC",
    fails_when: "the customization job that made a Bedrock custom model had no `vpcConfig`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::CustomModel,
    property: crate::model::CustomModel::VPC_CONFIG,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::CustomizationJob,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &[],
        checkov: &[],
        conformity: &["Bedrock-014"],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::CustomModel(model) = resource else {
        return None;
    };
    let name = &model.identity.name;
    Some(Verdict::on(
        &model.job_vpc,
        Option::is_some,
        format!("Custom model {name} was trained by a customization job in a VPC."),
        format!("Custom model {name} was trained by a customization job with no vpcConfig: it read its training data over Bedrock's network, outside your VPC's controls."),
        format!("Whether the customization job of custom model {name} ran in a VPC could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each Bedrock custom model was made by a model customization \
job with a `vpcConfig` (subnets and security groups): live, through the \
job `GetCustomModel` names (`jobArn`); in Terraform, on the \
`aws_bedrock_custom_model` resource, which is the job. A job that is gone \
or cannot be read is unknown.",
    why: "\
A customization job reads your training data, often the most sensitive \
data you own (support transcripts, contracts, code), and writes the \
model's outputs and metrics. Without a VPC it reaches S3 over Bedrock's \
own network: your VPC endpoint policies (for example one that allows \
only your buckets), security groups and flow logs do not apply, and \
nothing you control records where the data went. In your VPC, an S3 \
gateway endpoint policy can keep the job to your buckets.

Risk level Medium: the job still needs a misconfiguration or a hostile \
component to misuse the network, but nothing of yours would stop or \
record it.",
    audit_console: "\
1. Open the Amazon Bedrock console, **Custom models**, and choose each \
model.
2. Open its *Job*; under *VPC settings*, a VPC, subnets and security \
groups must be shown.",
    audit_cli: "\
```sh
for job in $(aws bedrock list-custom-models --query 'modelSummaries[].modelName' --output text \\
    | xargs -n1 -I{} aws bedrock get-custom-model --model-identifier {} --query jobArn --output text); do
  aws bedrock get-model-customization-job --job-identifier \"$job\" --query '[jobName, vpcConfig.subnetIds]' --output text
done
```

A job whose subnets are `None` fails.",
    remediate_console: "\
Jobs cannot be changed once started. Create the next customization job \
with *VPC settings*: a VPC, private subnets with an S3 gateway endpoint, \
and a security group; the job's service role needs the EC2 network \
interface permissions the references list. Then move what uses the old \
model to the new one and delete the old model.",
    remediate_cli: "\
A job cannot be changed: train the model again with `--vpc-config`, \
then, once the new job has completed and what used the old model uses \
the new one, delete the old model.

```sh
aws bedrock create-model-customization-job --job-name support-tuning-vpc \\
  --custom-model-name support-model-vpc --role-arn arn:aws:iam::123456789012:role/customization \\
  --base-model-identifier amazon.titan-text-express-v1 --hyper-parameters epochCount=2 \\
  --training-data-config s3Uri=s3://acme-training/support.jsonl \\
  --output-data-config s3Uri=s3://acme-training/output/ \\
  --vpc-config subnetIds=subnet-0a1b2c3d,securityGroupIds=sg-0123abcd
aws bedrock delete-custom-model --model-identifier support-model
```",
    remediate_cloudformation: "\
CloudFormation has no type for custom models or customization jobs; \
create them with the CLI or Terraform.",
    remediate_terraform: "\
```hcl
resource \"aws_bedrock_custom_model\" \"support\" {
  custom_model_name     = \"support-model\"
  job_name              = \"support-tuning\"
  base_model_identifier = \"amazon.titan-text-express-v1\"
  role_arn              = aws_iam_role.customization.arn
  training_data_config {
    s3_uri = \"s3://acme-training/support.jsonl\"
  }
  output_data_config {
    s3_uri = \"s3://acme-training/output/\"
  }
  vpc_config {
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.customization.id]
  }
}
```",
    references: &[(
        "Amazon Bedrock: protect model customization jobs using a VPC",
        "https://docs.aws.amazon.com/bedrock/latest/userguide/custom-model-job-access-security.html",
    )],
};
