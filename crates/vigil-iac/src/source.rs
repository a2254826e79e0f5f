//! What a template reader hands back: resources in Vigil's model, where each
//! was declared, what its suppressions say, and what it could not read.

use vigil_core::{Location, Position, Resource, RunError};

/// A resource read from a template.
#[derive(Debug)]
pub struct TemplateResource {
    pub resource: Resource,
    pub location: Location,
    /// Where each property the template sets is written, by CloudFormation name.
    pub properties: Vec<(&'static str, Position)>,
    pub suppressions: Vec<SuppressionEntry>,
    /// The smallest edit that turns network isolation on; `None` when it is on.
    pub fix: Option<Fix>,
}

/// An edit to a template's text, in byte offsets of the file as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    Replace {
        start: usize,
        end: usize,
        text: String,
    },
    Insert {
        at: usize,
        text: String,
    },
    /// No safe automatic edit; says what to change by hand.
    Manual(String),
}

/// One `vigil:suppress` entry, as written (validated in `suppress.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressionEntry {
    pub rule: String,
    pub reason: String,
    pub expires: Option<String>,
}

/// Everything one file yielded.
#[derive(Debug, Default)]
pub struct FileScan {
    pub resources: Vec<TemplateResource>,
    /// Resources a condition or `count` leaves out, said in a note.
    pub absent: Vec<String>,
    pub errors: Vec<RunError>,
}

/// What a file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateKind {
    CloudFormation,
    TerraformHcl,
    TerraformJson,
    TerraformPlan,
}
