//! The KMS read behind the key rules: who manages each key a resource
//! names, and whether it can be used (`DescribeKey`: `KeyManager`,
//! `KeyState`), as a signed JSON call (no KMS SDK crate for one call).
//! Each distinct key is described once per account and region audited.

use crate::calls::CallCounter;
use crate::query::{self, regional, Service};
use aws_config::SdkConfig;
use aws_types::region::Region;
use std::collections::HashMap;
use vigil_core::model::{is_aws_alias, KeyStanding};
use vigil_core::rules::kms::keys_named;
use vigil_core::{Fact, Resource};

const KMS: Service = Service {
    name: "kms",
    id: "KMS",
    endpoint: |region, fips, dual_stack| regional("kms", region, fips, dual_stack),
};

/// Fills what KMS says of every key each resource names, described in the
/// key's region (its ARN's, or the resource's for an id or alias).
pub async fn describe_keys(config: &SdkConfig, counter: &CallCounter, resources: &mut [Resource]) {
    let mut described: HashMap<(String, String), Fact<KeyStanding>> = HashMap::new();
    // One configuration per region the keys are in.
    let mut regional: HashMap<String, SdkConfig> = HashMap::new();
    for resource in resources.iter_mut() {
        let identity = resource.identity();
        let (own_account, own_region) = (identity.account.clone(), identity.region.clone());
        for key in keys_named(resource) {
            if is_aws_alias(&key) {
                continue;
            }
            let arn = arn_parts(&key);
            let Some(region) = arn.map(|(region, _)| region.to_owned()).or_else(|| own_region.clone()) else {
                let why = "the key's region is not known: it is named by id and the resource by no ARN";
                resource.identity_mut().keys.insert(&key, Fact::unknown(why));
                continue;
            };
            let elsewhere = arn.is_some_and(|(_, account)| own_account.as_deref().is_some_and(|own| own != account));
            let slot = (region.clone(), key.clone());
            if !described.contains_key(&slot) {
                let regional = regional
                    .entry(region.clone())
                    .or_insert_with(|| config.to_builder().region(Region::new(region)).build());
                let standing = describe_key(regional, counter, &key, elsewhere).await;
                described.insert(slot.clone(), standing);
            }
            resource.identity_mut().keys.insert(&key, described[&slot].clone());
        }
    }
}

/// What `DescribeKey` says of `key`. A key KMS cannot find in the
/// resource's own account is gone, and what it encrypted with it; one in
/// another account may only be hidden from this one: unknown.
async fn describe_key(config: &SdkConfig, counter: &CallCounter, key: &str, elsewhere: bool) -> Fact<KeyStanding> {
    let body = serde_json::json!({ "KeyId": key }).to_string();
    match query::call_json(
        config,
        &KMS,
        "TrentService.DescribeKey",
        &body,
        counter,
        "kms:DescribeKey",
    )
    .await
    {
        Ok(answer) => standing_of(&answer),
        Err(refused) if refused.code == "NotFoundException" && !elsewhere => Fact::Known(KeyStanding::Unusable(
            "not found (deleted, or never created)".to_owned(),
        )),
        Err(refused) if refused.code.contains("AccessDenied") => {
            Fact::Unknown(format!("access denied to kms:DescribeKey ({})", refused.reason))
        }
        Err(refused) => Fact::Unknown(format!("kms:DescribeKey failed ({})", refused.reason)),
    }
}

/// `KeyManager` and `KeyState` of a `DescribeKey` answer.
fn standing_of(answer: &str) -> Fact<KeyStanding> {
    let value: serde_json::Value = match serde_json::from_str(answer) {
        Ok(value) => value,
        Err(err) => return Fact::Unknown(format!("unreadable DescribeKey answer: {err}")),
    };
    let metadata = &value["KeyMetadata"];
    match (metadata["KeyManager"].as_str(), metadata["KeyState"].as_str()) {
        (Some("AWS"), _) => Fact::Known(KeyStanding::AwsManaged),
        (Some("CUSTOMER"), Some("Enabled")) => Fact::Known(KeyStanding::Customer),
        (Some("CUSTOMER"), Some(state)) => Fact::Known(KeyStanding::Unusable(state.to_owned())),
        (manager, state) => Fact::Unknown(format!(
            "DescribeKey answered KeyManager {manager:?} and KeyState {state:?}, which Vigil does not know"
        )),
    }
}

/// (region, account) of a key or alias ARN.
fn arn_parts(key: &str) -> Option<(&str, &str)> {
    let mut parts = key.splitn(6, ':');
    let (_, _, service, region, account) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (service == "kms" && !region.is_empty()).then_some((region, account))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_who_manages_the_key_and_whether_it_can_be_used() {
        let answer = |manager: &str, state: &str| {
            format!(r#"{{"KeyMetadata":{{"KeyId":"k","KeyManager":"{manager}","KeyState":"{state}"}}}}"#)
        };
        assert_eq!(
            standing_of(&answer("AWS", "Enabled")),
            Fact::Known(KeyStanding::AwsManaged)
        );
        assert_eq!(
            standing_of(&answer("CUSTOMER", "Enabled")),
            Fact::Known(KeyStanding::Customer)
        );
        assert_eq!(
            standing_of(&answer("CUSTOMER", "PendingDeletion")),
            Fact::Known(KeyStanding::Unusable("PendingDeletion".into()))
        );
        assert!(matches!(standing_of("{}"), Fact::Unknown(_)));
    }

    #[test]
    fn arns_place_keys_and_endpoints_follow_the_partition() {
        let arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert_eq!(arn_parts(arn), Some(("eu-west-1", "123456789012")));
        assert_eq!(arn_parts("alias/team"), None);
        assert_eq!(arn_parts("1234abcd-12ab-34cd-56ef-1234567890ab"), None);
        assert_eq!(
            (KMS.endpoint)("cn-north-1", false, false).0,
            "https://kms.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            (KMS.endpoint)("us-east-1", true, false).0,
            "https://kms-fips.us-east-1.amazonaws.com"
        );
    }
}
