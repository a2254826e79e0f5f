//! Planning the network-isolation remediation: which models fail, what each
//! replacement will be (a faithful copy with isolation on), which endpoint
//! configurations and endpoints serve each of them, and which replacements
//! an earlier run already made (found by their `vigil:replaces` tag, so a
//! re-run never duplicates them). Read-only.

use super::copy::plan_view;
use super::Session;
use crate::collect::{describe_each, list_pages, tags, Limits};
use crate::errors::unknown_reason;
use crate::progress::{Progress, Silent};
use crate::sdk::{Clients, ConfigError};
use aws_sdk_sagemaker::Client;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use vigil_core::remediation::{self, EndpointConfigFix, ModelFix, Plan, REPLACES_TAG};
use vigil_core::rules::sagemaker::model_network_isolation::RULE;
use vigil_core::{Resource, RunError, Status};

pub struct PlanRequest {
    pub regions: Option<Vec<String>>,
    /// Model names or globs to consider (all when empty).
    pub models: Vec<String>,
    /// Model names or globs to leave alone.
    pub exclude: Vec<String>,
    pub concurrency: usize,
}

/// A glob that does not parse, named.
pub fn globs(patterns: &[String]) -> Result<globset::GlobSet, String> {
    let mut set = globset::GlobSetBuilder::new();
    for pattern in patterns {
        set.add(globset::Glob::new(pattern).map_err(|e| format!("'{pattern}' is not a valid glob: {e}"))?);
    }
    set.build().map_err(|e| e.to_string())
}

pub async fn plan(session: &Session, request: PlanRequest) -> Result<Plan, ConfigError> {
    let include = globs(&request.models).map_err(ConfigError::Usage)?;
    let exclude = globs(&request.exclude).map_err(ConfigError::Usage)?;
    let wanted = Arc::new(move |name: &str| (include.is_empty() || include.is_match(name)) && !exclude.is_match(name));
    let (regions, mut errors) = crate::audit::choose_regions(&session.config, &session.counter, request.regions).await;
    let limits = Limits::new(request.concurrency, session.max_attempts);
    // Regions are planned concurrently, as the audit collects them.
    let mut tasks = tokio::task::JoinSet::new();
    for region in &regions.regions {
        let client = Clients::for_region(&session.config, region, &session.counter, &limits.in_flight, None).sagemaker;
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
        rule: RULE.id,
        account: Some(session.account.clone()).filter(|a| !a.is_empty()),
        regions: regions.regions,
        models,
        warnings: remediation::WARNINGS.to_vec(),
        errors,
        calls: session.counter.snapshot(),
    })
}

fn failure(region: &str, operation: &str, message: String) -> RunError {
    RunError::in_region(
        vigil_core::report::ErrorScope::Region,
        Some(region.to_owned()),
        Some(operation.to_owned()),
        message,
    )
}

/// Whether the resource at `arn` carries `vigil:replaces=OLD`: Vigil made it
/// as the replacement of `old`. How plans, retries and rollbacks tell
/// Vigil's own work from someone else's.
pub(super) async fn replaces(client: &Client, arn: &str, old: &str, attempts: u32) -> Result<bool, String> {
    Ok(tags(client, arn, attempts).await?.get(REPLACES_TAG).map(String::as_str) == Some(old))
}

/// The name a replacement of `old` gets: the first candidate that is free,
/// or one an earlier run made for `old` (`ours` says so). `(name, exists)`.
async fn replacement_name<F, Fut>(old: &str, arns: &HashMap<String, String>, ours: F) -> Result<(String, bool), String>
where
    F: Fn(String, String) -> Fut,
    Fut: std::future::Future<Output = Result<bool, String>>,
{
    for candidate in remediation::candidate_names(old).take(50) {
        let Some(arn) = arns.get(&candidate) else {
            return Ok((candidate, false));
        };
        if ours(candidate.clone(), arn.clone()).await? {
            return Ok((candidate, true));
        }
    }
    Err(format!("no free name for the replacement of {old} among 50 candidates"))
}

