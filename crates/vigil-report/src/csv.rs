//! CSV, one row per finding, for spreadsheets and data tools: RFC 4180
//! (CRLF line ends, fields quoted by the `csv` crate wherever needed),
//! with the columns README.md documents. A cell a spreadsheet would run as
//! a formula is neutralised as OWASP advises, and control and bidi
//! characters are escaped as the text report escapes them: a suppression
//! reason, a file name or an API error is data, never a command.

use std::borrow::Cow;
use std::io::Write;
use vigil_core::Report;

/// A value as a CSV cell: control and bidi characters escaped (`\x1b`,
/// `\u{202e}`), and a leading `=`, `+`, `-` or `@` (which a spreadsheet
/// reads as a formula) preceded by `'` (OWASP's CSV injection advice; a
/// leading tab or carriage return is already escaped).
pub fn cell(text: &str) -> Cow<'_, str> {
    let text = crate::safe(text);
    if text.starts_with(['=', '+', '-', '@']) {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

/// The columns, in order.
pub const COLUMNS: [&str; 18] = [
    "rule",
    "title",
    "risk",
    "status",
    "reason",
    "suppressed",
    "suppression_reason",
    "resource_type",
    "name",
    "arn",
    "account",
    "region",
    "file",
    "line",
    "message",
    // From the findings store, when the run was recorded.
    "state",
    "first_seen",
    "new",
];

pub fn write_csv(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(COLUMNS)?;
    for f in report.findings.iter() {
        let r = &f.resource;
        let line = f
            .location
            .as_ref()
            .map(|l| l.property.as_ref().map_or(l.line, |p| p.line).to_string());
        writer.write_record(
            [
                f.rule.id,
                f.title,
                &f.risk.to_string(),
                f.status.as_str(),
                f.reason.as_deref().unwrap_or_default(),
                if f.suppressed { "true" } else { "false" },
                f.suppression.as_ref().map_or("", |s| s.reason.as_str()),
                r.kind,
                &r.name,
                r.arn.as_deref().unwrap_or_default(),
                r.account.as_deref().unwrap_or_default(),
                r.region.as_deref().unwrap_or_default(),
                f.location.as_ref().map_or("", |l| l.file.as_str()),
                line.as_deref().unwrap_or_default(),
                &f.message,
                f.history.as_ref().map_or("", |h| h.state.as_str()),
                f.history.as_ref().map_or("", |h| h.first_seen.as_str()),
                match &f.history {
                    Some(h) if h.new => "true",
                    Some(_) => "false",
                    None => "",
                },
            ]
            .map(cell)
            .iter()
            .map(|c| c.as_bytes()),
        )?;
    }
    writer.flush()
}
