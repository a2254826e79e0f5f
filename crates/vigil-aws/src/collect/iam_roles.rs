//! The IAM roles of an account, for the Bedrock full-access rule: every
//! role (`ListRoles`, `Marker`-paged), and the roles that the AWS managed
//! policy `AmazonBedrockFullAccess` is attached to (`ListEntitiesForPolicy`,
//! one listing for the whole account, not one call per role). IAM is
//! global: an audit reads them once per account, and places them in
//! `region`, the first region it audits there.

use crate::calls::CallCounter;
use crate::iam::form_encoded;
use aws_config::SdkConfig;
use std::collections::HashSet;
use vigil_core::{ErrorScope, Fact, IamRole, Identity, Resource, RunError};

const LIST_ROLES: &str = "iam:ListRoles";
const LIST_ENTITIES: &str = "iam:ListEntitiesForPolicy";

/// Every role of the account, or the error that kept them from being listed.
pub async fn collect(config: &SdkConfig, region: &str, counter: &CallCounter) -> (Vec<Resource>, Option<RunError>) {
    let roles = match crate::iam::members(config, counter, LIST_ROLES, "", ("Roles", "member")).await {
        Ok(roles) => roles,
        Err(why) => {
            let error = RunError::in_region(
                ErrorScope::Region,
                Some(region.to_owned()),
                Some(LIST_ROLES.to_owned()),
                why,
            );
            return (Vec::new(), Some(error));
        }
    };
    let full_access = with_full_access(config, counter, region).await;
    let resources = roles
        .iter()
        .filter_map(|role| {
            let (name, arn) = (role.field("RoleName")?, role.field("Arn")?);
            let mut identity = Identity::from_arn(name.to_owned(), Some(arn.to_owned()));
            identity.region = Some(region.to_owned());
            Some(Resource::IamRole(IamRole {
                identity,
                service_linked: role.field("Path").is_some_and(|p| p.starts_with("/aws-service-role/")),
                bedrock_full_access: match &full_access {
                    Ok(names) => Fact::Known(names.contains(name)),
                    Err(why) => Fact::Unknown(why.clone()),
                },
            }))
        })
        .collect();
    (resources, None)
}

/// The names of the roles `AmazonBedrockFullAccess` is attached to.
async fn with_full_access(config: &SdkConfig, counter: &CallCounter, region: &str) -> Result<HashSet<String>, String> {
    let partition = vigil_core::model::partition(region);
    let policy = format!("arn:{partition}:iam::aws:policy/{}", IamRole::BEDROCK_FULL_ACCESS);
    let params = format!("PolicyArn={}&EntityFilter=Role", form_encoded(&policy));
    let roles = crate::iam::members(config, counter, LIST_ENTITIES, &params, ("PolicyRoles", "member")).await?;
    Ok(roles
        .iter()
        .filter_map(|r| r.field("RoleName").map(str::to_owned))
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_roles_page_reads_each_member_and_its_marker() {
        let xml = r#"<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListRolesResult>
            <IsTruncated>true</IsTruncated><Marker>m2</Marker>
            <Roles>
              <member><Path>/</Path><RoleName>dev</RoleName><Arn>arn:aws:iam::123456789012:role/dev</Arn></member>
              <member><Path>/aws-service-role/bedrock.amazonaws.com/</Path><RoleName>AWSServiceRoleForBedrock</RoleName><Arn>arn:aws:iam::123456789012:role/aws-service-role/bedrock.amazonaws.com/AWSServiceRoleForBedrock</Arn></member>
            </Roles></ListRolesResult></ListRolesResponse>"#;
        let answer = crate::answer::tree(xml).unwrap();
        let result = answer.child("ListRolesResult").unwrap();
        assert_eq!(result.field("Marker"), Some("m2"));
        let roles = &result.child("Roles").unwrap().children;
        let names: Vec<_> = roles.iter().filter_map(|m| m.field("RoleName")).collect();
        assert_eq!(names, ["dev", "AWSServiceRoleForBedrock"]);
    }
}
