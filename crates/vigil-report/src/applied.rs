//! What `vigil remediate --apply` did, for people: per unit, whether it was
//! applied or rolled back and why, the changes that stand, and where the
//! journal is.

use std::fmt::Write;
use vigil_core::remediation::{Applied, UnitStatus};

pub fn render_applied_text(applied: &Applied) -> String {
    let applied = &crate::safe::applied(applied);
    let count = |status: UnitStatus| applied.units.iter().filter(|u| u.status == status).count();
    let mut out = format!(
        "Remediation run {}: {} applied, {} rolled back, {} need attention\njournal: {}\n",
        applied.run,
        count(UnitStatus::Applied),
        count(UnitStatus::RolledBack),
        count(UnitStatus::RollbackFailed),
        applied.journal
    );
    if applied.units.is_empty() {
        out.push_str("\nNothing to do: every planned change had been made.\n");
    }
    for unit in &applied.units {
        let status = match unit.status {
            UnitStatus::Applied => "APPLIED",
            UnitStatus::RolledBack => "ROLLED BACK",
            UnitStatus::RollbackFailed => "NEEDS ATTENTION",
        };
        let _ = writeln!(out, "\n{status}  {}", unit.unit);
        for (old, new) in &unit.models {
            let _ = writeln!(out, "    model {old} -> {new}");
        }
        if let Some(error) = &unit.error {
            let _ = writeln!(out, "    why: {error}");
        }
        let label = match unit.status {
            UnitStatus::RollbackFailed => "still in place",
            _ => "done",
        };
        for step in &unit.steps {
            let _ = writeln!(out, "    {label}: {}", crate::safe(&step.to_string()));
        }
        for note in &unit.notes {
            let _ = writeln!(out, "    note: {note}");
        }
    }
    if count(UnitStatus::RollbackFailed) > 0 {
        out.push_str("\nRun `vigil remediate --resume` to finish undoing what is still in place.\n");
    }
    if !applied.errors.is_empty() {
        out.push_str("\nERRORS\n");
        for error in &applied.errors {
            let _ = writeln!(
                out,
                "  {}: {}",
                error.region.as_deref().unwrap_or(error.scope.as_str()),
                error.message
            );
        }
    }
    out
}
