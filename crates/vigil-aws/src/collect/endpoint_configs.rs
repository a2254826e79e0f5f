//! SageMaker endpoint configurations: every `ListEndpointConfigs` page,
//! then one `DescribeEndpointConfig` per configuration, concurrently.

use super::settings::Answer;
use super::{listed_and_described, named, Limits};
use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::operation::describe_endpoint_config::DescribeEndpointConfigOutput;
use aws_sdk_sagemaker::operation::list_endpoint_configs::ListEndpointConfigsOutput;
use aws_sdk_sagemaker::Client;
use std::sync::Arc;
use vigil_core::ResourceKind;
use vigil_core::{EndpointConfig, Fact, Identity, ProductionVariant, Resource, RunError};

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    let pages = client.list_endpoint_configs().max_results(100).into_paginator().send();
    let attempts = limits.max_attempts;
    let names = |page: &ListEndpointConfigsOutput| {
        let configs = page.endpoint_configs().iter();
        configs
            .map(|c| named(c.endpoint_config_name(), c.endpoint_config_arn()))
            .collect()
    };
    listed_and_described(
        pages,
        (region, "sagemaker:ListEndpointConfigs"),
        limits,
        progress,
        names,
        |(name, arn)| {
            let client = client.clone();
            async move {
                let answer = Answer::of(ResourceKind::EndpointConfig);
                let described = client
                    .describe_endpoint_config()
                    .endpoint_config_name(&name)
                    .customize()
                    .interceptor(answer.clone())
                    .send()
                    .await;
                answer.settle(Resource::EndpointConfig(match described {
                    Ok(out) => from_description(name, arn, &out),
                    Err(err) => EndpointConfig::unreadable(
                        Identity::from_arn(name, arn),
                        &unknown_reason("sagemaker:DescribeEndpointConfig", &err, attempts),
                    ),
                }))
            }
        },
    )
    .await
}

/// Maps a `DescribeEndpointConfig` answer; capture is on when configured
/// unless `EnableCapture` says otherwise, as AWS applies it.
pub fn from_description(
    name: String,
    listed_arn: Option<String>,
    out: &DescribeEndpointConfigOutput,
) -> EndpointConfig {
    let arn = out.endpoint_config_arn().map(str::to_owned).or(listed_arn);
    let variants = out
        .production_variants()
        .iter()
        .map(|v| ProductionVariant {
            name: v.variant_name().unwrap_or_default().to_owned(),
            serverless: v.serverless_config().is_some(),
            instance_type: Fact::Known(v.instance_type().map(|t| t.as_str().to_owned())),
            initial_instance_count: Fact::Known(v.initial_instance_count().and_then(|n| u32::try_from(n).ok())),
        })
        .collect();
    EndpointConfig {
        identity: Identity::from_arn(name, arn),
        kms_key_id: Fact::Known(out.kms_key_id().filter(|k| !k.is_empty()).map(str::to_owned)),
        data_capture: Fact::Known(
            out.data_capture_config()
                .is_some_and(|c| c.enable_capture() != Some(false)),
        ),
        variants: Fact::Known(variants),
        role_arn: Fact::Known(out.execution_role_arn().map(str::to_owned)),
        role_exists: Fact::unknown(vigil_core::SageMakerModel::ROLE_NOT_LOOKED_UP),
    }
}
