//! SARIF 2.1.0, as GitHub code scanning and other security dashboards read
//! it: one run, the rules that produced results with their articles as help,
//! and a result per failed or undecidable template resource.

use serde::{Serialize, Serializer};
use serde_json::{json, Value};
use vigil_core::rule::render_article;
use vigil_core::{Finding, Report, RiskLevel, Status};

/// The document, its keys in the order SARIF viewers list them; `results`
/// is written result by result as the findings are read back.
#[derive(Serialize)]
struct Sarif<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
struct Run<'a> {
    invocations: Value,
    results: Results<'a>,
    tool: Value,
}

/// Every failed or undecided finding, as a result.
struct Results<'a> {
    report: &'a Report,
    rule_ids: &'a [&'static str],
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let results = self.report.findings.iter().filter(|f| f.status != Status::Pass);
        serializer.collect_seq(results.map(|f| result(self.report, &f, self.rule_ids)))
    }
}

pub fn write_sarif(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // The rules that produced results come first in the document: a first
    // pass over the findings finds them.
    let mut used: Vec<&'static vigil_core::Rule> = Vec::new();
    for finding in report.findings.iter().filter(|f| f.status != Status::Pass) {
        if !used.contains(&finding.rule) {
            used.push(finding.rule);
        }
    }
    used.sort_by_key(|r| r.id);
    let rule_ids: Vec<&'static str> = used.iter().map(|r| r.id).collect();
    let rules: Vec<Value> = used.into_iter().map(rule).collect();
    let run = Run {
        tool: json!({"driver": {
            "name": "vigil",
            "version": report.tool.version,
            "semanticVersion": report.tool.version,
            "rules": rules,
        }}),
        results: Results {
            report,
            rule_ids: &rule_ids,
        },
        invocations: json!([{
            "executionSuccessful": report.errors.iter().all(|e| e.scope != vigil_core::ErrorScope::File),
            "toolExecutionNotifications": report.errors.iter().map(|e| json!({
                "level": "error",
                "message": {"text": e.message},
                "locations": e.file.as_ref().map(|file| vec![json!({"physicalLocation": {
                    "artifactLocation": {"uri": file_uri(report, file)},
                    "region": {"startLine": e.line.unwrap_or(1), "startColumn": e.column.unwrap_or(1)},
                }})]).unwrap_or_default(),
            })).collect::<Vec<_>>(),
        }]),
    };
    let sarif = Sarif {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [run],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    out.write_all(b"\n")
}

fn rule(rule: &vigil_core::Rule) -> Value {
    json!({
        "id": rule.id,
        "name": rule.title,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.article.what},
        "help": {"text": rule.article.why, "markdown": render_article(rule)},
        "helpUri": rule.article.references.first().map(|(_, url)| *url),
        "defaultConfiguration": {"level": level(rule.risk)},
        "properties": {
            "tags": rule.categories.iter().map(|c| c.to_lowercase()).chain(["aws".into(), "sagemaker".into()]).collect::<Vec<_>>(),
            "security-severity": security_severity(rule.risk),
            "precision": "very-high",
        },
    })
}

fn result(report: &Report, finding: &Finding, rule_ids: &[&str]) -> Value {
    let location = finding.location.as_ref();
    let (line, column) = location
        .map(|l| l.property.as_ref().map_or((l.line, l.column), |p| (p.line, p.column)))
        .unwrap_or((1, 1));
    let (kind, level, text) = match &finding.status {
        Status::Unknown { reason } => ("review", "none", format!("{} ({reason})", finding.message)),
        _ => ("fail", level(finding.risk), finding.message.clone()),
    };
    let mut result = json!({
        "ruleId": finding.rule.id,
        "ruleIndex": rule_ids.iter().position(|id| *id == finding.rule.id),
        "kind": kind,
        "level": level,
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": location.map(|l| file_uri(report, &l.file)).unwrap_or_default()},
                "region": {"startLine": line, "startColumn": column},
            },
            "logicalLocations": [{"name": location.map(|l| l.logical_id.as_str()).unwrap_or(&finding.resource.name), "kind": "resource"}],
        }],
        "partialFingerprints": {"vigilResource/v1": fingerprint(finding)},
    });
    if let Some(suppression) = &finding.suppression {
        result["suppressions"] = json!([{"kind": "inSource", "justification": suppression.reason}]);
    }
    result
}

/// A file's URI from its name's own bytes: a name that is not UTF-8 is
/// reported with U+FFFD, which names no file, so its bytes are used.
fn file_uri(report: &Report, file: &str) -> String {
    let raw = report
        .files
        .as_ref()
        .and_then(|stats| stats.raw_names.iter().find(|(name, _)| name == file));
    match raw {
        Some((_, bytes)) => uri_bytes(bytes),
        None => uri(file),
    }
}

/// SARIF wants URIs (RFC 3986): forward slashes, no leading `./`, and every
/// byte outside the unreserved set and `/` percent-encoded, so that a path
/// with a space, `#`, `?` or a literal `%20` names the file it came from.
fn uri(path: &str) -> String {
    uri_bytes(path.replace('\\', "/").as_bytes())
}

fn uri_bytes(path: &[u8]) -> String {
    let path = path.strip_prefix(b"./").unwrap_or(path);
    let mut out = String::with_capacity(path.len());
    for &byte in path {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn level(risk: RiskLevel) -> &'static str {
    match risk {
        RiskLevel::Low => "note",
        RiskLevel::Medium => "warning",
        _ => "error",
    }
}

/// GitHub ranks alerts by this CVSS-like score.
fn security_severity(risk: RiskLevel) -> &'static str {
    match risk {
        RiskLevel::Low => "3.0",
        RiskLevel::Medium => "5.5",
        RiskLevel::High => "7.5",
        RiskLevel::VeryHigh => "8.5",
        RiskLevel::Extreme => "9.5",
    }
}

/// Stable across edits that move lines: rule, file and logical id only.
fn fingerprint(finding: &Finding) -> String {
    let location = finding.location.as_ref();
    let key = format!(
        "{}|{}|{}",
        finding.rule,
        location.map(|l| uri(&l.file)).unwrap_or_default(),
        location
            .map(|l| l.logical_id.as_str())
            .unwrap_or(&finding.resource.name)
    );
    let hash = vigil_core::hash::fnv1a64(key.as_bytes());
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("./infra/my stack #2?.yaml"), "infra/my%20stack%20%232%3F.yaml");
        assert_eq!(uri("a/%20b.yaml"), "a/%2520b.yaml", "a literal %20 stays literal");
        assert_eq!(uri("/abs/été.tf"), "/abs/%C3%A9t%C3%A9.tf");
        assert_eq!(uri("dir\\x.json"), "dir/x.json");
    }
}
