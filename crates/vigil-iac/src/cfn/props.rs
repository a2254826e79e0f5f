//! A CloudFormation resource's `Properties` as the kind tables read them:
//! paths in CloudFormation's spelling, values resolved through the
//! template's parameters, conditions and intrinsics.

use super::resolve::Context;
use crate::kinds::{CfnType, Items, Props, Raw};
use crate::tree::{Node, Value};
use std::borrow::Cow;
use vigil_core::{Position, Property};

pub(super) struct CfnProps<'a> {
    pub ctx: &'a Context<'a>,
    /// The object the kind's paths start from (`Properties`, or an object
    /// below it); `None` when the declaration has none.
    pub root: Option<&'a Node>,
    /// How the declared type spells paths; `None` inside a list element,
    /// whose paths are the element's own.
    pub cfn_type: Option<&'static CfnType>,
}

impl CfnProps<'_> {
    /// The key and value at a dotted path.
    fn entry(&self, property: &Property) -> Option<(&Node, &Node)> {
        let path = self.spelled(property);
        let (parents, leaf) = match path.rsplit_once('.') {
            Some((parents, leaf)) => (Some(parents), leaf),
            None => (None, path.as_ref()),
        };
        let mut node = self.root?;
        for step in parents.into_iter().flat_map(|p| p.split('.')) {
            node = node.get(step)?;
        }
        node.entry(leaf).map(|(k, v)| (k.as_ref(), v.as_ref()))
    }
}

/// `{Ref: …}`, `{Fn::…: …}`: a value decided by the template, not an object.
pub(super) fn is_intrinsic(node: &Node) -> bool {
    node.as_map()
        .is_some_and(|m| m.len() == 1 && m[0].0.as_str().is_some_and(|k| k == "Ref" || k.starts_with("Fn::")))
}

impl Props for CfnProps<'_> {
    fn items(&self, property: &Property) -> Items<'_> {
        let path = self.spelled(property);
        let Some((_, node)) = self.entry(property) else {
            return Items::Unset;
        };
        let unresolved = |what: &Node| {
            Items::Unresolved(format!(
                "{path} is {}, a list Vigil does not resolve before deployment",
                what.describe()
            ))
        };
        match &node.value {
            Value::Seq(items) => match items.iter().find(|item| is_intrinsic(item)) {
                Some(item) => unresolved(item),
                None => Items::Each(
                    items
                        .iter()
                        .map(|item| {
                            Box::new(CfnProps {
                                ctx: self.ctx,
                                root: Some(item.as_ref()),
                                cfn_type: None,
                            }) as Box<dyn Props>
                        })
                        .collect(),
                ),
            },
            Value::Null => Items::Unset,
            _ => unresolved(node),
        }
    }

    fn value(&self, property: &Property) -> Raw {
        let Some((_, node)) = self.entry(property) else {
            return Raw::Unset;
        };
        if matches!(node.value, Value::Map(_) | Value::Seq(_)) && !is_intrinsic(node) {
            return Raw::Block;
        }
        match self.ctx.string(&self.spelled(property), node) {
            Ok(None) => Raw::Unset,
            Ok(Some(text)) => match node.value {
                Value::Bool(b) => Raw::Bool(b),
                _ => Raw::Text(text),
            },
            Err(why) => Raw::Unresolved {
                written: node.as_str().map_or_else(|| node.describe(), str::to_owned),
                why,
            },
        }
    }

    fn json(&self, property: &Property) -> Result<Option<serde_json::Value>, String> {
        match self.entry(property) {
            None => Ok(None),
            Some((_, node)) => self.ctx.json(&self.spelled(property), node),
        }
    }

    fn tag_keys(&self, property: &Property) -> Result<Option<Vec<String>>, String> {
        let path = self.spelled(property);
        let Some((_, node)) = self.entry(property) else {
            return Ok(None);
        };
        let unresolved = |what: &Node| {
            format!(
                "{path} is {}, tags Vigil does not resolve before deployment",
                what.describe()
            )
        };
        if is_intrinsic(node) {
            return Err(unresolved(node));
        }
        match &node.value {
            Value::Null => Ok(None),
            Value::Map(entries) => Ok(Some(
                entries
                    .iter()
                    .filter_map(|(k, _)| k.as_str().map(str::to_owned))
                    .collect(),
            )),
            Value::Seq(items) => {
                let mut keys = Vec::new();
                for item in items {
                    let key = item.get("Key").ok_or_else(|| unresolved(item))?;
                    keys.extend(self.ctx.string(&path, key)?);
                }
                Ok(Some(keys))
            }
            _ => Err(format!("{path} is not a list of tags")),
        }
    }

    fn strings(&self, property: &Property) -> Result<Option<Vec<String>>, String> {
        let path = self.spelled(property);
        let Some((_, node)) = self.entry(property) else {
            return Ok(None);
        };
        match &node.value {
            Value::Null => Ok(None),
            Value::Seq(items) if !is_intrinsic(node) => {
                let mut strings = Vec::new();
                for item in items {
                    strings.extend(self.ctx.string(&path, item)?);
                }
                Ok(Some(strings))
            }
            _ if is_intrinsic(node) => Err(format!(
                "{path} is {}, a list Vigil does not resolve before deployment",
                node.describe()
            )),
            _ => Err(format!("{path} is not a list")),
        }
    }

    fn position(&self, property: &Property) -> Option<Position> {
        self.entry(property).map(|(key, _)| key.pos)
    }

    fn reference(&self, property: &Property) -> Option<String> {
        let (_, node) = self.entry(property)?;
        if let Some(id) = node.get("Ref").and_then(|r| r.as_str()) {
            return Some(id.to_owned());
        }
        let target = node.get("Fn::GetAtt")?;
        // `[Role, Arn]`, or `Role.Arn` as JSON templates may write it.
        if let Some(dotted) = target.as_str() {
            return dotted.strip_suffix(".Arn").map(str::to_owned);
        }
        match target.as_seq()? {
            [resource, attribute] if attribute.as_str() == Some("Arn") => resource.as_str().map(str::to_owned),
            _ => None,
        }
    }

    fn spelled(&self, property: &Property) -> Cow<'static, str> {
        match self.cfn_type {
            Some(cfn_type) => cfn_type.spell(property.cloudformation),
            None => property.cloudformation.into(),
        }
    }
}
