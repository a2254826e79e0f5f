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
/// Most nodes the copies may hold in all (a large fragment times a long
/// collection must not exhaust memory): the parser's own node limit.
const MAX_NODES: usize = crate::tree::MAX_NODES;

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
                let before = out.len();
                if let Err(why) = expand_loop(ctx, name, decl, &[], 0, &mut out) {
                    // All of a loop or none of it: its error says none was judged.
                    out.truncate(before);
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
    let size = nodes(fragment, 0);
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
                    if out.len() >= MAX_MADE || out.len().saturating_mul(size) > MAX_NODES {
                        return Err(format!("makes more than {MAX_MADE} resources or {MAX_NODES} nodes"));
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

/// How many nodes `node` holds (aliases counted each time: a copy copies them).
fn nodes(node: &Node, depth: usize) -> usize {
    if depth > crate::tree::MAX_DEPTH {
        return 1;
    }
    1 + match &node.value {
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| nodes(k, depth + 1) + nodes(v, depth + 1))
            .fold(0usize, usize::saturating_add),
        Value::Seq(items) => items
            .iter()
            .map(|i| nodes(i, depth + 1))
            .fold(0usize, usize::saturating_add),
        _ => 0,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(template: &str) -> (Vec<String>, Vec<String>) {
        let root = crate::tree::parse(template).unwrap();
        let ctx = Context::new(&root);
        let resources = root.get("Resources").and_then(|r| r.as_map()).unwrap();
        let (entries, errors) = expand(&ctx, resources);
        (
            entries.iter().map(|e| e.id.as_str().unwrap().to_owned()).collect(),
            errors.into_iter().map(|(_, m)| m).collect(),
        )
    }

    #[test]
    fn nested_loops_expand_with_both_identifiers() {
        let (ids, errors) = expanded(
            "Resources:\n  Fn::ForEach::Outer:\n    - Stage\n    - [prod, dev]\n    - Fn::ForEach::Inner:\n        - Team\n        - [fraud-a, churn]\n        - ${Stage}&{Team}:\n            Type: AWS::SageMaker::Model\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(ids, ["prodfrauda", "prodchurn", "devfrauda", "devchurn"]);
    }

    #[test]
    fn a_large_fragment_times_a_long_list_is_refused_not_copied() {
        let items: Vec<String> = (0..300).map(|i| format!("m{i}")).collect();
        let tags: String = (0..10_000).map(|i| format!("t{i}, ")).collect();
        let template = format!(
            "Resources:\n  Fn::ForEach::Big:\n    - Name\n    - [{}]\n    - M${{Name}}:\n        Type: AWS::SageMaker::Model\n        Properties: {{Tags: [{tags}]}}\n",
            items.join(", ")
        );
        let (ids, errors) = expanded(&template);
        assert!(ids.is_empty(), "none of the loop is judged: {}", ids.len());
        assert!(errors[0].contains("nodes"), "{errors:?}");
    }
}
