//! Renders one `Report` in the formats people and tools read. Every format is
//! computed from the same findings, so they never disagree.

mod json;
mod text;

pub use json::render_json;
pub use text::render_text;

/// Output formats of `vigil audit --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Options that change how text reads, not what it says.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    pub color: bool,
    /// Also list passing resources and API call counts.
    pub verbose: bool,
}
