//! Planning the network-isolation remediation: which models fail, what each
//! replacement will be (a faithful copy with isolation on), and which
//! endpoint configurations and endpoints serve each of them. Read-only.

use crate::audit::{Progress, Silent};
use crate::calls::CallCounter;
use crate::collect::{describe_each, list_pages, Limits};
use crate::errors::unknown_reason;
use crate::sdk::{self, AwsOptions, Clients, ConfigError};
use aws_sdk_sagemaker::operation::describe_model::DescribeModelOutput;
use aws_sdk_sagemaker::types::ContainerDefinition;
use aws_sdk_sagemaker::Client;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use tokio::sync::Semaphore;
use vigil_core::model::VpcConfig;
use vigil_core::remediation::{self, ContainerConfig, EndpointConfigFix, ModelConfig, ModelFix, Plan};
use vigil_core::RunError;

pub struct PlanRequest {
    pub aws: AwsOptions,
    pub regions: Option<Vec<String>>,
    /// Model names or globs to consider (all when empty).
    pub models: Vec<String>,
    /// Model names or globs to leave alone.
    pub exclude: Vec<String>,
    pub concurrency: usize,
}

/// A glob that does not parse, named.
pub fn globs(patterns: &[String]) -> Result<GlobSet, String> {
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        set.add(Glob::new(pattern).map_err(|e| format!("'{pattern}' is not a valid glob: {e}"))?);
    }
    set.build().map_err(|e| e.to_string())
}

pub async fn plan(request: PlanRequest) -> Result<Plan, ConfigError> {
    let include = globs(&request.models).map_err(ConfigError::Usage)?;
    let exclude = globs(&request.exclude).map_err(ConfigError::Usage)?;
    let wanted = Arc::new(move |name: &str| (include.is_empty() || include.is_match(name)) && !exclude.is_match(name));
    let config = sdk::load(&request.aws).await;
    let counter = CallCounter::default();
    let account = sdk::caller_account(&config, &counter).await?;
    let (regions, mut errors) = crate::audit::choose_regions(&config, &counter, request.regions).await;
    let limits = Limits {
        in_flight: Arc::new(Semaphore::new(request.concurrency.max(1))),
        max_attempts: request.aws.max_attempts,
    };
    // Regions are planned concurrently, as the audit collects them.
    let mut tasks = tokio::task::JoinSet::new();
    for region in &regions.regions {
        let client = Clients::for_region(&config, region, &counter).sagemaker;
        let (region, limits, wanted) = (region.clone(), limits.clone(), wanted.clone());
        tasks.spawn(async move { plan_region(&client, &region, &limits, wanted.as_ref()).await });
    }
    let mut models = Vec::new();
    for (fixes, region_errors) in tasks.join_all().await {
        models.extend(fixes);
        errors.extend(region_errors);
    }
    models.sort_by(|a, b| (&a.region, &a.model).cmp(&(&b.region, &b.model)));
    Ok(Plan {
        rule: "sagemaker-model-network-isolation",
        account: Some(account).filter(|a| !a.is_empty()),
        regions: regions.regions,
        models,
        warnings: remediation::WARNINGS.to_vec(),
        errors,
        calls: counter.snapshot(),
    })
}

fn failure(region: &str, operation: &str, message: String) -> RunError {
    RunError::in_region("region", Some(region.to_owned()), Some(operation.to_owned()), message)
}

