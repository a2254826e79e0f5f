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
    if matches!(args.format, AuditFormat::Asff | AuditFormat::Html) {
        eprintln!("vigil: error: --format asff and html are for `vigil audit` and `vigil scan`");
        return Ok(exit::USAGE);
    }
    let Some(mut store) = open(&args.location, config, false) else {
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
        limit: args.limit,
        offset: args.offset,
    };
    // The text report opens with how many there are: counted over the
    // indexes first, then the findings stream by.
    let total = match args.format {
        AuditFormat::Text => match store.count(&query) {
            Ok(count) => Some(count),
            Err(why) => return Ok(store_failed(&why)),
        },
        _ => None,
    };
    // A store that fails mid-answer stops the output (a file is then not
    // replaced) and is said in one line.
    let mut failed: Option<vigil_store::StoreError> = None;
    let written = output::write_streamed(args.output.as_deref(), |w| {
        let mut out = Output::start(args.format, total, w)?;
        let mut first = true;
        let streamed = store.findings(&query, &mut |f| {
            out.finding(&f, first, &mut *w).map_err(|e| e.to_string())?;
            first = false;
            Ok(())
        });
        if let Err(why) = streamed {
            let message = why.to_string();
            failed = Some(why);
            return Err(std::io::Error::other(message));
        }
        out.end(&mut *w)
    });
    if let Some(why) = failed {
        return Ok(store_failed(&why));
    }
    written?;
    Ok(exit::CLEAN)
}

fn store_failed(why: &vigil_store::StoreError) -> u8 {
    eprintln!("vigil: error: {}", safe(&why.to_string()));
    exit::USAGE
}

/// One of the formats, written a finding at a time.
enum Output {
    Json,
    /// Whether an event has been written (a rule this version lacks has none).
    Ocsf {
        any: bool,
    },
    Csv,
    Text {
        page: Option<u64>,
        shown: u64,
    },
}

impl Output {
    fn start(format: AuditFormat, total: Option<u64>, w: &mut dyn std::io::Write) -> std::io::Result<Output> {
        Ok(match format {
            AuditFormat::Json => {
                write!(w, "{{\n  \"schema_version\": \"{SCHEMA_VERSION}\",\n  \"findings\": [")?;
                Output::Json
            }
            AuditFormat::Ocsf => {
                w.write_all(b"[")?;
                Output::Ocsf { any: false }
            }
            AuditFormat::Csv => {
                csv_record(w, CSV_HEADER)?;
                Output::Csv
            }
            _ => {
                writeln!(w, "{} finding(s)", total.unwrap_or_default())?;
                Output::Text { page: total, shown: 0 }
            }
        })
    }

    fn finding(&mut self, f: &StoredFinding, first: bool, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self {
            Output::Json => {
                w.write_all(if first { b"\n    " } else { b",\n    " })?;
                serde_json::to_writer(&mut *w, f)?;
            }
            Output::Ocsf { any } => {
                if let Some(event) = ocsf(f) {
                    w.write_all(if *any { b",\n" } else { b"\n" })?;
                    serde_json::to_writer(&mut *w, &event)?;
                    *any = true;
                }
            }
            Output::Csv => csv_record(w, csv_row(f).iter().map(|c| vigil_report::csv_cell(c).into_owned()))?,
            Output::Text { shown, .. } => {
                *shown += 1;
                w.write_all(text_line(f).as_bytes())?;
            }
        }
        Ok(())
    }

    fn end(&mut self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self {
            Output::Json => w.write_all(b"\n  ]\n}\n"),
            Output::Ocsf { .. } => w.write_all(b"\n]\n"),
            Output::Csv => Ok(()),
            Output::Text { page, shown } => match page {
                Some(total) if *shown < *total => writeln!(w, "({shown} of {total} shown)"),
                _ => Ok(()),
            },
        }
    }
}

/// Opens the chosen store, to read only or to write too (`runs prune`), or
/// says why not (one line).
pub fn open(location: &crate::cli::StoreLocation, config: &Config, write: bool) -> Option<Store> {
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
    let limits = record::limits(location, config);
    let opened = if write {
        Store::open_within(&url, limits)
    } else {
        Store::open_to_read(&url, limits)
    };
    match opened {
        Ok(store) => Some(store),
        Err(why) => {
            eprintln!("vigil: error: {}: {}", safe(&url.shown()), safe(&why.to_string()));
            None
        }
    }
}

/// A stored finding as an OCSF event, at the time it was last seen; `None`
/// for a rule this version no longer has (it cannot be described).
fn ocsf(f: &StoredFinding) -> Option<serde_json::Value> {
    use vigil_report::ocsf::{epoch_ms, event, Event};
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
}

fn text_line(f: &StoredFinding) -> String {
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
    format!(
        "{:<9} {:<40} {}  {}  ({since}, last seen {}){suppressed}\n",
        f.state.as_str(),
        safe(&f.rule),
        safe(&place),
        safe(&r.name),
        day(&f.last_seen)
    )
}

fn day(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

/// One row per finding (RFC 4180), with its history.
const CSV_HEADER: [&str; 18] = [
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
];

/// One CSV record written straight through (a writer per record keeps
/// nothing buffered between findings).
fn csv_record(w: &mut dyn std::io::Write, record: impl IntoIterator<Item = impl AsRef<[u8]>>) -> std::io::Result<()> {
    let mut writer = ::csv::WriterBuilder::new().buffer_capacity(1024).from_writer(w);
    writer.write_record(record)?;
    writer.flush()
}

fn csv_row(f: &StoredFinding) -> [String; 18] {
    let r = &f.resource;
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    [
        f.rule.clone(),
        f.title.clone(),
        f.risk.clone(),
        f.status.clone(),
        f.state.as_str().into(),
        f.first_seen.clone(),
        f.last_seen.clone(),
        text(&f.resolved_at),
        text(&f.resolution),
        f.suppressed.to_string(),
        text(&f.suppression_reason),
        r.kind.clone(),
        r.name.clone(),
        text(&r.arn),
        text(&r.account),
        text(&r.region),
        text(&r.file),
        r.line.map(|l| l.to_string()).unwrap_or_default(),
    ]
}
