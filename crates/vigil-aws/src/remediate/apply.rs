//! Applying a remediation plan. Models and endpoint configurations that share
//! endpoints form a unit, changed all together or not at all: create the
//! isolated models, then the endpoint configurations that serve them, then
//! move each endpoint and wait for it; if any step fails, undo the unit's
//! steps in reverse. Old resources are deleted only on request, and only
//! once nothing runs on them. Every step is journaled before and after.

use super::context::{maker, tags_of, ApplyOptions, Ctx, Journal, Maker};
use super::moves::move_endpoint;
use super::plan::endpoints_by_config;
use super::rollback::{gone, roll_back};
use super::Session;
use crate::collect::Limits;
use crate::errors::{describe, unknown_reason};
use crate::progress::{Progress, Silent};
use crate::sdk::Clients;
use aws_sdk_sagemaker::Client;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use vigil_core::journal::{Entry, Step};
use vigil_core::remediation::{Applied, EndpointConfigFix, ModelFix, Plan, UnitOutcome, UnitStatus};
use vigil_core::RunError;

/// One unit: the models to replace and the configurations to copy.
struct Unit {
    name: String,
    region: String,
    models: Vec<ModelFix>,
    configs: Vec<EndpointConfigFix>,
}

/// Splits one region's fixes into units: models are joined when an endpoint
/// configuration names more than one of them, transitively (a model whose
/// configurations belong to two units merges them).
fn units(region: &str, fixes: Vec<ModelFix>) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    for fix in fixes {
        let configs: BTreeSet<&str> = fix.endpoint_configs.iter().map(|c| c.name.as_str()).collect();
        let touching: Vec<usize> = (0..units.len())
            .filter(|&i| units[i].configs.iter().any(|c| configs.contains(c.name.as_str())))
            .collect();
        let mut unit = match touching.first() {
            Some(&first) => {
                // Later units fold into the first; remove from the back so indices hold.
                let mut merged = Vec::new();
                for &i in touching[1..].iter().rev() {
                    merged.push(units.remove(i));
                }
                let mut unit = units.remove(first);
                for other in merged.into_iter().rev() {
                    unit.models.extend(other.models);
                    unit.configs.extend(other.configs);
                }
                unit
            }
            None => Unit {
                name: format!("{region}/{}", fix.model),
                region: region.to_owned(),
                models: Vec::new(),
                configs: Vec::new(),
            },
        };
        for config in &fix.endpoint_configs {
            if !unit.configs.iter().any(|c| c.name == config.name) {
                unit.configs.push(config.clone());
            }
        }
        unit.models.push(fix);
        units.push(unit);
    }
    units
}

/// Applies `plan`. Regions run concurrently, units within a region one
/// after another, endpoints within a unit one after another (a bad image
/// then breaks one deployment, not all of them).
pub async fn apply(session: &Session, plan: &Plan, options: &ApplyOptions, journal: Arc<dyn Journal>) -> Applied {
    let mut by_region: BTreeMap<String, Vec<ModelFix>> = BTreeMap::new();
    for fix in plan.models.iter().filter(|f| f.pending() || options.delete_old) {
        by_region.entry(fix.region.clone()).or_default().push(fix.clone());
    }
    let limits = Limits::new(options.concurrency, session.max_attempts);
    let mut outcomes = Vec::new();
    let mut errors = Vec::new();
    // Scoped concurrency: every region's future borrows the options and journal.
    let regions = by_region.into_iter().map(|(region, fixes)| {
        let client = Clients::for_region(&session.config, &region, &session.counter, &limits.in_flight, None).sagemaker;
        let (journal, limits) = (journal.clone(), limits.clone());
        async move { apply_region(client, region, fixes, options, journal.as_ref(), &limits).await }
    });
    for (units, region_errors) in futures::future::join_all(regions).await {
        outcomes.extend(units);
        errors.extend(region_errors);
    }
    Applied {
        run: options.run.clone(),
        journal: options.journal.clone(),
        units: outcomes,
        errors,
        calls: session.counter.snapshot(),
    }
}

async fn apply_region(
    client: Client,
    region: String,
    fixes: Vec<ModelFix>,
    options: &ApplyOptions,
    journal: &dyn Journal,
    limits: &Limits,
) -> (Vec<UnitOutcome>, Vec<RunError>) {
    let mut outcomes = Vec::new();
    let mut errors = Vec::new();
    let mut applied = Vec::new();
    let ctx_for = |unit: &Unit| Ctx {
        client: client.clone(),
        journal,
        unit: unit.name.clone(),
        region: region.clone(),
        options,
        attempts: limits.max_attempts,
    };
    for unit in units(&region, fixes) {
        let outcome = run_unit(&ctx_for(&unit), &unit).await;
        if outcome.status == UnitStatus::Applied {
            applied.push((unit, outcomes.len()));
        }
        outcomes.push(outcome);
    }
    if options.delete_old && !applied.is_empty() {
        // One fresh look at the region's endpoints decides what is unused.
        let progress: Arc<dyn Progress> = Arc::new(Silent);
        match endpoints_by_config(&client, &region, limits, &progress).await {
            Ok(running) => {
                for (unit, index) in &applied {
                    delete_old(&ctx_for(unit), unit, &running, &mut outcomes[*index], &mut errors).await;
                }
            }
            Err(error) => errors.push(RunError {
                message: format!("nothing old was deleted: {}", error.message),
                ..error
            }),
        }
    }
    (outcomes, errors)
}

