//! `vigil.toml`: defaults for the flags and suppressions that apply to live
//! audits and scans alike. Found with `--config FILE`, else in the working
//! folder or its parents, else `$XDG_CONFIG_HOME/vigil/config.toml`. Every
//! mistake is one line naming the file and line, and exit code 2.

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// What a `vigil.toml` says, checked.
#[derive(Debug, Default)]
pub struct Config {
    pub store: Option<String>,
    pub store_statement_timeout: Option<std::time::Duration>,
    pub store_lock_timeout: Option<std::time::Duration>,
    pub regions: Option<Vec<String>>,
    pub rules: Option<Vec<String>>,
    pub exclude_rules: Option<Vec<String>>,
    pub suppressions: Vec<Suppression>,
}

/// One `[[suppress]]` entry.
#[derive(Debug)]
pub struct Suppression {
    pub rule: &'static vigil_core::Rule,
    /// Names, ARNs, logical ids or Terraform addresses, as globs; none: all.
    pub resources: Vec<GlobMatcher>,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub reason: String,
    /// `YYYY-MM-DD`; the suppression applies up to and including that day.
    pub expires: Option<String>,
    /// Where it is written, for notes: `vigil.toml:12`.
    pub at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    store: Option<String>,
    store_statement_timeout: Option<Spanned<String>>,
    store_lock_timeout: Option<Spanned<String>>,
    regions: Option<Vec<String>>,
    rules: Option<Vec<String>>,
    exclude_rules: Option<Vec<String>>,
    policies: Option<Vec<String>>,
    #[serde(default)]
    suppress: Vec<Spanned<RawSuppression>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppression {
    rule: Option<Spanned<String>>,
    #[serde(default)]
    resources: Vec<Spanned<String>>,
    #[serde(default)]
    accounts: Vec<String>,
    #[serde(default)]
    regions: Vec<String>,
    tags: Option<Spanned<toml::Table>>,
    reason: Option<String>,
    expires: Option<Spanned<String>>,
}

/// The file to read: the one named, else the nearest `vigil.toml`, else
/// the user's; `None` when there is none.
pub fn find(named: Option<&Path>) -> Option<PathBuf> {
    if let Some(named) = named {
        return Some(named.to_owned());
    }
    let cwd = std::env::current_dir().ok()?;
    if let Some(found) = cwd.ancestors().map(|d| d.join("vigil.toml")).find(|p| p.is_file()) {
        return Some(found);
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(config.join("vigil/config.toml")).filter(|p| p.is_file())
}

/// Reads and checks the configuration (an empty one when there is none).
/// `policies` is given the policy paths the file names (none without a
/// file), before any rule id in it is checked: a suppression may name a
/// policy's rule.
pub fn load(named: Option<&Path>, policies: impl FnOnce(&[PathBuf]) -> Result<(), String>) -> Result<Config, String> {
    let Some(path) = find(named) else {
        policies(&[])?;
        return Ok(Config::default());
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{shown}: {e}"))?;
    let line = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
    let file: File = toml::from_str(&text).map_err(|e| {
        let at = e.span().map_or(String::new(), |s| format!(":{}", line(s.start)));
        format!("{shown}{at}: {}", e.message())
    })?;
    let duration = |value: Option<Spanned<String>>, key: &str| -> Result<_, String> {
        value
            .map(|v| {
                crate::cli::parse_wait(v.get_ref())
                    .map_err(|why| format!("{shown}:{}: {key}: {why}", line(v.span().start)))
            })
            .transpose()
    };
    let store_statement_timeout = duration(file.store_statement_timeout, "store_statement_timeout")?;
    let store_lock_timeout = duration(file.store_lock_timeout, "store_lock_timeout")?;
    for region in file.regions.iter().flatten() {
        crate::cli::parse_region(region).map_err(|why| format!("{shown}: regions: {why}"))?;
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    let policy_paths: Vec<PathBuf> = file.policies.iter().flatten().map(|p| folder.join(p)).collect();
    policies(&policy_paths)?;
    let mut suppressions = Vec::new();
    for entry in file.suppress {
        let here = format!("{shown}:{}", line(entry.span().start));
        let raw = entry.into_inner();
        let rule = raw.rule.ok_or_else(|| format!("{here}: a suppression needs a rule"))?;
        let rule_at = format!("{shown}:{}", line(rule.span().start));
        let rule = vigil_core::registry::find(rule.get_ref())
            .ok_or_else(|| format!("{rule_at}: {}", vigil_core::registry::unknown(rule.get_ref())))?;
        let reason = raw
            .reason
            .filter(|r| !r.trim().is_empty())
            .ok_or_else(|| format!("{here}: the suppression of {} needs a reason", rule.id))?;
        if let Some(tags) = raw.tags {
            return Err(format!(
                "{shown}:{}: tags are not matched yet (an audit does not read resource tags); name the resources instead",
                line(tags.span().start)
            ));
        }
        let expires = match raw.expires {
            Some(date) if !is_date(date.get_ref()) => {
                return Err(format!(
                    "{shown}:{}: expires is '{}', not a date (YYYY-MM-DD)",
                    line(date.span().start),
                    date.get_ref()
                ))
            }
            other => other.map(Spanned::into_inner),
        };
        let mut resources = Vec::new();
        for pattern in raw.resources {
            let glob = Glob::new(pattern.get_ref()).map_err(|e| {
                format!(
                    "{shown}:{}: '{}' is not a valid pattern: {e}",
                    line(pattern.span().start),
                    pattern.get_ref()
                )
            })?;
            resources.push(glob.compile_matcher());
        }
        suppressions.push(Suppression {
            rule,
            resources,
            accounts: raw.accounts,
            regions: raw.regions,
            reason,
            expires,
            at: here,
        });
    }
    Ok(Config {
        store: file.store,
        store_statement_timeout,
        store_lock_timeout,
        regions: file.regions,
        rules: file.rules,
        exclude_rules: file.exclude_rules,
        suppressions,
    })
}

fn is_date(text: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(text: &str) -> Result<Config, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vigil.toml");
        std::fs::write(&path, text).unwrap();
        load(Some(&path), |_| Ok(())).map_err(|e| e.replace(&path.display().to_string(), "vigil.toml"))
    }

    #[test]
    fn mistakes_name_the_file_and_line() {
        let no_reason = "[[suppress]]\nrule = \"sagemaker-model-network-isolation\"\n";
        assert_eq!(
            loaded(no_reason).unwrap_err(),
            "vigil.toml:1: the suppression of sagemaker-model-network-isolation needs a reason"
        );
        let typo = "\n[[suppress]]\nrule = \"sagemaker-model-network-isolaton\"\nreason = \"r\"\n";
        assert!(
            loaded(typo)
                .unwrap_err()
                .starts_with("vigil.toml:3: no rule 'sagemaker-model-network-isolaton'; did you mean"),
            "{:?}",
            loaded(typo)
        );
        let date = "[[suppress]]\nrule = \"sagemaker-model-in-vpc\"\nreason = \"r\"\nexpires = \"soon\"\n";
        assert_eq!(
            loaded(date).unwrap_err(),
            "vigil.toml:4: expires is 'soon', not a date (YYYY-MM-DD)"
        );
        assert!(loaded("regions = [\"eu-west-1\"\n")
            .unwrap_err()
            .starts_with("vigil.toml:1:"));
        assert!(loaded("colour = 1\n").unwrap_err().contains("unknown field `colour`"));
    }

    #[test]
    fn a_good_file_gives_defaults_and_suppressions() {
        let config = loaded(
            "regions = [\"eu-west-1\"]\nstore = \"sqlite:///tmp/x.db\"\n[[suppress]]\nrule = \"sagemaker-model-in-vpc\"\nresources = [\"partner-*\"]\nreason = \"ticket ML-412\"\nexpires = \"2027-06-30\"\n",
        )
        .unwrap();
        assert_eq!(config.regions, Some(vec!["eu-west-1".to_owned()]));
        assert_eq!(config.suppressions.len(), 1);
        let s = &config.suppressions[0];
        assert!(s.resources[0].is_match("partner-scoring-a"));
        assert_eq!(
            (s.rule.id, s.expires.as_deref()),
            ("sagemaker-model-in-vpc", Some("2027-06-30"))
        );
    }
}