async fn plan_region(
    client: &Client,
    region: &str,
    limits: &Limits,
    wanted: &(dyn Fn(&str) -> bool + Send + Sync),
) -> (Vec<ModelFix>, Vec<RunError>) {
    let progress: Arc<dyn Progress> = Arc::new(Silent);
    let pages = client.list_models().max_results(100).into_paginator().send();
    let (names, error) = list_pages(pages, limits, region, "sagemaker:ListModels", |page| {
        page.models()
            .iter()
            .filter_map(|m| m.model_name().map(str::to_owned))
            .collect()
    })
    .await;
    if let Some(error) = error {
        // A partial listing would plan a partial fix: plan nothing here.
        return (Vec::new(), vec![error]);
    }
    let mut errors = Vec::new();
    let taken: HashSet<String> = names.iter().cloned().collect();
    let candidates: Vec<String> = names.into_iter().filter(|n| wanted(n)).collect();
    let attempts = limits.max_attempts;
    let described = describe_each(candidates, limits, &progress, |name| {
        let client = client.clone();
        async move {
            let out = client.describe_model().model_name(&name).send().await;
            (
                name,
                out.map_err(|e| unknown_reason("sagemaker:DescribeModel", &e, attempts)),
            )
        }
    })
    .await;
    let mut failing = Vec::new();
    for (name, out) in described {
        match out {
            Ok(out) if out.enable_network_isolation() != Some(true) => failing.push((name, out)),
            Ok(_) => {}
            Err(message) => errors.push(failure(
                region,
                "sagemaker:DescribeModel",
                format!("{name} not planned: {message}"),
            )),
        }
    }
    if failing.is_empty() {
        return (Vec::new(), errors);
    }
    let serving = match endpoint_map(client, region, limits, &progress).await {
        Ok(serving) => serving,
        Err(error) => {
            // Without the endpoint map a plan could strand an endpoint: plan nothing here.
            errors.push(RunError {
                message: format!("endpoints could not be read, no plan for {region}: {}", error.message),
                ..error
            });
            return (Vec::new(), errors);
        }
    };
    let mut fixes = Vec::new();
    for (name, out) in failing {
        let tags = match out.model_arn() {
            Some(arn) => match client.list_tags().resource_arn(arn).send().await {
                Ok(t) => t
                    .tags()
                    .iter()
                    .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
                    .collect(),
                Err(e) => {
                    let why = unknown_reason("sagemaker:ListTags", &e, attempts);
                    let message = format!("{name} not planned: its tags could not be read ({why})");
                    errors.push(failure(region, "sagemaker:ListTags", message));
                    continue;
                }
            },
            None => BTreeMap::new(),
        };
        fixes.push(ModelFix {
            region: region.to_owned(),
            arn: out.model_arn().map(str::to_owned),
            new_config: copy(&out, tags),
            new_model: remediation::isolated_name(&name, |n| taken.contains(n)),
            endpoint_configs: serving.configs_for(&name),
            model: name,
        });
    }
    (fixes, errors)
}

/// One endpoint configuration's (variant, model) pairs.
struct ConfigVariants {
    name: String,
    production: Vec<(String, String)>,
    shadow: Vec<(String, String)>,
}

/// Which endpoint configurations name which models, and which endpoints
/// run on which configuration, for one region.
struct EndpointMap {
    configs: Vec<ConfigVariants>,
    endpoints: BTreeMap<String, Vec<String>>,
    taken: HashSet<String>,
}

impl EndpointMap {
    fn configs_for(&self, model: &str) -> Vec<EndpointConfigFix> {
        let named = |variants: &[(String, String)]| -> Vec<String> {
            variants
                .iter()
                .filter(|(_, m)| m == model)
                .map(|(v, _)| v.clone())
                .collect()
        };
        self.configs
            .iter()
            .filter_map(
                |ConfigVariants {
                     name,
                     production,
                     shadow,
                 }| {
                    let (production_variants, shadow_variants) = (named(production), named(shadow));
                    if production_variants.is_empty() && shadow_variants.is_empty() {
                        return None;
                    }
                    Some(EndpointConfigFix {
                        new_name: remediation::isolated_name(name, |n| self.taken.contains(n)),
                        endpoints: self.endpoints.get(name).cloned().unwrap_or_default(),
                        name: name.clone(),
                        production_variants,
                        shadow_variants,
                    })
                },
            )
            .collect()
    }
}

