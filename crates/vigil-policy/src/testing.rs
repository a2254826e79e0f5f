//! `vigil policy test`: every `test_*` rule of the `*_test.rego` files
//! beside the policies, evaluated as `opa test` does (a test passes when
//! it is true), each policy file with the test files loaded together.

use crate::error::PolicyError;
use crate::load::{files, interpreter_for, one_line, package_of, read, within_deadline};
use std::path::PathBuf;

/// One test's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestOutcome {
    /// `data.<package>.test_<name>`.
    pub test: String,
    /// `None` when it passed; else why not (false, undefined, an error).
    pub failure: Option<String>,
}

/// Runs the tests under `paths`. A file that does not parse is an error;
/// a test that fails is an outcome.
pub fn run_tests(paths: &[PathBuf]) -> Result<Vec<TestOutcome>, PolicyError> {
    let all = files(paths, true)?;
    let mut sources = Vec::with_capacity(all.len());
    for file in &all {
        sources.push((file.display().to_string(), read(file)?));
    }
    // Parsed once on a thread of its own, to give up on a file that would
    // take for ever, then for the tests.
    let first = all.first().cloned().unwrap_or_default();
    let checked = sources.clone();
    within_deadline(&first, move || interpreter_for(&checked).map(drop))?;
    let mut engine = interpreter_for(&sources)?;
    let mut tests = Vec::new();
    // The test files, as read above.
    for (_, source) in sources.iter().filter(|(file, _)| file.ends_with("_test.rego")) {
        let Some(package) = package_of(source) else {
            continue;
        };
        let mut names: Vec<String> = source
            .lines()
            .filter_map(|line| {
                let name: String = line
                    .trim_start()
                    .strip_prefix("test_")?
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                Some(format!("test_{name}"))
            })
            .collect();
        names.dedup();
        for name in names {
            let test = format!("data.{package}.{name}");
            engine.set_input(regorus::Value::new_object());
            let failure = match engine.eval_rule(test.clone()) {
                Ok(regorus::Value::Bool(true)) => None,
                Ok(regorus::Value::Undefined) => Some("undefined".to_owned()),
                Ok(other) => Some(format!("gave {}", other.to_json_str().unwrap_or_default())),
                Err(e) => Some(one_line(&e.to_string())),
            };
            tests.push(TestOutcome { test, failure });
        }
    }
    Ok(tests)
}
