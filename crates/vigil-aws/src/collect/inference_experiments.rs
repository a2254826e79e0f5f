//! Shadow-mode inference experiments: every `ListInferenceExperiments`
//! page, then one `DescribeInferenceExperiment` per experiment.

use super::settings::Answer;
use super::{describe_each, list_pages, Limits};
use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::operation::describe_inference_experiment::DescribeInferenceExperimentOutput;
use aws_sdk_sagemaker::Client;
use std::sync::Arc;
use vigil_core::ResourceKind;
use vigil_core::{Fact, Identity, InferenceExperiment, KeyedStore, Resource, RunError};

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    let pages = client
        .list_inference_experiments()
        .max_results(100)
        .into_paginator()
        .send();
    let (listed, error) = list_pages(pages, limits, region, "sagemaker:ListInferenceExperiments", |page| {
        let experiments = page.inference_experiments().iter();
        experiments.map(|e| e.name().unwrap_or_default().to_owned()).collect()
    })
    .await;
    let attempts = limits.max_attempts;
    let experiments = describe_each(listed, limits, progress, |name: String| {
        let client = client.clone();
        async move {
            let answer = Answer::of(ResourceKind::InferenceExperiment);
            let described = client
                .describe_inference_experiment()
                .name(&name)
                .customize()
                .interceptor(answer.clone())
                .send()
                .await;
            answer.settle(Resource::InferenceExperiment(match described {
                Ok(out) => from_description(name, &out),
                Err(err) => InferenceExperiment::unreadable(
                    Identity::declared(name),
                    &unknown_reason("sagemaker:DescribeInferenceExperiment", &err, attempts),
                ),
            }))
        }
    })
    .await;
    (experiments, error)
}

/// Maps a `DescribeInferenceExperiment` answer; a variant without a
/// real-time instance type leaves the instance types unknown.
pub fn from_description(name: String, out: &DescribeInferenceExperimentOutput) -> InferenceExperiment {
    let key = |key: Option<&str>| key.filter(|k| !k.is_empty()).map(str::to_owned);
    let types: Option<Vec<String>> = out
        .model_variants()
        .iter()
        .map(|v| {
            let config = v.infrastructure_config()?.real_time_inference_config()?;
            Some(config.instance_type()?.as_str().to_owned())
        })
        .collect();
    InferenceExperiment {
        identity: Identity::from_arn(name, out.arn().map(str::to_owned)),
        kms_key_id: Fact::Known(key(out.kms_key())),
        data_storage: Fact::Known(out.data_storage_config().map(|d| KeyedStore {
            kms_key_id: key(d.kms_key()),
        })),
        instance_types: match types {
            Some(types) => Fact::Known(types),
            None => Fact::unknown("a variant names no real-time instance type"),
        },
    }
}
