//! A resource in Terraform's JSON forms as the kind tables read it: plan
//! JSON (an `after` or `values` object, with `after_unknown`) and `.tf.json`
//! (literal values; `${…}` interpolations are unknown). Nested blocks are
//! lists of one object there, or an object.

use crate::kinds::{whole, Items, Props, Raw};
use crate::tree::{Node, Value};
use vigil_core::{Position, Property};

pub(super) struct JsonProps<'a> {
    pub values: Option<&'a Node>,
    /// Plan JSON's `after_unknown`: what is known only after apply.
    pub unknown: Option<&'a Node>,
}

/// A step into an object: its value, or the first object of a block list.
fn step<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    let value = node.get(key)?;
    match value.as_seq() {
        Some(items) => items.first().map(|n| n.as_ref()),
        None => Some(value),
    }
}

impl JsonProps<'_> {
    /// The key and value at a dotted path, whether Terraform marks it (or
    /// an object on the way) as known only after apply, and what
    /// `after_unknown` holds there (a list's says it element by element).
    fn entry(&self, path: &str) -> (Option<(&Node, &Node)>, bool, Option<&Node>) {
        let (parents, leaf) = match path.rsplit_once('.') {
            Some((parents, leaf)) => (Some(parents), leaf),
            None => (None, path),
        };
        let (mut values, mut unknown) = (self.values, self.unknown);
        for key in parents.into_iter().flat_map(|p| p.split('.')) {
            if unknown
                .and_then(|u| u.get(key))
                .is_some_and(|u| matches!(u.value, Value::Bool(true)))
            {
                return (None, true, None);
            }
            values = values.and_then(|v| step(v, key));
            unknown = unknown.and_then(|u| step(u, key));
        }
        let unknown = unknown.and_then(|u| u.get(leaf)).map(|u| u.as_ref());
        let later = unknown.is_some_and(|u| matches!(u.value, Value::Bool(true)));
        let found = values
            .and_then(|v| v.entry(leaf))
            .map(|(k, v)| (k.as_ref(), v.as_ref()));
        (found, later, unknown)
    }
}

/// A value of Terraform's JSON whole, named as CloudFormation does (a
/// list of objects is blocks: one is an object); what `after_unknown` marks
/// or an interpolation is unknown.
fn node_json(
    path: &str,
    node: &Node,
    unknown: Option<&Node>,
    keep_keys: bool,
) -> Result<Option<serde_json::Value>, String> {
    if unknown.is_some_and(|u| matches!(u.value, Value::Bool(true))) {
        return Err(format!("{path} is known only after apply"));
    }
    match &node.value {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some((*b).into())),
        Value::Scalar { text, .. } if text.contains("${") => {
            Err(format!("{path} is \"{text}\", which cannot be resolved before apply"))
        }
        Value::Scalar { text, quoted } => Ok(Some(whole::scalar(text, *quoted))),
        Value::Seq(items) => {
            let mut list = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let unknown = unknown.and_then(|u| u.as_seq()?.get(i)).map(|n| n.as_ref());
                list.extend(node_json(path, item, unknown, keep_keys)?);
            }
            match list.iter().all(serde_json::Value::is_object) && !list.is_empty() {
                true => Ok(Some(whole::blocks(list))),
                false => Ok(Some(list.into())),
            }
        }
        Value::Map(entries) => {
            let mut object = serde_json::Map::with_capacity(entries.len());
            for (key, value) in entries {
                let Some(key) = key.as_str() else { continue };
                let unknown = unknown.and_then(|u| u.get(key)).map(|n| n.as_ref());
                let inner = format!("{path}.{key}");
                if let Some(json) = node_json(&inner, value, unknown, whole::keeps_keys(key))? {
                    let name = if keep_keys { key.to_owned() } else { whole::pascal(key) };
                    object.insert(name, json);
                }
            }
            Ok(Some(object.into()))
        }
    }
}

