//! One module per subcommand; each returns the exit code it earned.

mod audit;
mod docs;
mod explain;
mod findings;
mod fix;
mod record;
mod remediate;
mod rules;
mod runs;
mod scan;
mod watch;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    // Only the commands that read vigil.toml fail on a broken one.
    let config = || {
        crate::config::load(cli.config.as_deref()).map_err(|why| {
            eprintln!("vigil: error: {}", vigil_report::safe(&why));
            crate::exit::USAGE
        })
    };
    match cli.command {
        Command::Audit(args) => match config() {
            Ok(config) => audit::run(args, &config),
            Err(code) => Ok(code),
        },
        Command::Scan(args) => match config() {
            Ok(config) => scan::run(args, &config),
            Err(code) => Ok(code),
        },
        Command::Findings(args) => match config() {
            Ok(config) => findings::run(&args, &config),
            Err(code) => Ok(code),
        },
        Command::Runs(args) => match config() {
            Ok(config) => runs::run(&args, &config),
            Err(code) => Ok(code),
        },
        Command::Watch(args) => match config() {
            Ok(config) => watch::run(args, &config),
            Err(code) => Ok(code),
        },
        Command::Remediate(args) => remediate::run(args),
        Command::Rules(args) => rules::run(&args),
        Command::Explain { rule, format } => explain::run(&rule, format),
        Command::Completions { shell } => docs::completions(shell),
        Command::Man { out_dir } => docs::man(out_dir.as_deref()),
    }
}

/// The rules the user chose (on the command line, else in vigil.toml); an
/// unknown id is a usage error, said once here.
fn selected_rules(
    selection: &crate::cli::RuleSelection,
    config: &crate::config::Config,
) -> Result<Vec<&'static vigil_core::Rule>, u8> {
    let include = selection.rules.as_deref().or(config.rules.as_deref());
    let exclude = match (&selection.exclude_rules, &config.exclude_rules) {
        (cli, Some(configured)) if cli.is_empty() => configured.as_slice(),
        (cli, _) => cli.as_slice(),
    };
    vigil_core::registry::select(include, exclude).map_err(|message| {
        eprintln!("vigil: error: {}", vigil_report::safe(&message));
        crate::exit::USAGE
    })
}

/// Why a run could not start: one line with the fix; the SDK's error chain
/// follows with `-v`, else a hint that it is there.
fn config_error(err: &vigil_aws::ConfigError, verbose: bool) -> u8 {
    eprintln!("vigil: error: {}", vigil_report::safe(&err.to_string()));
    match (err.detail(), verbose) {
        (Some(detail), true) => {
            for line in detail.lines() {
                eprintln!("vigil:   {}", vigil_report::safe(line));
            }
        }
        (Some(_), false) => eprintln!("vigil: (-v shows the AWS SDK's error)"),
        (None, _) => {}
    }
    crate::exit::USAGE
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
