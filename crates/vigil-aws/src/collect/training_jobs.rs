//! SageMaker training jobs created inside the audit window, of every status:
//! `ListTrainingJobs` pages (filtered by creation time on the server and, in
//! case an endpoint ignores the filter, here too), then one
//! `DescribeTrainingJob` per job.

use super::settings::Answer;
use super::{created_since, describe_each, list_pages, Limits};
use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::operation::describe_training_job::DescribeTrainingJobOutput;
use aws_sdk_sagemaker::Client;
use aws_smithy_types::DateTime;
use std::sync::Arc;
use std::time::SystemTime;
use vigil_core::ResourceKind;
use vigil_core::{Fact, Identity, Resource, RunError, TrainingJob, VpcConfig};

pub async fn collect(
    client: &Client,
    region: &str,
    since: SystemTime,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    let after = DateTime::from(since);
    let pages = client
        .list_training_jobs()
        .creation_time_after(after)
        .max_results(100)
        .into_paginator()
        .send();
    let (listed, error) = list_pages(pages, limits, region, "sagemaker:ListTrainingJobs", |page| {
        created_since(page.training_job_summaries(), &after, |s| {
            (s.creation_time(), s.training_job_name(), s.training_job_arn())
        })
    })
    .await;
    let attempts = limits.max_attempts;
    let jobs = describe_each(listed, limits, progress, |(name, arn)| {
        let client = client.clone();
        async move {
            let answer = Answer::of(ResourceKind::TrainingJob);
            let described = client
                .describe_training_job()
                .training_job_name(&name)
                .customize()
                .interceptor(answer.clone())
                .send()
                .await;
            let mut job = match described {
                Ok(out) => from_description(name, arn, &out),
                Err(err) => {
                    let reason = unknown_reason("sagemaker:DescribeTrainingJob", &err, attempts);
                    TrainingJob::unreadable(Identity::from_arn(name, arn), &reason)
                }
            };
            answer.fill(&mut job.identity);
            job
        }
    })
    .await;
    (jobs.into_iter().map(Resource::TrainingJob).collect(), error)
}

/// Maps a `DescribeTrainingJob` answer; absent flags are false, as on AWS.
pub fn from_description(name: String, listed_arn: Option<String>, out: &DescribeTrainingJobOutput) -> TrainingJob {
    let arn = out.training_job_arn().map(str::to_owned).or(listed_arn);
    let instances = out.resource_config().map(|rc| {
        let groups: i32 = rc.instance_groups().iter().filter_map(|g| g.instance_count()).sum();
        (rc.instance_count().unwrap_or(0) + groups).max(0) as u32
    });
    TrainingJob {
        identity: Identity::from_arn(name, arn),
        network_isolation: Fact::Known(out.enable_network_isolation().unwrap_or(false)),
        vpc: Fact::Known(out.vpc_config().filter(|v| !v.subnets().is_empty()).map(|v| VpcConfig {
            subnets: v.subnets().to_vec(),
            security_group_ids: v.security_group_ids().to_vec(),
        })),
        inter_container_encryption: Fact::Known(out.enable_inter_container_traffic_encryption().unwrap_or(false)),
        instance_count: instances.map_or_else(
            || Fact::unknown("DescribeTrainingJob gave no ResourceConfig"),
            Fact::Known,
        ),
        instance_types: out.resource_config().map_or_else(
            || Fact::unknown("DescribeTrainingJob gave no ResourceConfig"),
            |rc| {
                let types = rc
                    .instance_type()
                    .into_iter()
                    .chain(rc.instance_groups().iter().filter_map(|g| g.instance_type()));
                Fact::Known(types.map(|t| t.as_str().to_owned()).collect())
            },
        ),
        volume_kms_key_id: Fact::Known(key(out.resource_config().and_then(|rc| rc.volume_kms_key_id()))),
        output_kms_key_id: Fact::Known(key(out.output_data_config().and_then(|o| o.kms_key_id()))),
        role_arn: Fact::Known(out.role_arn().map(str::to_owned)),
        role_exists: Fact::unknown(vigil_core::SageMakerModel::ROLE_NOT_LOOKED_UP),
    }
}

/// A key id as described; empty is none.
fn key(id: Option<&str>) -> Option<String> {
    id.filter(|k| !k.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sagemaker::types::{InstanceGroup, ResourceConfig};

    #[test]
    fn instance_groups_count_towards_distributed_training() {
        let out = DescribeTrainingJobOutput::builder()
            .resource_config(
                ResourceConfig::builder()
                    .instance_groups(InstanceGroup::builder().instance_count(2).build())
                    .instance_groups(InstanceGroup::builder().instance_count(1).build())
                    .build(),
            )
            .build();
        let job = from_description("j".into(), None, &out);
        assert_eq!(job.instance_count, Fact::Known(3));
        assert_eq!(job.network_isolation, Fact::Known(false));
        assert_eq!(job.vpc, Fact::Known(None));
    }
}
