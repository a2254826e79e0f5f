//! `bedrock-api-key-long-term`: no Amazon Bedrock long-term API key is
//! left active.

use crate::finding::Status;
use crate::model::{Property, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "bedrock-api-key-long-term",
    aliases: &[],
    title: "Do Not Keep Long-Term Amazon Bedrock API Keys Active",
    fails_when: "an IAM user has an active, unexpired long-term Amazon Bedrock API key (a service-specific credential for `bedrock.amazonaws.com`)",
    risk: RiskLevel::High,
    categories: &["Security", "IAM"],
    resource_kind: ResourceKind::BedrockApiKey,
    property: Property::LIVE_ONLY,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["bedrock_api_key_no_long_term_credentials"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

const DAY: i64 = 86_400;

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::BedrockApiKey(key) = resource else {
        return None;
    };
    let (id, user) = (&key.identity.name, &key.user);
    if let crate::fact::Fact::Unknown(why) = &key.listed {
        return Some(Verdict::unknown(
            why.clone(),
            format!("Bedrock API key {id} of user {user} could not be read."),
        ));
    }
    let expired = key.active && !key.can_authenticate();
    Some(match (key.active, expired, key.expires) {
        (false, _, _) => Verdict {
            status: Status::Pass,
            message: format!("Bedrock API key {id} of user {user} is inactive: it cannot authenticate."),
        },
        (true, true, _) => Verdict {
            status: Status::Pass,
            message: format!("Bedrock API key {id} of user {user} has expired: it cannot authenticate."),
        },
        (true, false, None) => Verdict {
            status: Status::Fail,
            message: format!(
                "Bedrock API key {id} of user {user} is active and never expires: whoever holds it calls Bedrock as {user} until someone deletes it."
            ),
        },
        (true, false, Some(at)) => Verdict {
            status: Status::Fail,
            message: format!(
                "Bedrock API key {id} of user {user} is active for {} more days: a long-term key, where short-term keys last at most 12 hours.",
                (at - key.read_at + DAY - 1) / DAY
            ),
        },
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks every long-term Amazon Bedrock API key of the audited account \
(IAM's `ListServiceSpecificCredentials` for `bedrock.amazonaws.com`, \
every user at once). An active key that has not expired fails, and one \
that never expires says so. Inactive and expired keys pass: they cannot \
authenticate. Short-term keys are signed tokens that IAM does not keep, \
so they are never listed. Unlike Prowler, which skips keys without an \
expiration date, a key that never expires fails here. IAM is global: the \
findings are placed in the first audited region. Live audits only.",
    why: "\
A Bedrock API key is a bearer secret: whoever holds it calls Bedrock with \
its user's permissions, from anywhere, with no signature and no session \
to expire. Long-term keys are meant for trying Bedrock out; AWS \
recommends short-term keys (up to 12 hours, derived from the caller's own \
credentials) for everything else. A long-term key pasted into a \
notebook, a CI variable or a chat lives as long as it says, often \
forever, and shows up in invocation bills before anywhere else.

Risk level High: the key is limited to its user's Bedrock permissions, \
but it needs nothing else to use them.",
    audit_console: "\
1. Open the IAM console and choose **Users**.
2. For each user, open **Security credentials** and look under *API keys \
for Amazon Bedrock*: an active key fails.",
    audit_cli: "\
```sh
aws iam list-service-specific-credentials --all-users --service-name bedrock.amazonaws.com \\
  --query 'ServiceSpecificCredentials[?Status==`Active`].[UserName, ServiceSpecificCredentialId, ExpirationDate]' --output text
```

Each line fails unless its date has passed; `None` never expires.",
    remediate_console: "\
Move the callers to short-term keys (the Bedrock console's *API keys* \
page, or the `aws-bedrock-token-generator` libraries), then in the IAM \
console deactivate the long-term key, and delete it once nothing fails.",
    remediate_cli: "\
```sh
aws iam list-service-specific-credentials --all-users --service-name bedrock.amazonaws.com \\
  --query 'ServiceSpecificCredentials[?Status==`Active`].[UserName, ServiceSpecificCredentialId]' --output text |
while read -r user id; do
  aws iam update-service-specific-credential --user-name \"$user\" --service-specific-credential-id \"$id\" --status Inactive
done
```

Delete each key (`aws iam delete-service-specific-credential`) once its \
callers use short-term keys.",
    remediate_cloudformation: "\
CloudFormation has no resource type for service-specific credentials: \
the keys are made in the console or with the CLI, and removed the same \
way (above).",
    remediate_terraform: "\
A key Terraform made (`aws_iam_service_specific_credential`) is turned \
off in place, then removed from the configuration:

```hcl
resource \"aws_iam_service_specific_credential\" \"bedrock\" {
  service_name = \"bedrock.amazonaws.com\"
  user_name    = aws_iam_user.app.name
  status       = \"Inactive\"
}
```",
    references: &[
        (
            "Amazon Bedrock: API keys",
            "https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html",
        ),
        (
            "IAM: service-specific credentials",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_service-specific-creds.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::model::{BedrockApiKey, Identity};

    fn key(active: bool, expires: Option<i64>) -> Resource {
        Resource::BedrockApiKey(BedrockApiKey {
            identity: Identity::declared("ACCA1".into()),
            user: "dev".into(),
            active,
            expires,
            read_at: 1_000 * DAY,
            listed: Fact::Known(()),
            user_policies: Fact::unknown("not read"),
        })
    }

    #[test]
    fn an_active_unexpired_key_fails_and_one_that_cannot_authenticate_passes() {
        let never = check(&key(true, None)).unwrap();
        assert_eq!(never.status, Status::Fail);
        assert!(never.message.contains("never expires"), "{}", never.message);
        let month = check(&key(true, Some(1_030 * DAY))).unwrap();
        assert!(month.message.contains("30 more days"), "{}", month.message);
        assert_eq!(check(&key(true, Some(999 * DAY))).unwrap().status, Status::Pass);
        assert_eq!(check(&key(false, None)).unwrap().status, Status::Pass);
    }
}
