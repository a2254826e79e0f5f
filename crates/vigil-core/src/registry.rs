//! THE table of rules. Everything that lists, selects or documents rules
//! reads it from here.

use crate::rule::Rule;
use crate::rules::{agentcore, bedrock, sagemaker};

/// Every rule, one line each where its family declares it
/// (`rules/sagemaker/mod.rs`, `rules/agentcore/mod.rs`,
/// `rules/bedrock/mod.rs`), families in order.
pub static RULES: &[&Rule] = &ALL;

static ALL: [&Rule; sagemaker::RULES.len() + AGENTS.len()] = joined(sagemaker::RULES, &AGENTS);
static AGENTS: [&Rule; agentcore::RULES.len() + bedrock::RULES.len()] = joined(agentcore::RULES, bedrock::RULES);

/// Every rule of this run: the built-in ones, then the custom rules
/// installed at start (`custom::install`).
pub fn all() -> &'static [&'static Rule] {
    static ALL_OF_RUN: std::sync::OnceLock<Vec<&'static Rule>> = std::sync::OnceLock::new();
    ALL_OF_RUN.get_or_init(|| {
        RULES
            .iter()
            .copied()
            .chain(crate::custom::installed().iter().map(|custom| custom.rule))
            .collect()
    })
}

/// Two families' rules as one table, at compile time.
const fn joined<const N: usize>(first: &[&'static Rule], second: &[&'static Rule]) -> [&'static Rule; N] {
    let mut all = [first[0]; N];
    let mut i = 0;
    while i < second.len() {
        all[first.len() + i] = second[i];
        i += 1;
    }
    let mut i = 0;
    while i < first.len() {
        all[i] = first[i];
        i += 1;
    }
    all
}

/// The rules a run uses: `include` (all but the opt-in ones when `None`)
/// minus `exclude`. Each
/// entry is a rule id or alias, a family (`SageMaker`, `AgentCore`,
/// `Bedrock`: the first word of its rules' ids), a category (`Network`,
/// `Encryption`, …, any case), a peer's id for a control (`SageMaker.5`, `CKV_AWS_370`) or
/// a standard (`aws-ai-security-best-practices`).
/// An entry that selects no rule is an error that names it.
pub fn select(include: Option<&[String]>, exclude: &[String]) -> Result<Vec<&'static Rule>, String> {
    for entry in include.unwrap_or_default().iter().chain(exclude) {
        if !all().iter().any(|rule| selects(rule, entry)) {
            return Err(unknown(entry));
        }
    }
    let chosen = |rule: &Rule, entries: &[String]| entries.iter().any(|e| selects(rule, e));
    Ok(all()
        .iter()
        .copied()
        .filter(|rule| match include {
            None => !rule.opt_in,
            Some(entries) => chosen(rule, entries),
        })
        .filter(|rule| !chosen(rule, exclude))
        .collect())
}

/// Whether `entry` (id, alias, family, category, peer id or standard)
/// selects `rule`.
fn selects(rule: &Rule, entry: &str) -> bool {
    rule.answers_to(entry)
        || rule
            .id
            .split('-')
            .next()
            .is_some_and(|family| family.eq_ignore_ascii_case(entry))
        || rule.categories.iter().any(|c| c.eq_ignore_ascii_case(entry))
        || rule.xrefs.names(entry)
        || crate::standards::find(entry).is_some_and(|standard| standard.covers(rule))
}

/// What to say of an id no rule answers to: the closest one if it is a
/// likely typo, and where to find them all.
pub fn unknown(id: &str) -> String {
    let closest = all()
        .iter()
        .map(|r| (strsim::jaro_winkler(id, r.id), r.id))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score >= 0.85);
    match closest {
        Some((_, near)) => format!("no rule '{id}'; did you mean '{near}'? (`vigil rules` lists them all)"),
        None => format!("no rule, category or peer id '{id}'; `vigil rules` lists them all"),
    }
}

/// Every setting the rules of `kind` declare, once each: what the
/// collectors and template readers read for it by path. Worked out once
/// per kind, since every declared resource and describe call asks.
pub fn settings(kind: crate::model::ResourceKind) -> &'static [&'static crate::model::Setting] {
    type ByKind = Vec<(crate::model::ResourceKind, Vec<&'static crate::model::Setting>)>;
    static BY_KIND: std::sync::OnceLock<ByKind> = std::sync::OnceLock::new();
    let by_kind = BY_KIND.get_or_init(|| {
        let mut by_kind: ByKind = Vec::new();
        let built_in = RULES
            .iter()
            .filter_map(|rule| Some((rule.resource_kind, rule.setting?)));
        let custom = crate::custom::installed()
            .iter()
            .flat_map(|custom| custom.reads.iter().map(|setting| (custom.rule.resource_kind, *setting)));
        for (kind, setting) in built_in.chain(custom) {
            // Read once as a scalar and once whole, for whoever wants each.
            match by_kind.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, settings))
                    if settings
                        .iter()
                        .any(|s| s.api == setting.api && s.whole == setting.whole) => {}
                Some((_, settings)) => settings.push(setting),
                None => by_kind.push((kind, vec![setting])),
            }
        }
        by_kind
    });
    by_kind
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[], |(_, settings)| settings.as_slice())
}

