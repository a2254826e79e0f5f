//! `vigil remediate RULE`: the plan for fixing a rule's failures on live
//! accounts. It reads and reports; it changes nothing.

use crate::cli::{RemediateArgs, ReportFormat};
use crate::{exit, output};
use vigil_aws::remediate::PlanRequest;
use vigil_core::registry;

/// Rules Vigil can plan a remediation for.
const REMEDIABLE: &[&str] = &["sagemaker-model-network-isolation"];

pub fn run(args: RemediateArgs) -> anyhow::Result<u8> {
    let Some(rule) = registry::find(&args.rule) else {
        eprintln!(
            "vigil: error: no rule '{}'; rules with a remediation: {}",
            args.rule,
            REMEDIABLE.join(", ")
        );
        return Ok(exit::USAGE);
    };
    if !REMEDIABLE.contains(&rule.id) {
        eprintln!(
            "vigil: error: {} has no automatic remediation; `vigil explain {}` says how to fix it",
            rule.id, rule.id
        );
        return Ok(exit::USAGE);
    }
    let request = PlanRequest {
        aws: super::aws_options(&args.aws),
        regions: args.aws.regions.clone().map(super::dedup),
        models: args.models.clone(),
        exclude: args.exclude.clone(),
        concurrency: usize::from(args.aws.concurrency),
    };
    let plan = match tokio::runtime::Runtime::new()?.block_on(vigil_aws::remediate::plan(request)) {
        Ok(plan) => plan,
        Err(err) => {
            eprintln!("vigil: error: {err}");
            return Ok(exit::USAGE);
        }
    };
    let rendered = match args.format {
        ReportFormat::Json => format!(
            "{:#}\n",
            serde_json::json!({"schema_version": "1", "mode": "plan", "plan": plan})
        ),
        ReportFormat::Text => vigil_report::render_plan_text(&plan),
    };
    output::write(args.output.as_deref(), &rendered)?;
    // As for audit: something to fix outranks something unread.
    Ok(if !plan.models.is_empty() {
        exit::FAILURES
    } else if !plan.errors.is_empty() {
        exit::INCOMPLETE
    } else {
        exit::CLEAN
    })
}
