//! `sagemaker-notebook-direct-internet-access`: notebook instances reach the
//! internet only through a VPC the account controls, never directly.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-notebook-direct-internet-access",
    aliases: &[],
    title: "Disable Direct Internet Access for SageMaker Notebook Instances",
    fails_when: "a notebook instance's `DirectInternetAccess` is `Enabled` (the default)",
    risk: RiskLevel::High,
    categories: &["Security", "Network"],
    resource_kind: ResourceKind::NotebookInstance,
    property: crate::model::NotebookInstance::DIRECT_INTERNET_ACCESS,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["SageMaker.1"],
        aws_config: &["sagemaker-notebook-no-direct-internet-access"],
        prowler: &["sagemaker_notebook_instance_without_direct_internet_access_configured"],
        checkov: &["CKV_AWS_122"],
        conformity: &["Disable Direct Internet Access for Notebook Instances"],
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
        &notebook.direct_internet_access,
        |direct| !*direct,
        format!("Notebook instance {name} has direct internet access disabled."),
        format!("Notebook instance {name} has direct internet access: it is reachable from, and can reach, the internet outside your VPC."),
        format!("The internet access setting of notebook instance {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker notebook instance has `DirectInternetAccess` set to \
`Disabled`. SageMaker enables it when the setting is left out, so an instance \
created without it fails.",
    why: "\
A notebook instance is an interactive machine holding an execution role, \
source code, and often samples of training data. With direct internet access \
it gets a network interface in a SageMaker-managed VPC with a route to the \
internet: anything running in the notebook (a pip install, a pasted snippet, \
a compromised kernel extension) can send data out, and nothing in your VPC \
sees or limits it.

Disabling it makes the instance use only the network interface in your own \
subnet, so your security groups, NAT gateway or proxy, VPC endpoints and flow \
logs govern and record every connection.

Risk level High: it is a direct, unmonitored path between a data-bearing \
machine and the internet, and AWS Security Hub rates SageMaker.1 High.",
    audit_console: "\
1. Open the SageMaker console and choose **Applications and IDEs > Notebooks** \
(or **Notebook > Notebook instances**).
2. Open each instance; under **Network**, *Direct internet access* must read **Disabled**.
3. Repeat in every region.",
    audit_cli: "\
```sh
for nb in $(aws sagemaker list-notebook-instances --query 'NotebookInstances[].NotebookInstanceName' --output text); do
  echo \"$nb $(aws sagemaker describe-notebook-instance --notebook-instance-name \"$nb\" \\
    --query DirectInternetAccess --output text)\"
done
```

`Enabled` fails.",
    remediate_console: "\
The setting cannot be changed on an existing instance:

1. Stop the instance and keep what is on its volume (push code to Git, copy \
data to S3).
2. Create a new instance in a private subnet of your VPC with a security \
group, and choose **Disable — Access the internet through a VPC**.
3. Give the subnet what the notebook needs: VPC endpoints for S3, SageMaker \
API and runtime, and a NAT gateway or proxy only if it must reach the internet.
4. Restore the code and data, then delete the old instance.",
    remediate_cli: "\
```sh
aws sagemaker create-notebook-instance \\
  --notebook-instance-name research-2 \\
  --instance-type ml.t3.medium \\
  --role-arn arn:aws:iam::123456789012:role/notebook \\
  --subnet-id subnet-0a1b2c3d --security-group-ids sg-0123abcd \\
  --direct-internet-access Disabled --root-access Disabled
```",
    remediate_cloudformation: "\
`DirectInternetAccess` needs `SubnetId`; changing either replaces the instance.

```yaml
Notebook:
  Type: AWS::SageMaker::NotebookInstance
  Properties:
    InstanceType: ml.t3.medium
    RoleArn: !GetAtt NotebookRole.Arn
    SubnetId: !Ref PrivateSubnet
    SecurityGroupIds: [!Ref NotebookSecurityGroup]
    DirectInternetAccess: Disabled
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_notebook_instance\" \"research\" {
  name                   = \"research\"
  instance_type          = \"ml.t3.medium\"
  role_arn               = aws_iam_role.notebook.arn
  subnet_id              = aws_subnet.private.id
  security_groups        = [aws_security_group.notebook.id]
  direct_internet_access = \"Disabled\"
}
```",
    references: &[
        (
            "SageMaker: connect a notebook instance in a VPC to external resources",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html",
        ),
        (
            "AWS Security Hub: SageMaker.1",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html#sagemaker-1",
        ),
        (
            "AWS Config: sagemaker-notebook-no-direct-internet-access",
            "https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-notebook-no-direct-internet-access.html",
        ),
    ],
};
