//! SageMaker HyperPod clusters: every `ListClusters` page, then one
//! `DescribeCluster` per cluster, concurrently.

use super::settings::Answer;
use super::{listed_and_described, named, Limits};
use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::operation::describe_cluster::DescribeClusterOutput;
use aws_sdk_sagemaker::operation::list_clusters::ListClustersOutput;
use aws_sdk_sagemaker::types::ClusterInstanceStorageConfig;
use aws_sdk_sagemaker::Client;
use std::sync::Arc;
use vigil_core::ResourceKind;
use vigil_core::{ClusterInstanceGroup, ClusterVolume, Fact, HyperPodCluster, Identity, Resource, RunError};

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    let pages = client.list_clusters().max_results(100).into_paginator().send();
    let attempts = limits.max_attempts;
    let names = |page: &ListClustersOutput| {
        let clusters = page.cluster_summaries().iter();
        clusters.map(|c| named(c.cluster_name(), c.cluster_arn())).collect()
    };
    listed_and_described(
        pages,
        (region, "sagemaker:ListClusters"),
        limits,
        progress,
        names,
        |(name, arn)| {
            let client = client.clone();
            async move {
                let answer = Answer::of(ResourceKind::HyperPodCluster);
                let described = client
                    .describe_cluster()
                    .cluster_name(&name)
                    .customize()
                    .interceptor(answer.clone())
                    .send()
                    .await;
                answer.settle(Resource::HyperPodCluster(match described {
                    Ok(out) => from_description(name, arn, &out),
                    Err(err) => HyperPodCluster::unreadable(
                        Identity::from_arn(name, arn),
                        &unknown_reason("sagemaker:DescribeCluster", &err, attempts),
                    ),
                }))
            }
        },
    )
    .await
}

/// Maps a `DescribeCluster` answer: each instance group's EBS volume
/// configurations (`RootVolume` absent is the secondary volume).
pub fn from_description(name: String, listed_arn: Option<String>, out: &DescribeClusterOutput) -> HyperPodCluster {
    let arn = out.cluster_arn().map(str::to_owned).or(listed_arn);
    let groups = out
        .instance_groups()
        .iter()
        .map(|group| ClusterInstanceGroup {
            name: group.instance_group_name().unwrap_or_default().to_owned(),
            volumes: Fact::Known(
                group
                    .instance_storage_configs()
                    .iter()
                    .filter_map(|config| match config {
                        ClusterInstanceStorageConfig::EbsVolumeConfig(ebs) => Some(ClusterVolume {
                            root: ebs.root_volume() == Some(true),
                            kms_key_id: ebs.volume_kms_key_id().filter(|k| !k.is_empty()).map(str::to_owned),
                        }),
                        _ => None,
                    })
                    .collect(),
            ),
        })
        .collect();
    HyperPodCluster {
        identity: Identity::from_arn(name, arn),
        instance_groups: Fact::Known(groups),
    }
}
