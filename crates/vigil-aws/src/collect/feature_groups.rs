//! Feature Store feature groups: every `ListFeatureGroups` page, then one
//! `DescribeFeatureGroup` per group, concurrently.

use super::settings::Answer;
use super::{listed_and_described, named, Limits};
use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::operation::describe_feature_group::DescribeFeatureGroupOutput;
use aws_sdk_sagemaker::operation::list_feature_groups::ListFeatureGroupsOutput;
use aws_sdk_sagemaker::Client;
use std::sync::Arc;
use vigil_core::ResourceKind;
use vigil_core::{Fact, FeatureGroup, Identity, KeyedStore, Resource, RunError};

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    let pages = client.list_feature_groups().max_results(100).into_paginator().send();
    let attempts = limits.max_attempts;
    let names = |page: &ListFeatureGroupsOutput| {
        let groups = page.feature_group_summaries().iter();
        groups
            .map(|g| named(g.feature_group_name(), g.feature_group_arn()))
            .collect()
    };
    listed_and_described(
        pages,
        (region, "sagemaker:ListFeatureGroups"),
        limits,
        progress,
        names,
        |(name, arn)| {
            let client = client.clone();
            async move {
                let answer = Answer::of(ResourceKind::FeatureGroup);
                let described = client
                    .describe_feature_group()
                    .feature_group_name(&name)
                    .customize()
                    .interceptor(answer.clone())
                    .send()
                    .await;
                answer.settle(Resource::FeatureGroup(match described {
                    Ok(out) => from_description(name, arn, &out),
                    Err(err) => FeatureGroup::unreadable(
                        Identity::from_arn(name, arn),
                        &unknown_reason("sagemaker:DescribeFeatureGroup", &err, attempts),
                    ),
                }))
            }
        },
    )
    .await
}

/// Maps a `DescribeFeatureGroup` answer. An online store exists only when
/// enabled (off by default, as AWS applies it); an offline store whenever
/// it is configured.
pub fn from_description(name: String, listed_arn: Option<String>, out: &DescribeFeatureGroupOutput) -> FeatureGroup {
    let arn = out.feature_group_arn().map(str::to_owned).or(listed_arn);
    let key = |key: Option<&str>| key.filter(|k| !k.is_empty()).map(str::to_owned);
    let online = out
        .online_store_config()
        .filter(|c| c.enable_online_store() == Some(true))
        .map(|c| KeyedStore {
            kms_key_id: key(c.security_config().and_then(|s| s.kms_key_id())),
        });
    let offline = out.offline_store_config().map(|c| KeyedStore {
        kms_key_id: key(c.s3_storage_config().and_then(|s| s.kms_key_id())),
    });
    FeatureGroup {
        identity: Identity::from_arn(name, arn),
        online_store: Fact::Known(online),
        offline_store: Fact::Known(offline),
    }
}
