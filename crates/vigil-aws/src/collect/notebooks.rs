//! SageMaker notebook instances: every `ListNotebookInstances` page, then one
//! `DescribeNotebookInstance` per instance, concurrently.

use super::settings::Answer;
use super::{listed_and_described, named, Limits};
use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::operation::describe_notebook_instance::DescribeNotebookInstanceOutput;
use aws_sdk_sagemaker::operation::list_notebook_instances::ListNotebookInstancesOutput;
use aws_sdk_sagemaker::types::{DirectInternetAccess, RootAccess};
use aws_sdk_sagemaker::Client;
use std::sync::Arc;
use vigil_core::ResourceKind;
use vigil_core::{Fact, Identity, NotebookInstance, Resource, RunError};

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    let pages = client
        .list_notebook_instances()
        .max_results(100)
        .into_paginator()
        .send();
    let attempts = limits.max_attempts;
    let names = |page: &ListNotebookInstancesOutput| {
        let summaries = page.notebook_instances().iter();
        summaries
            .map(|s| named(s.notebook_instance_name(), s.notebook_instance_arn()))
            .collect()
    };
    listed_and_described(
        pages,
        (region, "sagemaker:ListNotebookInstances"),
        limits,
        progress,
        names,
        |(name, arn)| {
            let client = client.clone();
            async move {
                let answer = Answer::of(ResourceKind::NotebookInstance);
                let described = client
                    .describe_notebook_instance()
                    .notebook_instance_name(&name)
                    .customize()
                    .interceptor(answer.clone())
                    .send()
                    .await;
                answer.settle(Resource::NotebookInstance(match described {
                    Ok(out) => from_description(name, arn, &out),
                    Err(err) => {
                        let reason = unknown_reason("sagemaker:DescribeNotebookInstance", &err, attempts);
                        NotebookInstance::unreadable(Identity::from_arn(name, arn), &reason)
                    }
                }))
            }
        },
    )
    .await
}

/// Maps a `DescribeNotebookInstance` answer; absent settings are AWS's defaults.
pub fn from_description(
    name: String,
    listed_arn: Option<String>,
    out: &DescribeNotebookInstanceOutput,
) -> NotebookInstance {
    let arn = out.notebook_instance_arn().map(str::to_owned).or(listed_arn);
    NotebookInstance {
        identity: Identity::from_arn(name, arn),
        direct_internet_access: Fact::Known(out.direct_internet_access() != Some(&DirectInternetAccess::Disabled)),
        subnet_id: Fact::Known(out.subnet_id().filter(|s| !s.is_empty()).map(str::to_owned)),
        root_access: Fact::Known(out.root_access() != Some(&RootAccess::Disabled)),
        kms_key_id: Fact::Known(out.kms_key_id().filter(|k| !k.is_empty()).map(str::to_owned)),
        imds_v2_required: Fact::Known(
            out.instance_metadata_service_configuration()
                .and_then(|c| c.minimum_instance_metadata_service_version())
                == Some("2"),
        ),
        // AWS always answers the platform; an answer without one is not a default.
        platform: match out.platform_identifier() {
            Some(platform) => Fact::Known(Some(platform.to_owned())),
            None => Fact::unknown("DescribeNotebookInstance answered no PlatformIdentifier"),
        },
        role_arn: Fact::Known(out.role_arn().map(str::to_owned)),
        role_exists: Fact::unknown(vigil_core::SageMakerModel::ROLE_NOT_LOOKED_UP),
        role_policies: Fact::unknown(NotebookInstance::POLICIES_NOT_READ),
        egress: Fact::unknown(NotebookInstance::EGRESS_NOT_READ),
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_settings_are_the_permissive_aws_defaults() {
        let out = DescribeNotebookInstanceOutput::builder()
            .notebook_instance_arn("arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/nb")
            .build();
        let nb = from_description("nb".into(), None, &out);
        assert_eq!(nb.direct_internet_access, Fact::Known(true));
        assert_eq!(nb.root_access, Fact::Known(true));
        assert_eq!(nb.subnet_id, Fact::Known(None));
        assert_eq!(nb.identity.region.as_deref(), Some("eu-west-1"));
    }

    #[test]
    fn locked_down_settings_are_read() {
        let out = DescribeNotebookInstanceOutput::builder()
            .direct_internet_access(DirectInternetAccess::Disabled)
            .root_access(RootAccess::Disabled)
            .subnet_id("subnet-1")
            .build();
        let nb = from_description("nb".into(), None, &out);
        assert_eq!(nb.direct_internet_access, Fact::Known(false));
        assert_eq!(nb.root_access, Fact::Known(false));
        assert_eq!(nb.subnet_id, Fact::Known(Some("subnet-1".into())));
    }
}
