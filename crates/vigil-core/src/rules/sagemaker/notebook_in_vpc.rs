//! `sagemaker-notebook-in-vpc`: notebook instances live in a subnet of the
//! account's own VPC.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-notebook-in-vpc",
    aliases: &[],
    title: "Launch SageMaker Notebook Instances in a VPC",
    fails_when: "a notebook instance has no `SubnetId`",
    risk: RiskLevel::High,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::NotebookInstance,
    property: crate::model::NotebookInstance::SUBNET_ID,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["SageMaker.2"],
        aws_config: &["sagemaker-notebook-instance-inside-vpc"],
        prowler: &["sagemaker_notebook_instance_vpc_settings_configured"],
        checkov: &["CKV_AWS_306"],
        conformity: &["Notebook Instance In VPC"],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::NotebookInstance(notebook) = resource else {
        return None;
    };
    let name = &notebook.identity.name;
    Some(Verdict::on(
        &notebook.subnet_id,
        Option::is_some,
        format!("Notebook instance {name} runs in a subnet of your VPC."),
        format!("Notebook instance {name} has no SubnetId: it runs only on SageMaker's network, outside your VPC."),
        format!("The subnet of notebook instance {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker notebook instance has a `SubnetId`, so that it has \
a network interface in a VPC you own. An instance without one fails.",
    why: "\
Without a subnet, a notebook instance exists only on SageMaker's network: it \
always has direct internet access, and none of your network controls (security \
groups, network ACLs, VPC endpoints, flow logs, DNS firewall) apply to it. It \
also cannot reach private resources such as databases in your VPC without \
making them public.

In a subnet of your VPC, the instance's traffic follows your routing and \
security groups, which lets you disable direct internet access entirely \
(`sagemaker-notebook-direct-internet-access`).

Risk level High: the instance is outside every network control you have; \
AWS Security Hub rates SageMaker.2 High.",
    audit_console: "\
1. Open **Notebook instances** in the SageMaker console.
2. Open each instance; under **Network**, a VPC, subnet and security groups must be shown.
3. Repeat in every region.",
    audit_cli: "\
```sh
aws sagemaker describe-notebook-instance --notebook-instance-name research --query SubnetId
```

`null` fails. `vigil audit` asks every instance in every enabled region.",
    remediate_console: "\
A notebook instance cannot be moved into a VPC:

1. Save its work (Git, S3) and stop it.
2. Create a replacement and, under **Network**, choose the VPC, a private \
subnet and a security group.
3. Restore the work and delete the old instance.",
    remediate_cli: "\
```sh
aws sagemaker create-notebook-instance \\
  --notebook-instance-name research-2 --instance-type ml.t3.medium \\
  --role-arn arn:aws:iam::123456789012:role/notebook \\
  --subnet-id subnet-0a1b2c3d --security-group-ids sg-0123abcd \\
  --direct-internet-access Disabled
```",
    remediate_cloudformation: "\
Add `SubnetId` and `SecurityGroupIds`; CloudFormation replaces the instance.

```yaml
Notebook:
  Type: AWS::SageMaker::NotebookInstance
  Properties:
    InstanceType: ml.t3.medium
    RoleArn: !GetAtt NotebookRole.Arn
    SubnetId: !Ref PrivateSubnet
    SecurityGroupIds: [!Ref NotebookSecurityGroup]
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_notebook_instance\" \"research\" {
  name            = \"research\"
  instance_type   = \"ml.t3.medium\"
  role_arn        = aws_iam_role.notebook.arn
  subnet_id       = aws_subnet.private.id
  security_groups = [aws_security_group.notebook.id]
}
```",
    references: &[
        (
            "SageMaker: connect a notebook instance in a VPC to external resources",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html",
        ),
        (
            "AWS Security Hub: SageMaker.2",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html#sagemaker-2",
        ),
        (
            "AWS Config: sagemaker-notebook-instance-inside-vpc",
            "https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-notebook-instance-inside-vpc.html",
        ),
    ],
};
