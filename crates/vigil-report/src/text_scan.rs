//! The human report of a template scan: findings grouped by file, each with
//! its line and the source line itself, then what could not be parsed.

use crate::text::{paint, verdict_line};
use crate::TextOptions;
use owo_colors::Style;
use std::collections::BTreeMap;
use std::fmt::Write;
use vigil_core::{Finding, Report, Status};

/// Source lines to quote, keyed by (file, line).
pub type Snippets = BTreeMap<(String, usize), String>;

pub fn render_scan_text(report: &Report, options: TextOptions, snippets: &Snippets) -> String {
    let report = &crate::safe::report(report);
    let mut out = String::new();
    let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in &report.findings {
        let shown = finding.status != Status::Pass || options.verbose;
        if let (true, Some(location)) = (shown, &finding.location) {
            by_file.entry(&location.file).or_default().push(finding);
        }
    }
    for (file, findings) in by_file {
        let _ = writeln!(out, "{}", paint(file, Style::new().bold().underline(), options));
        for finding in findings {
            let location = finding.location.as_ref().expect("grouped by location");
            let (line, column) = location
                .property
                .as_ref()
                .map_or((location.line, location.column), |p| (p.line, p.column));
            let (label, style) = match (&finding.status, finding.suppressed) {
                (_, true) => ("suppressed", Style::new().dimmed()),
                (Status::Fail, _) => ("fail", Style::new().red().bold()),
                (Status::Unknown { .. }, _) => ("unknown", Style::new().yellow().bold()),
                (Status::Pass, _) => ("pass", Style::new().green()),
            };
            let _ = writeln!(
                out,
                "  {line}:{column}  {}  {}  [{}] {}{}",
                paint(label, style, options),
                location.logical_id,
                finding.risk,
                finding.rule,
                crate::history::new_mark(finding, options)
            );
            let _ = writeln!(out, "      {}", finding.message);
            if let Some(reason) = &finding.reason {
                let _ = writeln!(out, "      why unknown: {reason}");
            }
            if let Some(suppression) = &finding.suppression {
                let _ = writeln!(out, "      suppressed: {}", suppression.reason);
            }
            if let Some(source) = snippets.get(&(location.file.clone(), line)) {
                let _ = writeln!(
                    out,
                    "      {}",
                    paint(
                        &format!("{line} | {}", crate::safe(source.trim_end())),
                        Style::new().dimmed(),
                        options
                    )
                );
            }
        }
        out.push('\n');
    }
    crate::history::resolved(&mut out, report, options);
    if report.recorded.as_ref().is_some_and(|r| !r.resolved.is_empty()) {
        out.push('\n');
    }
    if !report.errors.is_empty() {
        let _ = writeln!(out, "{}", paint("COULD NOT READ", Style::new().red().bold(), options));
        for error in &report.errors {
            let place = match (&error.file, error.line, error.column) {
                (Some(file), Some(line), Some(column)) => format!("{file}:{line}:{column}"),
                (Some(file), ..) => file.clone(),
                _ => error.scope.as_str().to_owned(),
            };
            let _ = writeln!(out, "  {place}: {}", error.message);
        }
        out.push('\n');
    }
    for note in &report.notes {
        let _ = writeln!(out, "note: {note}");
    }
    if let Some(files) = &report.files {
        let _ = writeln!(
            out,
            "{} template(s) read, {} other YAML/JSON file(s) skipped, {} unreadable",
            files.templates, files.not_templates, files.unparsable
        );
        if !files.unjudged.is_empty() {
            let kinds: Vec<String> = files.unjudged.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
            let _ = writeln!(out, "not judged: {} (no chosen rule reads them)", kinds.join(", "));
        }
    }
    let _ = writeln!(out, "{}", verdict_line(report, options));
    out
}
