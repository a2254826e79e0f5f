//! Model-monitoring jobs: the four kinds of job definition (data quality,
//! model quality, model bias, model explainability) and monitoring schedules.
//! A schedule with its own job definition is judged on it; one that names a
//! separate definition is judged on that definition, read in the same pass.
//! `vigil watch` describes through the same functions.

use super::{describe_each, list_pages, named, Limits};
use crate::errors::{kind, unknown_reason, ErrorKind};
use crate::progress::Progress;
use aws_sdk_sagemaker::types::{
    MonitoringClusterConfig, MonitoringOutputConfig, MonitoringScheduleConfig, MonitoringType,
};
use aws_sdk_sagemaker::Client;
use std::collections::HashMap;
use std::sync::Arc;
use vigil_core::{Fact, Identity, MonitoringJob, MonitoringSettings, Resource, RunError};

pub const SCHEDULE: &str = "AWS::SageMaker::MonitoringSchedule";

/// The definition types, each with the operations that list it.
const DEFINITIONS: [(&str, &str); 4] = [
    (
        "AWS::SageMaker::DataQualityJobDefinition",
        "sagemaker:ListDataQualityJobDefinitions",
    ),
    (
        "AWS::SageMaker::ModelQualityJobDefinition",
        "sagemaker:ListModelQualityJobDefinitions",
    ),
    (
        "AWS::SageMaker::ModelBiasJobDefinition",
        "sagemaker:ListModelBiasJobDefinitions",
    ),
    (
        "AWS::SageMaker::ModelExplainabilityJobDefinition",
        "sagemaker:ListModelExplainabilityJobDefinitions",
    ),
];

/// Why a definition could not be described: whether it no longer exists,
/// and the reason to report.
pub(crate) struct Unread {
    pub gone: bool,
    pub reason: String,
}

/// Describes job definition `name` of CloudFormation type `type_name`.
pub(crate) async fn read_definition(
    client: &Client,
    type_name: &str,
    name: &str,
    attempts: u32,
) -> Result<MonitoringSettings, Unread> {
    macro_rules! describe {
        ($describe:ident, $op:literal, $output:ident) => {
            match client.$describe().job_definition_name(name).send().await {
                Ok(out) => Ok(settings(
                    out.network_config().map(|n| {
                        (
                            n.enable_network_isolation(),
                            n.enable_inter_container_traffic_encryption(),
                        )
                    }),
                    out.job_resources().and_then(|r| r.cluster_config()),
                    out.$output(),
                    "JobResources.ClusterConfig",
                )),
                Err(err) => Err(Unread {
                    gone: kind(&err) == ErrorKind::NotFound,
                    reason: unknown_reason($op, &err, attempts),
                }),
            }
        };
    }
    match type_name {
        "AWS::SageMaker::DataQualityJobDefinition" => describe!(
            describe_data_quality_job_definition,
            "sagemaker:DescribeDataQualityJobDefinition",
            data_quality_job_output_config
        ),
        "AWS::SageMaker::ModelQualityJobDefinition" => describe!(
            describe_model_quality_job_definition,
            "sagemaker:DescribeModelQualityJobDefinition",
            model_quality_job_output_config
        ),
        "AWS::SageMaker::ModelBiasJobDefinition" => describe!(
            describe_model_bias_job_definition,
            "sagemaker:DescribeModelBiasJobDefinition",
            model_bias_job_output_config
        ),
        _ => describe!(
            describe_model_explainability_job_definition,
            "sagemaker:DescribeModelExplainabilityJobDefinition",
            model_explainability_job_output_config
        ),
    }
}

