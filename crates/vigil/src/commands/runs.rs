//! `vigil runs`: the recorded runs, newest first; `vigil runs prune` forgets
//! history older than what the team keeps.

use crate::cli::{ReportFormat, RunsAction, RunsArgs};
use crate::config::Config;
use crate::exit;
use vigil_report::safe;

pub fn run(args: &RunsArgs, config: &Config) -> anyhow::Result<u8> {
    let Some(mut store) = super::findings::open(&args.location, config) else {
        return Ok(exit::USAGE);
    };
    if let Some(RunsAction::Prune { keep }) = &args.action {
        let before = crate::clock::format(keep.time.into());
        return Ok(match store.prune(&before) {
            Ok((runs, findings)) => {
                eprintln!("vigil: forgot {runs} run(s) and {findings} resolved finding(s) from before {before}");
                exit::CLEAN
            }
            Err(why) => {
                eprintln!("vigil: error: {}", safe(&why.to_string()));
                exit::USAGE
            }
        });
    }
    let runs = match store.runs() {
        Ok(runs) => runs,
        Err(why) => {
            eprintln!("vigil: error: {}", safe(&why.to_string()));
            return Ok(exit::USAGE);
        }
    };
    match args.format {
        ReportFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"schema_version": "1", "runs": runs}))?
        ),
        ReportFormat::Text => {
            println!("{} run(s)", runs.len());
            for run in &runs {
                let scope = if run.accounts.is_empty() {
                    "templates".to_owned()
                } else {
                    run.accounts.join(",")
                };
                println!(
                    "{}  {:<5}  {}  {} pass, {} fail, {} unknown, {} suppressed, {} error(s)",
                    safe(&run.id),
                    safe(&run.command),
                    safe(&scope),
                    run.pass,
                    run.fail,
                    run.unknown,
                    run.suppressed,
                    run.errors
                );
            }
        }
    }
    Ok(exit::CLEAN)
}