async fn endpoint_map(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> Result<EndpointMap, RunError> {
    let pages = client.list_endpoint_configs().max_results(100).into_paginator().send();
    let (config_names, error) = list_pages(pages, limits, region, "sagemaker:ListEndpointConfigs", |page| {
        page.endpoint_configs()
            .iter()
            .filter_map(|c| c.endpoint_config_name().map(str::to_owned))
            .collect()
    })
    .await;
    error.map_or(Ok(()), Err)?;
    let attempts = limits.max_attempts;
    let described = describe_each(config_names.clone(), limits, progress, |name| {
        let client = client.clone();
        async move {
            let out = client
                .describe_endpoint_config()
                .endpoint_config_name(&name)
                .send()
                .await;
            let pairs = |variants: &[aws_sdk_sagemaker::types::ProductionVariant]| -> Vec<(String, String)> {
                variants
                    .iter()
                    .filter_map(|v| Some((v.variant_name()?.to_owned(), v.model_name()?.to_owned())))
                    .collect()
            };
            let out = out.map_err(|e| unknown_reason("sagemaker:DescribeEndpointConfig", &e, attempts))?;
            let (production, shadow) = (
                pairs(out.production_variants()),
                pairs(out.shadow_production_variants()),
            );
            Ok(ConfigVariants {
                name,
                production,
                shadow,
            })
        }
    })
    .await;
    let configs = described
        .into_iter()
        .collect::<Result<Vec<_>, String>>()
        .map_err(|message| failure(region, "sagemaker:DescribeEndpointConfig", message))?;
    let pages = client.list_endpoints().max_results(100).into_paginator().send();
    let (endpoint_names, error) = list_pages(pages, limits, region, "sagemaker:ListEndpoints", |page| {
        page.endpoints()
            .iter()
            .filter_map(|e| e.endpoint_name().map(str::to_owned))
            .collect()
    })
    .await;
    error.map_or(Ok(()), Err)?;
    let described = describe_each(endpoint_names, limits, progress, |name| {
        let client = client.clone();
        async move {
            let out = client.describe_endpoint().endpoint_name(&name).send().await;
            let out = out.map_err(|e| unknown_reason("sagemaker:DescribeEndpoint", &e, attempts))?;
            Ok((name, out.endpoint_config_name().map(str::to_owned)))
        }
    })
    .await;
    let mut endpoints: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for found in described {
        let (name, config) = found.map_err(|message| failure(region, "sagemaker:DescribeEndpoint", message))?;
        if let Some(config) = config {
            endpoints.entry(config).or_default().push(name);
        }
    }
    Ok(EndpointMap {
        taken: config_names.into_iter().collect(),
        configs,
        endpoints,
    })
}

/// The old model's configuration, field for field, with isolation on.
fn copy(out: &DescribeModelOutput, tags: BTreeMap<String, String>) -> ModelConfig {
    let containers: Vec<ContainerConfig> = out
        .primary_container()
        .into_iter()
        .chain(out.containers())
        .map(container)
        .collect();
    ModelConfig {
        execution_role_arn: out.execution_role_arn().map(str::to_owned),
        enable_network_isolation: true,
        single_container: out.primary_container().is_some(),
        containers,
        vpc_config: out.vpc_config().filter(|v| !v.subnets().is_empty()).map(|v| VpcConfig {
            subnets: v.subnets().to_vec(),
            security_group_ids: v.security_group_ids().to_vec(),
        }),
        inference_execution_mode: out
            .inference_execution_config()
            .and_then(|c| c.mode())
            .map(|m| m.as_str().to_owned()),
        tags,
    }
}

fn container(def: &ContainerDefinition) -> ContainerConfig {
    ContainerConfig {
        container_hostname: def.container_hostname().map(str::to_owned),
        image: def.image().map(str::to_owned),
        mode: def.mode().map(|m| m.as_str().to_owned()),
        model_data_url: def.model_data_url().map(str::to_owned),
        model_data_source: def
            .model_data_source()
            .and_then(|s| s.s3_data_source())
            .and_then(|s| s.s3_uri())
            .map(str::to_owned),
        model_package_name: def.model_package_name().map(str::to_owned),
        inference_specification_name: def.inference_specification_name().map(str::to_owned),
        environment: def
            .environment()
            .map(|e| e.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
        multi_model: def.multi_model_config().is_some(),
    }
}
