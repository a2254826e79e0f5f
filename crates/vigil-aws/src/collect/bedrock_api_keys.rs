//! Amazon Bedrock's long-term API keys: IAM service-specific credentials
//! for `bedrock.amazonaws.com`, every user's in one listing
//! (`ListServiceSpecificCredentials` with `AllUsers`). IAM is global: an
//! audit reads them once per account and places them in `region`, the
//! first region it audits there.

use crate::answer::Node;
use crate::calls::CallCounter;
use crate::iam::members;
use aws_config::SdkConfig;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use std::time::SystemTime;
use vigil_core::{BedrockApiKey, ErrorScope, Fact, Identity, Resource, RunError};

const LIST: &str = "iam:ListServiceSpecificCredentials";

/// Every Bedrock API key of the account, or the error that kept them from
/// being listed.
pub async fn collect(
    config: &SdkConfig,
    (account, region): (&str, &str),
    counter: &CallCounter,
) -> (Vec<Resource>, Option<RunError>) {
    let params = "AllUsers=true&ServiceName=bedrock.amazonaws.com";
    match members(config, counter, LIST, params, ("ServiceSpecificCredentials", "member")).await {
        Ok(keys) => {
            let now = DateTime::from(SystemTime::now()).secs();
            let keys = keys.iter().filter_map(|k| key(k, (account, region), now)).collect();
            (keys, None)
        }
        Err(why) => {
            let error = RunError::in_region(ErrorScope::Region, Some(region.to_owned()), Some(LIST.to_owned()), why);
            (Vec::new(), Some(error))
        }
    }
}

/// One listed key; `None` for another service's credential.
fn key(member: &Node, (account, region): (&str, &str), now: i64) -> Option<Resource> {
    if member.field("ServiceName") != Some("bedrock.amazonaws.com") {
        return None;
    }
    let id = member.field("ServiceSpecificCredentialId")?;
    let user = member.field("UserName")?;
    let partition = vigil_core::model::partition(region);
    let mut identity = Identity::from_arn(
        id.to_owned(),
        Some(format!("arn:{partition}:iam::{account}:user/{user}")),
    );
    identity.region = Some(region.to_owned());
    let expires = member.field("ExpirationDate");
    let (expires, listed) = match expires.map(|at| DateTime::from_str(at, Format::DateTime)) {
        None => (None, Fact::Known(())),
        Some(Ok(at)) => (Some(at.secs()), Fact::Known(())),
        Some(Err(err)) => (
            None,
            Fact::Unknown(format!("{LIST} answered an unreadable ExpirationDate: {err}")),
        ),
    };
    Some(Resource::BedrockApiKey(BedrockApiKey {
        identity,
        user: user.to_owned(),
        active: member.field("Status") == Some("Active"),
        expires,
        read_at: now,
        listed,
        user_policies: Fact::unknown("not read: no chosen rule needs the user's policies"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_gives_its_user_status_and_expiry_and_other_services_are_left_out() {
        let xml = r#"<m><member><UserName>dev</UserName><Status>Active</Status><ServiceName>bedrock.amazonaws.com</ServiceName>
            <ServiceSpecificCredentialId>ACCA1</ServiceSpecificCredentialId><ExpirationDate>2027-01-01T00:00:00Z</ExpirationDate></member>
            <member><UserName>git</UserName><Status>Active</Status><ServiceName>codecommit.amazonaws.com</ServiceName>
            <ServiceSpecificCredentialId>ACCA2</ServiceSpecificCredentialId></member></m>"#;
        let root = crate::answer::tree(xml).unwrap();
        let keys: Vec<Resource> = root
            .children
            .iter()
            .filter_map(|m| key(m, ("123456789012", "eu-west-1"), 0))
            .collect();
        assert_eq!(keys.len(), 1);
        let Resource::BedrockApiKey(key) = &keys[0] else {
            panic!()
        };
        assert_eq!((key.user.as_str(), key.active), ("dev", true));
        assert_eq!(key.expires, Some(1_798_761_600));
        assert_eq!(key.identity.region.as_deref(), Some("eu-west-1"));
        assert_eq!(key.identity.arn.as_deref(), Some("arn:aws:iam::123456789012:user/dev"));
    }
}
