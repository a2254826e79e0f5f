//! Augmented AI flow definitions (human-review workflows): every
//! `ListFlowDefinitions` page, then one `DescribeFlowDefinition` each.

use super::{describe_each, list_pages, Limits};
use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::operation::describe_flow_definition::DescribeFlowDefinitionOutput;
use aws_sdk_sagemaker::Client;
use std::sync::Arc;
use vigil_core::{Fact, FlowDefinition, Identity, Resource, RunError};

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    let pages = client.list_flow_definitions().max_results(100).into_paginator().send();
    let (listed, error) = list_pages(pages, limits, region, "sagemaker:ListFlowDefinitions", |page| {
        let flows = page.flow_definition_summaries().iter();
        flows
            .map(|f| {
                (
                    f.flow_definition_name().unwrap_or_default().to_owned(),
                    f.flow_definition_arn().map(str::to_owned),
                )
            })
            .collect()
    })
    .await;
    let attempts = limits.max_attempts;
    let flows = describe_each(listed, limits, progress, |(name, arn)| {
        let client = client.clone();
        async move {
            let described = client
                .describe_flow_definition()
                .flow_definition_name(&name)
                .send()
                .await;
            Resource::FlowDefinition(match described {
                Ok(out) => from_description(name, arn, &out),
                Err(err) => FlowDefinition {
                    identity: Identity::from_arn(name, arn),
                    output_kms_key_id: Fact::Unknown(unknown_reason(
                        "sagemaker:DescribeFlowDefinition",
                        &err,
                        attempts,
                    )),
                },
            })
        }
    })
    .await;
    (flows, error)
}

pub fn from_description(
    name: String,
    listed_arn: Option<String>,
    out: &DescribeFlowDefinitionOutput,
) -> FlowDefinition {
    let arn = out.flow_definition_arn().map(str::to_owned).or(listed_arn);
    let key = out
        .output_config()
        .and_then(|o| o.kms_key_id())
        .filter(|k| !k.is_empty());
    FlowDefinition {
        identity: Identity::from_arn(name, arn),
        output_kms_key_id: Fact::Known(key.map(str::to_owned)),
    }
}
