//! `bedrock-full-access-role`: no IAM role holds the AWS managed policy
//! `AmazonBedrockFullAccess`.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Property, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "bedrock-full-access-role",
    aliases: &[],
    title: "Do Not Attach AmazonBedrockFullAccess to IAM Roles",
    fails_when: "an IAM role other than a service-linked one has the AWS managed policy `AmazonBedrockFullAccess` attached",
    risk: RiskLevel::High,
    categories: &["Security", "IAM"],
    resource_kind: ResourceKind::IamRole,
    property: Property::LIVE_ONLY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_full_access_policy_attached"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::IamRole(role) = resource else {
        return None;
    };
    // AWS writes a service-linked role's permissions; none can be attached.
    if role.service_linked {
        return None;
    }
    let name = &role.identity.name;
    Some(match &role.bedrock_full_access {
        Fact::Unknown(why) => Verdict::unknown(
            why.clone(),
            format!("Whether role {name} has AmazonBedrockFullAccess attached could not be read."),
        ),
        Fact::Known(false) => Verdict {
            status: Status::Pass,
            message: format!("Role {name} does not have AmazonBedrockFullAccess attached."),
        },
        Fact::Known(true) => Verdict {
            status: Status::Fail,
            message: format!(
                "Role {name} has AmazonBedrockFullAccess attached: it may call every Bedrock action on every resource, from invoking any model to deleting guardrails and turning invocation logging off."
            ),
        },
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks every IAM role of the audited account for the AWS managed policy \
`AmazonBedrockFullAccess` (`ListEntitiesForPolicy`, one listing for the \
account). A role with it attached fails. Service-linked roles \
(`/aws-service-role/`), whose permissions AWS defines, are not judged. \
Unlike Prowler, roles that AWS services assume (a Lambda function's, an \
EC2 instance's) are judged too: a workload with full Bedrock access is \
the case that matters most. IAM is global: the findings are placed in \
the first audited region of each account. Live audits only.",
    why: "\
`AmazonBedrockFullAccess` grants `bedrock:*` (with Bedrock's other \
namespaces) on every resource: invoking any model, including expensive \
ones, on your bill; reading and deleting guardrails, knowledge bases and \
custom models; turning model invocation logging off. It is meant for \
trying Bedrock out. A role that keeps it in production turns any leak of \
its credentials, or any injection into the workload that holds them, \
into control over your whole Bedrock estate.

Risk level High: the policy alone grants no other service, but within \
Bedrock it removes every guard, including the logging that would show \
the abuse.",
    audit_console: "\
1. Open the IAM console, choose **Policies**, and search for \
`AmazonBedrockFullAccess`.
2. Open it and choose **Entities attached**: every role listed there fails \
(service-linked roles aside).",
    audit_cli: "\
```sh
aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AmazonBedrockFullAccess \\
  --entity-filter Role --query 'PolicyRoles[].RoleName' --output text
```

Each role printed fails.",
    remediate_console: "\
Write a policy that allows only the Bedrock actions and resources the \
role uses (often `bedrock:InvokeModel` on the model ARNs it calls), \
attach it, then open the role, choose **Permissions**, select \
`AmazonBedrockFullAccess` and choose **Remove**.",
    remediate_cli: "\
```sh
for role in $(aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AmazonBedrockFullAccess \\
    --entity-filter Role --query 'PolicyRoles[].RoleName' --output text); do
  aws iam put-role-policy --role-name \"$role\" --policy-name bedrock-invoke \\
    --policy-document '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"bedrock:InvokeModel\", \"bedrock:InvokeModelWithResponseStream\"], \"Resource\": \"arn:aws:bedrock:*::foundation-model/anthropic.*\"}]}'
  aws iam detach-role-policy --role-name \"$role\" --policy-arn arn:aws:iam::aws:policy/AmazonBedrockFullAccess
done
```

Replace the actions and models with those each role calls; IAM's \
*Last accessed* tab shows which Bedrock actions it used.",
    remediate_cloudformation: "\
```yaml
AppRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Version: \"2012-10-17\"
      Statement:
        - Effect: Allow
          Principal: {Service: lambda.amazonaws.com}
          Action: sts:AssumeRole
    # No AmazonBedrockFullAccess in ManagedPolicyArns: only what it calls.
    Policies:
      - PolicyName: bedrock-invoke
        PolicyDocument:
          Version: \"2012-10-17\"
          Statement:
            - Effect: Allow
              Action: [bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream]
              Resource: !Sub arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/anthropic.*
```",
    remediate_terraform: "\
```hcl
# No aws_iam_role_policy_attachment of AmazonBedrockFullAccess: only what it calls.
resource \"aws_iam_role_policy\" \"bedrock_invoke\" {
  role = aws_iam_role.app.id
  name = \"bedrock-invoke\"
  policy = jsonencode({
    Version = \"2012-10-17\"
    Statement = [{
      Effect   = \"Allow\"
      Action   = [\"bedrock:InvokeModel\", \"bedrock:InvokeModelWithResponseStream\"]
      Resource = \"arn:aws:bedrock:*::foundation-model/anthropic.*\"
    }]
  })
}
```",
    references: &[
        (
            "AWS managed policy: AmazonBedrockFullAccess",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/security-iam-awsmanpol.html",
        ),
        (
            "IAM: apply least-privilege permissions",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IamRole, Identity};

    fn role(service_linked: bool, full: Fact<bool>) -> Resource {
        Resource::IamRole(IamRole {
            identity: Identity::declared("app".into()),
            service_linked,
            bedrock_full_access: full,
        })
    }

    #[test]
    fn the_policy_fails_a_role_unless_it_is_service_linked() {
        assert_eq!(check(&role(false, Fact::Known(true))).unwrap().status, Status::Fail);
        assert_eq!(check(&role(false, Fact::Known(false))).unwrap().status, Status::Pass);
        let unknown = check(&role(false, Fact::unknown("denied"))).unwrap();
        assert!(matches!(unknown.status, Status::Unknown { .. }), "{:?}", unknown.status);
        assert!(check(&role(true, Fact::Known(true))).is_none());
    }
}
