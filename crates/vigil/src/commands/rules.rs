//! `vigil rules`: the registry as a list, a cross-reference table, or JSON.

use crate::cli::{ReportFormat, RulesArgs};
use crate::{exit, output};
use serde_json::json;
use vigil_core::registry;
use vigil_core::Rule;

pub fn run(args: &RulesArgs) -> anyhow::Result<u8> {
    let rendered = match (args.format, args.xref) {
        (ReportFormat::Json, _) => format!(
            "{:#}\n",
            json!(registry::all().iter().map(|r| as_json(r)).collect::<Vec<_>>())
        ),
        (ReportFormat::Text, false) => registry::all().iter().map(|r| as_text(r)).collect(),
        (ReportFormat::Text, true) => xref_table(),
    };
    output::write(None, &rendered)?;
    Ok(exit::CLEAN)
}

/// The systems a rule is cross-referenced to, in table order, by the
/// short names the table and JSON use.
fn xrefs(rule: &Rule) -> [(&'static str, &'static [&'static str]); 5] {
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
        "opt_in": rule.opt_in,
        "resource_type": rule.resource_kind.type_name(),
        "sources": vigil_iac::kinds::rule_sources(rule),
        "xrefs": refs,
        // A rule the user wrote: its policy file; null for a built-in one.
        "policy": vigil_core::custom::origin(rule),
    })
}

fn as_text(rule: &Rule) -> String {
    let opt_in = if rule.opt_in {
        "  (opt-in: runs only when chosen)"
    } else {
        ""
    };
    let mut out = format!("{}  [{}]  {}{opt_in}\n", rule.id, rule.risk, rule.title);
    out.push_str(&format!(
        "    resource: {}   categories: {}   sources: {}\n",
        rule.resource_kind.type_name(),
        rule.categories.join(", "),
        vigil_iac::kinds::rule_sources(rule).join(", ")
    ));
    for (system, ids) in xrefs(rule).iter().filter(|(_, ids)| !ids.is_empty()) {
        out.push_str(&format!("    {system:<13} {}\n", ids.join(", ")));
    }
    if let Some(file) = vigil_core::custom::origin(rule) {
        out.push_str(&format!("    policy: {file}\n"));
    }
    out
}

/// One block per rule, one line per system (`-` where a system has no
/// equivalent), so the table fits a terminal however long the ids; a
/// system with several ids lists them one per line. `--format json` is for
/// machines.
fn xref_table() -> String {
    let mut out = String::new();
    for rule in registry::all() {
        out.push_str(rule.id);
        out.push('\n');
        for (system, ids) in xrefs(rule) {
            let ids: &[&str] = if ids.is_empty() { &["-"] } else { ids };
            for (i, id) in ids.iter().enumerate() {
                let label = if i == 0 { system } else { "" };
                out.push_str(&format!("  {label:<13} {id}\n"));
            }
        }
    }
    out
}
