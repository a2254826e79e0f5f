//! A resource in Terraform's JSON forms as the kind tables read it: plan
//! JSON (an `after` or `values` object, with `after_unknown`) and `.tf.json`
//! (literal values; `${…}` interpolations are unknown). Nested blocks are
//! lists of one object there, or an object.

use crate::kinds::{Items, Props, Raw};
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
