//! `bedrock-api-key-admin`: a Bedrock API key's user holds no
//! administrator, whole-service or full-Bedrock permissions.

use super::agent_role_least_privilege::{broad_grants, is_broad_managed};
use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Property, Resource, ResourceKind, RolePolicy};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::role_policies::{granted, Granted};

pub static RULE: Rule = Rule {
    id: "bedrock-api-key-admin",
    aliases: &[],
    title: "Keep Amazon Bedrock API Keys off Administrator Users",
    fails_when: "the IAM user of an active Amazon Bedrock API key has a policy that allows every action, every action of a sensitive service or of Bedrock on every resource, or an AWS managed `…FullAccess`/`AdministratorAccess` policy",
    risk: RiskLevel::High,
    categories: &["Security", "IAM"],
    resource_kind: ResourceKind::BedrockApiKey,
    property: Property::LIVE_ONLY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::UserPolicies,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_api_key_no_administrative_privileges"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::BedrockApiKey(key) = resource else {
        return None;
    };
    let (id, user) = (&key.identity.name, &key.user);
    if !key.can_authenticate() {
        return Some(Verdict {
            status: Status::Pass,
            message: format!("Bedrock API key {id} of user {user} cannot authenticate (inactive or expired)."),
        });
    }
    let subject = format!("Bedrock API key {id}");
    let named = Fact::Known(Some(user.clone()));
    let Granted { policies, grants, .. } = match granted((&subject, "user"), &named, &key.user_policies, grants_of) {
        Err(unknown) => return Some(unknown),
        Ok(None) => return None,
        Ok(Some(granted)) => granted,
    };
    Some(if grants.is_empty() {
        Verdict {
            status: Status::Pass,
            message: format!("User {user}, whose Bedrock API key {id} is active, has no administrator, whole-service or full-Bedrock grant in its {policies} policies."),
        }
    } else {
        Verdict {
            status: Status::Fail,
            message: format!(
                "Bedrock API key {id} carries the permissions of user {user}, which {} grants: whoever holds the key, a bearer secret, holds them too.",
                grants.join(", ")
            ),
        }
    })
}

/// What a policy grants that a key should not carry: an AWS managed
/// policy for a whole service or everything, every action, every action
/// of a sensitive service anywhere, or all of Bedrock anywhere.
fn grants_of(policy: &RolePolicy) -> Result<Vec<String>, String> {
    if is_broad_managed(&policy.name) {
        return Ok(vec![policy.name.clone()]);
    }
    let mut found: Vec<String> = broad_grants(&policy.document)?
        .into_iter()
        .map(|s| format!("{} ({s})", policy.name))
        .collect();
    if all_of_bedrock(&policy.document) {
        found.push(format!("{} (bedrock:* on every resource)", policy.name));
    }
    Ok(found)
}

