//! SageMaker endpoints: every `ListEndpoints` page, then, per endpoint,
//! the monitoring schedules `ListMonitoringSchedules` names for it.

use super::{describe_each, list_pages, named, Limits};
use crate::progress::Progress;
use aws_sdk_sagemaker::Client;
use std::sync::Arc;
use vigil_core::{Endpoint, Fact, Identity, Resource, RunError};

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    let pages = client.list_endpoints().max_results(100).into_paginator().send();
    let (listed, error) = list_pages(pages, limits, region, "sagemaker:ListEndpoints", |page| {
        page.endpoints()
            .iter()
            .map(|e| named(e.endpoint_name(), e.endpoint_arn()))
            .collect()
    })
    .await;
    let endpoints = describe_each(listed, limits, progress, |(name, arn)| {
        let (client, limits, region) = (client.clone(), limits.clone(), region.to_owned());
        async move {
            let monitoring_schedules = monitoring_schedules(&client, &region, &name, &limits).await;
            Resource::Endpoint(Endpoint {
                identity: Identity::from_arn(name, arn),
                monitoring_schedules,
            })
        }
    })
    .await;
    (endpoints, error)
}

/// Every page of the schedules that name `endpoint`; unknown, with the
/// reason, when a page could not be read.
pub async fn monitoring_schedules(client: &Client, region: &str, endpoint: &str, limits: &Limits) -> Fact<Vec<String>> {
    let pages = client
        .list_monitoring_schedules()
        .endpoint_name(endpoint)
        .max_results(100)
        .into_paginator()
        .send();
    let (names, error) = list_pages(pages, limits, region, "sagemaker:ListMonitoringSchedules", |page| {
        page.monitoring_schedule_summaries()
            .iter()
            .map(|s| s.monitoring_schedule_name().unwrap_or_default().to_owned())
            .collect()
    })
    .await;
    match error {
        Some(error) => Fact::Unknown(error.message),
        None => Fact::Known(names),
    }
}
