//! One module per subcommand; each returns the exit code it earned.

mod audit;
mod docs;
mod explain;
mod findings;
mod fix;
mod policy;
mod record;
mod remediate;
mod rules;
mod runs;
mod scan;
mod watch;

use crate::cli::{Cli, Command, PolicyCommand};

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    // Only the commands that read vigil.toml fail on a broken one. Policies
    // are installed first: `--policy`, else the file's `policies`.
    let named = cli.policies.clone();
    let config = || {
        let policies = |configured: &[std::path::PathBuf]| match named.is_empty() {
            true => install_policies(configured),
            false => install_policies(&named),
        };
        crate::config::load(cli.config.as_deref(), policies).map_err(|why| {
            eprintln!("vigil: error: {}", vigil_report::safe(&why));
            crate::exit::USAGE
        })
    };
    // The others know only the policies the command line names.
    let named_only = || {
        install_policies(&cli.policies).map_err(|why| {
            eprintln!("vigil: error: {}", vigil_report::safe(&why));
            crate::exit::USAGE
        })
    };
    // `--policy` is global so that every command that judges takes it; the
    // others refuse it rather than ignore it.
    let ignores_policies = match &cli.command {
        Command::Remediate(_) => Some("remediate (it fixes built-in rules only)"),
        Command::Policy { .. } => Some("policy test (name the policies as its paths)"),
        Command::Completions { .. } => Some("completions"),
        Command::Man { .. } => Some("man"),
        _ => None,
    };
    if let (Some(command), false) = (ignores_policies, cli.policies.is_empty()) {
        eprintln!("vigil: error: --policy does not apply to `vigil {command}`");
        return Ok(crate::exit::USAGE);
    }
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
        Command::Rules(args) => match named_only() {
            Ok(()) => rules::run(&args),
            Err(code) => Ok(code),
        },
        Command::Explain { rule, format } => match named_only() {
            Ok(()) => explain::run(&rule, format),
            Err(code) => Ok(code),
        },
        Command::Policy {
            command: PolicyCommand::Test { paths },
        } => policy::test(&paths),
        Command::Completions { shell } => docs::completions(shell),
        Command::Man { out_dir } => docs::man(out_dir.as_deref()),
    }
}

/// Loads and installs the run's policies, before anything reads the
/// rules; a refusal names the policy's file, line and column.
fn install_policies(paths: &[std::path::PathBuf]) -> Result<(), String> {
    if paths.is_empty() {
        return Ok(());
    }
    let policies = vigil_policy::load(paths).map_err(|err| err.to_string())?;
    vigil_policy::install(policies)
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
