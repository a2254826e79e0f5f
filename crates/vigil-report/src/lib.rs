//! Renders one `Report` in the formats people and tools read (text, JSON,
//! SARIF, JUnit XML). Every format is
//! computed from the same findings, so they never disagree.

mod applied;
pub mod asff;
mod csv;
mod history;
pub mod html;
mod json;
mod junit;
pub mod ocsf;
mod plan;
mod safe;
mod sarif;
mod text;
mod text_scan;

pub use applied::render_applied_text;
pub use asff::write_asff;
pub use csv::{cell as csv_cell, write_csv, COLUMNS as CSV_COLUMNS};
pub use html::render_html;
pub use json::{render_json, write_json};
pub use junit::render_junit;
pub use ocsf::write_ocsf;
pub use plan::render_plan_text;
pub use safe::safe;
pub use sarif::write_sarif;
pub use text::render_text;
pub use text_scan::{write_scan_text, Source};

/// Options that change how text reads, not what it says.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    pub color: bool,
    /// Also list passing resources and API call counts.
    pub verbose: bool,
}
