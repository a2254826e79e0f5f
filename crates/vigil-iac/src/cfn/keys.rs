//! The KMS keys a CloudFormation template declares (`AWS::KMS::Key`,
//! `AWS::KMS::ReplicaKey`) and the `AWS::KMS::Alias` resources that name
//! them (`!Ref Key`, `!GetAtt Key.Arn`, or the key's literal id).

use super::for_each::Entry;
use super::resolve::Context;
use crate::keys::{Alias, Keys};
use crate::tree::Node;

pub(super) fn declared(ctx: &Context, resources: &[Entry]) -> Keys {
    let of_type = |types: &'static [&'static str]| {
        resources.iter().filter_map(move |entry| {
            let id = entry.id.as_str()?;
            let type_name = entry.decl.get("Type").and_then(|t| t.as_str())?;
            types
                .contains(&type_name)
                .then(|| (id, entry.decl.get("Properties").map(|p| p.as_ref())))
        })
    };
    let keys = of_type(&["AWS::KMS::Key", "AWS::KMS::ReplicaKey"]).map(|(id, _)| id.to_owned());
    let aliases = of_type(&["AWS::KMS::Alias"])
        .map(|(id, props)| Alias {
            key: id.to_owned(),
            name: props
                .and_then(|p| p.get("AliasName"))
                .and_then(|n| ctx.string("AliasName", n).ok().flatten()),
            target: props.and_then(|p| p.get("TargetKeyId")).and_then(|t| target(ctx, t)),
        })
        .collect();
    Keys::new(keys.collect::<Vec<_>>(), aliases)
}

/// The declaration an alias's `TargetKeyId` refers to, or its literal value.
fn target(ctx: &Context, node: &Node) -> Option<String> {
    if let Some(id) = node.get("Ref").and_then(|r| r.as_str()) {
        return Some(id.to_owned());
    }
    if let Some(target) = node.get("Fn::GetAtt") {
        let resource = match (target.as_str(), target.as_seq()) {
            (Some(dotted), _) => dotted.split('.').next(),
            (None, Some([resource, _])) => resource.as_str(),
            _ => None,
        };
        return resource.map(str::to_owned);
    }
    ctx.string("TargetKeyId", node).ok().flatten()
}