impl Props for JsonProps<'_> {
    fn items(&self, property: &Property) -> Items<'_> {
        let path = property.terraform;
        let (found, later, unknown) = self.entry(path);
        if later {
            return Items::Unresolved(format!("{path} is known only after apply"));
        }
        let Some((_, value)) = found else {
            return Items::Unset;
        };
        let unknown_of = |i: usize| unknown?.as_seq()?.get(i).map(|n| n.as_ref());
        match &value.value {
            Value::Null => Items::Unset,
            Value::Seq(items) => Items::Each(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        Box::new(JsonProps {
                            values: Some(item.as_ref()),
                            unknown: unknown_of(i),
                        }) as Box<dyn Props>
                    })
                    .collect(),
            ),
            // `.tf.json` may write a single block as an object.
            Value::Map(_) => Items::Each(vec![Box::new(JsonProps {
                values: Some(value),
                unknown: None,
            })]),
            Value::Scalar { text, .. } => {
                Items::Unresolved(format!("{path} is \"{text}\", which cannot be resolved before apply"))
            }
            Value::Bool(_) => Items::Unresolved(format!("{path} is not a list")),
        }
    }

    fn value(&self, property: &Property) -> Raw {
        let path = property.terraform;
        match self.entry(path) {
            (_, true, _) => Raw::Unresolved {
                written: "(known after apply)".into(),
                why: format!("{path} is known only after apply"),
            },
            (None, false, _) => Raw::Unset,
            (Some((_, value)), false, _) => match &value.value {
                Value::Null => Raw::Unset,
                Value::Bool(b) => Raw::Bool(*b),
                Value::Scalar { text, .. } if text.contains("${") => Raw::Unresolved {
                    written: text.clone(),
                    why: format!("{path} is \"{text}\", which cannot be resolved before apply"),
                },
                Value::Scalar { text, .. } => Raw::Text(text.clone()),
                Value::Seq(items) if items.is_empty() => Raw::Unset,
                Value::Seq(_) | Value::Map(_) => Raw::Block,
            },
        }
    }

    fn json(&self, property: &Property) -> Result<Option<serde_json::Value>, String> {
        let path = property.terraform;
        match self.entry(path) {
            (_, true, _) => Err(format!("{path} is known only after apply")),
            (None, false, _) => Ok(None),
            (Some((_, value)), false, unknown) => {
                let name = path.rsplit('.').next().unwrap_or(path);
                node_json(path, value, unknown, whole::keeps_keys(name))
            }
        }
    }

    fn tag_keys(&self, property: &Property) -> Result<Option<Vec<String>>, String> {
        let path = property.terraform;
        match self.entry(path) {
            (_, true, _) => Err(format!("{path} is known only after apply")),
            (None, false, _) => Ok(None),
            (Some((_, value)), false, _) => match &value.value {
                Value::Null => Ok(None),
                Value::Map(entries) => Ok(Some(
                    entries
                        .iter()
                        .filter_map(|(k, _)| k.as_str().map(str::to_owned))
                        .collect(),
                )),
                Value::Scalar { text, .. } => {
                    Err(format!("{path} is \"{text}\", which cannot be resolved before apply"))
                }
                _ => Err(format!("{path} is not a map")),
            },
        }
    }

    fn strings(&self, property: &Property) -> Result<Option<Vec<String>>, String> {
        let path = property.terraform;
        match self.entry(path) {
            (_, true, _) => Err(format!("{path} is known only after apply")),
            (None, false, _) => Ok(None),
            (Some((_, value)), false, _) => match &value.value {
                Value::Null => Ok(None),
                Value::Seq(items) => items
                    .iter()
                    .map(|item| match &item.value {
                        Value::Scalar { text, .. } if !text.contains("${") => Ok(text.clone()),
                        Value::Scalar { text, .. } => Err(format!(
                            "{path} holds \"{text}\", which cannot be resolved before apply"
                        )),
                        _ => Err(format!("{path} holds what is not a string")),
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Some),
                Value::Scalar { text, .. } => {
                    Err(format!("{path} is \"{text}\", which cannot be resolved before apply"))
                }
                _ => Err(format!("{path} is not a list")),
            },
        }
    }

    fn position(&self, property: &Property) -> Option<Position> {
        self.entry(property.terraform).0.map(|(key, _)| key.pos)
    }

    /// `"${aws_iam_role.r.arn}"` in `.tf.json` (a plan has no references).
    fn reference(&self, property: &Property) -> Option<String> {
        let (found, _, _) = self.entry(property.terraform);
        super::roles::reference_key(found?.1.as_str()?)
    }
}
