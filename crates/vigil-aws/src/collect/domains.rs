//! SageMaker domains: every `ListDomains` page, then one `DescribeDomain` per
//! domain, concurrently.

use super::settings::Answer;
use super::{listed_and_described, named, Limits};
use crate::errors::unknown_reason;
use crate::progress::Progress;
use aws_sdk_sagemaker::operation::describe_domain::DescribeDomainOutput;
use aws_sdk_sagemaker::operation::list_domains::ListDomainsOutput;
use aws_sdk_sagemaker::types::AppNetworkAccessType;
use aws_sdk_sagemaker::Client;
use std::sync::Arc;
use vigil_core::ResourceKind;
use vigil_core::{Domain, Fact, Identity, Resource, RunError};

pub async fn collect(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> (Vec<Resource>, Option<RunError>) {
    // Keyed by id (DescribeDomain wants it); the name is read back below.
    let pages = client.list_domains().max_results(100).into_paginator().send();
    let attempts = limits.max_attempts;
    let names = |page: &ListDomainsOutput| {
        page.domains()
            .iter()
            .map(|d| named(d.domain_id(), d.domain_arn()))
            .collect()
    };
    listed_and_described(
        pages,
        (region, "sagemaker:ListDomains"),
        limits,
        progress,
        names,
        |(id, arn)| {
            let client = client.clone();
            async move {
                let answer = Answer::of(ResourceKind::Domain);
                let described = client
                    .describe_domain()
                    .domain_id(&id)
                    .customize()
                    .interceptor(answer.clone())
                    .send()
                    .await;
                answer.settle(Resource::Domain(match described {
                    Ok(out) => from_description(&id, arn, &out),
                    Err(err) => Domain::unreadable(
                        Identity::from_arn(id, arn),
                        &unknown_reason("sagemaker:DescribeDomain", &err, attempts),
                    ),
                }))
            }
        },
    )
    .await
}

/// Maps a `DescribeDomain` answer (named by its name, else its id).
pub fn from_description(id: &str, listed_arn: Option<String>, out: &DescribeDomainOutput) -> Domain {
    let arn = out.domain_arn().map(str::to_owned).or(listed_arn);
    Domain {
        identity: Identity::from_arn(out.domain_name().unwrap_or(id).to_owned(), arn),
        vpc_only: Fact::Known(out.app_network_access_type() == Some(&AppNetworkAccessType::VpcOnly)),
        kms_key_id: Fact::Known(out.kms_key_id().filter(|k| !k.is_empty()).map(str::to_owned)),
        sso: Fact::Known(out.auth_mode() == Some(&aws_sdk_sagemaker::types::AuthMode::Sso)),
    }
}
