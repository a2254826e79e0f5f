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
    let declared = |block: &str| {
        let mut found = Vec::new();
        for (kind, entries) in root.get(block).and_then(|r| r.as_map()).unwrap_or_default() {
            let kind = kind.as_str().unwrap_or_default();
            for (name, body) in entries.as_map().unwrap_or_default() {
                found.push((kind, name.clone(), body.clone()));
            }
        }
        found
    };
    let resources = declared("resource");
    let keyed: Vec<(&str, String, &Node)> = resources
        .iter()
        .map(|(kind, name, body)| {
            (
                *kind,
                format!("{kind}.{}", name.as_str().unwrap_or_default()),
                body.as_ref(),
            )
        })
        .collect();
    let data = declared("data");
    let data: Vec<(String, &Node)> = data
        .iter()
        .map(|(kind, name, body)| {
            (
                format!("data.{kind}.{}", name.as_str().unwrap_or_default()),
                body.as_ref(),
            )
        })
        .collect();
    let neighbours = crate::neighbours::Neighbours {
        roles: super::roles::from_json(&keyed, &data),
        networks: super::networks::from_json(&keyed),
        keys: super::keys::from_json(&keyed),
    };
    for (kind, name, body) in &resources {
        let address = format!("{kind}.{}", name.as_str().unwrap_or_default());
        super::read_values(
            kind,
            address,
            (Some(body), None),
            (file, name.pos),
            MANUAL,
            &neighbours,
            &mut scan,
        );
    }
    scan
}
