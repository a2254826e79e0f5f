//! Applies `vigil.toml` suppressions to a run's findings, live or template:
//! a suppressed finding stays in every report, marked with its reason; an
//! expired suppression hides nothing and says so; one that matched nothing
//! is reported as unused, so stale exceptions do not pile up.

use crate::config::Suppression;
use vigil_core::{Finding, Rule};

/// Marks what `suppressions` hide among `findings` and notes expired and
/// unused ones (for the chosen `rules` only). `today` is `YYYY-MM-DD`.
pub fn apply(
    suppressions: &[Suppression],
    rules: &[&'static Rule],
    findings: &mut [Finding],
    today: &str,
    notes: &mut Vec<String>,
) {
    for suppression in suppressions.iter().filter(|s| rules.contains(&s.rule)) {
        if let Some(expires) = suppression.expires.as_deref().filter(|d| *d < today) {
            notes.push(format!(
                "{}: the suppression of {} expired on {expires}: its findings count again",
                suppression.at, suppression.rule.id
            ));
            continue;
        }
        let mut used = false;
        for finding in findings.iter_mut().filter(|f| hides(suppression, f)) {
            used = true;
            if !finding.suppressed {
                finding.suppressed = true;
                finding.suppression = Some(vigil_core::Suppression {
                    reason: suppression.reason.clone(),
                    expires: suppression.expires.clone(),
                });
            }
        }
        if !used {
            notes.push(format!(
                "{}: the suppression of {} matched nothing in this run",
                suppression.at, suppression.rule.id
            ));
        }
    }
}

fn hides(suppression: &Suppression, finding: &Finding) -> bool {
    let r = &finding.resource;
    let listed = |allowed: &[String], value: &Option<String>| {
        allowed.is_empty() || value.as_ref().is_some_and(|v| allowed.contains(v))
    };
    let names = [
        Some(r.name.as_str()),
        r.arn.as_deref(),
        finding.location.as_ref().map(|l| l.logical_id.as_str()),
    ];
    finding.rule == suppression.rule
        && listed(&suppression.accounts, &r.account)
        && listed(&suppression.regions, &r.region)
        && (suppression.resources.is_empty()
            || names
                .iter()
                .flatten()
                .any(|name| suppression.resources.iter().any(|g| g.is_match(name))))
}
