//! `vigil findings`: what the findings store holds, filtered, with each
//! finding's history (first and last seen, open, resolved or passing).

use super::record;
use crate::cli::{AuditFormat, FindingsArgs, StateArg};
use crate::config::Config;
use crate::{exit, output};
use vigil_report::safe;
use vigil_store::{Query, State, Store, StoredFinding};

/// Bump only on a breaking change to `vigil findings --format json`.
const SCHEMA_VERSION: &str = "1";

pub fn run(args: &FindingsArgs, config: &Config) -> anyhow::Result<u8> {
    output::check(args.output.as_deref())?;
    let Some(mut store) = open(&args.location, config) else {
        return Ok(exit::USAGE);
    };
    let query = Query {
        state: args.state.map(|s| match s {
            StateArg::Open => State::Open,
            StateArg::Resolved => State::Resolved,
            StateArg::Passing => State::Passing,
            StateArg::Unknown => State::Unknown,
        }),
        rule: args.rule.clone(),
        account: args.account.clone(),
        region: args.region.clone(),
        since: args.since.as_ref().map(|s| crate::clock::format(s.time.into())),
    };
    let found = match store.findings(&query) {
        Ok(found) => found,
        Err(why) => {
            eprintln!("vigil: error: {}", safe(&why.to_string()));
            return Ok(exit::USAGE);
        }
    };
    let path = args.output.as_deref();
    match args.format {
        AuditFormat::Json => output::write_streamed(path, |w| {
            let document = serde_json::json!({"schema_version": SCHEMA_VERSION, "findings": found});
            serde_json::to_writer_pretty(&mut *w, &document)?;
            writeln!(w)
        })?,
        AuditFormat::Csv => output::write_streamed(path, |w| csv(&found, w))?,
        AuditFormat::Ocsf => output::write_streamed(path, |w| ocsf(&found, w))?,
        AuditFormat::Asff | AuditFormat::Html => {
            eprintln!("vigil: error: --format asff and html are for `vigil audit` and `vigil scan`");
            return Ok(exit::USAGE);
        }
        AuditFormat::Text => output::write(path, &text(&found))?,
    }
    Ok(exit::CLEAN)
}

/// Opens the chosen store, or says why not (one line).
pub fn open(location: &crate::cli::StoreLocation, config: &Config) -> Option<Store> {
    let url = match record::url(location, config) {
        Ok(Some(url)) => url,
        Ok(None) => {
            eprintln!("vigil: error: no findings store: give --store URL (or set VIGIL_STORE or HOME)");
            return None;
        }
        Err(why) => {
            eprintln!("vigil: error: {}", safe(&why));
            return None;
        }
    };
    match Store::open(&url) {
        Ok(store) => Some(store),
        Err(why) => {
            eprintln!("vigil: error: {}: {}", safe(&url.shown()), safe(&why.to_string()));
            None
        }
    }
}

/// The stored findings as OCSF events, at the time each was last seen.
fn ocsf(found: &[StoredFinding], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use vigil_report::ocsf::{epoch_ms, event, write_events, Event};
    let events: Vec<serde_json::Value> = found
        .iter()
        .filter_map(|f| {
            // A rule this version no longer has cannot be described.
            let rule = vigil_core::registry::find(&f.rule)?;
            let r = &f.resource;
            let last = epoch_ms(&f.last_seen);
            Some(event(&Event {
                rule,
                key: f.key.clone(),
                status: &f.status,
                reason: f.reason.as_deref(),
                message: &f.message,
                suppression: f.suppression_reason.as_deref().filter(|_| f.suppressed),
                resource_type: &r.kind,
                name: &r.name,
                arn: r.arn.as_deref(),
                account: r.account.as_deref(),
                region: r.region.as_deref(),
                file: r.file.as_deref().map(|file| (file, r.line.unwrap_or(1) as usize)),
                time: last.unwrap_or_default(),
                first_seen: epoch_ms(&f.first_seen),
                last_seen: last,
            }))
        })
        .collect();
    write_events(events, out)
}

fn text(found: &[StoredFinding]) -> String {
    use std::fmt::Write;
    let mut out = format!("{} finding(s)\n", found.len());
    for f in found {
        let r = &f.resource;
        let place = r
            .file
            .clone()
            .unwrap_or_else(|| r.region.clone().unwrap_or_else(|| "-".into()));
        let since = match (&f.resolved_at, &f.resolution) {
            (Some(at), Some(how)) => format!("{how} {}", day(at)),
            _ => format!("since {}", day(&f.first_seen)),
        };
        let suppressed = if f.suppressed { "  [suppressed]" } else { "" };
        let _ = writeln!(
            out,
            "{:<9} {:<40} {}  {}  ({since}, last seen {}){suppressed}",
            f.state.as_str(),
            safe(&f.rule),
            safe(&place),
            safe(&r.name),
            day(&f.last_seen)
        );
    }
    out
}

fn day(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

/// One row per finding (RFC 4180), with its history.
fn csv(found: &[StoredFinding], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record([
        "rule",
        "title",
        "risk",
        "status",
        "state",
        "first_seen",
        "last_seen",
        "resolved_at",
        "resolution",
        "suppressed",
        "suppression_reason",
        "resource_type",
        "resource_name",
        "resource_arn",
        "account",
        "region",
        "file",
        "line",
    ])?;
    for f in found {
        let r = &f.resource;
        let line = r.line.map(|l| l.to_string());
        writer.write_record([
            f.rule.as_str(),
            &f.title,
            &f.risk,
            &f.status,
            f.state.as_str(),
            &f.first_seen,
            &f.last_seen,
            f.resolved_at.as_deref().unwrap_or_default(),
            f.resolution.as_deref().unwrap_or_default(),
            if f.suppressed { "true" } else { "false" },
            f.suppression_reason.as_deref().unwrap_or_default(),
            &r.kind,
            &r.name,
            r.arn.as_deref().unwrap_or_default(),
            r.account.as_deref().unwrap_or_default(),
            r.region.as_deref().unwrap_or_default(),
            r.file.as_deref().unwrap_or_default(),
            line.as_deref().unwrap_or_default(),
        ])?;
    }
    writer.flush()
}
