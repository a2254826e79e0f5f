//! `sagemaker-hyperpod-cluster-kms`: every EBS volume of a HyperPod
//! cluster's instances, root and secondary, is encrypted with a key the
//! customer manages.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{ClusterInstanceGroup, HyperPodCluster, KmsKeys, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use crate::rules::kms::{judge_key, lacking, KeyUse};

pub static RULE: Rule = Rule {
    id: "sagemaker-hyperpod-cluster-kms",
    aliases: &[],
    title: "Encrypt SageMaker HyperPod Cluster Volumes with Customer-Managed KMS Keys",
    fails_when: "an instance group of a HyperPod cluster has no root-volume `EbsVolumeConfig` with a customer-managed `VolumeKmsKeyId`, or a secondary EBS volume without one",
    risk: RiskLevel::Medium,
    categories: &["Security", "Encryption"],
    resource_kind: ResourceKind::HyperPodCluster,
    property: HyperPodCluster::INSTANCE_GROUPS,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::KeyStanding,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &[],
        checkov: &[],
        conformity: &["HyperPod Clusters Encrypted with KMS CMKs"],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::HyperPodCluster(cluster) = resource else {
        return None;
    };
    let name = &cluster.identity.name;
    let unread = |why: &String| {
        let message = format!("The volume keys of HyperPod cluster {name} could not be read.");
        Some(Verdict::unknown(why.clone(), message))
    };
    let groups = match &cluster.instance_groups {
        Fact::Known(groups) => groups,
        Fact::Unknown(why) => return unread(why),
    };
    let mut missing = Vec::new();
    let mut notes = Vec::new();
    for group in groups {
        match unkeyed(&cluster.identity.keys, group) {
            Fact::Known((lacking, noted)) => {
                missing.extend(lacking);
                notes.extend(noted);
            }
            Fact::Unknown(why) => return unread(&why),
        }
    }
    Some(match missing.is_empty() {
        true => Verdict {
            status: Status::Pass,
            message: std::iter::once(format!(
                "HyperPod cluster {name} encrypts the root and secondary EBS volumes of every instance group with customer-managed keys."
            ))
            .chain(notes)
            .collect::<Vec<_>>()
            .join(" "),
        },
        false => Verdict {
            status: Status::Fail,
            message: format!(
                "HyperPod cluster {name} has no usable customer-managed KMS key for {}.",
                missing.join(", ")
            ),
        },
    })
}

/// The volumes of a group without a key of the customer's, as findings name them.
/// What of the group's volumes lacks a usable customer-managed key (its
/// root volumes when none of them has one, its secondary volumes when any
/// lacks one), and the notes of keys only KMS can confirm; unknown when a
/// key that decides it could not be judged and nothing is missing.
fn unkeyed(keys: &KmsKeys, group: &ClusterInstanceGroup) -> Fact<(Vec<String>, Vec<String>)> {
    let volumes = match &group.volumes {
        Fact::Known(volumes) => volumes,
        Fact::Unknown(why) => return Fact::Unknown(why.clone()),
    };
    let judged: Vec<(bool, KeyUse)> = volumes
        .iter()
        .map(|v| (v.root, judge_key(keys, v.kms_key_id.as_deref())))
        .collect();
    let notes = judged
        .iter()
        .filter_map(|(_, key)| match key {
            Fact::Known(Ok(note)) => note.clone(),
            _ => None,
        })
        .collect();
    let fault = |root: bool| {
        judged.iter().find_map(|(r, key)| match key {
            Fact::Known(Err(fault)) if *r == root => Some(fault.clone()),
            _ => None,
        })
    };
    let unread = |root: bool| {
        judged.iter().find_map(|(r, key)| match key {
            Fact::Unknown(why) if *r == root => Some(why.clone()),
            _ => None,
        })
    };
    let root_keyed = judged.iter().any(|(root, key)| *root && matches!(key, Fact::Known(Ok(_))));
    let mut missing = Vec::new();
    let mut unknown = None;
    if !root_keyed {
        match unread(true) {
            Some(why) => unknown = Some(why),
            None => {
                let fault = fault(true).unwrap_or_else(|| "no key of its own".to_owned());
                missing.push(lacking(&format!("the root volumes of instance group {}", group.name), &fault));
            }
        }
    }
    if let Some(fault) = fault(false) {
        missing.push(lacking(&format!("the secondary volumes of instance group {}", group.name), &fault));
    }
    match (missing.is_empty(), unknown.or_else(|| unread(false))) {
        (true, Some(why)) => Fact::Unknown(why),
        _ => Fact::Known((missing, notes)),
    }
}