fn outcome(unit: &Unit, status: UnitStatus, error: Option<String>, steps: Vec<Step>) -> UnitOutcome {
    UnitOutcome {
        region: unit.region.clone(),
        unit: unit.name.clone(),
        models: unit
            .models
            .iter()
            .map(|m| (m.model.clone(), m.new_model.clone()))
            .collect(),
        status,
        error,
        steps,
        notes: Vec::new(),
    }
}

async fn run_unit(ctx: &Ctx<'_>, unit: &Unit) -> UnitOutcome {
    let mut begun = Vec::new();
    match forward(ctx, unit, &mut begun).await {
        Ok(()) => {
            let mut done = outcome(unit, UnitStatus::Applied, None, begun);
            if !ctx.options.update_endpoints && !unit.configs.is_empty() {
                done.notes.push(
                    "endpoints keep serving the old models: run again with --update-endpoints to move them".into(),
                );
            }
            done
        }
        Err(error) => {
            let _ = ctx.write(Entry::RollbackBegin {
                unit: ctx.unit.clone(),
                region: ctx.region.clone(),
                reason: error.clone(),
            });
            match roll_back(ctx, &begun).await {
                Ok(()) => outcome(unit, UnitStatus::RolledBack, Some(error), Vec::new()),
                Err((left, rollback_error)) => {
                    let message = format!("{error}; then the rollback failed: {rollback_error}");
                    outcome(unit, UnitStatus::RollbackFailed, Some(message), left)
                }
            }
        }
    }
}

/// The unit's steps, in order; `begun` collects each step as it starts, so
/// a step that failed half-way is undone too.
async fn forward(ctx: &Ctx<'_>, unit: &Unit, begun: &mut Vec<Step>) -> Result<(), String> {
    for fix in unit.models.iter().filter(|m| !m.replacement_exists) {
        let step = Step::CreateModel {
            name: fix.new_model.clone(),
            replaces: fix.model.clone(),
        };
        begun.push(step.clone());
        ctx.step(step, create_model(ctx, fix)).await?;
    }
    if !ctx.options.update_endpoints {
        return Ok(());
    }
    for config in unit.configs.iter().filter(|c| !c.replacement_exists) {
        let step = Step::CreateEndpointConfig {
            name: config.new_name.clone(),
            replaces: config.name.clone(),
        };
        begun.push(step.clone());
        ctx.step(step, create_endpoint_config(ctx, config)).await?;
    }
    for config in &unit.configs {
        for endpoint in &config.endpoints {
            let step = Step::UpdateEndpoint {
                endpoint: endpoint.clone(),
                from: config.name.clone(),
                to: config.new_name.clone(),
            };
            // Only a move this run sent is this run's to undo.
            let mut sent = false;
            let moved = move_endpoint(ctx, endpoint, &config.name, &config.new_name, Some(&step), &mut sent);
            let result = ctx.step(step.clone(), moved).await;
            if sent {
                begun.push(step);
            }
            result?;
        }
    }
    Ok(())
}

/// After "already exists": fine if `new` (at `arn`) is a Vigil replacement
/// of `old`, this run's or another's (then it is used, not owned); anything
/// else is someone else's and an error.
async fn adopt(ctx: &Ctx<'_>, arn: Option<&str>, new: &str, old: &str) -> Result<(), String> {
    match maker(ctx, arn, old).await {
        Ok(Maker::ThisRun | Maker::OtherRun) => Ok(()),
        Ok(Maker::Someone) => Err(format!("{new} exists and was not made by Vigil")),
        Err(why) => Err(format!("{new} exists and its tags could not be read: {why}")),
    }
}

async fn create_model(ctx: &Ctx<'_>, fix: &ModelFix) -> Result<(), String> {
    let old = ctx
        .client
        .describe_model()
        .model_name(&fix.model)
        .send()
        .await
        .map_err(|e| unknown_reason("sagemaker:DescribeModel", &e, ctx.attempts))?;
    if old.enable_network_isolation() == Some(true) {
        return Err(format!("{} has been isolated since the plan was made", fix.model));
    }
    let old_tags = tags_of(ctx, old.model_arn()).await?;
    let request = super::copy::create_model(
        &ctx.client,
        &fix.new_model,
        &fix.model,
        &ctx.options.run,
        &old,
        &old_tags,
    );
    match request.send().await {
        Ok(_) => Ok(()),
        Err(err) if describe(&err).contains("already exist") => {
            let existing = ctx.client.describe_model().model_name(&fix.new_model).send().await;
            let arn = existing.as_ref().ok().and_then(|e| e.model_arn());
            adopt(ctx, arn, &fix.new_model, &fix.model).await
        }
        Err(err) => Err(describe(&err)),
    }
}

