//! A policy refused at load: where (file, line, column) and why, in one line.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl PolicyError {
    pub fn at(file: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        PolicyError {
            file: file.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }

    /// The error at the first line of `source` that starts with `prefix`
    /// (`package`, `metadata`), else at its top.
    pub fn near(file: &Path, source: &str, prefix: &str, message: impl Into<String>) -> Self {
        let line = source
            .lines()
            .position(|line| line.trim_start().starts_with(prefix))
            .map_or(1, |i| i + 1);
        Self::at(file, line, 1, message)
    }

    /// The interpreter's own report (several lines, `--> file:line:col`,
    /// then `error: …`) as one line.
    pub fn from_interpreter(file: &Path, report: &str) -> Self {
        let place = report
            .lines()
            .find_map(|line| line.trim().strip_prefix("--> "))
            .and_then(|place| {
                let mut parts = place.rsplitn(3, ':');
                let column = parts.next()?.parse().ok()?;
                let line = parts.next()?.parse().ok()?;
                Some((line, column))
            });
        let message = report
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .unwrap_or(report)
            .trim();
        let message = message.strip_prefix("error: ").unwrap_or(message);
        let (line, column) = place.unwrap_or((1, 1));
        Self::at(file, line, column, message)
    }
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl std::error::Error for PolicyError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interpreters_report_is_one_line_with_its_place() {
        let report = "\n--> p.rego:4:7\n  |\n4 | deny contains if {\n  |       ^\nerror: expecting expression";
        let err = PolicyError::from_interpreter(Path::new("policies/p.rego"), report);
        assert_eq!(err.to_string(), "policies/p.rego:4:7: expecting expression");
        let err = PolicyError::near(Path::new("p.rego"), "package x\n\n metadata := {}", "metadata", "no id");
        assert_eq!(err.to_string(), "p.rego:3:1: no id");
    }
}
