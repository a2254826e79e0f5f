//! Augmented AI flow definitions (human-review workflows): every
//! `ListFlowDefinitions` page, then one `DescribeFlowDefinition` each.

use super::settings::Answer;
use super::{listed_and_described, named, Limits};
use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::operation::describe_flow_definition::DescribeFlowDefinitionOutput;
use aws_sdk_sagemaker::operation::list_flow_definitions::ListFlowDefinitionsOutput;
use aws_sdk_sagemaker::Client;
use std::sync::Arc;
use vigil_core::ResourceKind;
use vigil_core::{Fact, FlowDefinition, Identity, Resource, RunError};

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    let pages = client.list_flow_definitions().max_results(100).into_paginator().send();
    let attempts = limits.max_attempts;
    let names = |page: &ListFlowDefinitionsOutput| {
        let flows = page.flow_definition_summaries().iter();
        flows
            .map(|f| named(f.flow_definition_name(), f.flow_definition_arn()))
            .collect()
    };
    listed_and_described(
        pages,
        (region, "sagemaker:ListFlowDefinitions"),
        limits,
        progress,
        names,
        |(name, arn)| {
            let client = client.clone();
            async move {
                let answer = Answer::of(ResourceKind::FlowDefinition);
                let described = client
                    .describe_flow_definition()
                    .flow_definition_name(&name)
                    .customize()
                    .interceptor(answer.clone())
                    .send()
                    .await;
                answer.settle(Resource::FlowDefinition(match described {
                    Ok(out) => from_description(name, arn, &out),
                    Err(err) => FlowDefinition {
                        identity: Identity::from_arn(name, arn),
                        output_kms_key_id: Fact::Unknown(unknown_reason(
                            "sagemaker:DescribeFlowDefinition",
                            &err,
                            attempts,
                        )),
                    },
                }))
            }
        },
    )
    .await
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
