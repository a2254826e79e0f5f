//! Computing the smallest text edit that sets network isolation on, so a fix
//! leaves every other byte of a template (comments, order, quoting) alone.

use crate::source::Fix;
use crate::tree::{Node, Value};

/// Byte offset of character `index` (the YAML reader counts characters).
pub fn byte_of(text: &str, index: usize) -> usize {
    text.char_indices().nth(index).map_or(text.len(), |(b, _)| b)
}

/// Start of the line holding byte `at`, and that line's indentation.
pub fn line_start_and_indent(text: &str, at: usize) -> (usize, &str) {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    let indent_len = line.len() - line.trim_start_matches([' ', '\t']).len();
    (start, &line[..indent_len])
}

/// CloudFormation: sets the flag `key` of the Properties mapping `props`
/// (`None` if absent) to true; `value` is its current value, if any.
pub fn cfn_fix(text: &str, key: &str, props: Option<&Node>, value: Option<&Node>) -> Option<Fix> {
    if let Some(value) = value {
        return match &value.value {
            Value::Bool(true) => None,
            Value::Scalar { text: t, .. } if t.eq_ignore_ascii_case("true") => None,
            Value::Bool(false) => Some(replace(text, value)),
            Value::Scalar { text: t, .. } if t.eq_ignore_ascii_case("false") => Some(replace(text, value)),
            _ => Some(Fix::Manual(format!(
                "{key} is {}; set it to true by hand",
                value.describe()
            ))),
        };
    }
    let Some(props) = props else {
        return Some(Fix::Manual(format!("the resource has no Properties; add {key}: true")));
    };
    let entries = props.as_map().unwrap_or_default();
    let open = byte_of(text, props.start);
    if text[open..].starts_with('{') {
        // Flow mapping or JSON: insert right after the brace.
        let Some((first, _)) = entries.first() else {
            let key = quoted(key, text[open..].contains('"'));
            return Some(Fix::Insert {
                at: open + 1,
                text: format!("{key}: true"),
            });
        };
        let key_at = byte_of(text, first.start);
        let key = quoted(key, text[key_at..].starts_with('"'));
        let same_line = !text[open..key_at].contains('\n');
        let insert = if same_line {
            format!("{key}: true, ")
        } else {
            let (_, indent) = line_start_and_indent(text, key_at);
            format!("\n{indent}{key}: true,")
        };
        return Some(Fix::Insert {
            at: if same_line { key_at } else { open + 1 },
            text: insert,
        });
    }
    let (first, _) = entries.first()?;
    let (line_start, indent) = line_start_and_indent(text, byte_of(text, first.start));
    Some(Fix::Insert {
        at: line_start,
        text: format!("{indent}{key}: true\n"),
    })
}

/// The key as JSON writes it, or bare as YAML does.
fn quoted(key: &str, json: bool) -> String {
    match json {
        true => format!("\"{key}\""),
        false => key.to_owned(),
    }
}

fn replace(text: &str, value: &Node) -> Fix {
    Fix::Replace {
        start: byte_of(text, value.start),
        end: byte_of(text, value.end),
        text: "true".into(),
    }
}

/// Applies non-overlapping edits to `text`.
pub fn apply(text: &str, fixes: &[&Fix]) -> String {
    let mut edits: Vec<(usize, usize, &str)> = fixes
        .iter()
        .filter_map(|fix| match fix {
            Fix::Replace { start, end, text } => Some((*start, *end, text.as_str())),
            Fix::Insert { at, text } => Some((*at, *at, text.as_str())),
            Fix::Manual(_) => None,
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end, new);
    }
    out
}
