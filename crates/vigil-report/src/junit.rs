//! JUnit XML, for CI systems that show test reports: one suite per rule, one
//! case per resource; a failure fails, an unknown is an error.

use quick_junit::{NonSuccessKind, Report as JUnit, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;
use vigil_core::{Finding, Report, Status};

pub fn render_junit(report: &Report) -> String {
    // The XML is built whole (its suites carry their counts first).
    let mut by_rule: BTreeMap<&str, Vec<Finding>> = BTreeMap::new();
    for finding in report.findings.iter() {
        by_rule.entry(finding.rule.id).or_default().push(finding.into_owned());
    }
    let mut junit = JUnit::new(format!("vigil {}", report.command));
    for (rule, findings) in by_rule {
        let mut suite = TestSuite::new(rule);
        for finding in &findings {
            suite.add_test_case(case(finding));
        }
        junit.add_test_suite(suite);
    }
    junit.to_string().expect("JUnit XML serialises")
}

fn case(finding: &Finding) -> TestCase {
    let name = match &finding.location {
        Some(l) => format!("{}:{} {}", l.file, l.line, l.logical_id),
        None => finding
            .resource
            .arn
            .clone()
            .unwrap_or_else(|| finding.resource.name.clone()),
    };
    let status = match (&finding.status, finding.suppressed) {
        (_, true) => {
            let mut status = TestCaseStatus::skipped();
            if let Some(s) = &finding.suppression {
                status.set_message(format!("suppressed: {}", s.reason));
            }
            status
        }
        (Status::Pass, _) => TestCaseStatus::success(),
        (Status::Fail, _) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(finding.message.clone())
                .set_type(finding.risk.to_string());
            status
        }
        (Status::Unknown { reason }, _) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(format!("unknown: {reason}")).set_type("unknown");
            status
        }
    };
    let mut case = TestCase::new(name, status);
    case.set_classname(finding.rule.id);
    case
}
