//! SageMaker models: every `ListModels` page, then one `DescribeModel` per
//! model, run concurrently while the next page is fetched.

use super::settings::Answer;
use super::{finished, listing_error, next_page, Limits, PageGuard};
use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::operation::describe_model::DescribeModelOutput;
use aws_sdk_sagemaker::types::ContainerDefinition;
use aws_sdk_sagemaker::Client;
use std::sync::Arc;
use tokio::task::JoinSet;
use vigil_core::model::{Container, SageMakerModel, VpcConfig};
use vigil_core::ResourceKind;
use vigil_core::{Fact, Identity, RunError};

/// Largest page `ListModels` allows: fewest calls.
const PAGE_SIZE: i32 = 100;

pub struct ModelCollection {
    pub models: Vec<SageMakerModel>,
    /// Set when listing stopped early; the models read before it still count.
    pub error: Option<RunError>,
}

pub async fn collect(client: &Client, region: &str, limits: &Limits, progress: &Arc<dyn Progress>) -> ModelCollection {
    let mut pages = client.list_models().max_results(PAGE_SIZE).into_paginator().send();
    let mut describes = JoinSet::new();
    let mut models: Vec<SageMakerModel> = Vec::new();
    let mut error = None;
    let (mut guard, mut unique) = (PageGuard::default(), std::collections::HashSet::new());
    // Describes start while the next page is fetched: the flagship's listing
    // is streamed rather than collected first, unlike the other kinds.
    while let Some(page) = next_page(&mut pages).await {
        match page {
            Ok(page) => {
                progress.found(page.models().len() as u64);
                for summary in page.models() {
                    let name = summary.model_name().unwrap_or_default().to_owned();
                    if !unique.insert(name.clone()) {
                        continue;
                    }
                    let arn = summary.model_arn().map(str::to_owned);
                    let (client, limits, progress) = (client.clone(), limits.clone(), progress.clone());
                    // Spawned only once it may start: each task holds a whole SDK call.
                    let started = limits.started.clone().acquire_owned().await.expect("semaphore closed");
                    models.extend(finished(&mut describes));
                    describes.spawn(async move {
                        let _started = started;
                        let model = describe(&client, name, arn, &limits).await;
                        progress.judged(1);
                        model
                    });
                }
                if let Some(stop) = guard.stop(page.next_token(), region, "sagemaker:ListModels") {
                    error = Some(stop);
                    break;
                }
            }
            Err(err) => {
                error = Some(listing_error(region, "sagemaker:ListModels", &err, limits));
                break;
            }
        }
    }
    models.extend(describes.join_all().await);
    models.sort_by(|a, b| a.identity.name.cmp(&b.identity.name));
    ModelCollection { models, error }
}

async fn describe(client: &Client, name: String, arn: Option<String>, limits: &Limits) -> SageMakerModel {
    let answer = Answer::of(ResourceKind::SageMakerModel);
    let described = client
        .describe_model()
        .model_name(&name)
        .customize()
        .interceptor(answer.clone())
        .send()
        .await;
    let mut model = match described {
        Ok(out) => from_description(name, arn, &out),
        Err(err) => {
            let reason = unknown_reason("sagemaker:DescribeModel", &err, limits.max_attempts);
            SageMakerModel::unreadable(Identity::from_arn(name, arn), &reason)
        }
    };
    answer.fill(&mut model.identity);
    model
}

/// Maps a `DescribeModel` answer onto Vigil's model type.
pub fn from_description(name: String, listed_arn: Option<String>, out: &DescribeModelOutput) -> SageMakerModel {
    let arn = out.model_arn().map(str::to_owned).or(listed_arn);
    let containers = out
        .primary_container()
        .into_iter()
        .chain(out.containers())
        .map(container)
        .collect();
    // An empty VpcConfig (no subnets) does not put a model in a VPC.
    let vpc = out
        .vpc_config()
        .filter(|vpc| !vpc.subnets().is_empty())
        .map(|vpc| VpcConfig {
            subnets: vpc.subnets().to_vec(),
            security_group_ids: vpc.security_group_ids().to_vec(),
        });
    SageMakerModel {
        identity: Identity::from_arn(name, arn),
        // Absent means false: that is what SageMaker applies.
        network_isolation: Fact::Known(out.enable_network_isolation().unwrap_or(false)),
        execution_role_arn: Fact::Known(out.execution_role_arn().map(str::to_owned)),
        execution_role_exists: Fact::unknown(SageMakerModel::ROLE_NOT_LOOKED_UP),
        containers: Fact::Known(containers),
        vpc: Fact::Known(vpc),
    }
}

fn container(def: &ContainerDefinition) -> Container {
    Container {
        image: def.image().map(str::to_owned),
        model_data_url: def.model_data_url().map(str::to_owned),
        model_package_name: def.model_package_name().map(str::to_owned),
        mode: def.mode().map(|m| m.as_str().to_owned()),
        repository_access_mode: Fact::Known(
            def.image_config()
                .and_then(|c| c.repository_access_mode())
                .map(|m| m.as_str().to_owned()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sagemaker::types::VpcConfig as SdkVpc;

    const ARN: &str = "arn:aws:sagemaker:eu-west-1:123456789012:model/fraud-a";

    #[test]
    fn absent_flag_reads_as_false() {
        let out = DescribeModelOutput::builder()
            .model_name("fraud-a")
            .model_arn(ARN)
            .build();
        let model = from_description("fraud-a".into(), None, &out);
        assert_eq!(model.network_isolation, Fact::Known(false));
        assert_eq!(model.identity.region.as_deref(), Some("eu-west-1"));
        assert_eq!(model.identity.account.as_deref(), Some("123456789012"));
    }

    #[test]
    fn empty_vpc_config_is_not_a_vpc() {
        let out = DescribeModelOutput::builder()
            .model_arn(ARN)
            .enable_network_isolation(true)
            .vpc_config(SdkVpc::builder().build())
            .build();
        let model = from_description("fraud-a".into(), None, &out);
        assert_eq!(model.vpc, Fact::Known(None));
        assert_eq!(model.network_isolation, Fact::Known(true));
    }

    #[test]
    fn primary_and_extra_containers_are_all_kept() {
        let out = DescribeModelOutput::builder()
            .model_arn(ARN)
            .containers(ContainerDefinition::builder().image("a").build())
            .containers(ContainerDefinition::builder().image("b").build())
            .vpc_config(SdkVpc::builder().subnets("subnet-1").security_group_ids("sg-1").build())
            .build();
        let model = from_description("fraud-a".into(), None, &out);
        let images: Vec<_> = model
            .containers
            .known()
            .unwrap()
            .iter()
            .map(|c| c.image.clone().unwrap())
            .collect();
        assert_eq!(images, ["a", "b"]);
        assert_eq!(model.vpc.known().unwrap().as_ref().unwrap().subnets, ["subnet-1"]);
    }
}
