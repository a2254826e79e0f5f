//! Finds secrets (keys, tokens, passwords) in a script, with gitleaks'
//! maintained rule set (`rules/gitleaks.toml`) applied as gitleaks applies
//! it: keywords first, then the rule's expression, its entropy floor and
//! allow-lists. A hit names the kind of secret and its line, never the
//! secret itself. Rules are compiled on first use, so a script only pays
//! for the rules whose keywords it contains.

mod rules;

use rules::{Allowlist, Rule, RULES};

/// A secret found: what kind (the gitleaks rule's id and description) and
/// the line it is on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: &'static str,
    pub description: &'static str,
    pub line: usize,
}

/// Every secret in `text`, in line order, at most one per kind and line.
pub fn scan(text: &str) -> Vec<Hit> {
    let config = &*RULES;
    let lower = text.to_lowercase();
    let mut hits = Vec::new();
    for rule in &config.rules {
        if !rule.keywords.is_empty() && !rule.keywords.iter().any(|k| lower.contains(k.as_str())) {
            continue;
        }
        let Some(regex) = rule.regex() else { continue };
        for captures in regex.captures_iter(text) {
            let whole = captures.get(0).expect("group 0 always matches");
            let secret = secret_of(rule, &captures).unwrap_or(whole.as_str());
            if rule.entropy.is_some_and(|floor| entropy(secret) <= floor) {
                continue;
            }
            let line = line_around(text, whole.start(), whole.end());
            let found = Found {
                secret,
                matched: whole.as_str(),
                line,
            };
            if config.global.allows(&found) || rule.allowlists.iter().any(|a| a.allows(&found)) {
                continue;
            }
            let hit = Hit {
                kind: rule.id,
                description: rule.description,
                line: text[..whole.start()].matches('\n').count() + 1,
            };
            if !hits.contains(&hit) {
                hits.push(hit);
            }
        }
    }
    // As gitleaks does: the catch-all rule says nothing a specific one said.
    let specific: Vec<usize> = hits.iter().filter(|h| h.kind != GENERIC).map(|h| h.line).collect();
    hits.retain(|h| h.kind != GENERIC || !specific.contains(&h.line));
    hits.sort_by_key(|h| (h.line, h.kind));
    hits
}

/// gitleaks' catch-all rule (`password = …`, `api_key: …`).
const GENERIC: &str = "generic-api-key";

/// What an allow-list may look at.
pub(crate) struct Found<'a> {
    pub secret: &'a str,
    pub matched: &'a str,
    pub line: &'a str,
}

/// The rule's secret group, or else its first group that matched.
fn secret_of<'t>(rule: &Rule, captures: &regex::Captures<'t>) -> Option<&'t str> {
    match rule.secret_group {
        Some(group) => captures.get(group).map(|m| m.as_str()),
        None => captures.iter().skip(1).flatten().next().map(|m| m.as_str()),
    }
}

/// The whole line(s) a match sits on.
fn line_around(text: &str, start: usize, end: usize) -> &str {
    let from = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let to = text[end..].find('\n').map_or(text.len(), |i| end + i);
    &text[from..to]
}

/// Shannon entropy in bits per character, as gitleaks computes it.
fn entropy(text: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in text.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let total = text.chars().count() as f64;
    counts
        .values()
        .map(|&n| {
            let p = n as f64 / total;
            -p * p.log2()
        })
        .sum()
}

impl Allowlist {
    /// Whether this allow-list lets the find through as no secret.
    fn allows(&self, found: &Found) -> bool {
        let target = match self.target {
            rules::Target::Secret => found.secret,
            rules::Target::Match => found.matched,
            rules::Target::Line => found.line,
        };
        let by_regex = (!self.regexes.is_empty()).then(|| self.regexes.iter().any(|r| r.is_match(target)));
        let secret = found.secret.to_lowercase();
        let by_stopword =
            (!self.stopwords.is_empty()).then(|| self.stopwords.iter().any(|w| secret.contains(w.as_str())));
        // A script has no path: an allow-list that needs one never matches it.
        let by_path = self.needs_path.then_some(false);
        let checks = [by_regex, by_stopword, by_path];
        let mut given = checks.iter().flatten().peekable();
        match self.all {
            true => given.peek().is_some() && given.all(|m| *m),
            false => given.any(|m| *m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&'static str, usize)> {
        scan(text).iter().map(|h| (h.kind, h.line)).collect()
    }

    #[test]
    fn every_rule_compiles() {
        let failed: Vec<&str> = RULES
            .rules
            .iter()
            .filter(|r| r.pattern.is_some() && r.regex().is_none())
            .map(|r| r.id)
            .collect();
        assert!(failed.is_empty(), "{failed:?}");
        assert!(RULES.rules.len() > 200, "{}", RULES.rules.len());
    }

    #[test]
    fn finds_keys_and_tokens_on_their_lines() {
        let script = "#!/bin/bash\nset -e\nexport AWS_ACCESS_KEY_ID=AKIAZ7QRSTUVWXY2JKLM\n\
                      git clone https://github.com/acme/models\n\
                      export GITHUB_TOKEN=ghp_R8xJk2mVq9LpT4wZs7YbN3cHd6FgA1eKu5Xo\n";
        assert_eq!(kinds(script), [("aws-access-token", 3), ("github-pat", 5)]);
    }

    #[test]
    fn a_generic_assignment_is_found() {
        assert_eq!(kinds("DB_PASSWORD=\"Xq7mT2vL9pW4zR8k\"\n"), [("generic-api-key", 1)]);
    }

    #[test]
    fn a_private_key_is_found() {
        let key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naFDrBz9vFqU4yV5xw3ZkQyRbYc8UuYq9Q2Zs7YbN3cHd6FgA1eKu5XoR8xJk2mVq\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(
            kinds(&format!("cat > /root/.ssh/id_rsa <<'EOF'\n{key}EOF\n")),
            [("private-key", 2)]
        );
    }

    #[test]
    fn placeholders_examples_and_plain_scripts_are_not_secrets() {
        assert_eq!(kinds("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"), []);
        assert_eq!(kinds("password = \"${DB_PASSWORD}\"\n"), []);
        let plain = "#!/bin/bash\nsudo -u ec2-user -i <<'EOF'\npip install --upgrade pandas==2.2.3\nconda activate python3\nEOF\n";
        assert_eq!(kinds(plain), []);
    }

    #[test]
    fn a_hit_never_carries_the_secret() {
        let hit = &scan("export GITHUB_TOKEN=ghp_R8xJk2mVq9LpT4wZs7YbN3cHd6FgA1eKu5Xo\n")[0];
        let shown = format!("{hit:?}");
        assert!(!shown.contains("ghp_R8xJk"), "{shown}");
    }
}
