//! `vigil scan`: judge CloudFormation and Terraform templates with the same
//! rules `vigil audit` applies to live accounts, before they deploy.

use super::record;
use crate::cli::{FailOn, ScanArgs, ScanFormat};
use crate::config::Config;
use crate::{exit, exit_code, output};
use std::collections::BTreeSet;
use vigil_core::{Finding, Report};
use vigil_iac::ScanOptions;
use vigil_report::{Snippets, TextOptions};

pub fn run(args: ScanArgs, config: &Config) -> anyhow::Result<u8> {
    output::check(args.output.as_deref())?;
    // A path that is not there is a mistake in the command, not a finding.
    if let Some(missing) = args
        .paths
        .iter()
        .find(|p| p.as_os_str() != vigil_iac::scan::STDIN && !p.exists())
    {
        eprintln!(
            "vigil: error: {}: no such file or folder",
            vigil_report::safe(&missing.display().to_string())
        );
        return Ok(exit::USAGE);
    }
    let started_at = crate::clock::timestamp();
    let rules = match super::selected_rules(&args.selection, config) {
        Ok(rules) => rules,
        Err(code) => return Ok(code),
    };
    if let Err(why) = record::check(&args.store, config) {
        eprintln!("vigil: error: {}", vigil_report::safe(&why));
        return Ok(exit::USAGE);
    }
    let mut parameters = Vec::new();
    for file in &args.parameter_files {
        match parameter_file(file) {
            Ok(found) => parameters.extend(found),
            Err(why) => {
                eprintln!(
                    "vigil: error: {}: {}",
                    vigil_report::safe(&file.display().to_string()),
                    vigil_report::safe(&why)
                );
                return Ok(exit::USAGE);
            }
        }
    }
    // Later values win: the files in order, then each --parameter.
    parameters.extend(args.parameters.iter().cloned());
    let today = started_at.get(..10).unwrap_or_default().to_owned();
    let mut options = ScanOptions {
        parameters,
        var_files: args.var_files.clone(),
        max_file_bytes: args.max_file_size,
        respect_ignore_files: !args.no_ignore,
        judging: None,
    };
    let fixing = args.fix || args.diff;
    if !fixing {
        // Each file is judged on the worker that read it: only findings are kept.
        options.judging = Some(vigil_iac::scan::Judging {
            rules: rules.clone(),
            today: today.clone(),
        });
    }
    let scanned = vigil_iac::scan(&args.paths, &options);
    if scanned.stats.templates == 0 && scanned.stats.unparsable == 0 {
        let skipped = scanned.stats.not_templates;
        eprintln!("vigil: no template found ({skipped} other YAML/JSON file(s) skipped): nothing was judged");
        if args.fail_on_empty {
            return Ok(exit::USAGE);
        }
    }
    let mut notes = scanned.notes;
    if fixing {
        let judged: Vec<Vec<Finding>> = scanned
            .resources
            .iter()
            .map(|r| vigil_iac::judge(r, &rules, &today, &mut notes))
            .collect();
        return crate::commands::fix::run(&scanned.resources, &judged, &scanned.digests, args.diff);
    }
    let stats = scanned.stats;
    let mut findings = scanned.findings;
    crate::suppress::apply(&config.suppressions, &rules, &mut findings, &today, &mut notes);
    let finished_at = crate::clock::timestamp();
    let run = record::Run {
        command: "scan",
        started_at: &started_at,
        finished_at: &finished_at,
        accounts: Vec::new(),
        regions: Vec::new(),
        rules: rules.iter().map(|r| r.id.to_owned()).collect(),
        errors: scanned.errors.len(),
        read: record::template_places(scanned.digests.keys(), &scanned.errors),
        trend: args.format == ScanFormat::Html,
    };
    let (recorded, store_error) = record::record(&args.store, config, run, &mut findings, &mut notes);
    let mut errors = scanned.errors;
    errors.extend(store_error);
    let report = Report::new(
        "scan",
        (started_at, finished_at),
        vigil_core::Reach::Templates(stats),
        (findings, recorded),
        errors,
        notes,
    );
    // JSON and CSV are written as they are rendered; the others whole.
    let path = args.output.as_deref();
    match args.format {
        ScanFormat::Json => output::write_streamed(path, |w| vigil_report::write_json(&report, w))?,
        ScanFormat::Csv => output::write_streamed(path, |w| vigil_report::write_csv(&report, w))?,
        ScanFormat::Ocsf => output::write_streamed(path, |w| vigil_report::write_ocsf(&report, w))?,
        ScanFormat::Html => output::write(path, &vigil_report::render_html(&report, record::trend(&report)))?,
        ScanFormat::Sarif => output::write(path, &vigil_report::render_sarif(&report))?,
        ScanFormat::Junit => output::write(path, &vigil_report::render_junit(&report))?,
        ScanFormat::Text => {
            let color = path.is_none() && crate::progress::stdout_wants_color();
            let options = TextOptions {
                color,
                verbose: args.verbose,
            };
            let text = vigil_report::render_scan_text(&report, options, &snippets(&report.findings));
            output::write(path, &text)?
        }
    }
    Ok(exit_code(report.gated_outcome(args.store.fail_on == FailOn::New)))
}

/// The parameter values of a JSON parameter file, in either shape the AWS
/// tools take.
fn parameter_file(path: &std::path::Path) -> Result<Vec<(String, String)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("not valid JSON: {e}"))?;
    let shape = "expected [{\"ParameterKey\": …, \"ParameterValue\": …}] or {\"Parameters\": {KEY: VALUE}}";
    let text_of = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match &json {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| {
                let key = item.get("ParameterKey").and_then(|k| k.as_str());
                let value = item.get("ParameterValue").and_then(text_of);
                key.zip(value)
                    .map(|(k, v)| (k.to_owned(), v))
                    .ok_or_else(|| shape.to_owned())
            })
            .collect(),
        serde_json::Value::Object(object) => match object.get("Parameters").and_then(|p| p.as_object()) {
            Some(map) => map
                .iter()
                .map(|(k, v)| text_of(v).map(|v| (k.clone(), v)).ok_or_else(|| shape.to_owned()))
                .collect(),
            None => Err(shape.to_owned()),
        },
        _ => Err(shape.to_owned()),
    }
}

/// The source lines the text report quotes: one per finding shown.
fn snippets(findings: &[Finding]) -> Snippets {
    let wanted: BTreeSet<(String, usize)> = findings
        .iter()
        .filter_map(|f| f.location.as_ref())
        .map(|l| (l.file.clone(), l.property.as_ref().map_or(l.line, |p| p.line)))
        .collect();
    let files: BTreeSet<&String> = wanted.iter().map(|(file, _)| file).collect();
    let mut snippets = Snippets::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if wanted.contains(&(file.clone(), n + 1)) {
                snippets.insert((file.clone(), n + 1), line.chars().take(160).collect());
            }
        }
    }
    snippets
}