/// Whether an allowing statement grants `bedrock:*` on `*`.
fn all_of_bedrock(document: &str) -> bool {
    let Ok(policy) = serde_json::from_str::<serde_json::Value>(document) else {
        return false;
    };
    let statements = match &policy["Statement"] {
        serde_json::Value::Array(list) => list.iter().collect(),
        one => vec![one],
    };
    let names = |v: &serde_json::Value| -> Vec<String> {
        match v {
            serde_json::Value::String(s) => vec![s.clone()],
            serde_json::Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect(),
            _ => Vec::new(),
        }
    };
    statements.into_iter().any(|s| {
        s["Effect"] == "Allow"
            && names(&s["Action"]).iter().any(|a| a.eq_ignore_ascii_case("bedrock:*"))
            && names(&s["Resource"]).iter().any(|r| r == "*")
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks the user of every active, unexpired long-term Amazon Bedrock API \
key: its inline and attached policies must not allow every action \
(`\"Action\": \"*\"`), every action of a sensitive service (`iam:*`, \
`s3:*`, `ec2:*`, `kms:*`, `secretsmanager:*`, `dynamodb:*`, `lambda:*`, \
`sts:*`) or of Bedrock (`bedrock:*`) on every resource, nor be an AWS \
managed `…FullAccess` or `AdministratorAccess` policy. A key that cannot \
authenticate passes; a policy that cannot be read is unknown. Like \
Prowler, the user's groups and its permissions boundary are not read. \
Live audits only.",
    why: "\
A Bedrock API key authenticates as its IAM user for Bedrock calls, with \
nothing but the key itself: no signature, no MFA, no session. A key is \
meant to call models; when its user is an administrator, or may do \
everything in Bedrock, a key copied out of a notebook or a CI log gives \
whoever holds it the means to delete guardrails, turn off invocation \
logging and run any model on your bill. Give keys to users that may \
only invoke the models they need.

Risk level High: the key reaches Bedrock's APIs only, but with every \
permission its user has there.",
    audit_console: "\
1. Open the IAM console, choose **Users**, and open each user with an \
active key under *API keys for Amazon Bedrock*.
2. Under **Permissions**, no policy may be `AdministratorAccess`, \
`AmazonBedrockFullAccess` or another `…FullAccess`, nor allow `*`, \
`bedrock:*` or a whole sensitive service on every resource.",
    audit_cli: "\
```sh
aws iam list-service-specific-credentials --all-users --service-name bedrock.amazonaws.com \\
  --query 'ServiceSpecificCredentials[?Status==`Active`].UserName' --output text | tr '\\t' '\\n' | sort -u |
while read -r user; do
  printf '%s\\t%s\\n' \"$user\" \"$(aws iam list-attached-user-policies --user-name \"$user\" \\
    --query 'AttachedPolicies[].PolicyName' --output text)\"
done
```

A user listed with `AdministratorAccess` or a `…FullAccess` policy fails; \
read its inline policies too (`aws iam list-user-policies`).",
    remediate_console: "\
Give the key's caller a user of its own whose only policy allows \
`bedrock:InvokeModel` on the models it needs, make a key for that user, \
then deactivate and delete the key of the administrator user.",
    remediate_cli: "\
```sh
aws iam create-user --user-name bedrock-invoke >/dev/null
aws iam put-user-policy --user-name bedrock-invoke --policy-name invoke --policy-document \\
  '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"bedrock:InvokeModel\", \"bedrock:InvokeModelWithResponseStream\"], \"Resource\": \"arn:aws:bedrock:*::foundation-model/*\"}]}'
aws iam create-service-specific-credential --user-name bedrock-invoke --service-name bedrock.amazonaws.com \\
  --credential-age-days 30 --query ServiceSpecificCredential.ServiceCredentialSecret --output text > /dev/null
aws iam list-service-specific-credentials --all-users --service-name bedrock.amazonaws.com \\
  --query 'ServiceSpecificCredentials[?UserName!=`bedrock-invoke`].[UserName, ServiceSpecificCredentialId]' --output text |
while read -r user id; do
  aws iam update-service-specific-credential --user-name \"$user\" --service-specific-credential-id \"$id\" --status Inactive
done
```

Hand the new key to its caller (the secret is shown only once), then \
delete the old ones.",
    remediate_cloudformation: "\
CloudFormation has no resource type for service-specific credentials; \
the user a key is made for can be declared with only what it calls:

```yaml
BedrockInvoke:
  Type: AWS::IAM::User
  Properties:
    Policies:
      - PolicyName: invoke
        PolicyDocument:
          Version: \"2012-10-17\"
          Statement:
            - Effect: Allow
              Action: [bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream]
              Resource: !Sub arn:${AWS::Partition}:bedrock:*::foundation-model/*
```",
    remediate_terraform: "\
```hcl
resource \"aws_iam_user\" \"bedrock_invoke\" {
  name = \"bedrock-invoke\"
}

resource \"aws_iam_user_policy\" \"invoke\" {
  user = aws_iam_user.bedrock_invoke.name
  name = \"invoke\"
  policy = jsonencode({
    Version   = \"2012-10-17\"
    Statement = [{ Effect = \"Allow\", Action = [\"bedrock:InvokeModel\"], Resource = \"arn:aws:bedrock:*::foundation-model/*\" }]
  })
}

resource \"aws_iam_service_specific_credential\" \"bedrock\" {
  service_name = \"bedrock.amazonaws.com\"
  user_name    = aws_iam_user.bedrock_invoke.name
}
```",
    references: &[
        (
            "Amazon Bedrock: API keys",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html",
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
    use crate::model::{BedrockApiKey, Identity};

    fn key(active: bool, policies: Fact<Vec<RolePolicy>>) -> Resource {
        Resource::BedrockApiKey(BedrockApiKey {
            identity: Identity::declared("ACCA1".into()),
            user: "dev".into(),
            active,
            expires: None,
            read_at: 0,
            listed: Fact::Known(()),
            user_policies: policies,
        })
    }

    fn policy(name: &str, document: &str) -> RolePolicy {
        RolePolicy {
            name: name.into(),
            document: document.into(),
        }
    }

    #[test]
    fn broad_policies_fail_an_active_key_and_a_dead_key_passes() {
        let admin = policy("arn:aws:iam::aws:policy/AdministratorAccess", "{}");
        let bedrock = policy("all", r#"{"Statement":{"Effect":"Allow","Action":"bedrock:*","Resource":"*"}}"#);
        let invoke = policy(
            "invoke",
            r#"{"Statement":{"Effect":"Allow","Action":"bedrock:InvokeModel","Resource":"*"}}"#,
        );
        assert_eq!(check(&key(true, Fact::Known(vec![admin.clone()]))).unwrap().status, Status::Fail);
        let full = check(&key(true, Fact::Known(vec![bedrock]))).unwrap();
        assert!(full.message.contains("bedrock:* on every resource"), "{}", full.message);
        assert_eq!(check(&key(true, Fact::Known(vec![invoke]))).unwrap().status, Status::Pass);
        assert_eq!(check(&key(false, Fact::Known(vec![admin]))).unwrap().status, Status::Pass);
        let unread = check(&key(true, Fact::unknown("denied"))).unwrap();
        assert!(matches!(unread.status, Status::Unknown { .. }), "{:?}", unread.status);
    }
}
