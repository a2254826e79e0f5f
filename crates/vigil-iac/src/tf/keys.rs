//! The KMS keys a Terraform module (HCL, `.tf.json`) or plan declares
//! (`aws_kms_key`, `aws_kms_replica_key`) and the `aws_kms_alias` resources
//! that name them (`target_key_id = aws_kms_key.k.key_id`).

use super::resolve::ModuleValues;
use super::roles::{reference_key, Hcl, Named};
use super::HclFile;
use crate::keys::{Alias, Keys};
use crate::tree::Node;

const KEY_TYPES: &[&str] = &["aws_kms_key", "aws_kms_replica_key"];

pub(super) fn from_hcl(files: &[&HclFile], values: &ModuleValues) -> Keys {
    let mut keys = Vec::new();
    let mut aliases = Vec::new();
    for file in files {
        let hcl = Hcl {
            values,
            text: &file.text,
        };
        let named = |block, attribute| match hcl.named(block, attribute) {
            Named::Key(key) | Named::Literal(key) => Some(key),
            Named::Unreadable(_) => None,
        };
        for block in file.body.get_blocks("resource") {
            let (Some(kind), Some(name)) = (block.labels.first(), block.labels.get(1)) else {
                continue;
            };
            let (kind, address) = (
                super::label(kind),
                format!("{}.{}", super::label(kind), super::label(name)),
            );
            match kind {
                kind if KEY_TYPES.contains(&kind) => keys.push(address),
                "aws_kms_alias" => aliases.push(Alias {
                    key: address,
                    name: named(block, "name"),
                    target: named(block, "target_key_id"),
                }),
                _ => {}
            }
        }
    }
    Keys::new(keys, aliases)
}

/// `.tf.json` (references written `${aws_kms_key.k.key_id}`) or a plan.
pub(super) fn from_json(resources: &[(&str, String, &Node)]) -> Keys {
    let named = |body: &Node, name: &str| -> Option<String> {
        let text = body.get(name)?.as_str()?;
        match text.starts_with("${") {
            true => reference_key(text),
            false => Some(text.to_owned()),
        }
    };
    let keys = resources
        .iter()
        .filter(|(kind, ..)| KEY_TYPES.contains(kind))
        .map(|(_, address, _)| address.clone());
    let aliases = resources
        .iter()
        .filter(|(kind, ..)| *kind == "aws_kms_alias")
        .map(|(_, address, body)| Alias {
            key: address.clone(),
            name: named(body, "name"),
            target: named(body, "target_key_id"),
        })
        .collect();
    Keys::new(keys.collect::<Vec<_>>(), aliases)
}
