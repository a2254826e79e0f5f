//! A YAML/JSON document as a tree whose every node knows its line and column,
//! built from saphyr's event stream with hard limits, so a hostile file (alias
//! bombs, deep nesting) costs bounded time and memory. CloudFormation
//! short-form tags (`!Ref x`) become the long form (`{"Ref": x}`) here, once.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::rc::Rc;
use vigil_core::Position;

/// Deepest nesting accepted; CloudFormation templates rarely pass 20.
pub const MAX_DEPTH: usize = 128;
/// Most nodes in one document (aliases count once: they share the node).
pub const MAX_NODES: usize = 2_000_000;
/// Most aliases in one document.
pub const MAX_ALIASES: usize = 10_000;

#[derive(Debug)]
pub struct Node {
    pub value: Value,
    pub pos: Position,
    /// Character offsets of the node's text, for fixes.
    pub start: usize,
    pub end: usize,
    /// The short-form tag the node was written with (`!Ref`), for messages.
    pub short_form: Option<String>,
}

#[derive(Debug)]
pub enum Value {
    Null,
    Bool(bool),
    /// Any other scalar, as written; `quoted` tells `"true"` from `true`.
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Rc<Node>>),
    Map(Vec<(Rc<Node>, Rc<Node>)>),
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Rc<Node>, Rc<Node>)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Rc<Node>]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The value under `key` in a mapping (the last one if repeated, as
    /// CloudFormation's own parser does).
    pub fn get(&self, key: &str) -> Option<&Rc<Node>> {
        self.as_map()?
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// The entry under `key`, key node included (its position is the property's).
    pub fn entry(&self, key: &str) -> Option<(&Rc<Node>, &Rc<Node>)> {
        self.as_map()?
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, v)| (k, v))
    }

    /// A one-line rendering for messages: `!Ref IsolationParam`, `"yes"`, …
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Scalar { text, quoted: true } => format!("{text:?}"),
            Value::Scalar { text, .. } => text.clone(),
            Value::Seq(_) => "a list".into(),
            Value::Map(entries) => match entries.as_slice() {
                [(k, v)] if k.as_str().is_some() => {
                    let name = k.as_str().unwrap_or_default();
                    let short = name.strip_prefix("Fn::").unwrap_or(name);
                    match v.as_str() {
                        Some(arg) => format!("!{short} {arg}"),
                        None => format!("!{short} …"),
                    }
                }
                _ => "a mapping".into(),
            },
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct ParseError {
    pub pos: Option<Position>,
    pub message: String,
}

enum Frame {
    Seq {
        node: PendingNode,
        items: Vec<Rc<Node>>,
    },
    Map {
        node: PendingNode,
        entries: Vec<(Rc<Node>, Rc<Node>)>,
        key: Option<Rc<Node>>,
    },
}

struct PendingNode {
    anchor: usize,
    start: Span,
    short_form: Option<String>,
}

/// Parses the first document of `text` (the whole stream is read, so a
/// syntax error anywhere is one).
pub fn parse(text: &str) -> Result<Rc<Node>, ParseError> {
    Ok(parse_documents(text)?.into_iter().next().unwrap_or_else(|| {
        Rc::new(Node {
            value: Value::Null,
            pos: Position { line: 1, column: 1 },
            start: 0,
            end: 0,
            short_form: None,
        })
    }))
}

