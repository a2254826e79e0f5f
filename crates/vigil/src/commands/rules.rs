//! `vigil rules`: the registry as a list, a cross-reference table, or JSON.

use crate::cli::{ReportFormat, RulesArgs};
use crate::{exit, output};
use serde_json::json;
use vigil_core::registry::RULES;
use vigil_core::Rule;

pub fn run(args: &RulesArgs) -> anyhow::Result<u8> {
    let rendered = match (args.format, args.xref) {
        (ReportFormat::Json, _) => format!("{:#}\n", json!(RULES.iter().map(|r| as_json(r)).collect::<Vec<_>>())),
        (ReportFormat::Text, false) => RULES.iter().map(|r| as_text(r)).collect(),
        (ReportFormat::Text, true) => xref_table(),
    };
    output::write(None, &rendered)?;
    Ok(exit::CLEAN)
}

/// The systems a rule is cross-referenced to, in table order.
fn xrefs(rule: &Rule) -> [(&'static str, Option<&'static str>); 5] {
    let x = &rule.xrefs;
    [
        ("Security Hub", x.security_hub),
        ("AWS Config", x.aws_config),
        ("Prowler", x.prowler),
        ("Checkov", x.checkov),
        ("Conformity", x.conformity),
    ]
}

fn as_json(rule: &Rule) -> serde_json::Value {
    let refs: serde_json::Map<String, serde_json::Value> = xrefs(rule)
        .iter()
        .map(|(system, id)| (system.to_lowercase().replace(' ', "_"), json!(id)))
        .collect();
    json!({
        "id": rule.id,
        "aliases": rule.aliases,
        "title": rule.title,
        "risk": rule.risk,
        "categories": rule.categories,
        "resource_type": rule.resource_kind.type_name(),
        "sources": rule.resource_kind.sources(),
        "xrefs": refs,
    })
}

fn as_text(rule: &Rule) -> String {
    let mut out = format!("{}  [{}]  {}\n", rule.id, rule.risk, rule.title);
    out.push_str(&format!(
        "    resource: {}   categories: {}   sources: {}\n",
        rule.resource_kind.type_name(),
        rule.categories.join(", "),
        rule.resource_kind.sources().join(", ")
    ));
    for (system, id) in xrefs(rule).iter().filter_map(|(s, id)| id.map(|id| (s, id))) {
        out.push_str(&format!("    {system:<13} {id}\n"));
    }
    out
}

/// One row per rule, one column per system; `-` where a system has no equivalent.
fn xref_table() -> String {
    let header: Vec<&str> = std::iter::once("Rule")
        .chain(xrefs(RULES[0]).iter().map(|(s, _)| *s))
        .collect();
    let rows: Vec<Vec<&str>> = RULES
        .iter()
        .map(|rule| {
            std::iter::once(rule.id)
                .chain(xrefs(rule).iter().map(|(_, id)| id.unwrap_or("-")))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].len())
                .chain([header[c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[&str]| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(&header);
    for row in &rows {
        out.push_str(&line(row));
    }
    out
}
