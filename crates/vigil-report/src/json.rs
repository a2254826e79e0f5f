//! The JSON report: the serialised `Report`, whose shape README.md documents.

use vigil_core::Report;

pub fn render_json(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).expect("a report always serialises");
    out.push('\n');
    out
}
