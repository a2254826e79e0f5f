//! One module per subcommand; each returns the exit code it earned.

mod audit;
mod explain;
mod fix;
mod rules;
mod scan;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Audit(args) => audit::run(args),
        Command::Scan(args) => scan::run(args),
        Command::Rules(args) => rules::run(&args),
        Command::Explain { rule } => explain::run(&rule),
    }
}
