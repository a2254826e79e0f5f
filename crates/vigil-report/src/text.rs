//! The human report: a table per region, then what failed, what is unknown
//! and why, what could not be read, and a one-line verdict.

use crate::TextOptions;
use owo_colors::{OwoColorize, Style};
use std::fmt::Write;
use vigil_core::report::Counts;
use vigil_core::{ErrorScope, Finding, Report, RunError, Status};

pub(crate) fn paint(text: &str, style: Style, options: TextOptions) -> String {
    if options.color {
        text.style(style).to_string()
    } else {
        text.to_owned()
    }
}

pub fn render_text(report: &Report, options: TextOptions) -> String {
    let report = &crate::safe::report(report);
    let mut out = String::new();
    let bold = Style::new().bold();
    let account = match report.accounts.len() {
        0 => format!("account {}", report.account.as_deref().unwrap_or("(unknown account)")),
        n => {
            let audited = report.accounts.iter().filter(|a| a.status == "audited").count();
            format!("{n} accounts ({audited} audited)")
        }
    };
    let _ = writeln!(
        out,
        "{} of {account}: {} region(s), {} finding(s)\n",
        paint(&format!("Vigil {}", report.command), bold, options),
        report.regions.len(),
        report.findings.len()
    );

    let _ = writeln!(
        out,
        "{:<16} {:>6} {:>6} {:>8} {:>11}",
        "REGION", "PASS", "FAIL", "UNKNOWN", "SUPPRESSED"
    );
    for region in &report.regions {
        let counts = report.summary.regions.get(region).cloned().unwrap_or_default();
        let failed = report.errors.iter().any(|e| e.region.as_deref() == Some(region));
        let _ = writeln!(out, "{}", region_row(region, &counts, failed, options));
    }

    section(&mut out, "FAILED", Style::new().red().bold(), options, report, |f| {
        f.is_open_failure()
    });
    section(
        &mut out,
        "UNKNOWN",
        Style::new().yellow().bold(),
        options,
        report,
        |f| f.is_open_unknown(),
    );
    section(&mut out, "SUPPRESSED", Style::new().dimmed(), options, report, |f| {
        f.suppressed
    });
    if options.verbose {
        section(&mut out, "PASSED", Style::new().green(), options, report, |f| {
            !f.suppressed && f.status == Status::Pass
        });
    }

    crate::history::resolved(&mut out, report, options);
    if !report.errors.is_empty() {
        let _ = writeln!(out, "\n{}", paint("COULD NOT READ", Style::new().red().bold(), options));
        for error in &report.errors {
            let region = error.region.as_deref().unwrap_or(error.scope.as_str());
            let place = match &error.account {
                Some(account) if !report.accounts.is_empty() => format!("{account} {region}"),
                _ => region.to_owned(),
            };
            let _ = writeln!(out, "  {place}: {}", error.message);
        }
    }
    if !report.notes.is_empty() {
        let _ = writeln!(out, "\n{}", paint("NOTES", bold, options));
        for note in &report.notes {
            let _ = writeln!(out, "  {note}");
        }
    }
    if options.verbose {
        let _ = writeln!(
            out,
            "\n{}",
            paint("API CALLS (operations / HTTP attempts)", bold, options)
        );
        for (operation, count) in &report.calls {
            let _ = writeln!(out, "  {operation:<32} {:>6} / {}", count.operations, count.attempts);
        }
    }
    let _ = writeln!(out, "\n{}", verdict_line(report, options));
    out
}

fn region_row(region: &str, c: &Counts, failed: bool, options: TextOptions) -> String {
    let row = format!(
        "{region:<16} {:>6} {:>6} {:>8} {:>11}",
        c.pass, c.fail, c.unknown, c.suppressed
    );
    if failed {
        format!("{row}  {}", paint("could not be read", Style::new().red(), options))
    } else {
        row
    }
}

fn section(
    out: &mut String,
    title: &str,
    style: Style,
    options: TextOptions,
    report: &Report,
    keep: impl Fn(&Finding) -> bool,
) {
    let findings: Vec<_> = report.findings.iter().filter(|f| keep(f)).collect();
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{} ({})", paint(title, style, options), findings.len());
    for finding in findings {
        let r = &finding.resource;
        let region = r.region.as_deref().unwrap_or("-");
        let new = crate::history::new_mark(&finding, options);
        // Across several accounts, each line says which.
        let place = match (&r.account, report.accounts.is_empty()) {
            (Some(account), false) => format!("{account}  {region}"),
            _ => region.to_owned(),
        };
        let _ = writeln!(out, "  {}  {place}  [{}] {}{new}", r.name, finding.risk, finding.rule);
        if let Some(arn) = &r.arn {
            let _ = writeln!(out, "      {arn}");
        }
        if finding.is_open_failure() {
            let _ = writeln!(out, "      {}", finding.message);
            let _ = writeln!(out, "      what to do: {}", what_to_do(&finding));
        }
        if let Some(reason) = &finding.reason {
            let _ = writeln!(out, "      why unknown: {reason}");
        }
        if let Some(suppression) = &finding.suppression {
            let _ = writeln!(out, "      suppressed: {}", suppression.reason);
        }
    }
}

/// The next step for a failure: the rule's article, and the remediation
/// when the rule has one.
pub(crate) fn what_to_do(finding: &Finding) -> String {
    let explain = format!("`vigil explain {}`", finding.rule);
    match (finding.rule.remediation, &finding.resource.region) {
        (Some(does), Some(region)) => format!(
            "{explain}; `vigil remediate {} --regions {region} --models {}` plans the fix ({does})",
            finding.rule, finding.resource.name
        ),
        _ => explain,
    }
}

pub(crate) fn verdict_line(report: &Report, options: TextOptions) -> String {
    let c = &report.summary.counts;
    let mut line = format!("{} pass, {} fail, {} unknown", c.pass, c.fail, c.unknown);
    if c.suppressed > 0 {
        let _ = write!(line, ", {} suppressed", c.suppressed);
    }
    // What could not be read, and what could not be done with what was
    // read (recording it, importing it), are said apart.
    let (unread, undone): (Vec<&RunError>, Vec<&RunError>) = report
        .errors
        .iter()
        .partition(|e| !matches!(e.scope, ErrorScope::Store | ErrorScope::Import));
    if !unread.is_empty() {
        let _ = write!(line, "; {} part(s) of the run could not be read", unread.len());
    }
    if undone.iter().any(|e| e.scope == ErrorScope::Store) {
        line.push_str("; not recorded in the findings store");
    }
    let imports = undone.iter().filter(|e| e.scope == ErrorScope::Import).count();
    if imports > 0 {
        let _ = write!(line, "; {imports} finding(s) not imported into Security Hub");
    }
    let style = match report.outcome() {
        vigil_core::Outcome::Clean => Style::new().green().bold(),
        vigil_core::Outcome::Failures => Style::new().red().bold(),
        vigil_core::Outcome::Incomplete | vigil_core::Outcome::Unparsable => Style::new().yellow().bold(),
    };
    paint(&line, style, options)
}
