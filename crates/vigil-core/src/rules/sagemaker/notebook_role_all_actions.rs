//! `sagemaker-notebook-role-all-actions`: the role a notebook instance runs
//! as is not granted every action (`"Action": "*"`), live or where the
//! template declares the role.

use crate::finding::Status;
use crate::model::{NotebookInstance, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::role_policies::{granted, Granted};
use crate::rules::sagemaker::roles::all_action_grants;

pub static RULE: Rule = Rule {
    id: "sagemaker-notebook-role-all-actions",
    aliases: &[],
    title: "Do Not Grant Every Action to the Execution Role of SageMaker Notebook Instances",
    fails_when: "a policy of the notebook instance's execution role allows `\"Action\": \"*\"`",
    risk: RiskLevel::High,
    categories: &["Security", "IAM"],
    resource_kind: ResourceKind::NotebookInstance,
    property: NotebookInstance::ROLE_ARN,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::RolePolicies,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::NotebookInstance(notebook) = resource else {
        return None;
    };
    let name = &notebook.identity.name;
    let subject = (format!("notebook instance {name}"), "execution role");
    let grants_of = |policy: &crate::model::RolePolicy| {
        let found = all_action_grants(&policy.document)?;
        Ok(found.into_iter().map(|s| format!("{} ({s})", policy.name)).collect())
    };
    let Granted { role, policies, grants } =
        match granted((&subject.0, subject.1), &notebook.role_arn, &notebook.role_policies, grants_of) {
            Err(unknown) => return Some(unknown),
            Ok(None) => return Some(pass(format!("Notebook instance {name} runs as no role."))),
            Ok(Some(granted)) => granted,
        };
    Some(if grants.is_empty() {
        pass(format!(
            "Notebook instance {name} runs as {role}, none of whose {policies} policies allows every action."
        ))
    } else {
        Verdict {
            status: Status::Fail,
            message: format!(
                "Notebook instance {name} runs as {role}, which is allowed every action by {}: any code run in the notebook can do anything in the account.",
                grants.join(", ")
            ),
        }
    })
}

fn pass(message: String) -> Verdict {
    Verdict {
        status: Status::Pass,
        message,
    }
}

const ARTICLE: Article = Article {
    what: "\
Checks the identity policies of the IAM role each notebook instance runs \
as, inline and attached (the default version of each managed policy): a \
statement that allows `\"Action\": \"*\"` fails, and the finding names the \
policy and the statement. An allowed statement whose actions are not plain \
names (a parameter, an unresolved reference) is `unknown`.

In templates, the role must be declared in the same CloudFormation template \
(`RoleArn: !GetAtt Role.Arn`, or the ARN of a role whose `RoleName` is \
declared) or Terraform module or plan (`role_arn = aws_iam_role.r.arn`): its \
inline policies, `ManagedPolicyArns` / `managed_policy_arns`, and the \
`AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` and `AWS::IAM::RolePolicy` \
resources (Terraform: `aws_iam_role_policy`, `aws_iam_role_policy_attachment`, \
`aws_iam_policy_attachment`, `aws_iam_policy` and `aws_iam_policy_document`) \
that give it policies are read. Of the AWS managed policies, only \
`AdministratorAccess` and `AWSMcpServiceActionsFullAccess` allow every action \
(in moto 5.2.5's snapshot of all 1,582). A role declared elsewhere is \
`unknown`: the live audit reads it.

Live, a role in another account than the instance's is unknown; `vigil \
watch` reads the role of the instance an event names. Permissions boundaries and service \
control policies can narrow what the role may do; they are not read, so a \
grant of every action fails even under a boundary.",
    why: "\
Whoever can open the notebook, and any package or notebook it runs, acts \
with the role's credentials. A role allowed every action turns one \
notebook into an administrator of the account: it can read every bucket \
and secret, create users and keys for persistence, and delete what it \
finds. Data science roles often start broad \"to get going\" and stay that \
way.

Risk level High: a single compromised notebook user or dependency is a \
compromise of the whole account. Checkov's CKV2_AWS_68, though named for \
notebook roles, reads the role's trust policy, not what the role is allowed: \
it does not catch this grant.",
    audit_console: "\
1. Open **Notebook instances** in the SageMaker console and note each instance's IAM role.
2. In the IAM console, open the role's **Permissions** tab, and for each policy choose **JSON**: a statement with `\"Effect\": \"Allow\"` and `\"Action\": \"*\"` fails (the AWS managed `AdministratorAccess` is one).",
    audit_cli: "\
```sh
role=$(aws sagemaker describe-notebook-instance --notebook-instance-name research \\
  --query RoleArn --output text)
role=${role##*/}
for p in $(aws iam list-role-policies --role-name \"$role\" --query PolicyNames --output text); do
  aws iam get-role-policy --role-name \"$role\" --policy-name \"$p\" --query PolicyDocument
done
for arn in $(aws iam list-attached-role-policies --role-name \"$role\" \\
    --query 'AttachedPolicies[].PolicyArn' --output text); do
  version=$(aws iam get-policy --policy-arn \"$arn\" --query Policy.DefaultVersionId --output text)
  aws iam get-policy-version --policy-arn \"$arn\" --version-id \"$version\" --query PolicyVersion.Document
done
```

A statement with `\"Effect\": \"Allow\"` and `\"Action\": \"*\"` fails.",
    remediate_console: "\
1. Find out what the notebook's users actually call: IAM Access Analyzer can generate a policy from the role's CloudTrail activity.
2. Attach that policy (or `AmazonSageMakerFullAccess` plus access to the team's buckets) to the role.
3. Detach or delete the policy that allows every action.",
    remediate_cli: "\
```sh
aws iam put-role-policy --role-name notebook-research --policy-name research-data \\
  --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::research-data\",\"arn:aws:s3:::research-data/*\"]}]}'
aws iam detach-role-policy --role-name notebook-research \\
  --policy-arn arn:aws:iam::123456789012:policy/everything
aws iam delete-role-policy --role-name notebook-research --policy-name admin
```",
    remediate_cloudformation: "\
```yaml
NotebookRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Version: \"2012-10-17\"
      Statement:
        - Effect: Allow
          Principal: {Service: sagemaker.amazonaws.com}
          Action: sts:AssumeRole
    Policies:
      - PolicyName: research-data
        PolicyDocument:
          Version: \"2012-10-17\"
          Statement:
            - Effect: Allow
              Action: [s3:GetObject, s3:PutObject, s3:ListBucket]
              Resource: [arn:aws:s3:::research-data, arn:aws:s3:::research-data/*]
```",
    remediate_terraform: "\
```hcl
resource \"aws_iam_role_policy\" \"research_data\" {
  name = \"research-data\"
  role = aws_iam_role.notebook.id
  policy = jsonencode({
    Version = \"2012-10-17\"
    Statement = [{
      Effect   = \"Allow\"
      Action   = [\"s3:GetObject\", \"s3:PutObject\", \"s3:ListBucket\"]
      Resource = [\"arn:aws:s3:::research-data\", \"arn:aws:s3:::research-data/*\"]
    }]
  })
}
```",
    references: &[
        (
            "SageMaker: how to use SageMaker execution roles",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html",
        ),
        (
            "IAM Access Analyzer: generate policies based on access activity",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::model::{Identity, NotebookInstance, RolePolicy};

    fn verdict(policies: Fact<Vec<RolePolicy>>) -> Verdict {
        let mut notebook = NotebookInstance::unreadable(Identity::declared("nb".into()), "x");
        notebook.role_arn = Fact::Known(Some("arn:aws:iam::123456789012:role/nb".into()));
        notebook.role_policies = policies;
        check(&Resource::NotebookInstance(notebook)).unwrap()
    }

    fn policy(name: &str, document: &str) -> RolePolicy {
        RolePolicy {
            name: name.into(),
            document: document.into(),
        }
    }

    #[test]
    fn a_grant_of_every_action_fails_and_is_named() {
        let scoped = policy(
            "data",
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
        );
        let admin = policy(
            "admin",
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
        let failing = verdict(Fact::Known(vec![scoped.clone(), admin]));
        assert_eq!(failing.status, Status::Fail);
        assert!(failing.message.contains("admin (statement 1)"), "{}", failing.message);
        assert_eq!(verdict(Fact::Known(vec![scoped])).status, Status::Pass);
    }

    #[test]
    fn unread_or_unreadable_policies_are_unknown() {
        assert_eq!(verdict(Fact::unknown("denied")).status.as_str(), "unknown");
        let broken = verdict(Fact::Known(vec![policy("broken", "{")]));
        assert_eq!(broken.status.as_str(), "unknown");
    }
}
