//! Judging, in one place for both sources: the live audit judges collected
//! resources here, and the template scan judges each declared resource here
//! before placing its findings in the file.

use crate::finding::Finding;
use crate::model::Resource;
use crate::rule::Rule;

/// Every finding the chosen rules that apply to `resource` make of it.
pub fn judge(rules: &[&'static Rule], resource: &Resource) -> Vec<Finding> {
    rules
        .iter()
        .filter(|rule| rule.resource_kind == resource.kind())
        .filter_map(|rule| rule.evaluate(resource))
        .collect()
}

/// Every finding on every resource, in report order: by account, region,
/// resource name, then rule.
pub fn judge_all(rules: &[&'static Rule], resources: &[Resource]) -> Vec<Finding> {
    let mut findings: Vec<Finding> = resources.iter().flat_map(|r| judge(rules, r)).collect();
    let key = |f: &Finding| {
        let r = &f.resource;
        (r.account.clone(), r.region.clone(), r.name.clone(), f.rule.id)
    };
    findings.sort_by_key(key);
    findings
}
