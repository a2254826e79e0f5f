//! Terraform plan JSON (`terraform show -json plan.out`): the planned state of
//! every `aws_sagemaker_model`, with values Terraform already resolved.

use crate::source::FileScan;
use crate::tree::{Node, Value};
use vigil_core::model::{SageMakerModel, VpcConfig};
use vigil_core::Fact;

const MANUAL: &str = "a plan is generated: fix the Terraform configuration it came from";

pub fn is_plan(root: &Node) -> bool {
    root.get("format_version").is_some()
        && (root.get("resource_changes").is_some() || root.get("planned_values").is_some())
}

pub fn read(file: &str, root: &Node) -> FileScan {
    let Some(changes) = root.get("resource_changes").and_then(|c| c.as_seq()) else {
        return read_planned_values(file, root);
    };
    let mut scan = FileScan::default();
    for change in changes {
        let kind = change.get("type").and_then(|t| t.as_str()).unwrap_or_default();
        if kind != "aws_sagemaker_model" {
            let deleted = change
                .get("change")
                .and_then(|c| c.get("actions"))
                .and_then(|a| a.as_seq())
                .is_some_and(|a| a.len() == 1 && a[0].as_str() == Some("delete"));
            let address = change
                .get("address")
                .and_then(|a| a.as_str())
                .unwrap_or(kind)
                .to_owned();
            let (after, unknown) = (
                change.get("change").and_then(|c| c.get("after")).map(|a| a.as_ref()),
                change
                    .get("change")
                    .and_then(|c| c.get("after_unknown"))
                    .map(|u| u.as_ref()),
            );
            if deleted {
                continue;
            }
            match super::values::resource(kind, address.clone(), after, unknown) {
                Some((resource, properties)) => scan
                    .resources
                    .push(super::read_from_values(resource, file, change.pos, address, properties)),
                None if kind.starts_with("aws_sagemaker_") => scan.unjudged.push(kind.to_owned()),
                None => {}
            }
            continue;
        }
        let address = change
            .get("address")
            .and_then(|a| a.as_str())
            .unwrap_or("aws_sagemaker_model")
            .to_owned();
        let actions: Vec<&str> = change
            .get("change")
            .and_then(|c| c.get("actions"))
            .and_then(|a| a.as_seq())
            .unwrap_or_default()
            .iter()
            .filter_map(|a| a.as_str())
            .collect();
        if actions == ["delete"] {
            scan.absent
                .push(format!("{file}:{}: {address} is deleted by this plan", change.pos.line));
            continue;
        }
        let after = change.get("change").and_then(|c| c.get("after"));
        let unknown_after = change
            .get("change")
            .and_then(|c| c.get("after_unknown"))
            .and_then(|u| u.get("enable_network_isolation"))
            .is_some_and(|v| matches!(v.value, Value::Bool(true)));
        let mut properties = Vec::new();
        let network_isolation = if unknown_after {
            Fact::unknown("enable_network_isolation is known only after apply")
        } else {
            match after.and_then(|a| a.entry("enable_network_isolation")) {
                Some((key, value)) => {
                    properties.push(("EnableNetworkIsolation", key.pos));
                    match value.value {
                        Value::Bool(b) => Fact::Known(b),
                        // null: not set, and the provider's default is false.
                        _ => Fact::Known(false),
                    }
                }
                None => Fact::Known(false),
            }
        };
        let name = after
            .and_then(|a| a.get("name"))
            .and_then(|n| n.as_str())
            .unwrap_or(&address)
            .to_owned();
        let mut model = SageMakerModel::unreadable(name, None, "not read from plan JSON");
        model.network_isolation = network_isolation;
        let vpc_unknown = change
            .get("change")
            .and_then(|c| c.get("after_unknown"))
            .and_then(|u| u.get("vpc_config"))
            .is_some_and(|v| !matches!(v.value, Value::Bool(false) | Value::Null));
        model.vpc = if vpc_unknown {
            Fact::Known(Some(VpcConfig::default())) // subnets known after apply: still a VPC
        } else {
            vpc_of(after)
        };
        scan.resources
            .push(super::generated(model, file, change.pos, address, properties, MANUAL));
    }
    scan
}

/// `vpc_config` is a list of blocks in plan JSON: present and non-empty, or not.
fn vpc_of(values: Option<&std::rc::Rc<Node>>) -> Fact<Option<VpcConfig>> {
    let blocks = values
        .and_then(|v| v.get("vpc_config"))
        .and_then(|b| b.as_seq())
        .unwrap_or_default();
    Fact::Known(blocks.first().map(|block| VpcConfig {
        subnets: strings(block.get("subnets")),
        security_group_ids: strings(block.get("security_group_ids")),
    }))
}

fn strings(node: Option<&std::rc::Rc<Node>>) -> Vec<String> {
    node.and_then(|n| n.as_seq())
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

/// Plans without `resource_changes` (e.g. `terraform show -json` of a state):
/// `planned_values.root_module` and its `child_modules`, recursively.
fn read_planned_values(file: &str, root: &Node) -> FileScan {
    let mut scan = FileScan::default();
    let mut modules: Vec<&Node> = root
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
        .into_iter()
        .map(|m| m.as_ref())
        .collect();
    while let Some(module) = modules.pop() {
        modules.extend(
            module
                .get("child_modules")
                .and_then(|c| c.as_seq())
                .unwrap_or_default()
                .iter()
                .map(|m| m.as_ref()),
        );
        for resource in module.get("resources").and_then(|r| r.as_seq()).unwrap_or_default() {
            let kind = resource.get("type").and_then(|t| t.as_str()).unwrap_or_default();
            if kind != "aws_sagemaker_model" {
                let address = resource
                    .get("address")
                    .and_then(|a| a.as_str())
                    .unwrap_or(kind)
                    .to_owned();
                let values = resource.get("values").map(|v| v.as_ref());
                match super::values::resource(kind, address.clone(), values, None) {
                    Some((found, properties)) => {
                        scan.resources
                            .push(super::read_from_values(found, file, resource.pos, address, properties))
                    }
                    None if kind.starts_with("aws_sagemaker_") => scan.unjudged.push(kind.to_owned()),
                    None => {}
                }
                continue;
            }
            let address = resource
                .get("address")
                .and_then(|a| a.as_str())
                .unwrap_or("aws_sagemaker_model")
                .to_owned();
            let values = resource.get("values");
            let mut properties = Vec::new();
            let network_isolation = match values.and_then(|v| v.entry("enable_network_isolation")) {
                Some((key, value)) => {
                    properties.push(("EnableNetworkIsolation", key.pos));
                    Fact::Known(matches!(value.value, Value::Bool(true)))
                }
                None => Fact::Known(false),
            };
            let name = values
                .and_then(|v| v.get("name"))
                .and_then(|n| n.as_str())
                .unwrap_or(&address)
                .to_owned();
            let mut model = SageMakerModel::unreadable(name, None, "not read from plan JSON");
            model.network_isolation = network_isolation;
            model.vpc = vpc_of(values);
            scan.resources
                .push(super::generated(model, file, resource.pos, address, properties, MANUAL));
        }
    }
    scan
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::Resource;

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
