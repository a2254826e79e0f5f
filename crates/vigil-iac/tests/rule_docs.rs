//! `docs/rules/` and the README's rule table are generated from the rule
//! definitions (and the kind tables, which say where each rule reads from)
//! and checked in; these tests fail when they are stale. Regenerate with
//! `VIGIL_UPDATE_DOCS=1 cargo test -p vigil-iac --test rule_docs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use vigil_core::registry::RULES;
use vigil_core::rule::render_article;

const NOTICE: &str = "<!-- Generated from the rule's definition in crates/vigil-core/src/rules/; do not edit. -->\n\n";

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules")
}

fn expected() -> BTreeMap<String, String> {
    let mut files: BTreeMap<String, String> = RULES
        .iter()
        .map(|rule| (format!("{}.md", rule.id), format!("{NOTICE}{}", render_article(rule))))
        .collect();
    let mut index =
        format!("{NOTICE}# Vigil rules\n\n| Rule | Title | Risk | Resource | Sources |\n|---|---|---|---|---|\n");
    for rule in RULES {
        index.push_str(&format!(
            "| [`{id}`]({id}.md) | {} | {} | `{}` | {} |\n",
            rule.title,
            rule.risk,
            rule.resource_kind.type_name(),
            vigil_iac::kinds::rule_sources(rule).join(", "),
            id = rule.id
        ));
    }
    files.insert("README.md".into(), index);
    files
}

#[test]
fn rule_docs_are_current() {
    let dir = docs_dir();
    let expected = expected();
    if std::env::var_os("VIGIL_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    for (name, text) in &expected {
        let found = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(
            &found == text,
            "docs/rules/{name} is stale: run VIGIL_UPDATE_DOCS=1 cargo test -p vigil-iac --test rule_docs"
        );
    }
    let mut present: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    present.retain(|name| !expected.contains_key(name));
    assert!(
        present.is_empty(),
        "docs/rules has files no rule generates: {present:?}"
    );
}

const TABLE_START: &str =
    "<!-- rules table: generated from the rule definitions by crates/vigil-iac/tests/rule_docs.rs -->\n";
const TABLE_END: &str = "<!-- end of rules table -->";

/// The README's rule table: Security Hub and Checkov ids are short enough
/// to show; the other systems are named, with how many ids they have.
fn readme_table() -> String {
    let mut table = String::from(
        "| rule | risk | categories | fails when | sources | also checked by |\n|---|---|---|---|---|---|\n",
    );
    for rule in RULES {
        let peers: Vec<String> = rule
            .xrefs
            .systems()
            .iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(system, ids)| {
                let system = system
                    .trim_start_matches("AWS Security Hub")
                    .trim_start_matches("Trend Micro ");
                let system = if system.is_empty() { "Security Hub" } else { system };
                match (system, ids.len()) {
                    ("Security Hub" | "Checkov", _) => format!("{system} {}", ids.join(", ")),
                    (_, 1) => system.to_owned(),
                    (_, n) => format!("{system} ({n})"),
                }
            })
            .collect();
        table.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            rule.id,
            rule.risk,
            rule.categories.join(", "),
            if rule.opt_in {
                format!(
                    "{} (opt-in: runs only when chosen by id, category or peer id)",
                    rule.fails_when
                )
            } else {
                rule.fails_when.to_owned()
            },
            vigil_iac::kinds::rule_sources(rule).join(", "),
            if peers.is_empty() {
                "none".to_owned()
            } else {
                peers.join("; ")
            }
        ));
    }
    table
}

#[test]
fn readme_rule_table_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find(TABLE_START).expect("the README marks its rule table") + TABLE_START.len();
    let end = start + readme[start..].find(TABLE_END).expect("the README ends its rule table");
    let table = readme_table();
    if std::env::var_os("VIGIL_UPDATE_DOCS").is_some() {
        std::fs::write(&path, format!("{}{table}{}", &readme[..start], &readme[end..])).unwrap();
        return;
    }
    assert!(
        readme[start..end] == table,
        "the README's rule table is stale: run VIGIL_UPDATE_DOCS=1 cargo test -p vigil-iac --test rule_docs"
    );
}