/// The settings a definition's parts state. Flags left out are off, as AWS
/// applies them; a definition without a cluster says nothing of its
/// instances or volume key (AWS requires one, so this is a defect).
fn settings(
    network: Option<(Option<bool>, Option<bool>)>,
    cluster: Option<&MonitoringClusterConfig>,
    output: Option<&MonitoringOutputConfig>,
    cluster_path: &str,
) -> MonitoringSettings {
    let (isolation, encryption) = network.unwrap_or_default();
    let of_cluster = |read: &dyn Fn(&MonitoringClusterConfig) -> Fact<_>| match cluster {
        Some(cluster) => read(cluster),
        None => Fact::Unknown(format!("the definition has no {cluster_path}")),
    };
    MonitoringSettings {
        network_isolation: Fact::Known(isolation.unwrap_or(false)),
        inter_container_encryption: Fact::Known(encryption.unwrap_or(false)),
        instance_count: match cluster.map(|c| c.instance_count().and_then(|n| u32::try_from(n).ok())) {
            Some(Some(count)) => Fact::Known(count),
            Some(None) => Fact::Unknown(format!("{cluster_path}.InstanceCount is missing")),
            None => Fact::Unknown(format!("the definition has no {cluster_path}")),
        },
        instance_type: of_cluster(&|c| Fact::Known(c.instance_type().map(|t| t.as_str().to_owned()))),
        volume_kms_key_id: of_cluster(&|c| Fact::Known(c.volume_kms_key_id().map(str::to_owned))),
        output_kms_key_id: Fact::Known(output.and_then(|o| o.kms_key_id()).map(str::to_owned)),
    }
}

/// What a monitoring schedule runs: a definition of its own, or one it names.
pub(crate) enum ScheduleRuns<'a> {
    Embedded(MonitoringSettings),
    /// The definition's CloudFormation type and name.
    Named(&'static str, &'a str),
    Nothing,
}

pub(crate) fn schedule_runs<'a>(
    config: &'a MonitoringScheduleConfig,
    monitoring: Option<&MonitoringType>,
) -> ScheduleRuns<'a> {
    match (
        config.monitoring_job_definition(),
        config.monitoring_job_definition_name(),
    ) {
        (Some(embedded), _) => ScheduleRuns::Embedded(settings(
            embedded.network_config().map(|n| {
                (
                    n.enable_network_isolation(),
                    n.enable_inter_container_traffic_encryption(),
                )
            }),
            embedded.monitoring_resources().and_then(|r| r.cluster_config()),
            embedded.monitoring_output_config(),
            "MonitoringResources.ClusterConfig",
        )),
        (None, Some(definition)) => {
            ScheduleRuns::Named(definition_type(config.monitoring_type().or(monitoring)), definition)
        }
        (None, None) => ScheduleRuns::Nothing,
    }
}

/// The CloudFormation type of the job definition a schedule of this
/// monitoring type runs.
fn definition_type(monitoring: Option<&MonitoringType>) -> &'static str {
    match monitoring {
        Some(MonitoringType::ModelQuality) => "AWS::SageMaker::ModelQualityJobDefinition",
        Some(MonitoringType::ModelBias) => "AWS::SageMaker::ModelBiasJobDefinition",
        Some(MonitoringType::ModelExplainability) => "AWS::SageMaker::ModelExplainabilityJobDefinition",
        // DataQuality, and what SageMaker assumes when a schedule says nothing.
        _ => "AWS::SageMaker::DataQualityJobDefinition",
    }
}

/// The settings of a schedule whose definition could not be described.
pub(crate) fn unread_definition(definition: &str, unread: Unread) -> MonitoringSettings {
    match unread.gone {
        true => missing_definition(definition),
        false => MonitoringSettings::unreadable(&unread.reason),
    }
}

fn missing_definition(definition: &str) -> MonitoringSettings {
    MonitoringSettings::unreadable(&format!(
        "the schedule runs job definition {definition}, which could not be found"
    ))
}