async fn plan_region(
    client: &Client,
    region: &str,
    limits: &Limits,
    wanted: &(dyn Fn(&str) -> bool + Send + Sync),
) -> (Vec<ModelFix>, Vec<RunError>) {
    let progress: Arc<dyn Progress> = Arc::new(Silent);
    let pages = client.list_models().max_results(100).into_paginator().send();
    let (listed, error) = list_pages(pages, limits, region, "sagemaker:ListModels", |page| {
        page.models()
            .iter()
            .filter_map(|m| Some((m.model_name()?.to_owned(), m.model_arn()?.to_owned())))
            .collect()
    })
    .await;
    if let Some(error) = error {
        // A partial listing would plan a partial fix: plan nothing here.
        return (Vec::new(), vec![error]);
    }
    let mut errors = Vec::new();
    let model_arns: HashMap<String, String> = listed.iter().cloned().collect();
    let candidates: Vec<String> = listed.into_iter().map(|(n, _)| n).filter(|n| wanted(n)).collect();
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
            // The rule judges, as in an audit: a plan fixes exactly what fails.
            Ok(out) => {
                let arn = model_arns.get(&name).cloned();
                let model = crate::collect::models::from_description(name.clone(), arn, &out);
                match RULE.evaluate(&Resource::SageMakerModel(model)).map(|f| f.status) {
                    Some(Status::Fail) => failing.push((name, out)),
                    Some(Status::Unknown { reason }) => errors.push(failure(
                        region,
                        "sagemaker:DescribeModel",
                        format!("{name} not planned: {reason}"),
                    )),
                    Some(Status::Pass) | None => {}
                }
            }
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
    // First every model's replacement name, then every configuration's,
    // since one configuration may name several failing models.
    let mut fixes = Vec::new();
    for (name, out) in failing {
        let old_tags = match out.model_arn() {
            Some(arn) => match tags(client, arn, attempts).await {
                Ok(found) => found,
                Err(why) => {
                    let message = format!("{name} not planned: its tags could not be read ({why})");
                    errors.push(failure(region, "sagemaker:ListTags", message));
                    continue;
                }
            },
            None => BTreeMap::new(),
        };
        let ours = |_: String, arn: String| {
            let (client, old) = (client.clone(), name.clone());
            async move { replaces(&client, &arn, &old, attempts).await }
        };
        let (new_model, replacement_exists) = match replacement_name(&name, &model_arns, ours).await {
            Ok(found) => found,
            Err(why) => {
                errors.push(failure(
                    region,
                    "sagemaker:ListTags",
                    format!("{name} not planned: {why}"),
                ));
                continue;
            }
        };
        fixes.push(ModelFix {
            region: region.to_owned(),
            arn: out.model_arn().map(str::to_owned),
            new_config: plan_view(&out, old_tags),
            new_model,
            replacement_exists,
            endpoint_configs: Vec::new(),
            model: name,
        });
    }
    let replaced: BTreeMap<String, String> = fixes.iter().map(|f| (f.model.clone(), f.new_model.clone())).collect();
    let mut config_fixes = Vec::new();
    for config in &serving.configs {
        let models: BTreeMap<String, String> = config
            .models()
            .filter_map(|m| Some((m.to_owned(), replaced.get(m)?.clone())))
            .collect();
        if models.is_empty() {
            continue;
        }
        let ours = |candidate: String, arn: String| {
            let (client, old) = (client.clone(), config.name.clone());
            // Ours only if it was made for this configuration and already
            // replaces every model this run replaces in it.
            let still_names_failing = serving
                .configs
                .iter()
                .find(|c| c.name == candidate)
                .is_some_and(|c| c.models().any(|m| models.contains_key(m)));
            async move { Ok(!still_names_failing && replaces(&client, &arn, &old, attempts).await?) }
        };
        match replacement_name(&config.name, &serving.arns, ours).await {
            Ok((new_name, replacement_exists)) => config_fixes.push(EndpointConfigFix {
                production_variants: config.variants_naming(&config.production, &models),
                shadow_variants: config.variants_naming(&config.shadow, &models),
                endpoints: serving.endpoints.get(&config.name).cloned().unwrap_or_default(),
                name: config.name.clone(),
                new_name,
                replacement_exists,
                models,
            }),
            Err(why) => {
                // A model whose configuration cannot be replaced cannot move:
                // leave every model it names out of the plan.
                let message = format!("endpoint config {} not planned: {why}", config.name);
                errors.push(failure(region, "sagemaker:ListTags", message));
                fixes.retain(|f| !models.contains_key(&f.model));
            }
        }
    }
    for fix in &mut fixes {
        fix.endpoint_configs = config_fixes
            .iter()
            .filter(|c| c.models.contains_key(&fix.model))
            .cloned()
            .collect();
    }
    (fixes, errors)
}

/// One endpoint configuration's (variant, model) pairs.
struct ConfigVariants {
    name: String,
    production: Vec<(String, String)>,
    shadow: Vec<(String, String)>,
}

impl ConfigVariants {
    fn models(&self) -> impl Iterator<Item = &str> {
        self.production.iter().chain(&self.shadow).map(|(_, m)| m.as_str())
    }

    fn variants_naming(&self, variants: &[(String, String)], models: &BTreeMap<String, String>) -> Vec<String> {
        variants
            .iter()
            .filter(|(_, m)| models.contains_key(m))
            .map(|(v, _)| v.clone())
            .collect()
    }
}

/// Which endpoint configurations name which models, and which endpoints
/// run on which configuration, for one region.
struct EndpointMap {
    configs: Vec<ConfigVariants>,
    arns: HashMap<String, String>,
    endpoints: BTreeMap<String, Vec<String>>,
}

async fn endpoint_map(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> Result<EndpointMap, RunError> {
    let pages = client.list_endpoint_configs().max_results(100).into_paginator().send();
    let (listed, error) = list_pages(pages, limits, region, "sagemaker:ListEndpointConfigs", |page| {
        page.endpoint_configs()
            .iter()
            .filter_map(|c| {
                Some((
                    c.endpoint_config_name()?.to_owned(),
                    c.endpoint_config_arn()?.to_owned(),
                ))
            })
            .collect()
    })
    .await;
    error.map_or(Ok(()), Err)?;
    let attempts = limits.max_attempts;
    let names = listed.iter().map(|(n, _)| n.clone()).collect();
    let described = describe_each(names, limits, progress, |name| {
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
    let endpoints = endpoints_by_config(client, region, limits, progress).await?;
    Ok(EndpointMap {
        arns: listed.into_iter().collect(),
        configs,
        endpoints,
    })
}

/// Every endpoint of a region, grouped by the configuration it runs on.
pub(super) async fn endpoints_by_config(
    client: &Client,
    region: &str,
    limits: &Limits,
    progress: &Arc<dyn Progress>,
) -> Result<BTreeMap<String, Vec<String>>, RunError> {
    let attempts = limits.max_attempts;
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
    Ok(endpoints)
}
