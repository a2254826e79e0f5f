//! Terraform plan JSON (`terraform show -json plan.out`): the planned state of
//! every resource a kind table maps, with values Terraform already resolved.

use crate::kinds;
use crate::source::FileScan;
use crate::tree::Node;

const MANUAL: &str = "a plan is generated: fix the Terraform configuration it came from";

pub fn is_plan(root: &Node) -> bool {
    root.get("format_version").is_some()
        && (root.get("resource_changes").is_some() || root.get("planned_values").is_some())
}

pub fn read(file: &str, root: &Node) -> FileScan {
    // No change listed: what the plan holds, if anything, is in
    // planned_values (a plan file written by hand or by another tool).
    let Some(changes) = root
        .get("resource_changes")
        .and_then(|c| c.as_seq())
        .filter(|c| !c.is_empty())
    else {
        return read_planned_values(file, root);
    };
    let mut scan = FileScan::default();
    // What each resource becomes, for the roles a judged resource names.
    let planned: Vec<(&str, String, &Node)> = changes
        .iter()
        .filter_map(|change| {
            let kind = change.get("type")?.as_str()?;
            let address = change.get("address")?.as_str()?.to_owned();
            Some((kind, address, change.get("change")?.get("after")?.as_ref()))
        })
        .collect();
    let neighbours = crate::neighbours::Neighbours {
        roles: super::roles::from_json(&planned, &[]),
        networks: super::networks::from_json(&planned),
        keys: super::keys::from_json(&planned),
    };
    for change in changes {
        let kind = change.get("type").and_then(|t| t.as_str()).unwrap_or_default();
        let address = change
            .get("address")
            .and_then(|a| a.as_str())
            .unwrap_or(kind)
            .to_owned();
        let planned = change.get("change");
        let actions: Vec<&str> = planned
            .and_then(|c| c.get("actions"))
            .and_then(|a| a.as_seq())
            .unwrap_or_default()
            .iter()
            .filter_map(|a| a.as_str())
            .collect();
        if actions == ["delete"] {
            if kinds::terraform(kind).is_some() {
                scan.absent
                    .push(format!("{file}:{}: {address} is deleted by this plan", change.pos.line));
            }
            continue;
        }
        let after = planned.and_then(|c| c.get("after")).map(|a| a.as_ref());
        let unknown = planned.and_then(|c| c.get("after_unknown")).map(|u| u.as_ref());
        super::read_values(
            kind,
            address,
            (after, unknown),
            (file, change.pos),
            MANUAL,
            &neighbours,
            &mut scan,
        );
    }
    scan
}

/// Plans without `resource_changes` (e.g. `terraform show -json` of a state):
/// `planned_values.root_module` and its `child_modules`, recursively.
fn read_planned_values(file: &str, root: &Node) -> FileScan {
    let mut scan = FileScan::default();
    let neighbours = crate::neighbours::Neighbours::default();
    let mut modules: Vec<&Node> = root
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
        .into_iter()
        .map(|m| m.as_ref())
        .collect();
    while let Some(module) = modules.pop() {
        let children = module.get("child_modules").and_then(|c| c.as_seq()).unwrap_or_default();
        modules.extend(children.iter().map(|m| m.as_ref()));
        for resource in module.get("resources").and_then(|r| r.as_seq()).unwrap_or_default() {
            let kind = resource.get("type").and_then(|t| t.as_str()).unwrap_or_default();
            let address = resource
                .get("address")
                .and_then(|a| a.as_str())
                .unwrap_or(kind)
                .to_owned();
            let values = resource.get("values").map(|v| v.as_ref());
            super::read_values(
                kind,
                address,
                (values, None),
                (file, resource.pos),
                MANUAL,
                &neighbours,
                &mut scan,
            );
        }
    }
    scan
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::{Fact, Resource};

    #[test]
    fn planned_values_are_read_when_there_are_no_changes() {
        let text = r#"{"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [{"resources": [
            {"address": "module.a.aws_sagemaker_model.m", "type": "aws_sagemaker_model", "values": {"name": "m", "enable_network_isolation": true}},
            {"address": "module.a.aws_sagemaker_model.n", "type": "aws_sagemaker_model", "values": {"name": "n"}}
        ]}]}}}"#;
        let root = crate::tree::parse(text).unwrap();
        assert!(is_plan(&root));
        let scan = read("plan.json", &root);
        let verdicts: Vec<_> = scan
            .resources
            .iter()
            .map(|r| match &r.resource {
                Resource::SageMakerModel(m) => (r.location.logical_id.clone(), m.network_isolation.clone()),
                other => panic!("a plan of models read as {other:?}"),
            })
            .collect();
        assert_eq!(
            verdicts,
            [
                ("module.a.aws_sagemaker_model.m".to_owned(), Fact::Known(true)),
                ("module.a.aws_sagemaker_model.n".to_owned(), Fact::Known(false)),
            ]
        );
    }
}
