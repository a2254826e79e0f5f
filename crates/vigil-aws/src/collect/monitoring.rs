//! Model-monitoring jobs: the four kinds of job definition (data quality,
//! model quality, model bias, model explainability) and monitoring schedules.
//! A schedule with its own job definition is judged on it; one that names a
//! separate definition is judged on that definition, read in the same pass.

use super::{describe_each, list_pages, Limits};
use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::Client;
use std::collections::HashMap;
use std::sync::Arc;
use vigil_core::{Fact, Identity, IsolatableJob, Resource, RunError};

/// Lists one kind of job definition and describes each; expands to
/// `(definitions, listing error)`.
macro_rules! definitions {
    ($client:expr, $region:expr, $limits:expr, $progress:expr, $list:ident, $list_op:literal, $describe:ident, $op:literal, $type_name:literal) => {{
        let pages = $client.$list().max_results(100).into_paginator().send();
        let (listed, error) = list_pages(pages, $limits, $region, $list_op, |page| {
            let summaries = page.job_definition_summaries().iter();
            summaries
                .map(|d| {
                    (
                        d.monitoring_job_definition_name().unwrap_or_default().to_owned(),
                        d.monitoring_job_definition_arn().map(str::to_owned),
                    )
                })
                .collect()
        })
        .await;
        let attempts = $limits.max_attempts;
        let found = describe_each(listed, $limits, $progress, |(name, arn)| {
            let client = $client.clone();
            async move {
                let isolation = match client.$describe().job_definition_name(&name).send().await {
                    Ok(out) => Fact::Known(
                        out.network_config()
                            .and_then(|n| n.enable_network_isolation())
                            .unwrap_or(false),
                    ),
                    Err(err) => Fact::Unknown(unknown_reason($op, &err, attempts)),
                };
                (IsolatableJob::new(Identity::from_arn(name, arn), isolation), $type_name)
            }
        })
        .await;
        (found, error)
    }};
}

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Vec<RunError>) {
    let kinds = [
        definitions!(
            client,
            region,
            limits,
            progress,
            list_data_quality_job_definitions,
            "sagemaker:ListDataQualityJobDefinitions",
            describe_data_quality_job_definition,
            "sagemaker:DescribeDataQualityJobDefinition",
            "AWS::SageMaker::DataQualityJobDefinition"
        ),
        definitions!(
            client,
            region,
            limits,
            progress,
            list_model_quality_job_definitions,
            "sagemaker:ListModelQualityJobDefinitions",
            describe_model_quality_job_definition,
            "sagemaker:DescribeModelQualityJobDefinition",
            "AWS::SageMaker::ModelQualityJobDefinition"
        ),
        definitions!(
            client,
            region,
            limits,
            progress,
            list_model_bias_job_definitions,
            "sagemaker:ListModelBiasJobDefinitions",
            describe_model_bias_job_definition,
            "sagemaker:DescribeModelBiasJobDefinition",
            "AWS::SageMaker::ModelBiasJobDefinition"
        ),
        definitions!(
            client,
            region,
            limits,
            progress,
            list_model_explainability_job_definitions,
            "sagemaker:ListModelExplainabilityJobDefinitions",
            describe_model_explainability_job_definition,
            "sagemaker:DescribeModelExplainabilityJobDefinition",
            "AWS::SageMaker::ModelExplainabilityJobDefinition"
        ),
    ];
    let mut errors = Vec::new();
    let mut definitions = Vec::new();
    for (found, error) in kinds {
        errors.extend(error);
        definitions.extend(found);
    }
    // Definition names are unique per type; a schedule names its type too.
    let by_name: HashMap<String, Fact<bool>> = definitions
        .iter()
        .map(|(job, _)| (job.identity.name.clone(), job.network_isolation.clone()))
        .collect();
    let (schedules, error) = schedules(client, region, limits, progress, &by_name).await;
    errors.extend(error);
    let mut resources: Vec<Resource> = definitions
        .into_iter()
        .map(|(job, t)| Resource::MonitoringJob(job, t))
        .collect();
    resources.extend(schedules);
    (resources, errors)
}

/// What a monitoring schedule runs: a definition of its own (with its
/// isolation flag; absent is off, as AWS applies it), or one it names.
pub(crate) enum ScheduleRuns<'a> {
    Embedded(bool),
    Named(&'a str),
    Nothing,
}

pub(crate) fn schedule_runs(config: &aws_sdk_sagemaker::types::MonitoringScheduleConfig) -> ScheduleRuns<'_> {
    match (
        config.monitoring_job_definition(),
        config.monitoring_job_definition_name(),
    ) {
        (Some(embedded), _) => ScheduleRuns::Embedded(
            embedded
                .network_config()
                .and_then(|n| n.enable_network_isolation())
                .unwrap_or(false),
        ),
        (None, Some(definition)) => ScheduleRuns::Named(definition),
        (None, None) => ScheduleRuns::Nothing,
    }
}

async fn schedules(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
    definitions: &HashMap<String, Fact<bool>>,
) -> (Vec<Resource>, Option<RunError>) {
    let pages = client
        .list_monitoring_schedules()
        .max_results(100)
        .into_paginator()
        .send();
    let (listed, error) = list_pages(pages, limits, region, "sagemaker:ListMonitoringSchedules", |page| {
        let summaries = page.monitoring_schedule_summaries().iter();
        summaries
            .map(|s| {
                (
                    s.monitoring_schedule_name().unwrap_or_default().to_owned(),
                    s.monitoring_schedule_arn().map(str::to_owned),
                )
            })
            .collect()
    })
    .await;
    let attempts = limits.max_attempts;
    let described = describe_each(listed, limits, progress, |(name, arn)| {
        let client = client.clone();
        async move {
            let out = client
                .describe_monitoring_schedule()
                .monitoring_schedule_name(&name)
                .send()
                .await;
            let config = out.map(|o| o.monitoring_schedule_config().cloned());
            (
                name,
                arn,
                config.map_err(|e| unknown_reason("sagemaker:DescribeMonitoringSchedule", &e, attempts)),
            )
        }
    })
    .await;
    let schedules = described.into_iter().map(|(name, arn, config)| {
        let isolation = match config {
            Err(reason) => Fact::Unknown(reason),
            Ok(None) => Fact::unknown("the schedule has no MonitoringScheduleConfig"),
            Ok(Some(config)) => match schedule_runs(&config) {
                ScheduleRuns::Embedded(isolated) => Fact::Known(isolated),
                ScheduleRuns::Named(definition) => definitions.get(definition).cloned().unwrap_or_else(|| {
                    Fact::Unknown(format!(
                        "the schedule runs job definition {definition}, which could not be found"
                    ))
                }),
                ScheduleRuns::Nothing => Fact::unknown("the schedule names no job definition"),
            },
        };
        Resource::MonitoringJob(
            IsolatableJob::new(Identity::from_arn(name, arn), isolation),
            "AWS::SageMaker::MonitoringSchedule",
        )
    });
    (schedules.collect(), error)
}
