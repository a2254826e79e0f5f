//! What the text reports say of a run's history in the findings store: which
//! failures are new, and what was resolved since the findings were last seen.

use crate::text::paint;
use crate::TextOptions;
use owo_colors::Style;
use std::fmt::Write;
use vigil_core::{Finding, Report};

/// ` (new)` after a failure that was not open before this run.
pub(crate) fn new_mark(finding: &Finding, options: TextOptions) -> String {
    match &finding.history {
        Some(h) if h.new => format!(" {}", paint("(new)", Style::new().bold(), options)),
        _ => String::new(),
    }
}

/// The findings this run resolved: fixed, or gone with their resource.
pub(crate) fn resolved(out: &mut String, report: &Report, options: TextOptions) {
    let Some(recorded) = report.recorded.as_ref().filter(|r| !r.resolved.is_empty()) else {
        return;
    };
    let title = match recorded.resolved_total {
        total if total > recorded.resolved.len() => format!(
            "RESOLVED SINCE LAST SEEN ({total}; the first {} listed, `vigil findings --state resolved` lists all)",
            recorded.resolved.len()
        ),
        total => format!("RESOLVED SINCE LAST SEEN ({total})"),
    };
    let _ = writeln!(out, "\n{}", paint(&title, Style::new().green().bold(), options));
    for resolved in &recorded.resolved {
        let r = &resolved.resource;
        let place = r.file.as_deref().or(r.region.as_deref()).unwrap_or("-");
        let _ = writeln!(
            out,
            "  {}  {place}  {}: {} (open since {})",
            r.name,
            resolved.rule,
            resolved.resolution,
            resolved.first_seen.get(..10).unwrap_or(&resolved.first_seen)
        );
    }
}
