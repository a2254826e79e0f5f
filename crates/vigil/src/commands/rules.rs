//! `vigil rules`: the registry as a table or as JSON.

use crate::cli::{ReportFormat, RulesArgs};
use crate::{exit, output};
use serde_json::json;
use vigil_core::registry::RULES;

pub fn run(args: &RulesArgs) -> anyhow::Result<u8> {
    let rendered = match args.format {
        ReportFormat::Json => {
            let rules: Vec<_> = RULES
                .iter()
                .map(|rule| {
                    json!({
                        "id": rule.id,
                        "aliases": rule.aliases,
                        "title": rule.title,
                        "risk": rule.risk,
                        "categories": rule.categories,
                        "resource_type": rule.resource_kind.type_name(),
                        "sources": ["live"],
                        "xrefs": {
                            "security_hub": rule.xrefs.security_hub,
                            "aws_config": rule.xrefs.aws_config,
                            "prowler": rule.xrefs.prowler,
                            "checkov": rule.xrefs.checkov,
                            "conformity": rule.xrefs.conformity,
                        },
                    })
                })
                .collect();
            format!("{:#}\n", json!(rules))
        }
        ReportFormat::Text => {
            let mut out = String::new();
            for rule in RULES {
                let x = &rule.xrefs;
                out.push_str(&format!("{}  [{}]  {}\n", rule.id, rule.risk, rule.title));
                out.push_str(&format!(
                    "    resource: {}   categories: {}   sources: live\n",
                    rule.resource_kind.type_name(),
                    rule.categories.join(", ")
                ));
                let refs = [
                    ("Security Hub", x.security_hub),
                    ("AWS Config", x.aws_config),
                    ("Prowler", x.prowler),
                    ("Checkov", x.checkov),
                    ("Conformity", x.conformity),
                ];
                for (system, id) in refs.iter().filter_map(|(s, id)| id.map(|id| (s, id))) {
                    out.push_str(&format!("    {system:<13} {id}\n"));
                }
            }
            out
        }
    };
    output::write(None, &rendered)?;
    Ok(exit::CLEAN)
}