/// The rule with this id or alias.
pub fn find(id: &str) -> Option<&'static Rule> {
    all().iter().copied().find(|rule| rule.answers_to(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_slugs() {
        let mut seen = std::collections::HashSet::new();
        for rule in RULES {
            for id in std::iter::once(&rule.id).chain(rule.aliases) {
                assert!(seen.insert(*id), "{id} is used twice");
                assert!(
                    id.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                    "{id} is not kebab-case"
                );
            }
        }
    }

    #[test]
    fn every_rule_has_a_complete_article() {
        for rule in RULES {
            for (heading, body) in rule.article.sections() {
                assert!(body.trim().len() > 40, "{}: section '{heading}' is empty", rule.id);
            }
            assert!(!rule.article.references.is_empty(), "{} has no references", rule.id);
            assert!(!rule.categories.is_empty(), "{} has no category", rule.id);
        }
    }

    #[test]
    fn selection_includes_then_excludes_and_refuses_unknown_ids() {
        let ids = |rules: Vec<&Rule>| rules.iter().map(|r| r.id).collect::<Vec<_>>();
        let default = ids(select(None, &[]).unwrap());
        assert_eq!(default.len(), RULES.iter().filter(|r| !r.opt_in).count());
        assert!(
            !default.contains(&"sagemaker-model-private-registry"),
            "opt-in rules run only when chosen"
        );
        let by_peer = ids(select(Some(&["SageMaker.16".to_owned()]), &[]).unwrap());
        assert_eq!(by_peer, ["sagemaker-model-private-registry"]);
        let only = ["sagemaker-model-in-vpc".to_owned()];
        assert_eq!(ids(select(Some(&only), &[]).unwrap()), ["sagemaker-model-in-vpc"]);
        assert!(!ids(select(None, &only).unwrap()).contains(&"sagemaker-model-in-vpc"));
        let Err(err) = select(Some(&["sagemaker-nope".to_owned()]), &[]) else {
            panic!("accepted an unknown id")
        };
        assert!(err.contains("'sagemaker-nope'"), "{err}");
    }

    #[test]
    fn categories_and_peer_ids_select_rules() {
        let ids = |entries: &[&str]| {
            let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
            select(Some(&entries), &[])
                .unwrap()
                .iter()
                .map(|r| r.id)
                .collect::<Vec<_>>()
        };
        // A category selects, in any case, exactly the rules that declare it
        // (derived, so a new rule needs no edit here), in registry order.
        let declaring = |category: &str| {
            RULES
                .iter()
                .filter(|r| r.categories.contains(&category))
                .map(|r| r.id)
                .collect::<Vec<_>>()
        };
        for (entry, category, one) in [
            ("encryption", "Encryption", "sagemaker-notebook-kms-key"),
            ("IAM", "IAM", "sagemaker-domain-sso"),
        ] {
            let chosen = ids(&[entry]);
            assert!(chosen.len() > 5 && chosen.contains(&one), "{entry}: {chosen:?}");
            assert_eq!(chosen, declaring(category), "{entry}");
        }
        assert_eq!(
            ids(&["SageMaker.5", "CKV_AWS_307"]),
            ["sagemaker-model-network-isolation", "sagemaker-notebook-root-access"]
        );
        assert_eq!(
            ids(&["sagemaker-model-bias-job-isolation"]),
            ["sagemaker-monitoring-network-isolation"]
        );
        assert_eq!(ids(&["SageMaker.25"]), ["sagemaker-monitoring-network-isolation"]);
        let network = ids(&["Network"]);
        assert!(
            network.len() > 5 && !network.contains(&"sagemaker-notebook-root-access"),
            "{network:?}"
        );
        let no_network = select(None, &["network".to_owned()]).unwrap();
        assert!(no_network.iter().all(|r| !r.categories.contains(&"Network")));
        assert!(select(Some(&["CKV_AWS_9999".to_owned()]), &[])
            .unwrap_err()
            .contains("'CKV_AWS_9999'"));
    }

    #[test]
    fn a_family_selects_the_rules_whose_ids_it_begins() {
        let bedrock = select(Some(&["Bedrock".to_owned()]), &[]).unwrap();
        assert!(
            bedrock.len() >= 7,
            "{:?}",
            bedrock.iter().map(|r| r.id).collect::<Vec<_>>()
        );
        assert!(bedrock.iter().all(|r| r.id.starts_with("bedrock-")));
        let agentcore = select(Some(&["agentcore".to_owned()]), &[]).unwrap();
        assert!(!agentcore.is_empty() && agentcore.iter().all(|r| r.id.starts_with("agentcore-")));
        let without = select(None, &["SageMaker".to_owned()]).unwrap();
        assert!(without.iter().all(|r| !r.id.starts_with("sagemaker-")) && !without.is_empty());
    }

    #[test]
    fn every_rule_has_a_family_category() {
        let families = ["Encryption", "Network", "IAM", "Logging", "Resilience", "Governance"];
        for rule in RULES {
            assert!(
                rule.categories.iter().any(|c| families.contains(c)),
                "{}: {:?}",
                rule.id,
                rule.categories
            );
        }
    }

    #[test]
    fn find_knows_every_rule_and_nothing_else() {
        for rule in RULES {
            assert_eq!(find(rule.id).map(|r| r.id), Some(rule.id));
        }
        assert!(find("no-such-rule").is_none());
    }
}
