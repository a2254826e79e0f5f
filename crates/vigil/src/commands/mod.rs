//! One module per subcommand; each returns the exit code it earned.

mod audit;
mod explain;
mod fix;
mod remediate;
mod rules;
mod scan;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Audit(args) => audit::run(args),
        Command::Scan(args) => scan::run(args),
        Command::Remediate(args) => remediate::run(args),
        Command::Rules(args) => rules::run(&args),
        Command::Explain { rule, format } => explain::run(&rule, format),
    }
}

/// The rules the user chose; an unknown id is a usage error, said once here.
fn selected_rules(selection: &crate::cli::RuleSelection) -> Result<Vec<&'static vigil_core::Rule>, u8> {
    vigil_core::registry::select(selection.rules.as_deref(), &selection.exclude_rules).map_err(|message| {
        eprintln!("vigil: error: {}", vigil_report::safe(&message));
        crate::exit::USAGE
    })
}

/// The SDK options the user chose.
fn aws_options(args: &crate::cli::AwsArgs) -> vigil_aws::AwsOptions {
    vigil_aws::AwsOptions {
        profile: args.profile.clone(),
        endpoint_url: args.endpoint_url.clone(),
        max_attempts: args.max_attempts,
    }
}

/// Regions named twice are audited once.
fn dedup(mut regions: Vec<String>) -> Vec<String> {
    regions.sort();
    regions.dedup();
    regions
}
