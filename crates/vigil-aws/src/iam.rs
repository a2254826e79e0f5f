//! The IAM read the audit makes: whether an execution role still exists
//! (`GetRole`), as a signed Query call (no IAM SDK crate for one call).
//! Each distinct role is looked up once per account audited. Also what the
//! other IAM reads share: the endpoint, form encoding, `Marker` paging.

use crate::answer::{tree, Node};
use crate::calls::CallCounter;
use crate::query::{self, every_page, Service};
use aws_config::SdkConfig;
use std::collections::HashMap;
use vigil_core::{Fact, Resource};

pub(crate) const IAM: Service = Service {
    name: "iam",
    id: "IAM",
    endpoint: global_endpoint,
};

/// IAM's one endpoint per partition, and the region it signs for.
fn global_endpoint(region: &str, fips: bool, _dual_stack: bool) -> (String, String) {
    let (url, signing) = match region {
        r if r.starts_with("cn-") => ("https://iam.cn-north-1.amazonaws.com.cn/", "cn-north-1"),
        r if r.starts_with("us-gov-") => ("https://iam.us-gov.amazonaws.com/", "us-gov-west-1"),
        _ if fips => ("https://iam-fips.amazonaws.com/", "us-east-1"),
        _ => ("https://iam.amazonaws.com/", "us-east-1"),
    };
    (url.to_owned(), signing.to_owned())
}

/// Whether role `name` exists: `NoSuchEntity` is `false`; any other
/// refusal is the reason it could not be told.
async fn get_role(config: &SdkConfig, counter: &CallCounter, name: &str) -> Result<bool, String> {
    let body = format!("Action=GetRole&Version=2010-05-08&RoleName={}", form_encoded(name));
    match query::call(config, &IAM, &body, counter, "iam:GetRole").await {
        Ok(_) => Ok(true),
        Err(refused) if refused.code == "NoSuchEntity" => Ok(false),
        Err(refused) if refused.code.contains("AccessDenied") => {
            Err(format!("access denied to iam:GetRole ({})", refused.reason))
        }
        Err(refused) => Err(format!("iam:GetRole failed ({})", refused.reason)),
    }
}

/// Fills whether the execution role of each model, notebook instance,
/// endpoint configuration and training, processing or tuning job (each of
/// a tuning job's roles) still exists, one `GetRole` per distinct role. A
/// role in another account than the resource's is not this account's to
/// look up: unknown, with that reason.
pub async fn check_roles(config: &SdkConfig, counter: &CallCounter, resources: &mut [Resource]) {
    let mut looked_up: HashMap<String, Fact<bool>> = HashMap::new();
    for resource in resources.iter_mut() {
        let (identity, role, exists, others) = match resource {
            Resource::SageMakerModel(m) => (&m.identity, &m.execution_role_arn, &mut m.execution_role_exists, None),
            Resource::NotebookInstance(n) => (&n.identity, &n.role_arn, &mut n.role_exists, None),
            Resource::TrainingJob(j) => (&j.identity, &j.role_arn, &mut j.role_exists, None),
            Resource::ProcessingJob(j) | Resource::TuningJob(j) => {
                (&j.identity, &j.role_arn, &mut j.role_exists, Some(&mut j.other_roles))
            }
            Resource::EndpointConfig(c) => (&c.identity, &c.role_arn, &mut c.role_exists, None),
            _ => continue,
        };
        if let Fact::Known(Some(arn)) = role {
            *exists = role_exists(config, counter, &mut looked_up, identity, arn).await;
        }
        for (arn, exists) in others.into_iter().flatten() {
            *exists = role_exists(config, counter, &mut looked_up, identity, arn).await;
        }
    }
}

