//! A remediation plan for people: per model, the replacement's name and full
//! configuration, what happens to each endpoint, and the warnings first.

use std::fmt::Write;
use vigil_core::remediation::{ContainerConfig, ModelFix, Plan};

pub fn render_plan_text(plan: &Plan) -> String {
    let plan = &crate::safe::plan(plan);
    let pending = plan.models.iter().filter(|m| m.pending()).count();
    let mut out = format!(
        "Remediation plan for {} (plan only: nothing was changed)\naccount {}, {} region(s), {pending} model(s) to re-create with network isolation\n",
        plan.rule,
        plan.account.as_deref().unwrap_or("(unknown)"),
        plan.regions.len(),
    );
    let done = plan.models.len() - pending;
    if done > 0 {
        let _ = writeln!(
            out,
            "{done} failing model(s) already have their replacement and moved endpoints (the old ones are kept until --delete-old)"
        );
    }
    if !plan.models.is_empty() {
        out.push_str("\nBEFORE YOU APPLY\n");
        for warning in &plan.warnings {
            let _ = writeln!(out, "  - {warning}");
        }
    }
    for fix in &plan.models {
        model(&mut out, fix);
    }
    if !plan.errors.is_empty() {
        out.push_str("\nCOULD NOT PLAN\n");
        for error in &plan.errors {
            let _ = writeln!(
                out,
                "  {}: {}",
                error.region.as_deref().unwrap_or(error.scope.as_str()),
                error.message
            );
        }
    }
    out
}

fn model(out: &mut String, fix: &ModelFix) {
    let c = &fix.new_config;
    let _ = writeln!(out, "\n{}  {}  ->  {}", fix.region, fix.model, fix.new_model);
    if fix.replacement_exists {
        let _ = writeln!(
            out,
            "    {} already exists (made by Vigil): not created again",
            fix.new_model
        );
    }
    let _ = writeln!(out, "    EnableNetworkIsolation  false -> true");
    let _ = writeln!(
        out,
        "    ExecutionRoleArn        {}",
        c.execution_role_arn.as_deref().unwrap_or("(none)")
    );
    let shape = if c.single_container {
        "PrimaryContainer"
    } else {
        "Containers"
    };
    let _ = writeln!(out, "    {shape:<23} {} container(s)", c.containers.len());
    for container in &c.containers {
        let _ = writeln!(out, "      - {}", describe(container));
    }
    if let Some(mode) = &c.inference_execution_mode {
        let _ = writeln!(out, "    InferenceExecutionConfig Mode={mode}");
    }
    match &c.vpc_config {
        Some(vpc) => {
            let _ = writeln!(
                out,
                "    VpcConfig               subnets {}; security groups {}",
                vpc.subnets.join(", "),
                vpc.security_group_ids.join(", ")
            );
        }
        None => out.push_str("    VpcConfig               (none)\n"),
    }
    let tags: Vec<String> = c.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let _ = writeln!(
        out,
        "    Tags                    {}",
        if tags.is_empty() {
            "(none)".into()
        } else {
            tags.join(", ")
        }
    );
    if fix.endpoint_configs.is_empty() {
        out.push_str("    endpoints               none serve this model\n");
    }
    for config in &fix.endpoint_configs {
        let mut variants = config.production_variants.join(", ");
        if !config.shadow_variants.is_empty() {
            let _ = write!(variants, "; shadow: {}", config.shadow_variants.join(", "));
        }
        let made = if config.replacement_exists {
            ", already made by Vigil"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "    endpoint config {} -> {} (variants {variants}{made})",
            config.name, config.new_name
        );
        if config.endpoints.is_empty() {
            out.push_str("      no endpoint runs on it: copied only\n");
        }
        for endpoint in &config.endpoints {
            let _ = writeln!(
                out,
                "      endpoint {endpoint}: with --update-endpoints, UpdateEndpoint to {}, wait for InService, roll back on failure",
                config.new_name
            );
        }
    }
    let _ = writeln!(
        out,
        "    old model {} and its endpoint configs are kept (with --delete-old, deleted once nothing runs on them)",
        fix.model
    );
}

fn describe(c: &ContainerConfig) -> String {
    let mut parts = Vec::new();
    let fields = [
        ("image", &c.image),
        ("hostname", &c.container_hostname),
        ("model data", &c.model_data_url),
        ("model data source", &c.model_data_source),
        ("model package", &c.model_package_name),
        ("inference specification", &c.inference_specification_name),
        ("mode", &c.mode),
    ];
    for (label, value) in fields {
        if let Some(value) = value {
            parts.push(format!("{label} {value}"));
        }
    }
    if !c.environment.is_empty() {
        parts.push(format!("environment {}", c.environment.join(", ")));
    }
    if c.multi_model {
        parts.push("multi-model".into());
    }
    parts.join("; ")
}
