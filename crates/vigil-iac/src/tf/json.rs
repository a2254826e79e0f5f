//! Terraform's JSON syntax (`.tf.json`): `resource.TYPE.NAME`, each read
//! through its kind table. Only literal values are resolved here; `${…}`
//! interpolations are unknown.

use crate::source::FileScan;
use crate::tree::Node;

const MANUAL: &str = "set it in the .tf.json by hand";

pub fn is_template(root: &Node) -> bool {
    ["resource", "variable", "provider", "terraform", "module"]
        .iter()
        .any(|k| root.get(k).is_some())
}

pub fn read(file: &str, root: &Node) -> FileScan {
    let mut scan = FileScan::default();
    for (kind, resources) in root.get("resource").and_then(|r| r.as_map()).unwrap_or_default() {
        let kind = kind.as_str().unwrap_or_default();
        for (name, body) in resources.as_map().unwrap_or_default() {
            let address = format!("{kind}.{}", name.as_str().unwrap_or_default());
            super::read_values(kind, address, (Some(body), None), (file, name.pos), MANUAL, &mut scan);
        }
    }
    scan
}
