//! A Terraform resource block as the kind tables read it: the block with
//! the blocks of the module's override files (`override.tf`,
//! `*_override.tf`) laid over it, as Terraform merges them. An attribute set
//! in an override replaces the original; a nested block type set in one
//! replaces every block of that type. Positions are given for what the
//! resource's own file sets; a value an override sets is read with its text.

use super::resolve::{self, Literal, ModuleValues};
use super::HclFile;
use crate::kinds::{whole, Items, Props, Raw};
use crate::lines::LineIndex;
use hcl_edit::structure::{Attribute, Block, Body};
use hcl_edit::Span;
use vigil_core::{Position, Property};

/// One resource with its overrides, last one winning.
pub(super) struct View<'a> {
    pub block: &'a Block,
    pub file: &'a HclFile,
    pub index: &'a LineIndex,
    pub overrides: Vec<(&'a Block, &'a HclFile)>,
    /// Whether `block` is in `file` (so its places can be given): not for
    /// a nested block an override file set.
    pub placed: bool,
}

/// What a path leads to: an attribute or nested blocks, the text it was
/// read from, and whether it is the resource's own (so it has a place).
enum Found<'a> {
    Attribute(&'a Attribute, &'a str, bool),
    Blocks(Vec<&'a Block>, &'a HclFile, bool),
}

impl<'a> View<'a> {
    /// The layers, last applied first: overrides, then the resource's own.
    fn layers(&self) -> impl Iterator<Item = (&'a Body, &'a HclFile, bool)> + '_ {
        let own = std::iter::once((&self.block.body, self.file, true));
        self.overrides
            .iter()
            .rev()
            .map(|(block, file)| (&block.body, *file, false))
            .chain(own)
    }

    /// What a dotted path names, from the last layer that sets its first step.
    fn find(&self, path: &'static str) -> Option<Found<'a>> {
        let mut steps = path.split('.');
        let first = steps.next()?;
        let rest: Vec<&str> = steps.collect();
        for (body, file, own) in self.layers() {
            if rest.is_empty() {
                if let Some(attr) = body.get_attribute(first) {
                    return Some(Found::Attribute(attr, file.text.as_str(), own));
                }
            }
            let blocks: Vec<&Block> = body.get_blocks(first).collect();
            if blocks.is_empty() {
                continue;
            }
            return within(blocks, &rest, file, own);
        }
        None
    }

    /// Whether the resource (or an override) writes `dynamic "PATH"` blocks
    /// for a one-step path: blocks only Terraform expands.
    fn has_dynamic(&self, path: &str) -> bool {
        !path.contains('.')
            && self.layers().any(|(body, _, _)| {
                body.get_blocks("dynamic")
                    .any(|b| b.labels.first().is_some_and(|l| l.as_str() == path))
            })
    }

    fn at(&self, span: Option<std::ops::Range<usize>>) -> Position {
        self.index.position(&self.file.text, span.map_or(0, |r| r.start))
    }
}

/// The rest of a path inside the first of `blocks`.
fn within<'a>(blocks: Vec<&'a Block>, rest: &[&'static str], file: &'a HclFile, own: bool) -> Option<Found<'a>> {
    let text = file.text.as_str();
    let Some((leaf, parents)) = rest.split_last() else {
        return Some(Found::Blocks(blocks, file, own));
    };
    let mut body = &blocks.first()?.body;
    for step in parents {
        body = &body.get_blocks(step).next()?.body;
    }
    if let Some(attr) = body.get_attribute(leaf) {
        return Some(Found::Attribute(attr, text, own));
    }
    let nested: Vec<&Block> = body.get_blocks(leaf).collect();
    (!nested.is_empty()).then_some(Found::Blocks(nested, file, own))
}

/// A resource block read with its module's values.
pub(super) struct HclProps<'a> {
    pub view: View<'a>,
    pub values: &'a ModuleValues<'a>,
}

impl HclProps<'_> {
    /// A block's attributes and nested blocks, named as CloudFormation does.
    fn body_json(&self, path: &str, body: &Body, text: &str) -> Result<serde_json::Value, String> {
        let mut object = serde_json::Map::new();
        for attr in body.attributes() {
            let name = attr.key.as_str();
            let value = self.values.literal(&format!("{path}.{name}"), &attr.value, text, 0)?;
            if let Some(json) = literal_json(value) {
                object.insert(whole::pascal(name), json);
            }
        }
        let mut nested: Vec<(&str, Vec<serde_json::Value>)> = Vec::new();
        for block in body.blocks() {
            let ident = block.ident.as_str();
            if ident == "dynamic" {
                return Err(format!("{path} holds a dynamic block, expanded only by Terraform"));
            }
            let json = self.body_json(&format!("{path}.{ident}"), &block.body, text)?;
            match nested.iter_mut().find(|(name, _)| *name == ident) {
                Some((_, objects)) => objects.push(json),
                None => nested.push((ident, vec![json])),
            }
        }
        for (ident, objects) in nested {
            object.insert(whole::pascal(ident), whole::blocks(objects));
        }
        Ok(object.into())
    }
}

