//! OCSF: each finding as a Compliance Finding event (class 2003) of OCSF
//! 1.5.0, for security data lakes and SIEMs. The same finding always gets
//! the same `finding_info.uid`, so a consumer can follow it across runs.

use serde_json::{json, Value};
use std::io::Write;
use vigil_core::{Finding, Report, RiskLevel, Rule};

/// The OCSF version the events follow.
pub const OCSF_VERSION: &str = "1.5.0";

/// One finding, however it was obtained (a run's report or the store).
pub struct Event<'a> {
    pub rule: &'static Rule,
    pub key: String,
    /// `pass`, `fail` or `unknown`.
    pub status: &'a str,
    pub reason: Option<&'a str>,
    pub message: &'a str,
    pub suppression: Option<&'a str>,
    pub resource_type: &'a str,
    pub name: &'a str,
    pub arn: Option<&'a str>,
    pub account: Option<&'a str>,
    pub region: Option<&'a str>,
    pub file: Option<(&'a str, usize)>,
    /// Epoch milliseconds: when the finding was made, first and last seen.
    pub time: i64,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
}

impl<'a> Event<'a> {
    /// A finding of `report`, at the report's finish time.
    pub fn of(finding: &'a Finding, time: i64, first_seen: Option<i64>) -> Self {
        let r = &finding.resource;
        Event {
            rule: finding.rule,
            // The store's key when the run was recorded: a template is then
            // named by its repository and path, however the scan was given it.
            key: finding
                .history
                .as_ref()
                .map_or_else(|| finding.key(), |h| h.key.clone()),
            status: finding.status.as_str(),
            reason: finding.reason.as_deref(),
            message: &finding.message,
            suppression: finding.suppression.as_ref().map(|s| s.reason.as_str()),
            resource_type: r.kind,
            name: &r.name,
            arn: r.arn.as_deref(),
            account: r.account.as_deref(),
            region: r.region.as_deref(),
            file: finding.location.as_ref().map(|l| (l.file.as_str(), l.line)),
            time,
            first_seen,
            last_seen: Some(time),
        }
    }
}

/// Milliseconds since the epoch of an RFC 3339 time (`None` if it is not one).
pub fn epoch_ms(rfc3339: &str) -> Option<i64> {
    let at = time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339).ok()?;
    Some((at.unix_timestamp_nanos() / 1_000_000) as i64)
}

fn severity(risk: RiskLevel) -> (u8, &'static str) {
    match risk {
        RiskLevel::Low => (2, "Low"),
        RiskLevel::Medium => (3, "Medium"),
        RiskLevel::High => (4, "High"),
        // OCSF's top level short of Fatal, which means "too late to act".
        RiskLevel::VeryHigh | RiskLevel::Extreme => (5, "Critical"),
    }
}

/// A Markdown section as one line of plain text.
fn plain(markdown: &str) -> String {
    markdown
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('`', "")
}

/// One Compliance Finding.
pub fn event(e: &Event) -> Value {
    let rule = e.rule;
    let (severity_id, severity) = severity(rule.risk);
    let (status_id, status) = match e.status {
        "pass" => (1, "Pass"),
        "fail" => (3, "Fail"),
        _ => (0, "Unknown"),
    };
    let mut resource = json!({
        "uid": e.arn.unwrap_or(e.name),
        "name": e.name,
        "type": e.resource_type,
    });
    // Only what is known: a template resource has no partition, region or account yet.
    if let Some(partition) = e.arn.and_then(|a| a.split(':').nth(1)) {
        resource["cloud_partition"] = json!(partition);
    }
    let mut cloud = json!({"provider": "AWS"});
    if let Some(region) = e.region {
        resource["region"] = json!(region);
        cloud["region"] = json!(region);
    }
    if let Some(account) = e.account {
        cloud["account"] = json!({"uid": account, "type": "AWS Account", "type_id": 10});
    }
    if let Some((file, line)) = e.file {
        resource["data"] = json!({"file": file, "line": line});
    }
    let mut finding_info = json!({
        "uid": format!("vigil-{:016x}", vigil_core::hash::fnv1a64(e.key.as_bytes())),
        "title": rule.title,
        "desc": e.message,
        "types": rule.categories,
        "created_time": e.time,
    });
    if let Some(first) = e.first_seen {
        finding_info["first_seen_time"] = json!(first);
    }
    if let Some(last) = e.last_seen {
        finding_info["last_seen_time"] = json!(last);
    }
    let mut event = json!({
        "category_uid": 2,
        "category_name": "Findings",
        "class_uid": 2003,
        "class_name": "Compliance Finding",
        "activity_id": 1,
        "activity_name": "Create",
        "type_uid": 200301,
        "type_name": "Compliance Finding: Create",
        "time": e.time,
        "severity_id": severity_id,
        "severity": severity,
        "status_id": if e.suppression.is_some() { 3 } else { 1 },
        "status": if e.suppression.is_some() { "Suppressed" } else { "New" },
        "status_code": e.status.to_uppercase(),
        "message": e.message,
        "metadata": {
            "version": OCSF_VERSION,
            "product": {"name": "Vigil", "vendor_name": "Vigil", "uid": "vigil", "version": env!("CARGO_PKG_VERSION")},
            "event_code": rule.id,
            "profiles": ["cloud"],
        },
        "finding_info": finding_info,
        "compliance": {
            "control": rule.id,
            "desc": rule.title,
            "standards": rule.xrefs.labelled(),
            "status_id": status_id,
            "status": status,
        },
        "remediation": {
            "desc": plain(rule.article.remediate_console),
            "references": rule.article.references.iter().map(|(_, url)| *url).collect::<Vec<_>>(),
        },
        "resources": [resource],
        "cloud": cloud,
    });
    if let Some(detail) = e.reason.or(e.suppression) {
        event["status_detail"] = json!(detail);
    }
    event
}

/// The report's findings as a JSON array of Compliance Findings.
pub fn write_ocsf(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let time = epoch_ms(&report.finished_at).unwrap_or_default();
    let events = report.findings.iter().map(|f| {
        let first = f.history.as_ref().and_then(|h| epoch_ms(&h.first_seen));
        event(&Event::of(&f, time, first))
    });
    write_events(events, out)
}

/// Events as a JSON array, one event per line inside it, each written as
/// it comes.
pub fn write_events(events: impl IntoIterator<Item = Value>, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(b"[")?;
    for (i, event) in events.into_iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &event)?;
    }
    out.write_all(b"\n]\n")
}
