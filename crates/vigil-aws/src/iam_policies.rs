//! The IAM reads behind the role-permission rules: the identity policies of
//! a notebook's execution role, an agent's service role or a Bedrock API
//! key's user, inline (`ListRolePolicies`,
//! `GetRolePolicy`) and attached (`ListAttachedRolePolicies`, `GetPolicy`,
//! `GetPolicyVersion`), as signed Query calls. Each role is read once per
//! account audited, each managed policy once, whichever roles attach it.

use crate::calls::CallCounter;
use crate::iam::{form_encoded, role_in_account, IAM};
use crate::query::{self, every_page, texts};
use aws_config::SdkConfig;
use std::collections::HashMap;
use vigil_core::model::RolePolicy;
use vigil_core::{Fact, Identity, Resource};

/// The role a resource acts as: where it is, its ARN, whether `GetRole`
/// found it (when that was read), and where its policies go.
type Acting<'r> = (
    &'r Identity,
    &'r Fact<Option<String>>,
    Option<&'r Fact<bool>>,
    &'r mut Fact<Vec<RolePolicy>>,
);

fn acting(resource: &mut Resource) -> Option<Acting<'_>> {
    match resource {
        Resource::NotebookInstance(n) => Some((&n.identity, &n.role_arn, Some(&n.role_exists), &mut n.role_policies)),
        Resource::BedrockAgent(a) => Some((&a.identity, &a.role_arn, None, &mut a.role_policies)),
        _ => None,
    }
}

/// Fills the policies of each notebook instance's execution role and each
/// agent's service role.
pub async fn read_role_policies(config: &SdkConfig, counter: &CallCounter, resources: &mut [Resource]) {
    let mut reader = Reader {
        config,
        counter,
        managed: HashMap::new(),
    };
    let mut roles: HashMap<String, Fact<Vec<RolePolicy>>> = HashMap::new();
    for resource in resources.iter_mut() {
        let Some((identity, role_arn, exists, policies)) = acting(resource) else {
            continue;
        };
        let Fact::Known(Some(arn)) = role_arn else {
            continue;
        };
        let name = match role_in_account(identity, arn) {
            Ok(name) => name,
            Err(why) => {
                *policies = Fact::Unknown(why);
                continue;
            }
        };
        // `GetRole` (read first when its rule is chosen) already said so: a
        // gone role has no policies to list.
        if exists == Some(&Fact::Known(false)) {
            *policies = Fact::unknown("the role no longer exists");
            continue;
        }
        if !roles.contains_key(arn) {
            let read = reader.policies_of(("Role", name)).await;
            roles.insert(arn.clone(), read.map_or_else(Fact::Unknown, Fact::Known));
        }
        *policies = roles[arn].clone();
    }
}

/// Fills the policies of the user each Bedrock API key belongs to, each
/// user read once.
pub async fn read_user_policies(config: &SdkConfig, counter: &CallCounter, resources: &mut [Resource]) {
    let mut reader = Reader {
        config,
        counter,
        managed: HashMap::new(),
    };
    let mut users: HashMap<String, Fact<Vec<RolePolicy>>> = HashMap::new();
    for resource in resources.iter_mut() {
        let Resource::BedrockApiKey(key) = resource else {
            continue;
        };
        if !users.contains_key(&key.user) {
            let read = reader.policies_of(("User", &key.user)).await;
            users.insert(key.user.clone(), read.map_or_else(Fact::Unknown, Fact::Known));
        }
        key.user_policies = users[&key.user].clone();
    }
}

struct Reader<'a> {
    config: &'a SdkConfig,
    counter: &'a CallCounter,
    /// Managed policies already read, by ARN.
    managed: HashMap<String, Result<RolePolicy, String>>,
}

