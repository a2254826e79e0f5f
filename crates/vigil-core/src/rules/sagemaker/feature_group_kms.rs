//! `sagemaker-feature-group-kms`: each store a feature group has, online and
//! offline, is encrypted with a key the customer manages.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{FeatureGroup, KeyedStore, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{judge_key, lacking};

pub static RULE: Rule = Rule {
    id: "sagemaker-feature-group-kms",
    aliases: &[],
    title: "Encrypt SageMaker Feature Store Online and Offline Stores with Customer-Managed KMS Keys",
    fails_when: "a feature group's online store names no customer-managed key in `OnlineStoreConfig.SecurityConfig.KmsKeyId`, or its offline store none in `OfflineStoreConfig.S3StorageConfig.KmsKeyId`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::FeatureGroup,
    property: FeatureGroup::OFFLINE_KMS_KEY_ID,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["SageMaker.17", "SageMaker.18"],
        aws_config: &[],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

/// The stores as findings name them.
const ONLINE: &str = "its online store (OnlineStoreConfig.SecurityConfig.KmsKeyId)";
const OFFLINE: &str = "its offline store in S3 (OfflineStoreConfig.S3StorageConfig.KmsKeyId)";

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::FeatureGroup(group) = resource else {
        return None;
    };
    let name = &group.identity.name;
    let stores = [(ONLINE, &group.online_store), (OFFLINE, &group.offline_store)];
    let mut missing = Vec::new();
    let mut unread = None;
    let mut notes = Vec::new();
    for (what, store) in stores {
        let judged = match store {
            Fact::Known(Some(store)) => judge_key(&group.identity.keys, store.kms_key_id.as_deref()),
            Fact::Known(None) => continue,
            Fact::Unknown(why) => Fact::Unknown(why.clone()),
        };
        match judged {
            Fact::Known(Ok(note)) => notes.extend(note),
            Fact::Known(Err(fault)) => missing.push(lacking(what, &fault)),
            Fact::Unknown(why) => unread = unread.or(Some(why)),
        }
    }
    let has = |store: &Fact<Option<KeyedStore>>| matches!(store, Fact::Known(Some(_)));
    Some(match (missing.is_empty(), unread) {
        (false, _) => Verdict {
            status: Status::Fail,
            message: format!(
                "Feature group {name} has no usable customer-managed KMS key for {}.",
                missing.join(" nor for ")
            ),
        },
        (true, Some(why)) => Verdict::unknown(why, format!("The stores of feature group {name} could not be read.")),
        (true, None) => Verdict {
            status: Status::Pass,
            message: std::iter::once(match (has(&group.online_store), has(&group.offline_store)) {
                (true, true) => format!("Feature group {name} encrypts its online and offline stores with customer-managed keys."),
                (true, false) => format!("Feature group {name} encrypts its online store (it has no offline store) with a customer-managed key."),
                (false, true) => format!("Feature group {name} encrypts its offline store (it has no online store) with a customer-managed key."),
                (false, false) => format!("Feature group {name} has neither an online nor an offline store: it keeps nothing at rest."),
            })
            .chain(notes)
            .collect::<Vec<_>>()
            .join(" "),
        },
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker Feature Store feature group names a KMS key of \
your own for each store it has: the online store \
(`OnlineStoreConfig.SecurityConfig.KmsKeyId`, when `EnableOnlineStore` is \
`true`) and the offline store in S3 \
(`OfflineStoreConfig.S3StorageConfig.KmsKeyId`). The finding says which \
store lacks one. A store the group does not have is not judged. A key named \
by its `alias/aws/…` alias is AWS managed and fails. Security Hub checks the \
two stores as two controls (SageMaker.17 offline, SageMaker.18 online).",
    why: "\
Feature groups hold the features models are trained and served on: customer \
attributes, transaction histories, behavioural aggregates, often the most \
sensitive data an ML platform keeps, and the offline store keeps every \
version of every record. Without keys of your own, the online store is \
encrypted with a key AWS owns and the offline store with an AWS managed key: \
you cannot narrow who may use them, see their use apart, or disable them to \
cut off access in an incident. With a customer-managed key, reading a \
record or an offline-store object also needs your key policy's consent, \
even across accounts.

Risk level Medium: the data is encrypted either way; what is missing is \
control over the key.",
    audit_console: "\
1. Open **Data > Feature Store** in SageMaker Studio and open each feature \
group's **Details**.
2. Where the online store is enabled, its *KMS key* must name a key of \
yours; so must the offline store's *S3 KMS key*.
3. Repeat in every region.",
    audit_cli: "\
```sh
for g in $(aws sagemaker list-feature-groups --query 'FeatureGroupSummaries[].FeatureGroupName' --output text); do
  aws sagemaker describe-feature-group --feature-group-name \"$g\" --output text \\
    --query '[FeatureGroupName, OnlineStoreConfig.EnableOnlineStore, OnlineStoreConfig.SecurityConfig.KmsKeyId, OfflineStoreConfig.S3StorageConfig.KmsKeyId]'
done
```

An enabled online store (`True`) with `None`, or an offline store with \
`None`, fails.",
    remediate_console: "\
A feature group's keys are set when it is created and cannot be changed. \
Create a new feature group with the same feature definitions and a key for \
each store (**Create feature group**, *Online store encryption key* and \
*Offline store encryption key*), ingest into it, move readers and writers to \
it, then delete the old one.",
    remediate_cli: "\
Copy the group's definition with a key for each store, then, once its \
records are re-ingested and its users moved, delete the old one:

```sh
KEY=$(aws kms create-key --description \"SageMaker Feature Store\" --query KeyMetadata.Arn --output text)
aws sagemaker describe-feature-group --feature-group-name customers \\
  | jq --arg key \"$KEY\" '{RecordIdentifierFeatureName, EventTimeFeatureName, FeatureDefinitions,
         OnlineStoreConfig, OfflineStoreConfig, ThroughputConfig, RoleArn, Description}
        | with_entries(select(.value != null))
        | .FeatureGroupName = \"customers-kms\"
        | if .OnlineStoreConfig.EnableOnlineStore then .OnlineStoreConfig.SecurityConfig.KmsKeyId = $key else . end
        | if .OfflineStoreConfig then .OfflineStoreConfig.S3StorageConfig.KmsKeyId = $key
            | del(.OfflineStoreConfig.S3StorageConfig.ResolvedOutputS3Uri, .OfflineStoreConfig.DataCatalogConfig)
          else . end' > customers-kms.json
aws sagemaker create-feature-group --cli-input-json file://customers-kms.json
# re-ingest the records, move readers and writers, then:
aws sagemaker delete-feature-group --feature-group-name customers
```

The role that creates the group, and every caller of `PutRecord` and \
`GetRecord`, needs the key policy's consent (`kms:Decrypt` at least).",
    remediate_cloudformation: "\
```yaml
Customers:
  Type: AWS::SageMaker::FeatureGroup
  Properties:
    FeatureGroupName: customers-kms
    RecordIdentifierFeatureName: customer_id
    EventTimeFeatureName: event_time
    FeatureDefinitions:
      - { FeatureName: customer_id, FeatureType: String }
      - { FeatureName: event_time, FeatureType: String }
    OnlineStoreConfig:
      EnableOnlineStore: true
      SecurityConfig:
        KmsKeyId: !Ref FeatureKey
    OfflineStoreConfig:
      S3StorageConfig:
        S3Uri: s3://acme-features/
        KmsKeyId: !Ref FeatureKey
    RoleArn: !GetAtt FeatureStoreRole.Arn
```

Both keys replace the feature group: CloudFormation creates a new, empty \
one, so give it a new name and re-ingest before removing the old.",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_feature_group\" \"customers\" {
  feature_group_name             = \"customers-kms\"
  record_identifier_feature_name = \"customer_id\"
  event_time_feature_name        = \"event_time\"
  role_arn                       = aws_iam_role.feature_store.arn

  feature_definition {
    feature_name = \"customer_id\"
    feature_type = \"String\"
  }
  feature_definition {
    feature_name = \"event_time\"
    feature_type = \"String\"
  }

  online_store_config {
    enable_online_store = true
    security_config {
      kms_key_id = aws_kms_key.features.arn
    }
  }
  offline_store_config {
    s3_storage_config {
      s3_uri     = \"s3://acme-features/\"
      kms_key_id = aws_kms_key.features.arn
    }
  }
}
```",
    references: &[
        (
            "SageMaker Feature Store: security and access control",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-security.html",
        ),
        (
            "SageMaker API: OnlineStoreSecurityConfig",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_OnlineStoreSecurityConfig.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Identity;

    const KEY: &str = "arn:aws:kms:eu-west-1:123456789012:key/k";

    fn store(key: Option<&str>) -> Fact<Option<KeyedStore>> {
        Fact::Known(Some(KeyedStore {
            kms_key_id: key.map(str::to_owned),
        }))
    }

    fn verdict(online: Fact<Option<KeyedStore>>, offline: Fact<Option<KeyedStore>>) -> (&'static str, String) {
        let group = FeatureGroup {
            identity: Identity::declared("customers".into()),
            online_store: online,
            offline_store: offline,
        };
        let v = check(&crate::rules::kms::as_customer_keys(Resource::FeatureGroup(group))).unwrap();
        (v.status.as_str(), v.message)
    }

    #[test]
    fn each_store_it_has_needs_a_customer_managed_key() {
        assert_eq!(verdict(store(Some(KEY)), store(Some(KEY))).0, "pass");
        let (s, why) = verdict(store(None), store(Some(KEY)));
        assert_eq!(s, "fail");
        assert!(why.contains("online store") && !why.contains("offline"), "{why}");
        let (s, why) = verdict(store(Some(KEY)), store(Some("alias/aws/s3")));
        assert_eq!(s, "fail");
        assert!(
            why.contains("S3StorageConfig") && !why.contains("SecurityConfig"),
            "{why}"
        );
        let (_, why) = verdict(store(None), store(None));
        assert!(why.contains("online store") && why.contains("offline store"), "{why}");
    }

    #[test]
    fn a_store_it_does_not_have_is_not_judged() {
        let (s, why) = verdict(Fact::Known(None), store(Some(KEY)));
        assert_eq!(s, "pass");
        assert!(why.contains("no online store"), "{why}");
        assert_eq!(verdict(store(None), Fact::Known(None)).0, "fail");
    }

    #[test]
    fn what_could_not_be_read_is_unknown_unless_the_other_store_fails() {
        assert_eq!(verdict(Fact::unknown("x"), store(Some(KEY))).0, "unknown");
        assert_eq!(verdict(Fact::unknown("x"), store(None)).0, "fail");
    }
}
