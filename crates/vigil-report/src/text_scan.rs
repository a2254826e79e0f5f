//! The human report of a template scan: findings grouped by file, each with
//! its line and the source line itself, then what could not be parsed.
//! Written as the findings are read back, so a large scan is never held.

use crate::safe::Neutralise;
use crate::text::{paint, verdict_line};
use crate::TextOptions;
use owo_colors::Style;
use std::fmt::Write as _;
use std::io::Write;
use vigil_core::{Finding, Report, Status};

/// The text of a template, for the source lines the report quotes (`None`
/// when it cannot be read again, as standard input cannot).
pub type Source<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Writes the report file by file as the findings are read back, holding
/// one file's shown findings and its text at a time.
pub fn write_scan_text(
    report: &Report,
    options: TextOptions,
    source: Source,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut group: Vec<Finding> = Vec::new();
    for finding in report.findings.iter() {
        let shown = finding.status != Status::Pass || options.verbose;
        let Some(location) = finding.location.as_ref().filter(|_| shown) else {
            continue;
        };
        if group
            .first()
            .is_some_and(|first| first.location.as_ref().is_some_and(|l| l.file != location.file))
        {
            write_file(std::mem::take(&mut group), options, source, out)?;
        }
        group.push(finding.into_owned());
    }
    if !group.is_empty() {
        write_file(group, options, source, out)?;
    }
    out.write_all(rest(report, options).as_bytes())
}

/// One file's findings (all in that file), each with its source line.
fn write_file(
    findings: Vec<Finding>,
    options: TextOptions,
    source: Source,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let Some(file) = findings
        .first()
        .and_then(|f| f.location.as_ref())
        .map(|l| l.file.as_str())
    else {
        return Ok(());
    };
    let text = source(file).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let mut block = String::new();
    let _ = writeln!(
        block,
        "{}",
        paint(&crate::safe(file), Style::new().bold().underline(), options)
    );
    for mut finding in findings {
        finding.neutralise();
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
            block,
            "  {line}:{column}  {}  {}  [{}] {}{}",
            paint(label, style, options),
            location.logical_id,
            finding.risk,
            finding.rule,
            crate::history::new_mark(&finding, options)
        );
        let _ = writeln!(block, "      {}", finding.message);
        if let Some(reason) = &finding.reason {
            let _ = writeln!(block, "      why unknown: {reason}");
        }
        if let Some(suppression) = &finding.suppression {
            let _ = writeln!(block, "      suppressed: {}", suppression.reason);
        }
        if let Some(source) = line.checked_sub(1).and_then(|at| lines.get(at)) {
            let quoted: String = source.chars().take(160).collect();
            let _ = writeln!(
                block,
                "      {}",
                paint(
                    &format!("{line} | {}", crate::safe(quoted.trim_end())),
                    Style::new().dimmed(),
                    options
                )
            );
        }
    }
    block.push('\n');
    out.write_all(block.as_bytes())
}

/// What follows the findings: what was resolved, what could not be read,
/// notes, counts and the verdict.
fn rest(report: &Report, options: TextOptions) -> String {
    let report = &crate::safe::around_findings(report);
    let mut out = String::new();
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
        let _ = write!(
            out,
            "{} template(s) read, {} other YAML/JSON file(s) skipped, {} unreadable",
            files.templates, files.not_templates, files.unparsable
        );
        if files.modules_not_followed > 0 {
            let _ = write!(out, ", {} module call(s) not followed", files.modules_not_followed);
        }
        out.push('\n');
        if !files.unjudged.is_empty() {
            let kinds: Vec<String> = files.unjudged.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
            let _ = writeln!(out, "not judged: {} (no chosen rule reads them)", kinds.join(", "));
        }
    }
    let _ = writeln!(out, "{}", verdict_line(report, options));
    out
}
