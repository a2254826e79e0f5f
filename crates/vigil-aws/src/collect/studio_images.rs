//! SageMaker images and app image configurations (the custom images Studio
//! runs): every `ListImages` and `ListAppImageConfigs` page, then each
//! one's tags (`ListTags`), which no describe call returns. `vigil watch`
//! describes one by name (`DescribeImage`, `DescribeAppImageConfig`) and
//! reads its tags here.

use super::{describe_each, list_pages, tags, Limits};
use crate::progress::Progress;
use aws_sdk_sagemaker::Client;
use std::sync::Arc;
use vigil_core::{Fact, Identity, Resource, RunError, StudioImage};

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Vec<RunError>) {
    let pages = client.list_images().max_results(100).into_paginator().send();
    let (images, image_error) = list_pages(pages, limits, region, "sagemaker:ListImages", |page| {
        let images = page.images().iter();
        images
            .map(|i| {
                let name = i.image_name().unwrap_or_default().to_owned();
                (StudioImage::IMAGE, name, i.image_arn().map(str::to_owned))
            })
            .collect()
    })
    .await;
    let pages = client.list_app_image_configs().max_results(100).into_paginator().send();
    let (configs, config_error) = list_pages(pages, limits, region, "sagemaker:ListAppImageConfigs", |page| {
        let configs = page.app_image_configs().iter();
        configs
            .map(|c| {
                let name = c.app_image_config_name().unwrap_or_default().to_owned();
                (
                    StudioImage::APP_IMAGE_CONFIG,
                    name,
                    c.app_image_config_arn().map(str::to_owned),
                )
            })
            .collect()
    })
    .await;
    let attempts = limits.max_attempts;
    let listed = images.into_iter().chain(configs).collect();
    let found = describe_each(listed, limits, progress, |(type_name, name, arn)| {
        let client = client.clone();
        async move {
            let tag_keys = tag_keys(&client, arn.as_deref(), attempts).await;
            Resource::StudioImage(StudioImage {
                identity: Identity::from_arn(name, arn),
                type_name,
                tag_keys,
            })
        }
    })
    .await;
    (found, image_error.into_iter().chain(config_error).collect())
}

pub(crate) async fn tag_keys(client: &Client, arn: Option<&str>, attempts: u32) -> Fact<Vec<String>> {
    let Some(arn) = arn else {
        return Fact::unknown("the listing gave no ARN to read its tags by");
    };
    match tags(client, arn, attempts).await {
        Ok(tags) => Fact::Known(tags.into_keys().collect()),
        Err(why) => Fact::Unknown(why),
    }
}
