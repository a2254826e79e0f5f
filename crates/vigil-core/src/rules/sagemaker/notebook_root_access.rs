//! `sagemaker-notebook-root-access`: users of a notebook instance do not get
//! root on it.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-notebook-root-access",
    aliases: &[],
    title: "Disable Root Access for SageMaker Notebook Instances",
    fails_when: "a notebook instance's `RootAccess` is `Enabled` (the default)",
    risk: RiskLevel::High,
    categories: &["Security", "IAM"],
    resource_kind: ResourceKind::NotebookInstance,
    property: crate::model::NotebookInstance::ROOT_ACCESS,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["SageMaker.3"],
        aws_config: &["sagemaker-notebook-instance-root-access-check"],
        prowler: &["sagemaker_notebook_instance_root_access_disabled"],
        checkov: &["CKV_AWS_307"],
        conformity: &["Disable Root Access for Notebook Instances"],
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
        &notebook.root_access,
        |root| !*root,
        format!("Notebook instance {name} gives its users no root access."),
        format!("Notebook instance {name} gives its users root access: they can change the instance's software, networking and credentials handling."),
        format!("The root access setting of notebook instance {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker notebook instance has `RootAccess` set to \
`Disabled`. SageMaker enables root access when the setting is left out, so an \
instance created without it fails.",
    why: "\
With root access, anyone who can open the notebook can install or replace \
system software, disable local controls, change network settings, and read \
whatever the instance holds, including the temporary credentials of its \
execution role. A single phished console session or malicious package then \
owns the whole machine rather than one user's files.

Without root access, users work as an unprivileged user; lifecycle \
configurations, which run as root, remain the controlled way to customise the \
instance.

Risk level High: root on a machine that holds an IAM role and data is a \
privilege-escalation path; AWS Security Hub rates SageMaker.3 High.",
    audit_console: "\
1. Open **Notebook instances** in the SageMaker console.
2. Open each instance; under **Permissions and encryption**, *Root access* must read **Disabled**.
3. Repeat in every region.",
    audit_cli: "\
```sh
aws sagemaker describe-notebook-instance --notebook-instance-name research --query RootAccess
```

`Enabled` fails.",
    remediate_console: "\
1. Stop the instance.
2. Choose **Edit**, set *Root access* to **Disable**, and save.
3. Move any root-level setup into a lifecycle configuration, then start the instance.",
    remediate_cli: "\
```sh
aws sagemaker stop-notebook-instance --notebook-instance-name research
aws sagemaker update-notebook-instance --notebook-instance-name research --root-access Disabled
aws sagemaker start-notebook-instance --notebook-instance-name research
```",
    remediate_cloudformation: "\
```yaml
Notebook:
  Type: AWS::SageMaker::NotebookInstance
  Properties:
    InstanceType: ml.t3.medium
    RoleArn: !GetAtt NotebookRole.Arn
    RootAccess: Disabled
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_notebook_instance\" \"research\" {
  name          = \"research\"
  instance_type = \"ml.t3.medium\"
  role_arn      = aws_iam_role.notebook.arn
  root_access   = \"Disabled\"
}
```",
    references: &[
        (
            "SageMaker: control root access to a notebook instance",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-root-access.html",
        ),
        (
            "AWS Security Hub: SageMaker.3",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html#sagemaker-3",
        ),
        (
            "AWS Config: sagemaker-notebook-instance-root-access-check",
            "https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-notebook-instance-root-access-check.html",
        ),
    ],
};
