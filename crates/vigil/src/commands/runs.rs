//! `vigil runs`: the recorded runs, newest first; `vigil runs prune` forgets
//! history older than what the team keeps.

use crate::cli::{ReportFormat, RunsAction, RunsArgs};
use crate::config::Config;
use crate::exit;
use vigil_report::safe;

pub fn run(args: &RunsArgs, config: &Config) -> anyhow::Result<u8> {
    let pruning = matches!(args.action, Some(RunsAction::Prune { .. }));
    let Some(mut store) = super::findings::open(&args.location, config, pruning) else {
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
    let query = vigil_store::RunQuery {
        command: args.command.clone(),
        accounts: None,
        limit: args.limit,
    };
    // Runs stream by as the store returns them; the text list ends with
    // its count, the JSON array closes after the last.
    let mut failed = None;
    let mut count = 0usize;
    let written = crate::output::write_streamed(None, |w| {
        if args.format == ReportFormat::Json {
            write!(w, "{{\n  \"schema_version\": \"1\",\n  \"runs\": [")?;
        }
        let streamed = store.runs(&query, &mut |run| {
            let line = match args.format {
                ReportFormat::Json => {
                    let json = serde_json::to_string(&run).map_err(|e| e.to_string())?;
                    format!("{}\n    {json}", if count == 0 { "" } else { "," })
                }
                ReportFormat::Text => text_line(&run),
            };
            count += 1;
            w.write_all(line.as_bytes()).map_err(|e| e.to_string())
        });
        if let Err(why) = streamed {
            failed = Some(why.to_string());
            return Err(std::io::Error::other("the store failed"));
        }
        match args.format {
            ReportFormat::Json => w.write_all(b"\n  ]\n}\n"),
            ReportFormat::Text => writeln!(w, "{count} run(s)"),
        }
    });
    if let Some(why) = failed {
        eprintln!("vigil: error: {}", safe(&why));
        return Ok(exit::USAGE);
    }
    written?;
    Ok(exit::CLEAN)
}

fn text_line(run: &vigil_store::RunRow) -> String {
    let scope = if run.accounts.is_empty() {
        "templates".to_owned()
    } else {
        run.accounts.join(",")
    };
    let scope = match (run.branch.as_str(), &run.revision) {
        ("", _) => scope,
        (branch, Some(revision)) => format!("{scope} on {branch} at {}", revision.get(..12).unwrap_or(revision)),
        (branch, None) => format!("{scope} on {branch}"),
    };
    format!(
        "{}  {:<5}  {}  {} pass, {} fail, {} unknown, {} suppressed, {} error(s)\n",
        safe(&run.id),
        safe(&run.command),
        safe(&scope),
        run.pass,
        run.fail,
        run.unknown,
        run.suppressed,
        run.errors
    )
}
