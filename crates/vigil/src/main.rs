//! The `vigil` binary: parses the command line, runs one command and turns its
//! outcome into one of a few stable exit codes (see `ExitCode` below).

mod article;
mod cli;
mod clock;
mod commands;
mod config;
mod journal;
mod output;
mod progress;
mod repo;
mod suppress;
mod watch;

use clap::Parser;
use std::process::ExitCode;
use vigil_core::Outcome;

/// Exit codes, documented in README.md. Never renumber them.
pub mod exit {
    /// Nothing failed and everything could be read.
    pub const CLEAN: u8 = 0;
    /// At least one unsuppressed failure.
    pub const FAILURES: u8 = 1;
    /// Usage, configuration or I/O error: the run did not happen or its report was not written.
    pub const USAGE: u8 = 2;
    /// No failure, but something was unknown or could not be read.
    pub const INCOMPLETE: u8 = 3;
    /// No failure, but some templates could not be parsed (`vigil scan`).
    pub const UNPARSABLE: u8 = 4;
    /// `vigil remediate --apply` could not undo a failed change: the account
    /// needs attention (`vigil remediate --resume` tries again).
    pub const STRANDED: u8 = 5;
}

pub fn exit_code(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Clean => exit::CLEAN,
        Outcome::Failures => exit::FAILURES,
        Outcome::Incomplete => exit::INCOMPLETE,
        Outcome::Unparsable => exit::UNPARSABLE,
    }
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("vigil: error: {}", vigil_report::safe(&format!("{err:#}")));
            ExitCode::from(exit::USAGE)
        }
    }
}
