//! `vigil completions` and `vigil man`: shell completions and manual pages
//! generated from the one clap definition, so they never drift from `--help`.

use crate::cli::Cli;
use anyhow::Context;
use clap::CommandFactory;
use std::io::Write;
use std::path::Path;

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "vigil", &mut out);
    write_stdout(&out)
}

pub fn man(out_dir: Option<&Path>) -> anyhow::Result<u8> {
    let command = Cli::command();
    match out_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            // One page per subcommand, named as man(1) looks them up:
            // `man vigil-audit`.
            let command = command.disable_help_subcommand(true);
            clap_mangen::generate_to(with_prefixed_names(command), dir)
                .with_context(|| format!("cannot write the manual pages into {}", dir.display()))?;
        }
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(command).render(&mut out)?;
            write_stdout(&out)?;
        }
    }
    Ok(crate::exit::CLEAN)
}

/// Subcommand pages are named `vigil-audit.1`, not `audit.1`, and their
/// synopsis reads `vigil audit`.
fn with_prefixed_names(command: clap::Command) -> clap::Command {
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    names.into_iter().fold(command, |command, name| {
        command.mut_subcommand(&name, |sub| {
            sub.clone()
                .display_name(format!("vigil-{name}"))
                .bin_name(format!("vigil {name}"))
        })
    })
}

/// A closed pipe (`vigil man | head`) ends the output quietly.
fn write_stdout(bytes: &[u8]) -> anyhow::Result<u8> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(crate::exit::CLEAN),
    }
}
