//! `AWS::SageMaker::Cluster` (HyperPod). The AWS provider for Terraform
//! declares no HyperPod cluster, so this kind is CloudFormation only.

use super::{CfnType, Declared, Kind};
use vigil_core::model::{ClusterInstanceGroup, ClusterVolume, HyperPodCluster, Identity};
use vigil_core::{Fact, Resource, ResourceKind};

pub static KIND: Kind = Kind {
    resource_kind: ResourceKind::HyperPodCluster,
    cloudformation: &[CfnType::named("AWS::SageMaker::Cluster")],
    terraform: &[],
    properties: &[HyperPodCluster::INSTANCE_GROUPS],
    fixes: &[],
    build,
};

fn build(declared: &Declared) -> Resource {
    let groups = declared.each(&HyperPodCluster::INSTANCE_GROUPS, |group| {
        let configs = group.each(&HyperPodCluster::STORAGE_CONFIGS, |config| {
            // Only EBS configurations carry a volume key (FSx ones are mounts).
            config.written(&HyperPodCluster::EBS_VOLUME).map(|_| {
                // A key chosen at deployment (a reference, a parameter) is still a key.
                let kms_key_id = config.key(&HyperPodCluster::VOLUME_KMS_KEY_ID);
                config
                    .flag(&HyperPodCluster::ROOT_VOLUME)
                    .map(|root| ClusterVolume { root, kms_key_id })
            })
        });
        let volumes = match configs {
            Fact::Known(configs) => known_all(configs.into_iter().flatten()),
            Fact::Unknown(why) => Fact::Unknown(why),
        };
        ClusterInstanceGroup {
            name: group.name(&HyperPodCluster::GROUP_NAME),
            volumes,
        }
    });
    Resource::HyperPodCluster(HyperPodCluster {
        identity: Identity::declared(declared.name(&HyperPodCluster::NAME)),
        instance_groups: groups,
    })
}

/// Every value, or the first reason one is unknown.
fn known_all<T>(facts: impl Iterator<Item = Fact<T>>) -> Fact<Vec<T>> {
    let mut values = Vec::new();
    for fact in facts {
        match fact {
            Fact::Known(value) => values.push(value),
            Fact::Unknown(why) => return Fact::Unknown(why),
        }
    }
    Fact::Known(values)
}
