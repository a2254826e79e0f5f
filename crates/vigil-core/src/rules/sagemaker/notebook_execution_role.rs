//! `sagemaker-notebook-execution-role-exists`: the IAM role a notebook
//! instance runs as still exists. Only an audit can tell.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, Rule, Verdict};
use crate::rules::sagemaker::roles::{RoleRule, role_verdict};

pub static RULE: Rule = RoleRule {
    id: "sagemaker-notebook-execution-role-exists",
    title: "Keep the Execution Role of Every SageMaker Notebook Instance",
    fails_when: "the IAM role a notebook instance names as its `RoleArn` no longer exists",
    risk: RiskLevel::Medium,
    resource_kind: ResourceKind::NotebookInstance,
    article: ARTICLE,
    check,
}
.rule();

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::NotebookInstance(notebook) = resource else {
        return None;
    };
    let subject = format!("Notebook instance {}", notebook.identity.name);
    Some(role_verdict(&subject, &notebook.role_arn, &notebook.role_exists))
}

const ARTICLE: Article = Article {
    what: "\
Checks that the IAM role each notebook instance names as its `RoleArn` \
still exists (one `iam:GetRole` per distinct role, shared with the model \
rule). Only the account can tell: templates are not judged by this rule; \
`vigil watch` looks the role of the instance an event names up. A role in another account than the \
instance's is not this account's to read, so the verdict is unknown.",
    why: "\
The notebook's code, and every training or processing job started from it \
with its role, runs with that role's credentials. With the role deleted, \
the instance fails to start again after a stop, and its users lose their \
work environment; a role created again later under the same name, by \
anyone allowed to create roles, is trusted by the notebook, and its \
permissions become the notebook users'.

Risk level Medium: nothing is exposed while the role is gone, but the \
instance cannot start and its identity is up for grabs.",
    audit_console: "\
1. Open **Notebook > Notebook instances** in the SageMaker console and, for \
each instance, note its IAM role ARN under **Permissions and encryption**.
2. Open the role in the IAM console: *NoSuchEntity* fails.",
    audit_cli: "\
```sh
for n in $(aws sagemaker list-notebook-instances --query 'NotebookInstances[].NotebookInstanceName' --output text); do
  role=$(aws sagemaker describe-notebook-instance --notebook-instance-name \"$n\" --query RoleArn --output text)
  aws iam get-role --role-name \"${role##*/}\" > /dev/null 2>&1 || echo \"$n $role missing\"
done
```",
    remediate_console: "\
Create the role again with a trust policy for `sagemaker.amazonaws.com` and \
what the notebook's users need, or stop the instance and point it at an \
existing role (**Edit**, *IAM role*), then start it.",
    remediate_cli: "\
Point the stopped instance at an existing role:

```sh
aws sagemaker stop-notebook-instance --notebook-instance-name research
aws sagemaker wait notebook-instance-stopped --notebook-instance-name research
aws sagemaker update-notebook-instance --notebook-instance-name research \\
  --role-arn arn:aws:iam::123456789012:role/notebook-research
aws sagemaker start-notebook-instance --notebook-instance-name research
```",
    remediate_cloudformation: "\
Declare the role in the same stack and reference it, so it cannot be \
deleted while the instance stands:

```yaml
Research:
  Type: AWS::SageMaker::NotebookInstance
  Properties:
    InstanceType: ml.t3.medium
    RoleArn: !GetAtt NotebookRole.Arn
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_notebook_instance\" \"research\" {
  name          = \"research\"
  instance_type = \"ml.t3.medium\"
  role_arn      = aws_iam_role.notebook.arn
}
```",
    references: &[
        (
            "SageMaker: how to use SageMaker execution roles",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html",
        ),
        (
            "IAM API: GetRole",
            "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::model::{Identity, NotebookInstance};

    #[test]
    fn a_missing_role_fails() {
        let mut notebook = NotebookInstance::unreadable(Identity::declared("research".into()), "unused");
        notebook.role_arn = Fact::Known(Some("arn:aws:iam::123456789012:role/gone".into()));
        notebook.role_exists = Fact::Known(false);
        let verdict = check(&Resource::NotebookInstance(notebook)).unwrap();
        assert_eq!(verdict.status.as_str(), "fail");
        assert!(
            verdict.message.starts_with("Notebook instance research runs as"),
            "{}",
            verdict.message
        );
    }
}