/// Lists one type of job definition: (name, ARN) pairs, and the listing error.
async fn definition_names(
    client: &Client,
    type_name: &str,
    op: &'static str,
    region: &str,
    limits: &Limits,
) -> (Vec<(String, Option<String>)>, Option<RunError>) {
    macro_rules! list {
        ($list:ident) => {{
            let pages = client.$list().max_results(100).into_paginator().send();
            list_pages(pages, limits, region, op, |page| {
                let summaries = page.job_definition_summaries().iter();
                summaries
                    .map(|d| named(d.monitoring_job_definition_name(), d.monitoring_job_definition_arn()))
                    .collect()
            })
            .await
        }};
    }
    match type_name {
        "AWS::SageMaker::DataQualityJobDefinition" => list!(list_data_quality_job_definitions),
        "AWS::SageMaker::ModelQualityJobDefinition" => list!(list_model_quality_job_definitions),
        "AWS::SageMaker::ModelBiasJobDefinition" => list!(list_model_bias_job_definitions),
        _ => list!(list_model_explainability_job_definitions),
    }
}

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Vec<RunError>) {
    let mut errors = Vec::new();
    let mut definitions = Vec::new();
    // Types whose listing stopped early: a definition not found among
    // them may still exist.
    let mut unlisted = Vec::new();
    for (type_name, op) in DEFINITIONS {
        let (listed, error) = definition_names(client, type_name, op, region, limits).await;
        if error.is_some() {
            unlisted.push(type_name);
        }
        errors.extend(error);
        let attempts = limits.max_attempts;
        definitions.extend(
            describe_each(listed, limits, progress, |(name, arn)| {
                let client = client.clone();
                async move {
                    let settings = read_definition(&client, type_name, &name, attempts)
                        .await
                        .unwrap_or_else(|unread| MonitoringSettings::unreadable(&unread.reason));
                    MonitoringJob {
                        identity: Identity::from_arn(name, arn),
                        type_name,
                        settings,
                    }
                }
            })
            .await,
        );
    }
    // Definition names are unique per type; a schedule names its type too.
    let by_name: HashMap<(&str, &str), &MonitoringSettings> = definitions
        .iter()
        .map(|job| ((job.type_name, job.identity.name.as_str()), &job.settings))
        .collect();
    let known = Definitions {
        by_name,
        unlisted: &unlisted,
    };
    let (schedules, error) = schedules(client, region, limits, progress, &known).await;
    errors.extend(error);
    let mut resources: Vec<Resource> = schedules;
    resources.splice(0..0, definitions.into_iter().map(Resource::MonitoringJob));
    (resources, errors)
}

/// The definitions read in this pass, by (type, name), and the types whose
/// listing did not finish.
struct Definitions<'a> {
    by_name: HashMap<(&'a str, &'a str), &'a MonitoringSettings>,
    unlisted: &'a [&'static str],
}

impl Definitions<'_> {
    /// What a schedule that names `definition` of `type_name` runs with.
    fn named(&self, type_name: &'static str, definition: &str) -> MonitoringSettings {
        match self.by_name.get(&(type_name, definition)) {
            Some(settings) => (*settings).clone(),
            None if self.unlisted.contains(&type_name) => MonitoringSettings::unreadable(&format!(
                "the schedule runs job definition {definition}, and the {} definitions could not all be listed",
                type_name.trim_start_matches("AWS::SageMaker::")
            )),
            None => missing_definition(definition),
        }
    }
}

async fn schedules(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
    definitions: &Definitions<'_>,
) -> (Vec<Resource>, Option<RunError>) {
    let pages = client
        .list_monitoring_schedules()
        .max_results(100)
        .into_paginator()
        .send();
    let (listed, error) = list_pages(pages, limits, region, "sagemaker:ListMonitoringSchedules", |page| {
        let summaries = page.monitoring_schedule_summaries().iter();
        summaries
            .map(|s| named(s.monitoring_schedule_name(), s.monitoring_schedule_arn()))
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
                .await
                .map_err(|e| unknown_reason("sagemaker:DescribeMonitoringSchedule", &e, attempts));
            (name, arn, out)
        }
    })
    .await;
    let schedules = described.into_iter().map(|(name, arn, out)| {
        let settings = match &out {
            Err(reason) => MonitoringSettings::unreadable(reason),
            Ok(out) => match out.monitoring_schedule_config() {
                None => MonitoringSettings::unreadable("the schedule has no MonitoringScheduleConfig"),
                Some(config) => match schedule_runs(config, out.monitoring_type()) {
                    ScheduleRuns::Embedded(settings) => settings,
                    ScheduleRuns::Named(type_name, definition) => definitions.named(type_name, definition),
                    ScheduleRuns::Nothing => MonitoringSettings::unreadable("the schedule names no job definition"),
                },
            },
        };
        Resource::MonitoringJob(MonitoringJob {
            identity: Identity::from_arn(name, arn),
            type_name: SCHEDULE,
            settings,
        })
    });
    (schedules.collect(), error)
}
