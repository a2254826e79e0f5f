//! Judging a template resource: the registry's rules, with the finding placed
//! in the file and the template's own suppressions applied.

use crate::source::TemplateResource;
use vigil_core::{Finding, PropertyLocation, Rule, Status, Suppression};

/// The findings for one template resource, placed at the resource (and the
/// property the rule reads) and suppressed as the template says. `today` is
/// `YYYY-MM-DD`; an expired suppression no longer applies and earns a note.
pub fn judge(
    resource: &TemplateResource,
    rules: &[&'static Rule],
    today: &str,
    notes: &mut Vec<String>,
) -> Vec<Finding> {
    // A rule about what only the live account can tell says nothing here.
    let rules: Vec<&'static Rule> = rules.iter().copied().filter(|r| !r.property.is_live_only()).collect();
    let mut findings = vigil_core::judge::judge(&rules, &resource.resource);
    for finding in &mut findings {
        let undecided = match (&finding.status, &resource.spliced, &resource.unproven) {
            (Status::Unknown { .. }, ..) => None,
            (_, Some(why), _) | (Status::Pass, None, Some(why)) => Some(why),
            _ => None,
        };
        if let Some(why) = undecided {
            finding.status = Status::Unknown { reason: why.clone() };
            finding.reason = Some(why.clone());
        }
        if !resource.assumed.is_empty() && !matches!(finding.status, Status::Unknown { .. }) {
            finding.message = format!(
                "{} (assuming parameter defaults: {})",
                finding.message,
                resource.assumed.join(", ")
            );
        }
        let mut location = resource.location.clone();
        let rule = finding.rule;
        location.property = resource
            .properties
            .iter()
            .find(|(name, _)| *name == rule.property.cloudformation)
            .map(|(name, pos)| PropertyLocation {
                name: (*name).to_owned(),
                line: pos.line,
                column: pos.column,
            });
        finding.resource.name = resource.location.logical_id.clone();
        finding.location = Some(location);
        for entry in resource.suppressions.iter().filter(|s| rule.answers_to(&s.rule)) {
            if entry.expires.as_deref().is_some_and(|date| date < today) {
                notes.push(format!(
                    "{}:{}: the suppression of {} on {} expired on {}",
                    resource.location.file,
                    resource.location.line,
                    rule.id,
                    resource.location.logical_id,
                    entry.expires.as_deref().unwrap_or_default()
                ));
                continue;
            }
            finding.suppressed = true;
            finding.suppression = Some(Suppression {
                reason: entry.reason.clone(),
                expires: entry.expires.clone(),
            });
        }
    }
    findings
}
