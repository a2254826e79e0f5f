//! SageMaker domains: every `ListDomains` page, then one `DescribeDomain` per
//! domain.

use super::Limits;
use crate::audit::Progress;
use crate::errors::unknown_reason;
use aws_sdk_sagemaker::types::AppNetworkAccessType;
use aws_sdk_sagemaker::Client;
use std::sync::Arc;
use vigil_core::model::{account_of_arn, region_of_arn};
use vigil_core::{Domain, Fact, Resource, RunError};

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    let mut pages = client.list_domains().max_results(100).into_paginator().send();
    let mut listed = Vec::new();
    let mut error = None;
    loop {
        let page = {
            let _permit = limits.in_flight.acquire().await.expect("semaphore closed");
            pages.next().await
        };
        match page {
            None => break,
            Some(Ok(page)) => {
                progress.found(page.domains().len() as u64);
                listed.extend(page.domains().iter().map(|d| {
                    (
                        d.domain_id().unwrap_or_default().to_owned(),
                        d.domain_name().unwrap_or_default().to_owned(),
                        d.domain_arn().map(str::to_owned),
                    )
                }));
            }
            Some(Err(err)) => {
                let operation = "sagemaker:ListDomains";
                let message = unknown_reason(operation, &err, limits.max_attempts);
                error = Some(RunError::in_region(
                    "region",
                    Some(region.to_owned()),
                    Some(operation.into()),
                    message,
                ));
                break;
            }
        }
    }
    // Accounts hold a handful of domains: described one after another.
    let mut domains = Vec::new();
    for (id, name, arn) in listed {
        let _permit = limits.in_flight.acquire().await.expect("semaphore closed");
        let vpc_only = match client.describe_domain().domain_id(&id).send().await {
            Ok(out) => Fact::Known(out.app_network_access_type() == Some(&AppNetworkAccessType::VpcOnly)),
            Err(err) => Fact::Unknown(unknown_reason("sagemaker:DescribeDomain", &err, limits.max_attempts)),
        };
        progress.judged(1);
        domains.push(Resource::Domain(Domain {
            account: arn.as_deref().and_then(account_of_arn),
            region: arn.as_deref().and_then(region_of_arn),
            name: if name.is_empty() { id } else { name },
            arn,
            vpc_only,
        }));
    }
    (domains, error)
}
