//! Suppressions written in templates. Each must name a known rule and give a
//! reason; one that does not is reported and suppresses nothing.

use crate::source::SuppressionEntry;
use vigil_core::{registry, Position, RunError};

/// A suppression as found, before validation.
pub struct RawSuppression {
    pub rule: Option<String>,
    pub reason: Option<String>,
    pub expires: Option<String>,
    pub pos: Position,
}

pub fn validate(file: &str, raw: Vec<RawSuppression>, errors: &mut Vec<RunError>) -> Vec<SuppressionEntry> {
    let mut valid = Vec::new();
    for entry in raw {
        let problem = match (&entry.rule, &entry.reason) {
            (None, _) => Some("a vigil suppression names no rule".to_owned()),
            (Some(rule), _) if registry::find(rule).is_none() => {
                Some(format!("a vigil suppression names '{rule}', which is not a Vigil rule"))
            }
            (Some(rule), None) => Some(format!(
                "the vigil suppression of {rule} gives no reason; a reason is required"
            )),
            (Some(_), Some(reason)) if reason.trim().is_empty() => {
                Some("a vigil suppression gives an empty reason; a reason is required".to_owned())
            }
            _ => None,
        };
        match (problem, entry.rule, entry.reason) {
            (None, Some(rule), Some(reason)) => valid.push(SuppressionEntry {
                rule,
                reason,
                expires: entry.expires,
            }),
            (problem, ..) => errors.push(RunError::in_file(
                vigil_core::report::ErrorScope::Suppression,
                file,
                Some(entry.pos),
                problem.unwrap_or_default(),
            )),
        }
    }
    valid
}
