//! Terraform's JSON syntax (`.tf.json`): `resource.aws_sagemaker_model.NAME`.
//! Only literal values are resolved here; `${…}` interpolations are unknown.

use crate::source::FileScan;
use crate::tree::{Node, Value};
use vigil_core::model::SageMakerModel;
use vigil_core::Fact;

const MANUAL: &str = "set enable_network_isolation to true in the .tf.json by hand";

pub fn is_template(root: &Node) -> bool {
    ["resource", "variable", "provider", "terraform", "module"]
        .iter()
        .any(|k| root.get(k).is_some())
}

pub fn read(file: &str, root: &Node) -> FileScan {
    let mut scan = FileScan::default();
    for (kind, resources) in root.get("resource").and_then(|r| r.as_map()).unwrap_or_default() {
        let kind = kind.as_str().unwrap_or_default();
        if !kind.starts_with("aws_sagemaker_") || kind == "aws_sagemaker_model" {
            continue;
        }
        for (name, body) in resources.as_map().unwrap_or_default() {
            let address = format!("{kind}.{}", name.as_str().unwrap_or_default());
            match super::values::resource(kind, address.clone(), Some(body), None) {
                Some((found, properties)) => scan
                    .resources
                    .push(super::read_from_values(found, file, name.pos, address, properties)),
                None => scan.unjudged.push(kind.to_owned()),
            }
        }
    }
    let Some(models) = root
        .get("resource")
        .and_then(|r| r.get("aws_sagemaker_model"))
        .and_then(|m| m.as_map())
    else {
        return scan;
    };
    for (name_node, body) in models {
        let Some(name) = name_node.as_str() else {
            continue;
        };
        let mut properties = Vec::new();
        let network_isolation = match body.entry("enable_network_isolation") {
            None => Fact::Known(false),
            Some((key, value)) => {
                properties.push(("EnableNetworkIsolation", key.pos));
                match &value.value {
                    Value::Bool(b) => Fact::Known(*b),
                    Value::Scalar { text, .. } if text.eq_ignore_ascii_case("true") => Fact::Known(true),
                    Value::Scalar { text, .. } if text.eq_ignore_ascii_case("false") => Fact::Known(false),
                    _ => Fact::Unknown(format!(
                        "enable_network_isolation is {}, which cannot be resolved before apply",
                        value.describe()
                    )),
                }
            }
        };
        let mut model = SageMakerModel::unreadable(name.to_owned(), None, "not read from .tf.json");
        model.network_isolation = network_isolation;
        model.vpc = Fact::Known(body.get("vpc_config").map(|_| vigil_core::model::VpcConfig::default()));
        scan.resources.push(super::generated(
            model,
            file,
            name_node.pos,
            format!("aws_sagemaker_model.{name}"),
            properties,
            MANUAL,
        ));
    }
    scan
}
