//! `Fn::ForEach` (the `AWS::LanguageExtensions` transform): a loop in
//! `Resources` that stamps out one resource per item of a collection. Each
//! is expanded here, before anything is judged, so the resources it makes
//! are read like any other; a loop whose collection is known only at
//! deployment is an error naming it, never a silent nothing.

use super::resolve::Context;
use crate::tree::{Node, Value};
use std::rc::Rc;

/// Loops nest; deeper than this is refused.
const MAX_NESTING: usize = 5;
/// Most resources one template's loops may make.
const MAX_MADE: usize = 10_000;

/// A resource entry of `Resources`, as written or as a loop made it.
pub struct Entry {
    pub id: Rc<Node>,
    pub decl: Rc<Node>,
    /// The loop that made it (`Fn::ForEach::Models`), if any.
    pub made_by: Option<String>,
}

/// `Resources` with every loop expanded; what could not be expanded is an
/// error (position, message).
pub fn expand(ctx: &Context, resources: &[(Rc<Node>, Rc<Node>)]) -> (Vec<Entry>, Vec<(Rc<Node>, String)>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (id, decl) in resources {
        match id.as_str() {
            Some(name) if name.starts_with("Fn::ForEach::") => {
                if let Err(why) = expand_loop(ctx, name, decl, &[], 0, &mut out) {
                    errors.push((
                        id.clone(),
                        format!("{name}: {why}; the resources it makes were not judged"),
                    ));
                }
            }
            _ => out.push(Entry {
                id: id.clone(),
                decl: decl.clone(),
                made_by: None,
            }),
        }
    }
    (out, errors)
}

/// Expands one loop (and the loops inside it) under `bound` (identifier,
/// value) pairs of the loops around it.
fn expand_loop(
    ctx: &Context,
    name: &str,
    decl: &Node,
    bound: &[(String, String)],
    depth: usize,
    out: &mut Vec<Entry>,
) -> Result<(), String> {
    if depth >= MAX_NESTING {
        return Err(format!("loops nest deeper than {MAX_NESTING}"));
    }
    let [identifier, collection, fragment] = decl.as_seq().unwrap_or_default() else {
        return Err("is not [Identifier, Collection, {OutputKey: Fragment}]".into());
    };
    let identifier = identifier.as_str().ok_or("its identifier is not a string")?.to_owned();
    let collection = substitute(collection, bound);
    let items = ctx.strings(name, &collection)?;
    let entries = fragment.as_map().ok_or("its template fragment is not a mapping")?;
    for item in items {
        let mut bound = bound.to_vec();
        bound.push((identifier.clone(), item));
        for (key, body) in entries {
            let key = substitute(key, &bound);
            match key.as_str() {
                Some(inner) if inner.starts_with("Fn::ForEach::") => {
                    expand_loop(ctx, inner, body, &bound, depth + 1, out)?;
                }
                _ => {
                    if out.len() >= MAX_MADE {
                        return Err(format!("makes more than {MAX_MADE} resources"));
                    }
                    out.push(Entry {
                        id: key,
                        decl: substitute(body, &bound),
                        made_by: Some(name.to_owned()),
                    });
                }
            }
        }
    }
    Ok(())
}

/// A copy of `node` with each bound identifier replaced by its value:
/// `${Id}` and `&{Id}` in keys and `!Sub` strings, `!Ref Id` as a value.
fn substitute(node: &Node, bound: &[(String, String)]) -> Rc<Node> {
    let text = |t: &str| {
        bound.iter().fold(t.to_owned(), |t, (id, value)| {
            let alphanumeric: String = value.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            t.replace(&format!("${{{id}}}"), value)
                .replace(&format!("&{{{id}}}"), &alphanumeric)
        })
    };
    let value = match &node.value {
        Value::Map(entries) => {
            if let [(key, target)] = entries.as_slice() {
                let referenced = target.as_str().and_then(|t| bound.iter().find(|(id, _)| id == t));
                if let (Some("Ref"), Some((_, value))) = (key.as_str(), referenced) {
                    return Rc::new(Node {
                        value: Value::Scalar {
                            text: value.clone(),
                            quoted: true,
                        },
                        ..node.clone_pos()
                    });
                }
            }
            Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (substitute(k, bound), substitute(v, bound)))
                    .collect(),
            )
        }
        Value::Seq(items) => Value::Seq(items.iter().map(|i| substitute(i, bound)).collect()),
        Value::Scalar { text: t, quoted } => Value::Scalar {
            text: text(t),
            quoted: *quoted,
        },
        Value::Bool(b) => Value::Bool(*b),
        Value::Null => Value::Null,
    };
    Rc::new(Node {
        value,
        short_form: node.short_form.clone(),
        ..node.clone_pos()
    })
}