async fn create_endpoint_config(ctx: &Ctx<'_>, config: &EndpointConfigFix) -> Result<(), String> {
    let old = ctx
        .client
        .describe_endpoint_config()
        .endpoint_config_name(&config.name)
        .send()
        .await
        .map_err(|e| unknown_reason("sagemaker:DescribeEndpointConfig", &e, ctx.attempts))?;
    let old_tags = tags_of(ctx, old.endpoint_config_arn()).await?;
    let request = super::copy::create_endpoint_config(
        &ctx.client,
        &config.new_name,
        &config.name,
        &ctx.options.run,
        &old,
        &old_tags,
        &config.models,
    );
    match request.send().await {
        Ok(_) => Ok(()),
        Err(err) if describe(&err).contains("already exist") => {
            let existing = ctx
                .client
                .describe_endpoint_config()
                .endpoint_config_name(&config.new_name)
                .send()
                .await;
            let arn = existing.as_ref().ok().and_then(|e| e.endpoint_config_arn());
            adopt(ctx, arn, &config.new_name, &config.name).await
        }
        Err(err) => Err(describe(&err)),
    }
}

/// Deletes a unit's old configurations and models, once nothing runs on them.
async fn delete_old(
    ctx: &Ctx<'_>,
    unit: &Unit,
    running: &BTreeMap<String, Vec<String>>,
    outcome: &mut UnitOutcome,
    errors: &mut Vec<RunError>,
) {
    let mut kept: BTreeSet<&str> = BTreeSet::new();
    let fail = |message: String, errors: &mut Vec<RunError>| {
        errors.push(RunError::in_region(
            vigil_core::report::ErrorScope::Region,
            Some(ctx.region.clone()),
            None,
            message,
        ))
    };
    for config in &unit.configs {
        let users = running.get(&config.name).filter(|u| !u.is_empty());
        if !ctx.options.update_endpoints || users.is_some() {
            let why = match users {
                Some(users) => format!("endpoint(s) {} still run on it", users.join(", ")),
                None => "it was not replaced (no --update-endpoints)".into(),
            };
            outcome
                .notes
                .push(format!("endpoint config {} kept: {why}", config.name));
            kept.insert(&config.name);
            continue;
        }
        let step = Step::DeleteEndpointConfig {
            name: config.name.clone(),
        };
        let sent = async {
            let sent = ctx
                .client
                .delete_endpoint_config()
                .endpoint_config_name(&config.name)
                .send()
                .await;
            gone(sent.map(|_| ()), "sagemaker:DeleteEndpointConfig", ctx.attempts)
        };
        match ctx.step(step.clone(), sent).await {
            Ok(()) => outcome.steps.push(step),
            Err(error) => {
                kept.insert(&config.name);
                fail(format!("{} kept: {error}", config.name), errors);
            }
        }
    }
    for fix in &unit.models {
        let still_named: Vec<&str> = fix
            .endpoint_configs
            .iter()
            .map(|c| c.name.as_str())
            .filter(|c| kept.contains(c))
            .collect();
        if !still_named.is_empty() {
            outcome.notes.push(format!(
                "model {} kept: endpoint config(s) {} still name it",
                fix.model,
                still_named.join(", ")
            ));
            continue;
        }
        let step = Step::DeleteModel {
            name: fix.model.clone(),
        };
        let sent = async {
            let sent = ctx.client.delete_model().model_name(&fix.model).send().await;
            gone(sent.map(|_| ()), "sagemaker:DeleteModel", ctx.attempts)
        };
        match ctx.step(step.clone(), sent).await {
            Ok(()) => outcome.steps.push(step),
            Err(error) => fail(format!("{} kept: {error}", fix.model), errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::remediation::ModelConfig;

    fn fix(model: &str, configs: &[&str]) -> ModelFix {
        ModelFix {
            region: "eu-west-1".into(),
            model: model.into(),
            arn: None,
            new_model: format!("{model}-isolated"),
            replacement_exists: false,
            new_config: ModelConfig::default(),
            endpoint_configs: configs
                .iter()
                .map(|c| EndpointConfigFix {
                    name: (*c).into(),
                    new_name: format!("{c}-isolated"),
                    replacement_exists: false,
                    models: BTreeMap::new(),
                    production_variants: vec![],
                    shadow_variants: vec![],
                    endpoints: vec![],
                })
                .collect(),
        }
    }

    #[test]
    fn models_sharing_configurations_transitively_form_one_unit() {
        let fixes = vec![
            fix("a", &["cfg1"]),
            fix("b", &["cfg2"]),
            fix("lonely", &[]),
            fix("c", &["cfg1", "cfg2"]),
            fix("d", &["cfg3"]),
        ];
        let units = units("eu-west-1", fixes);
        let shape: Vec<(Vec<&str>, Vec<&str>)> = units
            .iter()
            .map(|u| {
                (
                    u.models.iter().map(|m| m.model.as_str()).collect(),
                    u.configs.iter().map(|c| c.name.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (vec!["lonely"], vec![]),
                (vec!["a", "b", "c"], vec!["cfg1", "cfg2"]),
                (vec!["d"], vec!["cfg3"]),
            ]
        );
    }
}
