//! Reads CloudFormation and Terraform templates into the same resources that
//! live collectors produce, each with the file, line and column it came from.

pub mod cfn;
pub mod edit;
mod format;
mod hcl_parser;
mod judge;
pub mod keys;
pub mod kinds;
mod lines;
mod load;
pub mod neighbours;
mod nested;
pub mod networks;
pub mod roles;
pub mod source;
pub mod spill;
pub mod suppress;
pub mod tf;
pub mod tree;

pub use source::{FileScan, Fix, SuppressionEntry, TemplateResource};
pub mod scan;

pub use judge::judge;
pub use scan::{scan, ScanOptions, ScanOutput};
pub use spill::Spill;