/// A resolved Terraform value as JSON; `null` is left out. A map's keys
/// are the user's own (tags), so they are kept as written.
fn literal_json(literal: Literal) -> Option<serde_json::Value> {
    match literal {
        Literal::Null => None,
        Literal::Bool(b) => Some(b.into()),
        Literal::Number(n) => Some(whole::number(n)),
        Literal::String(s) => Some(whole::scalar(&s, true)),
        Literal::List(items) => Some(items.into_iter().filter_map(literal_json).collect::<Vec<_>>().into()),
        Literal::Map(entries) => Some(serde_json::Value::Object(
            entries
                .into_iter()
                .filter_map(|(key, value)| Some((key, literal_json(value)?)))
                .collect(),
        )),
    }
}

impl Props for HclProps<'_> {
    fn items(&self, property: &Property) -> Items<'_> {
        let path = property.terraform;
        // Static blocks next to dynamic ones are only part of the list.
        if self.view.has_dynamic(path) {
            return Items::Unresolved(format!(
                "{path} is written as a dynamic block, expanded only by Terraform"
            ));
        }
        match self.view.find(path) {
            None => Items::Unset,
            Some(Found::Attribute(attr, text, _)) => {
                Items::Unresolved(format!("{path} is {}, not blocks", resolve::text_of(&attr.value, text)))
            }
            Some(Found::Blocks(blocks, file, own)) => Items::Each(
                blocks
                    .into_iter()
                    .map(|block| {
                        Box::new(HclProps {
                            view: View {
                                block,
                                file,
                                index: self.view.index,
                                overrides: Vec::new(),
                                placed: own && self.view.placed,
                            },
                            values: self.values,
                        }) as Box<dyn Props>
                    })
                    .collect(),
            ),
        }
    }

    fn value(&self, property: &Property) -> Raw {
        let path = property.terraform;
        match self.view.find(path) {
            None => Raw::Unset,
            Some(Found::Blocks(..)) => Raw::Block,
            Some(Found::Attribute(attr, text, _)) => match self.values.literal(path, &attr.value, text, 0) {
                Ok(Literal::Null) => Raw::Unset,
                Ok(Literal::Bool(b)) => Raw::Bool(b),
                Ok(Literal::Number(n)) => Raw::Text(n.to_string()),
                Ok(Literal::String(s)) => Raw::Text(s),
                Ok(Literal::List(_) | Literal::Map(_)) => Raw::Block,
                Err(why) => Raw::Unresolved {
                    written: resolve::text_of(&attr.value, text),
                    why,
                },
            },
        }
    }

    fn tag_keys(&self, property: &Property) -> Result<Option<Vec<String>>, String> {
        let path = property.terraform;
        match self.view.find(path) {
            None => Ok(None),
            Some(Found::Blocks(..)) => Err(format!("{path} is written as blocks, not a map")),
            Some(Found::Attribute(attr, text, _)) => match self.values.literal(path, &attr.value, text, 0)? {
                Literal::Null => Ok(None),
                Literal::Map(entries) => Ok(Some(entries.into_iter().map(|(key, _)| key).collect())),
                _ => Err(format!("{path} is not a map")),
            },
        }
    }

    fn strings(&self, property: &Property) -> Result<Option<Vec<String>>, String> {
        let path = property.terraform;
        match self.view.find(path) {
            None => Ok(None),
            Some(Found::Blocks(..)) => Err(format!("{path} is written as blocks, not a list")),
            Some(Found::Attribute(attr, text, _)) => match self.values.literal(path, &attr.value, text, 0)? {
                Literal::Null => Ok(None),
                Literal::List(items) => items
                    .into_iter()
                    .map(|item| match item {
                        Literal::String(s) => Ok(s),
                        _ => Err(format!("{path} holds what is not a string")),
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Some),
                _ => Err(format!("{path} is not a list")),
            },
        }
    }

    fn json(&self, property: &Property) -> Result<Option<serde_json::Value>, String> {
        let path = property.terraform;
        if self.view.has_dynamic(path) {
            return Err(format!(
                "{path} is written as a dynamic block, expanded only by Terraform"
            ));
        }
        match self.view.find(path) {
            None => Ok(None),
            Some(Found::Attribute(attr, text, _)) => {
                Ok(literal_json(self.values.literal(path, &attr.value, text, 0)?))
            }
            Some(Found::Blocks(blocks, file, _)) => {
                let objects = blocks
                    .iter()
                    .map(|block| self.body_json(path, &block.body, &file.text))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Some(whole::blocks(objects)))
            }
        }
    }

    fn reference(&self, property: &Property) -> Option<String> {
        match self.view.find(property.terraform)? {
            Found::Attribute(attr, text, _) if matches!(attr.value, hcl_edit::expr::Expression::Traversal(_)) => {
                super::roles::reference_key(&resolve::text_of(&attr.value, text))
            }
            _ => None,
        }
    }

    fn position(&self, property: &Property) -> Option<Position> {
        match self.view.find(property.terraform)? {
            Found::Attribute(attr, _, true) if self.view.placed => Some(self.view.at(attr.key.span())),
            Found::Blocks(blocks, _, true) if self.view.placed => Some(self.view.at(blocks.first()?.span())),
            _ => None,
        }
    }
}
