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
    let mut marker = Marker::new(suppressions, rules, today);
    findings.iter_mut().for_each(|f| marker.mark(f));
    marker.finish(notes);
}

/// The suppressions of one run, applied finding by finding (a scan's
/// findings are read back from where they were spilled, one at a time).
pub struct Marker<'a> {
    /// Each suppression of a chosen rule: whether it expired, and whether
    /// it hid anything yet.
    chosen: Vec<(&'a Suppression, Option<&'a str>, bool)>,
}

impl<'a> Marker<'a> {
    pub fn new(suppressions: &'a [Suppression], rules: &[&'static Rule], today: &str) -> Self {
        let chosen = suppressions
            .iter()
            .filter(|s| rules.contains(&s.rule))
            .map(|s| (s, s.expires.as_deref().filter(|d| *d < today), false))
            .collect();
        Marker { chosen }
    }

    /// No suppression of a chosen rule: marking would change nothing.
    pub fn is_empty(&self) -> bool {
        self.chosen.is_empty()
    }

    /// Marks `finding` with the first live suppression that hides it.
    pub fn mark(&mut self, finding: &mut Finding) {
        for (suppression, expired, used) in &mut self.chosen {
            if expired.is_some() || !hides(suppression, finding) {
                continue;
            }
            *used = true;
            if !finding.suppressed {
                finding.suppressed = true;
                finding.suppression = Some(vigil_core::Suppression {
                    reason: suppression.reason.clone(),
                    expires: suppression.expires.clone(),
                });
            }
        }
    }

    /// Notes, in the order the suppressions are written, each that expired
    /// and each that matched nothing.
    pub fn finish(self, notes: &mut Vec<String>) {
        for (suppression, expired, used) in self.chosen {
            let (at, rule) = (&suppression.at, suppression.rule.id);
            match expired {
                Some(expires) => notes.push(format!(
                    "{at}: the suppression of {rule} expired on {expires}: its findings count again"
                )),
                None if !used => notes.push(format!("{at}: the suppression of {rule} matched nothing in this run")),
                None => {}
            }
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
