//! Notebook instance lifecycle configurations: every
//! `ListNotebookInstanceLifecycleConfigs` page, then one
//! `DescribeNotebookInstanceLifecycleConfig` per configuration, its scripts
//! decoded from base64.

use super::settings::Answer;
use super::{listed_and_described, named, Limits};
use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::operation::describe_notebook_instance_lifecycle_config::DescribeNotebookInstanceLifecycleConfigOutput as Described;
use aws_sdk_sagemaker::operation::list_notebook_instance_lifecycle_configs::ListNotebookInstanceLifecycleConfigsOutput;
use aws_sdk_sagemaker::types::NotebookInstanceLifecycleHook;
use aws_sdk_sagemaker::Client;
use std::sync::Arc;
use vigil_core::ResourceKind;
use vigil_core::{Fact, Identity, LifecycleScript, NotebookLifecycleConfig, Resource, RunError};

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    let pages = client
        .list_notebook_instance_lifecycle_configs()
        .max_results(100)
        .into_paginator()
        .send();
    let attempts = limits.max_attempts;
    let names = |page: &ListNotebookInstanceLifecycleConfigsOutput| {
        let configs = page.notebook_instance_lifecycle_configs().iter();
        configs
            .map(|c| {
                named(
                    c.notebook_instance_lifecycle_config_name(),
                    c.notebook_instance_lifecycle_config_arn(),
                )
            })
            .collect()
    };
    let listing = (region, "sagemaker:ListNotebookInstanceLifecycleConfigs");
    listed_and_described(pages, listing, limits, progress, names, |(name, arn)| {
        let client = client.clone();
        async move {
            let answer = Answer::of(ResourceKind::NotebookLifecycleConfig);
            let described = client
                .describe_notebook_instance_lifecycle_config()
                .notebook_instance_lifecycle_config_name(&name)
                .customize()
                .interceptor(answer.clone())
                .send()
                .await;
            answer.settle(Resource::NotebookLifecycleConfig(match described {
                Ok(out) => from_description(name, arn, &out),
                Err(err) => NotebookLifecycleConfig::unreadable(
                    Identity::from_arn(name, arn),
                    &unknown_reason("sagemaker:DescribeNotebookInstanceLifecycleConfig", &err, attempts),
                ),
            }))
        }
    })
    .await
}

/// Maps a description; a script that is not base64 makes the scripts unknown.
pub fn from_description(name: String, listed_arn: Option<String>, out: &Described) -> NotebookLifecycleConfig {
    let arn = out
        .notebook_instance_lifecycle_config_arn()
        .map(str::to_owned)
        .or(listed_arn);
    let hooks = [("OnCreate", out.on_create()), ("OnStart", out.on_start())];
    let scripts = hooks
        .into_iter()
        .flat_map(|(hook, scripts)| scripts.iter().map(move |s| decode(hook, s)))
        .collect::<Result<Vec<_>, String>>();
    NotebookLifecycleConfig {
        identity: Identity::from_arn(name, arn),
        scripts: match scripts {
            Ok(scripts) => Fact::Known(scripts),
            Err(why) => Fact::Unknown(why),
        },
    }
}

fn decode(hook: &'static str, script: &NotebookInstanceLifecycleHook) -> Result<LifecycleScript, String> {
    let content = script.content().unwrap_or_default();
    let bytes = aws_smithy_types::base64::decode(content).map_err(|_| format!("{hook}'s Content is not base64"))?;
    Ok(LifecycleScript {
        hook,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    })
}
