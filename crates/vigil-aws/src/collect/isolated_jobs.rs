//! Processing and hyperparameter tuning jobs created inside the audit window,
//! of every status: their pages, then one description per job, reduced to
//! what the rules read: network isolation and the execution role.

use super::settings::Answer;
use super::{created_since, describe_each, list_pages, Limits};
use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::operation::describe_hyper_parameter_tuning_job::DescribeHyperParameterTuningJobOutput;
use aws_sdk_sagemaker::operation::describe_processing_job::DescribeProcessingJobOutput;
use aws_sdk_sagemaker::Client;
use aws_smithy_types::DateTime;
use std::future::Future;
use std::sync::Arc;
use std::time::SystemTime;
use vigil_core::{Fact, Identity, IsolatableJob, Resource, ResourceKind, RunError};

/// Listed jobs: (name, ARN), or the error that stopped the listing.
type Listed = (Vec<(String, Option<String>)>, Option<RunError>);

pub async fn processing(
    client: &Client,
    region: &str,
    since: SystemTime,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    let after = DateTime::from(since);
    let pages = client
        .list_processing_jobs()
        .creation_time_after(after)
        .max_results(100)
        .into_paginator()
        .send();
    let listed = list_pages(pages, limits, region, "sagemaker:ListProcessingJobs", |page| {
        created_since(page.processing_job_summaries(), &after, |s| {
            (s.creation_time(), s.processing_job_name(), s.processing_job_arn())
        })
    })
    .await;
    let attempts = limits.max_attempts;
    let jobs = describe_all(listed, limits, progress, client, move |client, name| async move {
        let op = "sagemaker:DescribeProcessingJob";
        let answer = Answer::of(ResourceKind::ProcessingJob);
        let out = client
            .describe_processing_job()
            .processing_job_name(&name)
            .customize()
            .interceptor(answer.clone())
            .send()
            .await;
        let read = out
            .map(|o| (processing_isolation(&o), processing_role(&o)))
            .map_err(|e| unknown_reason(op, &e, attempts));
        (read, answer)
    })
    .await;
    (jobs.0.into_iter().map(Resource::ProcessingJob).collect(), jobs.1)
}

pub async fn tuning(
    client: &Client,
    region: &str,
    since: SystemTime,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    let after = DateTime::from(since);
    let pages = client
        .list_hyper_parameter_tuning_jobs()
        .creation_time_after(after)
        .max_results(100)
        .into_paginator()
        .send();
    let operation = "sagemaker:ListHyperParameterTuningJobs";
    let listed = list_pages(pages, limits, region, operation, |page| {
        created_since(page.hyper_parameter_tuning_job_summaries(), &after, |s| {
            (
                s.creation_time(),
                s.hyper_parameter_tuning_job_name(),
                s.hyper_parameter_tuning_job_arn(),
            )
        })
    })
    .await;
    let attempts = limits.max_attempts;
    let jobs = describe_all(listed, limits, progress, client, move |client, name| async move {
        let op = "sagemaker:DescribeHyperParameterTuningJob";
        let answer = Answer::of(ResourceKind::TuningJob);
        let out = client
            .describe_hyper_parameter_tuning_job()
            .hyper_parameter_tuning_job_name(&name)
            .customize()
            .interceptor(answer.clone())
            .send()
            .await;
        let read = out
            .map(|o| (tuning_isolation(&o), tuning_role(&o)))
            .map_err(|e| unknown_reason(op, &e, attempts));
        (read, answer)
    })
    .await;
    (jobs.0.into_iter().map(Resource::TuningJob).collect(), jobs.1)
}

/// Whether a processing job runs isolated (absent means off, as AWS applies it).
pub fn processing_isolation(out: &DescribeProcessingJobOutput) -> bool {
    out.network_config()
        .and_then(|n| n.enable_network_isolation())
        .unwrap_or(false)
}

/// Whether every training definition a tuning job launches from is isolated.
pub fn tuning_isolation(out: &DescribeHyperParameterTuningJobOutput) -> bool {
    out.training_job_definition()
        .into_iter()
        .chain(out.training_job_definitions())
        .all(|d| d.enable_network_isolation() == Some(true))
}

/// The role a processing job ran as.
pub fn processing_role(out: &DescribeProcessingJobOutput) -> Fact<Vec<String>> {
    Fact::Known(out.role_arn().map(str::to_owned).into_iter().collect())
}

/// The roles a tuning job's training jobs run as: each distinct role of its
/// definitions, in their order.
pub fn tuning_role(out: &DescribeHyperParameterTuningJobOutput) -> Fact<Vec<String>> {
    let mut roles: Vec<String> = Vec::new();
    let named = out
        .training_job_definition()
        .into_iter()
        .chain(out.training_job_definitions())
        .filter_map(|d| d.role_arn());
    for role in named {
        if !roles.iter().any(|r| r == role) {
            roles.push(role.to_owned());
        }
    }
    Fact::Known(roles)
}

/// Describes each job into an `IsolatableJob`, its isolation and role unknown
/// (with the reason) where the description failed.
async fn describe_all<F, Fut>(
    (listed, error): Listed,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
    client: &Client,
    describe: F,
) -> (Vec<IsolatableJob>, Option<RunError>)
where
    F: Fn(Client, String) -> Fut,
    Fut: Future<Output = (Result<(bool, Fact<Vec<String>>), String>, Answer)> + Send + 'static,
{
    let jobs = describe_each(listed, limits, progress, |(name, arn)| {
        let described = describe(client.clone(), name.clone());
        async move {
            let identity = Identity::from_arn(name, arn);
            let (described, answer) = described.await;
            let mut job = match described {
                Ok((isolated, role)) => IsolatableJob::new(identity, Fact::Known(isolated), role),
                Err(why) => IsolatableJob::new(identity.unread(&why), Fact::Unknown(why.clone()), Fact::Unknown(why)),
            };
            answer.fill(&mut job.identity);
            job
        }
    })
    .await;
    (jobs, error)
}