/// Parses every document of a YAML stream (a JSON file is one document).
/// The limits hold for the whole stream.
pub fn parse_documents(text: &str) -> Result<Vec<Rc<Node>>, ParseError> {
    let mut documents = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<(usize, Rc<Node>)> = Vec::new();
    let (mut nodes, mut aliases) = (0usize, 0usize);
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|err| ParseError {
            pos: Some(Position {
                line: err.marker().line(),
                column: err.marker().col() + 1,
            }),
            message: err.info().to_owned(),
        })?;
        // A finished node, and the anchor it defines (0: none).
        let complete: Option<(Rc<Node>, usize)> = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let short_form = short_form(tag.as_deref());
                let node = scalar(text.into_owned(), style, span);
                Some((Rc::new(wrap_short_form(node, short_form)), anchor))
            }
            Event::Alias(id) => {
                aliases += 1;
                if aliases > MAX_ALIASES {
                    return Err(limit(span, format!("more than {MAX_ALIASES} aliases")));
                }
                // Shared, not copied: an alias bomb stays as small as its text.
                let node = anchors.iter().rev().find(|(a, _)| *a == id).map(|(_, n)| n.clone());
                Some((node.ok_or_else(|| limit(span, "alias to an unknown anchor".into()))?, 0))
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if stack.len() >= MAX_DEPTH => {
                return Err(limit(span, format!("nesting deeper than {MAX_DEPTH} levels")));
            }
            Event::SequenceStart(anchor, tag) => {
                let node = PendingNode {
                    anchor,
                    start: span,
                    short_form: short_form(tag.as_deref()),
                };
                stack.push(Frame::Seq {
                    node,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(anchor, tag) => {
                let node = PendingNode {
                    anchor,
                    start: span,
                    short_form: short_form(tag.as_deref()),
                };
                stack.push(Frame::Map {
                    node,
                    entries: Vec::new(),
                    key: None,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (pending, value) = match stack.pop() {
                    Some(Frame::Seq { node, items }) => (node, Value::Seq(items)),
                    Some(Frame::Map { node, entries, .. }) => (node, Value::Map(entries)),
                    None => return Err(limit(span, "unbalanced collection".into())),
                };
                let node = Node {
                    value,
                    pos: position(&pending.start),
                    start: pending.start.start.index(),
                    end: span.end.index(),
                    short_form: None,
                };
                Some((Rc::new(wrap_short_form(node, pending.short_form)), pending.anchor))
            }
            Event::StreamEnd => break,
            _ => None,
        };
        if let Some((node, anchor)) = complete {
            nodes += 1;
            if nodes > MAX_NODES {
                return Err(limit(span, format!("more than {MAX_NODES} nodes")));
            }
            if anchor > 0 {
                anchors.push((anchor, node.clone()));
            }
            if let Some(root) = push(&mut stack, node) {
                documents.push(root);
            }
        }
    }
    Ok(documents)
}

/// Adds a finished node to the collection being built; returns it when it is
/// the document's root.
fn push(stack: &mut [Frame], node: Rc<Node>) -> Option<Rc<Node>> {
    match stack.last_mut() {
        None => Some(node),
        Some(Frame::Seq { items, .. }) => {
            items.push(node);
            None
        }
        Some(Frame::Map { entries, key, .. }) => {
            match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            }
            None
        }
    }
}

fn position(span: &Span) -> Position {
    Position {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

fn limit(span: Span, message: String) -> ParseError {
    ParseError {
        pos: Some(position(&span)),
        message,
    }
}

/// YAML 1.2 core schema for plain scalars; quoted ones stay strings.
fn scalar(text: String, style: ScalarStyle, span: Span) -> Node {
    let value = if style != ScalarStyle::Plain {
        Value::Scalar { text, quoted: true }
    } else {
        match text.as_str() {
            "true" | "True" | "TRUE" => Value::Bool(true),
            "false" | "False" | "FALSE" => Value::Bool(false),
            "" | "~" | "null" | "Null" | "NULL" => Value::Null,
            _ => Value::Scalar { text, quoted: false },
        }
    };
    Node {
        value,
        pos: position(&span),
        start: span.start.index(),
        end: span.end.index(),
        short_form: None,
    }
}

/// `!Ref` → `Ref`, `!GetAtt` → `Fn::GetAtt`, `!Condition` → `Condition`;
/// `None` for YAML's own tags (`!!str`) and untagged nodes.
fn short_form(tag: Option<&saphyr_parser::Tag>) -> Option<String> {
    let tag = tag?;
    if tag.handle != "!" || tag.suffix.is_empty() {
        return None;
    }
    Some(match tag.suffix.as_str() {
        "Ref" | "Condition" => tag.suffix.clone(),
        other => format!("Fn::{other}"),
    })
}

/// Turns a short-form node into its long form: `{ key: node }`.
fn wrap_short_form(mut node: Node, key: Option<String>) -> Node {
    let Some(key) = key else { return node };
    // `!GetAtt a.b` is `Fn::GetAtt: [a, b]` in the long form.
    if key == "Fn::GetAtt" {
        if let Value::Scalar { text, .. } = &node.value {
            if let Some((resource, attribute)) = text.split_once('.') {
                let part = |t: &str| {
                    Rc::new(Node {
                        value: Value::Scalar {
                            text: t.into(),
                            quoted: false,
                        },
                        short_form: None,
                        ..node.clone_pos()
                    })
                };
                node.value = Value::Seq(vec![part(resource), part(attribute)]);
            }
        }
    }
    let pos = node.clone_pos();
    let key_node = Node {
        value: Value::Scalar {
            text: key.clone(),
            quoted: false,
        },
        short_form: None,
        ..node.clone_pos()
    };
    Node {
        value: Value::Map(vec![(Rc::new(key_node), Rc::new(node))]),
        short_form: Some(format!("!{}", key.strip_prefix("Fn::").unwrap_or(&key))),
        ..pos
    }
}

impl Node {
    /// An empty mapping, for absent sections.
    pub fn empty_map() -> Node {
        Node {
            value: Value::Map(Vec::new()),
            pos: Position { line: 1, column: 1 },
            start: 0,
            end: 0,
            short_form: None,
        }
    }

    /// An empty node at the same place, for building synthetic neighbours.
    /// A quoted string with no place in any file (a value a parent passes).
    pub fn string(text: String) -> Node {
        Node {
            value: Value::Scalar { text, quoted: true },
            ..Node::empty_map()
        }
    }

    pub(crate) fn clone_pos(&self) -> Node {
        Node {
            value: Value::Null,
            pos: self.pos,
            start: self.start,
            end: self.end,
            short_form: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let root = parse("a: 1\nb:\n  c: true\n").unwrap();
        let (key, value) = root.get("b").unwrap().entry("c").unwrap();
        assert_eq!(key.pos, Position { line: 3, column: 3 });
        assert!(matches!(value.value, Value::Bool(true)));
    }

    #[test]
    fn short_forms_become_long_forms() {
        let root = parse("a: !Ref P\nb: !GetAtt R.Arn\nc: !If [C, true, false]\n").unwrap();
        assert_eq!(root.get("a").unwrap().get("Ref").unwrap().as_str(), Some("P"));
        let get_att = root.get("b").unwrap().get("Fn::GetAtt").unwrap();
        assert_eq!(get_att.as_seq().unwrap().len(), 2);
        assert_eq!(root.get("c").unwrap().get("Fn::If").unwrap().as_seq().unwrap().len(), 3);
        assert_eq!(root.get("a").unwrap().describe(), "!Ref P");
    }

    #[test]
    fn every_cloudformation_short_form_parses() {
        let tags = [
            "Ref",
            "Sub",
            "GetAtt",
            "If",
            "Equals",
            "Not",
            "And",
            "Or",
            "FindInMap",
            "Select",
            "Join",
            "ImportValue",
            "Condition",
            "Base64",
            "Cidr",
            "GetAZs",
            "Split",
            "Transform",
        ];
        let text: String = tags
            .iter()
            .enumerate()
            .map(|(i, t)| format!("k{i}: !{t} [a, b]\n"))
            .collect();
        let root = parse(&text).unwrap();
        for (i, tag) in tags.iter().enumerate() {
            let node = root.get(&format!("k{i}")).unwrap();
            let long = if ["Ref", "Condition"].contains(tag) {
                tag.to_string()
            } else {
                format!("Fn::{tag}")
            };
            assert!(node.get(&long).is_some(), "!{tag} did not become {long}");
            assert_eq!(node.short_form.as_deref(), Some(format!("!{tag}").as_str()));
        }
    }

    #[test]
    fn quoted_booleans_stay_strings() {
        let root = parse("a: \"true\"\n").unwrap();
        assert!(matches!(
            &root.get("a").unwrap().value,
            Value::Scalar { quoted: true, .. }
        ));
    }

    #[test]
    fn json_with_tabs_and_no_spaces_parses() {
        let root = parse("{\n\t\"a\":{\"b\":true,\"c\":[1,2]}\n}").unwrap();
        assert!(matches!(
            root.get("a").unwrap().get("b").unwrap().value,
            Value::Bool(true)
        ));
    }

    #[test]
    fn an_alias_bomb_is_shared_not_expanded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
                p = i - 1
            ));
        }
        let root = parse(&text).unwrap();
        assert_eq!(root.as_map().unwrap().len(), 9);
    }

    #[test]
    fn too_many_aliases_are_refused() {
        let text = format!("a: &a x\nb: [{}]\n", vec!["*a"; MAX_ALIASES + 1].join(","));
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("aliases"), "{err:?}");
    }

    #[test]
    fn deep_nesting_is_refused_with_its_place() {
        let text = format!("{}{}", "[".repeat(MAX_DEPTH + 5), "]".repeat(MAX_DEPTH + 5));
        let err = parse(&text).unwrap_err();
        assert_eq!(err.pos.unwrap().line, 1);
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.is_some());
    }
}
