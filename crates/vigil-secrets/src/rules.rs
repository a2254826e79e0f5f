//! The rule file, parsed once: gitleaks' rules and allow-lists, with each
//! rule's expression compiled the first time a script contains one of its
//! keywords.

use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use std::sync::{LazyLock, OnceLock};

const GITLEAKS: &str = include_str!("../rules/gitleaks.toml");

pub(crate) static RULES: LazyLock<Config> = LazyLock::new(|| {
    let raw: RawConfig = toml::from_str(GITLEAKS).expect("the vendored gitleaks.toml parses");
    Config {
        global: Allowlist::from(raw.allowlist.unwrap_or_default()),
        rules: raw
            .rules
            .into_iter()
            // A rule that needs a file path cannot apply to a script.
            .filter(|r| r.path.is_none())
            .map(Rule::from)
            .collect(),
    }
});

pub(crate) struct Config {
    pub global: Allowlist,
    pub rules: Vec<Rule>,
}

pub(crate) struct Rule {
    pub id: &'static str,
    pub description: &'static str,
    pub pattern: Option<String>,
    compiled: OnceLock<Option<Regex>>,
    pub keywords: Vec<String>,
    pub entropy: Option<f64>,
    pub secret_group: Option<usize>,
    pub allowlists: Vec<Allowlist>,
}

impl Rule {
    /// The compiled expression; `None` for a rule without one (or one the
    /// `regex` crate refuses, which a test rules out).
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| {
                let pattern = self.pattern.as_deref()?;
                // Some of gitleaks' expressions are large once compiled.
                RegexBuilder::new(pattern).size_limit(64 << 20).build().ok()
            })
            .as_ref()
    }
}

/// What an allow-list's expressions are matched against.
pub(crate) enum Target {
    Secret,
    Match,
    Line,
}

pub(crate) struct Allowlist {
    pub regexes: Vec<Regex>,
    pub stopwords: Vec<String>,
    pub target: Target,
    /// `condition = "AND"`: every check it states must match.
    pub all: bool,
    pub needs_path: bool,
}

#[derive(Deserialize)]
struct RawConfig {
    allowlist: Option<RawAllowlist>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
struct RawRule {
    id: String,
    #[serde(default)]
    description: String,
    regex: Option<String>,
    entropy: Option<f64>,
    #[serde(default)]
    keywords: Vec<String>,
    path: Option<String>,
    #[serde(rename = "secretGroup")]
    secret_group: Option<usize>,
    #[serde(default)]
    allowlists: Vec<RawAllowlist>,
}

#[derive(Deserialize, Default)]
struct RawAllowlist {
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(rename = "regexTarget")]
    regex_target: Option<String>,
    condition: Option<String>,
}

impl From<RawRule> for Rule {
    fn from(raw: RawRule) -> Self {
        Rule {
            // Parsed once for the life of the process.
            id: Box::leak(raw.id.into_boxed_str()),
            description: Box::leak(raw.description.into_boxed_str()),
            pattern: raw.regex,
            compiled: OnceLock::new(),
            keywords: raw.keywords.into_iter().map(|k| k.to_lowercase()).collect(),
            entropy: raw.entropy.filter(|e| *e > 0.0),
            secret_group: raw.secret_group.filter(|g| *g > 0),
            allowlists: raw.allowlists.into_iter().map(Allowlist::from).collect(),
        }
    }
}

impl From<RawAllowlist> for Allowlist {
    fn from(raw: RawAllowlist) -> Self {
        Allowlist {
            regexes: raw.regexes.iter().filter_map(|r| Regex::new(r).ok()).collect(),
            stopwords: raw.stopwords.into_iter().map(|w| w.to_lowercase()).collect(),
            target: match raw.regex_target.as_deref() {
                Some("match") => Target::Match,
                Some("line") => Target::Line,
                _ => Target::Secret,
            },
            all: raw.condition.as_deref() == Some("AND"),
            needs_path: !raw.paths.is_empty(),
        }
    }
}
