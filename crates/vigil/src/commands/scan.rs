//! `vigil scan`: judge CloudFormation and Terraform templates with the same
//! rules `vigil audit` applies to live accounts, before they deploy.

use crate::cli::{ScanArgs, ScanFormat};
use crate::{exit, exit_code, output};
use std::collections::BTreeSet;
use vigil_core::{Finding, Report};
use vigil_iac::ScanOptions;
use vigil_report::{Snippets, TextOptions};

pub fn run(args: ScanArgs) -> anyhow::Result<u8> {
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
    let started_at = super::timestamp();
    let rules = match super::selected_rules(&args.selection) {
        Ok(rules) => rules,
        Err(code) => return Ok(code),
    };
    let options = ScanOptions {
        var_files: args.var_files.clone(),
        max_file_bytes: args.max_file_size,
        respect_ignore_files: !args.no_ignore,
    };
    let scanned = vigil_iac::scan(&args.paths, &options);
    if scanned.stats.templates == 0 && scanned.stats.unparsable == 0 {
        let skipped = scanned.stats.not_templates;
        eprintln!("vigil: no template found ({skipped} other YAML/JSON file(s) skipped): nothing was judged");
        if args.fail_on_empty {
            return Ok(exit::USAGE);
        }
    }
    let today = started_at.get(..10).unwrap_or_default().to_owned();
    let mut notes = scanned.notes;
    if args.fix || args.diff {
        let judged: Vec<Vec<Finding>> = scanned
            .resources
            .iter()
            .map(|r| vigil_iac::judge(r, &rules, &today, &mut notes))
            .collect();
        return crate::commands::fix::run(&scanned.resources, &judged, &scanned.digests, args.diff);
    }
    // Each resource is dropped once judged: only the findings are kept. One
    // that no chosen rule judges is counted, not dropped unsaid.
    let mut stats = scanned.stats;
    let mut findings: Vec<Finding> = Vec::new();
    for resource in scanned.resources {
        let judged = vigil_iac::judge(&resource, &rules, &today, &mut notes);
        if judged.is_empty() {
            *stats
                .unjudged
                .entry(resource.resource.type_name().to_owned())
                .or_default() += 1;
        }
        findings.extend(judged);
    }
    let mut report = Report::new(
        "scan",
        (started_at, super::timestamp()),
        findings,
        scanned.errors,
        notes,
    );
    report.files = Some(stats);
    let rendered = match args.format {
        ScanFormat::Json => {
            output::write_streamed(args.output.as_deref(), |w| vigil_report::write_json(&report, w))?;
            return Ok(exit_code(report.outcome()));
        }
        ScanFormat::Sarif => vigil_report::render_sarif(&report),
        ScanFormat::Junit => vigil_report::render_junit(&report),
        ScanFormat::Text => {
            let color = args.output.is_none() && crate::progress::stdout_wants_color();
            let options = TextOptions {
                color,
                verbose: args.verbose,
            };
            vigil_report::render_scan_text(&report, options, &snippets(&report.findings))
        }
    };
    output::write(args.output.as_deref(), &rendered)?;
    Ok(exit_code(report.outcome()))
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