/// Whether role `arn`, named by a resource of `identity`, exists: asked
/// once per role (`looked_up` keeps the answers).
async fn role_exists(
    config: &SdkConfig,
    counter: &CallCounter,
    looked_up: &mut HashMap<String, Fact<bool>>,
    identity: &vigil_core::Identity,
    arn: &str,
) -> Fact<bool> {
    let name = match role_in_account(identity, arn) {
        Ok(name) => name,
        Err(why) => return Fact::Unknown(why),
    };
    if !looked_up.contains_key(arn) {
        let found = match get_role(config, counter, name).await {
            Ok(found) => Fact::Known(found),
            Err(why) => Fact::Unknown(why),
        };
        looked_up.insert(arn.to_owned(), found);
    }
    looked_up[arn].clone()
}

/// The name of role `arn`, if it is in the account of the resource that
/// names it; a role elsewhere is not this account's to read.
pub(crate) fn role_in_account<'a>(identity: &vigil_core::Identity, arn: &'a str) -> Result<&'a str, String> {
    let (account, name) = role_of_arn(arn).ok_or_else(|| format!("{arn} is not a role ARN"))?;
    if identity.account.as_deref().is_some_and(|own| own != account) {
        return Err(format!(
            "the role is in account {account}, whose roles this audit does not read"
        ));
    }
    Ok(name)
}

/// (account, role name) of `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
fn role_of_arn(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (_, _, service, _, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let path = resource.strip_prefix("role/").filter(|_| service == "iam")?;
    Some((account, path.rsplit('/').next()?))
}

/// `application/x-www-form-urlencoded` for a role name (`+=,.@-_` and
/// letters and digits).
pub(crate) fn form_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `member`s of list `set` over every page of a `Marker`-paged listing.
pub(crate) async fn members(
    config: &SdkConfig,
    counter: &CallCounter,
    operation: &str,
    params: &str,
    (set, item): (&str, &str),
) -> Result<Vec<Node>, String> {
    every_page(operation, |marker| async move {
        let page_params = match &marker {
            Some(marker) => format!("{params}&Marker={}", form_encoded(marker)),
            None => params.to_owned(),
        };
        let action = operation.trim_start_matches("iam:");
        let body = format!("Action={action}&Version=2010-05-08&{page_params}");
        let xml = query::call(config, &IAM, &body, counter, operation)
            .await
            .map_err(|refused| crate::rest::reason(operation, &refused))?;
        let mut answer = tree(&xml).map_err(|why| format!("unreadable {operation} answer: {why}"))?;
        // The answer's one child holds the result (`ListRolesResult`).
        let result = answer
            .children
            .iter_mut()
            .find(|c| c.name.ends_with("Result"))
            .ok_or_else(|| format!("unreadable {operation} answer: no result"))?;
        let next = match result.field("IsTruncated") {
            Some("true") => Some(
                result
                    .field("Marker")
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{operation} answered a truncated page without a Marker"))?,
            ),
            _ => None,
        };
        let items = match result.children.iter_mut().find(|c| c.name == set) {
            Some(list) => std::mem::take(&mut list.children),
            None => Vec::new(),
        };
        Ok((items.into_iter().filter(|i| i.name == item).collect(), next))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_give_their_account_and_name() {
        assert_eq!(
            role_of_arn("arn:aws:iam::123456789012:role/service-role/sm-exec"),
            Some(("123456789012", "sm-exec"))
        );
        assert_eq!(role_of_arn("arn:aws-cn:iam::1:role/r"), Some(("1", "r")));
        assert_eq!(role_of_arn("arn:aws:iam::1:user/u"), None);
        assert_eq!(role_of_arn("not an arn"), None);
    }

    #[test]
    fn names_are_form_encoded_and_endpoints_follow_the_partition() {
        assert_eq!(form_encoded("sm+exec@team=a,b"), "sm%2Bexec%40team%3Da%2Cb");
        assert_eq!(global_endpoint("eu-west-1", false, false).1, "us-east-1");
        assert_eq!(
            global_endpoint("cn-northwest-1", false, false).0,
            "https://iam.cn-north-1.amazonaws.com.cn/"
        );
        assert_eq!(global_endpoint("us-gov-east-1", false, false).1, "us-gov-west-1");
    }
}
