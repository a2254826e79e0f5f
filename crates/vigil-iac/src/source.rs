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
    /// Per CloudFormation property a rule reads, the smallest edit that makes
    /// it compliant (or why none can be made); nothing for compliant ones.
    pub fixes: Vec<(&'static str, Fix)>,
    /// Why a pass here would prove nothing (a macro Vigil cannot see
    /// rewrites the template before it deploys): a pass becomes unknown.
    pub unproven: Option<String>,
    /// Why no verdict here holds (a snippet spliced into the resource's
    /// properties at deployment, `AWS::Include`, may set what a rule
    /// reads): a pass or a fail becomes unknown.
    pub spliced: Option<String>,
    /// Parameter defaults the values were decided with (`Stage=dev`): a
    /// verdict that holds only if the stack deploys with them says so.
    pub assumed: Vec<String>,
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

/// What `--fix` says of a missing `VpcConfig`: the subnets are the user's choice.
pub const VPC_FIX: &str = "add a VpcConfig with your private subnets and security groups";

/// An `AWS::CloudFormation::Stack`: the child template it deploys and the
/// parameters it passes (each resolved in the parent, or why it is not).
#[derive(Debug, Clone)]
pub struct NestedStack {
    pub parent_file: String,
    /// The stack's logical id, and those of the stacks around it (`A/B`).
    pub logical_id: String,
    pub template_url: String,
    pub parameters: Vec<(String, Result<String, String>)>,
    pub pos: Position,
}

/// Everything one file yielded.
#[derive(Debug, Default)]
pub struct FileScan {
    pub resources: Vec<TemplateResource>,
    /// Resources a condition or `count` leaves out, said in a note.
    pub absent: Vec<String>,
    pub errors: Vec<RunError>,
    /// Nested stacks, to read with the parameters they are given.
    pub nested: Vec<NestedStack>,
    /// The type of each SageMaker resource this reader does not map (so no
    /// rule can judge it): counted in the report, never dropped unsaid.
    pub unjudged: Vec<String>,
}
