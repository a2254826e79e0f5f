//! `terraform.tfvars.json`, `*.auto.tfvars.json` and `--var-file x.tfvars.json`:
//! Terraform reads them like their HCL twins, so they are turned into the
//! same HCL assignments and read by the same code (a JSON value is an HCL
//! expression once strings are escaped the HCL way).

use crate::tree::{Node, Value};
use vigil_core::Position;

/// The HCL text that assigns what the JSON object at `root` holds.
pub fn to_hcl(root: &Node) -> Result<String, (Option<Position>, String)> {
    let entries = root.as_map().ok_or((
        Some(root.pos),
        "a .tfvars.json file must hold one JSON object".to_owned(),
    ))?;
    let mut text = String::new();
    for (key, value) in entries {
        let name = key.as_str().unwrap_or_default();
        if !is_identifier(name) {
            return Err((Some(key.pos), format!("{name:?} is not a variable name")));
        }
        text.push_str(name);
        text.push_str(" = ");
        expression(value, &mut text);
        text.push('\n');
    }
    Ok(text)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

fn expression(node: &Node, out: &mut String) {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // An unquoted JSON scalar is a number.
        Value::Scalar { text, quoted: false } if text.parse::<f64>().is_ok() => out.push_str(text),
        Value::Scalar { text, .. } => string(text, out),
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                expression(item, out);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                string(key.as_str().unwrap_or_default(), out);
                out.push_str(" = ");
                expression(value, out);
            }
            out.push('}');
        }
    }
}

/// A quoted HCL string whose value is exactly `text`: JSON strings are
/// literal, so HCL's template sequences `${` and `%{` are escaped too.
pub(crate) fn string(text: &str, out: &mut String) {
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_become_hcl_assignments_with_literal_strings() {
        let root = crate::tree::parse(
            r#"{"isolate": true, "count_n": 1, "name": "a \"b\" ${x} %{y}", "tags": {"team": "ml"}, "xs": [1, null]}"#,
        )
        .unwrap();
        let hcl = to_hcl(&root).unwrap();
        assert_eq!(
            hcl,
            "isolate = true\ncount_n = 1\nname = \"a \\\"b\\\" $${x} %%{y}\"\ntags = {\"team\" = \"ml\"}\nxs = [1, null]\n"
        );
        let body: hcl_edit::structure::Body = hcl.parse().expect("valid HCL");
        let name = body.get_attribute("name").unwrap().value.as_str().map(str::to_owned);
        assert_eq!(name.as_deref(), Some("a \"b\" ${x} %{y}"));
    }

    #[test]
    fn anything_but_an_object_is_refused_with_its_place() {
        let root = crate::tree::parse("[1, 2]").unwrap();
        let (pos, message) = to_hcl(&root).unwrap_err();
        assert_eq!(pos.map(|p| p.line), Some(1));
        assert!(message.contains("one JSON object"), "{message}");
    }
}
