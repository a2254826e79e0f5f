//! `docs/rules/` is generated from the rule definitions (and the kind tables,
//! which say where each rule reads from) and checked in; this
//! test fails when it is stale. Regenerate with
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
            vigil_iac::kinds::sources(rule.resource_kind).join(", "),
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
