//! `vigil scan`: judge CloudFormation and Terraform templates with the same
//! rules `vigil audit` applies to live accounts, before they deploy.

use super::record;
use crate::cli::{FailOn, ScanArgs, ScanFormat};
use crate::config::Config;
use crate::{exit, exit_code, output};
use vigil_core::{Finding, Report};
use vigil_iac::ScanOptions;
use vigil_report::TextOptions;

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
        // Only `--fix` and the findings store read what each file was.
        digests: args.fix || args.diff || !args.store.no_store,
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
    let mut spilled = scanned.findings;
    let mut marker = crate::suppress::Marker::new(&config.suppressions, &rules, &today);
    if !marker.is_empty() {
        spilled.update(|f| marker.mark(f));
    }
    marker.finish(&mut notes);
    // Findings spilled and not read back (a failing disk): no report is
    // better than one that passes what it lost.
    if let Some(why) = spilled.failure() {
        anyhow::bail!("{why}: the report would be incomplete");
    }
    let finished_at = crate::clock::timestamp();
    let mut errors = scanned.errors;
    // Only a recorded run names its places, by repository and path, and
    // looks for the branch and commit of the first path's checkout.
    let env = |name: &str| std::env::var(name).ok();
    let checkout = args.paths.first().and_then(|p| crate::repo::checkout(p, &env));
    let run = |errors: &[vigil_core::RunError]| {
        let mut namer = crate::repo::Namer::new(&args.paths);
        record::Run {
            command: "scan",
            started_at: &started_at,
            finished_at: &finished_at,
            accounts: Vec::new(),
            regions: Vec::new(),
            rules: rules.iter().map(|r| r.id.to_owned()).collect(),
            errors: errors.len(),
            read: record::template_places(&mut namer, &args.paths, scanned.digests.keys(), errors),
            trend: args.format == ScanFormat::Html,
            namer: Some(namer),
            lineage: record::lineage(&args.store, checkout.clone()),
        }
    };
    let recorded = record::record_spilled(&args.store, config, run, &mut spilled, &mut notes, &mut errors);
    let findings = spilled.into_findings();
    let report = Report::new(
        "scan",
        (started_at, finished_at),
        vigil_core::Reach::Templates(stats),
        (findings, recorded),
        errors,
        notes,
    );
    // Written as the findings are read back, except HTML and JUnit, whole.
    let path = args.output.as_deref();
    let render = |w: &mut dyn std::io::Write| {
        match args.format {
            ScanFormat::Json => vigil_report::write_json(&report, w),
            ScanFormat::Csv => vigil_report::write_csv(&report, w),
            ScanFormat::Ocsf => vigil_report::write_ocsf(&report, w),
            ScanFormat::Sarif => vigil_report::write_sarif(&report, w),
            ScanFormat::Html => w.write_all(vigil_report::render_html(&report, record::trend(&report)).as_bytes()),
            ScanFormat::Junit => w.write_all(vigil_report::render_junit(&report).as_bytes()),
            ScanFormat::Text => {
                let options = TextOptions {
                    color: path.is_none() && crate::progress::stdout_wants_color(),
                    verbose: args.verbose,
                };
                let source = |file: &str| std::fs::read_to_string(file).ok();
                vigil_report::write_scan_text(&report, options, &source, w)
            }
        }?;
        // A finding that could not be read back leaves the report short:
        // it is not kept (a file is not replaced), and the run fails.
        match report.findings.failure() {
            Some(why) => Err(std::io::Error::other(why)),
            None => Ok(()),
        }
    };
    output::write_streamed(path, render)?;
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