const ARTICLE: Article = Article {
    what: "\
Checks that every instance group of each SageMaker HyperPod cluster \
encrypts its instances' EBS volumes with a KMS key of your own: the root \
volume, through an `EbsVolumeConfig` storage configuration with \
`RootVolume: true` and a `VolumeKmsKeyId`, and every secondary volume (the \
one mounted at `/opt/sagemaker`) through its `VolumeKmsKeyId`. The finding \
names each group and volume that lacks one. Without a root-volume \
configuration, AWS encrypts the root volume with a key it owns, and the \
group fails.",
    why: "\
HyperPod clusters run long training and fine-tuning jobs on fleets of \
accelerated instances. Their volumes hold training data shards, \
checkpoints (the model itself, saved every few minutes), container images \
and logs. Without keys of your own they are encrypted with keys AWS owns: \
you cannot narrow who may use them, see their use in CloudTrail, or disable \
them to cut off access to a leaked snapshot. With a customer-managed key, \
every volume and snapshot is readable only as your key policy allows.

Risk level Medium: the data is encrypted either way; what is missing is \
control over the key.",
    audit_console: "\
1. Open **HyperPod Clusters > Cluster management** in the SageMaker console \
and open each cluster.
2. For each instance group, the storage settings must name a KMS key of \
yours for the root volume and for the additional EBS volume.
3. Repeat in every region.",
    audit_cli: "\
```sh
for c in $(aws sagemaker list-clusters --query 'ClusterSummaries[].ClusterName' --output text); do
  aws sagemaker describe-cluster --cluster-name \"$c\" --output json \\
    --query 'InstanceGroups[].[InstanceGroupName, InstanceStorageConfigs[].EbsVolumeConfig]' \\
    | jq -c --arg c \"$c\" '.[] | [$c] + .'
done
```

A group without an `EbsVolumeConfig` that has `\"RootVolume\": true` and a \
`VolumeKmsKeyId`, or with a secondary one without `VolumeKmsKeyId`, fails.",
    remediate_console: "\
Volume keys are set when an instance group is created. Add a new instance \
group with the keys set in its storage configuration (**Edit** cluster, \
**Add instance group**), move the work onto it, then remove the old group; \
or create a new cluster with keys for every group.",
    remediate_cli: "\
Add a keyed copy of the instance group, move the work onto it, then delete \
the old group (here `workers` of cluster `llm-train`):

```sh
KEY=$(aws kms create-key --description \"HyperPod volumes\" --query KeyMetadata.Arn --output text)
aws sagemaker describe-cluster --cluster-name llm-train --query InstanceGroups \\
  | jq --arg key \"$KEY\" --arg group workers '
      [.[] | {InstanceGroupName, InstanceType, InstanceCount: .TargetCount, LifeCycleConfig,
              ExecutionRole, ThreadsPerCore, InstanceStorageConfigs}
           | with_entries(select(.value != null and .value != []))]
      | . + [.[] | select(.InstanceGroupName == $group)
             | .InstanceGroupName += \"-kms\"
             | .InstanceStorageConfigs = [{EbsVolumeConfig: {RootVolume: true, VolumeKmsKeyId: $key}},
                                          {EbsVolumeConfig: {VolumeSizeInGB: 500, VolumeKmsKeyId: $key}}]]' > groups.json
aws sagemaker update-cluster --cluster-name llm-train --instance-groups file://groups.json
# once the jobs run on workers-kms:
jq '[.[] | select(.InstanceGroupName != \"workers\")]' groups.json > kept.json
aws sagemaker update-cluster --cluster-name llm-train --instance-groups file://kept.json \\
  --instance-groups-to-delete workers
```

The cluster's execution roles need `kms:CreateGrant`, `kms:Decrypt` and \
`kms:GenerateDataKey*` on the key.",
    remediate_cloudformation: "\
```yaml
LlmTrain:
  Type: AWS::SageMaker::Cluster
  Properties:
    ClusterName: llm-train
    InstanceGroups:
      - InstanceGroupName: workers
        InstanceType: ml.p5.48xlarge
        InstanceCount: 4
        ExecutionRole: !GetAtt ClusterRole.Arn
        LifeCycleConfig:
          SourceS3Uri: s3://sagemaker-lifecycle/llm-train/
          OnCreate: on_create.sh
        InstanceStorageConfigs:
          - EbsVolumeConfig:
              RootVolume: true
              VolumeKmsKeyId: !Ref ClusterKey
          - EbsVolumeConfig:
              VolumeSizeInGB: 500
              VolumeKmsKeyId: !Ref ClusterKey
```",
    remediate_terraform: "\
The AWS provider for Terraform has no HyperPod cluster resource; clusters \
declared through the Cloud Control provider (`awscc_sagemaker_cluster`) \
take the same `instance_storage_configs` as CloudFormation. Vigil does not \
read `awscc` resources.",
    references: &[
        (
            "SageMaker API: ClusterEbsVolumeConfig",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ClusterEbsVolumeConfig.html",
        ),
        (
            "SageMaker HyperPod: customer managed AWS KMS key encryption",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/smcluster-cmk.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClusterVolume, Identity};

    const KEY: &str = "arn:aws:kms:eu-west-1:123456789012:key/k";

    fn volume(root: bool, key: Option<&str>) -> ClusterVolume {
        ClusterVolume {
            root,
            kms_key_id: key.map(str::to_owned),
        }
    }

    fn verdict(groups: Vec<(&str, Fact<Vec<ClusterVolume>>)>) -> (&'static str, String) {
        let cluster = HyperPodCluster {
            identity: Identity::declared("llm".into()),
            instance_groups: Fact::Known(
                groups
                    .into_iter()
                    .map(|(name, volumes)| ClusterInstanceGroup {
                        name: name.into(),
                        volumes,
                    })
                    .collect(),
            ),
        };
        let v = check(&crate::rules::kms::as_customer_keys(Resource::HyperPodCluster(cluster))).unwrap();
        (v.status.as_str(), v.message)
    }

    #[test]
    fn every_group_needs_keyed_root_and_secondary_volumes() {
        let keyed = vec![volume(true, Some(KEY)), volume(false, Some(KEY))];
        assert_eq!(verdict(vec![("a", Fact::Known(keyed.clone()))]).0, "pass");
        let (s, why) = verdict(vec![
            ("a", Fact::Known(keyed)),
            ("b", Fact::Known(vec![volume(false, Some(KEY))])),
        ]);
        assert_eq!(s, "fail");
        assert!(
            why.contains("root volumes of instance group b") && !why.contains("group a"),
            "{why}"
        );
        let (_, why) = verdict(vec![(
            "c",
            Fact::Known(vec![volume(true, Some(KEY)), volume(false, None)]),
        )]);
        assert!(
            why.contains("secondary volumes of instance group c") && !why.contains("root"),
            "{why}"
        );
        let (_, why) = verdict(vec![("d", Fact::Known(vec![volume(true, Some("alias/aws/ebs"))]))]);
        assert!(why.contains("root volumes of instance group d"), "{why}");
        // One keyed root volume is enough, wherever it stands.
        let (s, why) = verdict(vec![(
            "e",
            Fact::Known(vec![volume(true, Some(KEY)), volume(true, None)]),
        )]);
        assert_eq!(s, "pass", "{why}");
    }

    #[test]
    fn what_could_not_be_read_is_unknown() {
        assert_eq!(verdict(vec![("a", Fact::unknown("x"))]).0, "unknown");
    }
}
