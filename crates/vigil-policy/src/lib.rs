//! A team's own rules, written in Rego (v1): one `.rego` file is one rule
//! on one resource kind. A policy is checked whole before any AWS call
//! (`load`), then installed beside the built-in rules
//! (`vigil_core::custom`), so that `audit`, `scan` and `watch` judge it
//! alike: the properties it `reads` are read by path, live and in
//! templates, and one that could not be read makes its verdict unknown
//! without running it. `vigil policy test` runs a folder's `test_*` rules.

mod error;
mod interpreter;
mod judge;
mod kinds;
mod load;
mod metadata;
mod schema;
mod testing;

pub use error::PolicyError;
pub use interpreter::{LIMIT, MAX_RANGE};
pub use kinds::KINDS;
pub use load::{load, Policy, PARSE_LIMIT};
pub use testing::{run_tests, TestOutcome};

/// Installs loaded policies as the run's custom rules; call it before
/// anything reads the rules.
pub fn install(policies: Vec<Policy>) -> Result<(), String> {
    vigil_core::custom::install(policies.into_iter().map(Policy::into_custom).collect())
}