impl Reader<'_> {
    /// Every identity policy of a role or user (`("Role", name)`,
    /// `("User", name)`), inline ones first.
    async fn policies_of(&mut self, (kind, of): (&str, &str)) -> Result<Vec<RolePolicy>, String> {
        let role_param = format!("{kind}Name={}", form_encoded(of));
        let mut policies = Vec::new();
        let (list, get, attached) = match kind {
            "User" => (
                "iam:ListUserPolicies",
                "iam:GetUserPolicy",
                "iam:ListAttachedUserPolicies",
            ),
            _ => (
                "iam:ListRolePolicies",
                "iam:GetRolePolicy",
                "iam:ListAttachedRolePolicies",
            ),
        };
        for name in self.paged(list, &role_param, "member").await? {
            let params = format!("{role_param}&PolicyName={}", form_encoded(&name));
            let answer = self.call(get, &params).await?;
            let document = only(texts(&answer, "PolicyDocument"), get)?;
            policies.push(RolePolicy {
                name,
                document: url_decoded(&document)?,
            });
        }
        for arn in self.paged(attached, &role_param, "PolicyArn").await? {
            if !self.managed.contains_key(&arn) {
                let read = self.managed_policy(&arn).await;
                self.managed.insert(arn.clone(), read);
            }
            policies.push(self.managed[&arn].clone()?);
        }
        Ok(policies)
    }

    /// A managed policy's default version.
    async fn managed_policy(&self, arn: &str) -> Result<RolePolicy, String> {
        let policy_param = format!("PolicyArn={}", form_encoded(arn));
        let answer = self.call("iam:GetPolicy", &policy_param).await?;
        let version = only(texts(&answer, "DefaultVersionId"), "iam:GetPolicy")?;
        let params = format!("{policy_param}&VersionId={}", form_encoded(&version));
        let answer = self.call("iam:GetPolicyVersion", &params).await?;
        let document = only(texts(&answer, "Document"), "iam:GetPolicyVersion")?;
        Ok(RolePolicy {
            name: arn.to_owned(),
            document: url_decoded(&document)?,
        })
    }

    /// The `item` texts of every page of a `Marker`-paged listing.
    async fn paged(&self, operation: &str, params: &str, item: &str) -> Result<Vec<String>, String> {
        every_page(operation, |marker| async move {
            let page_params = match &marker {
                Some(marker) => format!("{params}&Marker={}", form_encoded(marker)),
                None => params.to_owned(),
            };
            let answer = self.call(operation, &page_params).await?;
            let read = |name: &str| texts(&answer, name).map_err(|e| unreadable(operation, &e));
            let next = match read("IsTruncated")?.first().map(String::as_str) {
                Some("true") => Some(
                    read("Marker")?
                        .into_iter()
                        .next()
                        .ok_or_else(|| format!("{operation} answered a truncated page without a Marker"))?,
                ),
                _ => None,
            };
            Ok((read(item)?, next))
        })
        .await
    }

    /// One IAM call; a refusal becomes the reason the policies are unknown.
    async fn call(&self, operation: &str, params: &str) -> Result<String, String> {
        let action = operation.trim_start_matches("iam:");
        let body = format!("Action={action}&Version=2010-05-08&{params}");
        query::call(self.config, &IAM, &body, self.counter, operation)
            .await
            .map_err(|refused| match refused.code.as_str() {
                "NoSuchEntity" => format!("the role or user no longer exists ({})", refused.reason),
                code if code.contains("AccessDenied") => format!("access denied to {operation} ({})", refused.reason),
                _ => format!("{operation} failed ({})", refused.reason),
            })
    }
}

fn only(found: Result<Vec<String>, String>, operation: &str) -> Result<String, String> {
    found
        .map_err(|e| unreadable(operation, &e))?
        .into_iter()
        .next()
        .ok_or_else(|| unreadable(operation, "the field is missing"))
}

fn unreadable(operation: &str, why: &str) -> String {
    format!("unreadable {operation} answer: {why}")
}

/// IAM answers policy documents URL-encoded (RFC 3986).
fn url_decoded(document: &str) -> Result<String, String> {
    percent_encoding::percent_decode_str(document)
        .decode_utf8()
        .map(|d| d.into_owned())
        .map_err(|e| format!("a policy document is not UTF-8 once decoded ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_url_decoded_and_fields_found_at_any_depth() {
        let answer = "<GetRolePolicyResponse><GetRolePolicyResult><RoleName>nb</RoleName>\
            <PolicyDocument>%7B%22Statement%22%3A%5B%5D%7D</PolicyDocument></GetRolePolicyResult></GetRolePolicyResponse>";
        let document = only(texts(answer, "PolicyDocument"), "iam:GetRolePolicy").unwrap();
        assert_eq!(url_decoded(&document).unwrap(), r#"{"Statement":[]}"#);
        let missing = only(texts(answer, "DefaultVersionId"), "iam:GetPolicy").unwrap_err();
        assert_eq!(missing, "unreadable iam:GetPolicy answer: the field is missing");
    }
}
