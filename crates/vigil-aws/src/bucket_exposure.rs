//! Whether the S3 bucket Bedrock's invocation logs go to is public: what
//! S3 itself says of its bucket policy (`GetBucketPolicyStatus`), its ACL's
//! grants to everyone (`GetBucketAcl`), and the Block Public Access
//! settings of the bucket (`GetPublicAccessBlock`) and of the account (S3
//! Control's `GetPublicAccessBlock`) that override them. Read only for the
//! rule on public log buckets.

use crate::calls::CallCounter;
use crate::log_destinations::{bucket_refused, S3};
use crate::query::{self, Refused, Service};
use crate::rest::reason;
use aws_config::SdkConfig;
use aws_types::region::Region;
use vigil_core::{Fact, Resource};

const S3_CONTROL: Service = Service {
    name: "s3",
    id: "S3 Control",
    endpoint: |region, fips, dual_stack| {
        let fips = if fips { "-fips" } else { "" };
        let dual = if dual_stack { ".dualstack" } else { "" };
        let suffix = query::dns_suffix(region, false);
        (
            format!("https://s3-control{fips}{dual}.{region}.{suffix}"),
            region.to_owned(),
        )
    },
};

const GET_POLICY_STATUS: &str = "s3:GetBucketPolicyStatus";
const GET_ACL: &str = "s3:GetBucketAcl";
const GET_BUCKET_BLOCK: &str = "s3:GetBucketPublicAccessBlock";
const GET_ACCOUNT_BLOCK: &str = "s3:GetAccountPublicAccessBlock";
/// The groups an ACL grant makes public.
const EVERYONE: [&str; 2] = [
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

/// The Block Public Access settings that decide exposure.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Blocks {
    /// `RestrictPublicBuckets`: a public policy grants nobody outside.
    policies: bool,
    /// `IgnorePublicAcls`: public ACL grants are ignored.
    acls: bool,
}

/// Fills whether the log bucket of each invocation logging configuration
/// of `resources` is public, read in the configuration's region.
pub async fn read_exposure(config: &SdkConfig, counter: &CallCounter, resources: &mut [Resource]) {
    for resource in resources.iter_mut() {
        let Resource::InvocationLogging(logging) = resource else {
            continue;
        };
        let (Some(region), Some(account)) = (logging.identity.region.clone(), logging.identity.account.clone()) else {
            continue;
        };
        let Fact::Known(Some(to)) = &mut logging.destinations else {
            continue;
        };
        let Some(bucket) = &mut to.s3_bucket else {
            continue;
        };
        let regional = config.to_builder().region(Region::new(region)).build();
        bucket.public_by = exposure(&regional, counter, &account, &bucket.name)
            .await
            .map_or_else(Fact::Unknown, Fact::Known);
    }
}

/// What makes `bucket` public; empty when nothing does.
async fn exposure(
    config: &SdkConfig,
    counter: &CallCounter,
    account: &str,
    bucket: &str,
) -> Result<Vec<String>, String> {
    let account_path = "/v20180820/configuration/publicAccessBlock";
    let account_blocks = blocks(
        query::call_s3_control(config, &S3_CONTROL, (account, account_path), counter, GET_ACCOUNT_BLOCK).await,
        (GET_ACCOUNT_BLOCK, |refused| reason(GET_ACCOUNT_BLOCK, refused)),
    )?;
    let bucket_blocks = blocks(
        query::call_s3(config, &S3, (bucket, "publicAccessBlock"), counter, GET_BUCKET_BLOCK).await,
        (GET_BUCKET_BLOCK, |refused| {
            bucket_refused(bucket, GET_BUCKET_BLOCK, refused)
        }),
    )?;
    let blocked = Blocks {
        policies: account_blocks.policies || bucket_blocks.policies,
        acls: account_blocks.acls || bucket_blocks.acls,
    };
    let mut public_by = Vec::new();
    if !blocked.policies {
        let status = query::call_s3(config, &S3, (bucket, "policyStatus"), counter, GET_POLICY_STATUS).await;
        let public = match status {
            Ok(xml) => first(&xml, "IsPublic", GET_POLICY_STATUS)?.is_some_and(|p| p.eq_ignore_ascii_case("true")),
            Err(Refused { code, .. }) if code == "NoSuchBucketPolicy" => false,
            Err(refused) => return Err(bucket_refused(bucket, GET_POLICY_STATUS, &refused)),
        };
        if public {
            public_by.push("its bucket policy, which S3 calls public (it grants access to anyone)".to_owned());
        }
    }
    if !blocked.acls {
        let xml = query::call_s3(config, &S3, (bucket, "acl"), counter, GET_ACL)
            .await
            .map_err(|refused| bucket_refused(bucket, GET_ACL, &refused))?;
        let granted =
            query::texts(&xml, "URI").map_err(|why| format!("{GET_ACL} answered what cannot be read: {why}"))?;
        for group in EVERYONE {
            if granted.iter().any(|uri| uri == group) {
                let who = group.rsplit('/').next().unwrap_or(group);
                public_by.push(format!("its ACL, which grants access to {who}"));
            }
        }
    }
    Ok(public_by)
}

/// The Block Public Access settings an answer gives; none where none are
/// set; a refusal as `refused` words it.
fn blocks(
    answer: Result<String, Refused>,
    (operation, refused): (&str, impl Fn(&Refused) -> String),
) -> Result<Blocks, String> {
    match answer {
        Ok(xml) => {
            let on = |field| first(&xml, field, operation).map(|v| v.is_some_and(|v| v.eq_ignore_ascii_case("true")));
            Ok(Blocks {
                policies: on("RestrictPublicBuckets")?,
                acls: on("IgnorePublicAcls")?,
            })
        }
        Err(Refused { code, .. }) if code == "NoSuchPublicAccessBlockConfiguration" => Ok(Blocks::default()),
        Err(other) => Err(refused(&other)),
    }
}

/// The text of the first `element` of an answer.
fn first(xml: &str, element: &str, operation: &str) -> Result<Option<String>, String> {
    query::texts(xml, element)
        .map(|texts| texts.into_iter().next())
        .map_err(|why| format!("{operation} answered what cannot be read: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_public_access_settings_are_read_and_none_is_no_block() {
        let words = |refused: &Refused| reason(GET_BUCKET_BLOCK, refused);
        let xml = r#"<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>"#;
        assert_eq!(
            blocks(Ok(xml.to_owned()), (GET_BUCKET_BLOCK, words)).unwrap(),
            Blocks {
                policies: true,
                acls: false
            }
        );
        let none = Refused {
            code: "NoSuchPublicAccessBlockConfiguration".into(),
            reason: "none".into(),
        };
        assert_eq!(blocks(Err(none), (GET_BUCKET_BLOCK, words)).unwrap(), Blocks::default());
        let denied = Refused {
            code: "AccessDenied".into(),
            reason: "403 AccessDenied".into(),
        };
        assert!(blocks(Err(denied), (GET_BUCKET_BLOCK, words)).is_err());
    }
}
