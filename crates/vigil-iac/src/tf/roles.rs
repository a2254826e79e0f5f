//! The IAM roles a Terraform module (HCL or `.tf.json`) or plan declares
//! and the policies it gives them: a role's `inline_policy` blocks and
//! `managed_policy_arns`, `aws_iam_role_policy`, `aws_iam_role_policy_attachment`
//! and `aws_iam_policy_attachment` naming it, the `aws_iam_policy` they
//! attach, and `aws_iam_policy_document` data sources, found by reference
//! (`aws_iam_role.r.name`) or by the role's name.

use super::resolve::{text_of, Literal, ModuleValues};
use super::HclFile;
use crate::roles::{managed_by_arn, Roles};
use crate::tree::Node;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;
use std::collections::HashMap;
use vigil_core::model::RolePolicy;

/// How a declaration names another (a role, a policy, a subnet…).
pub(super) enum Named {
    /// A reference to a declaration of the module (`aws_iam_role.r`).
    Key(String),
    /// A literal: a role's name, a policy's ARN.
    Literal(String),
    Unreadable(String),
}

/// What the module declares, in any syntax; [`Declarations::roles`] joins it.
#[derive(Default)]
struct Declarations {
    roles: Vec<(String, Option<String>)>,
    /// `aws_iam_policy` documents, by key.
    managed: HashMap<String, Result<RolePolicy, String>>,
    inline: Vec<(Named, Result<RolePolicy, String>)>,
    attached: Vec<(Named, Named)>,
}

impl Declarations {
    fn roles(self) -> Roles {
        let mut roles = Roles::default();
        for (key, name) in self.roles {
            roles.declare(&key, name);
        }
        let key = |roles: &Roles, role: &Named| match role {
            Named::Key(key) => roles.key_of(Some(key), None),
            Named::Literal(name) => roles.key_of(None, Some(name)),
            Named::Unreadable(_) => None,
        };
        for (role, policy) in self.inline {
            if let Some(key) = key(&roles, &role) {
                roles.give(&key, policy);
            }
        }
        for (role, policy) in self.attached {
            let Some(key) = key(&roles, &role) else {
                continue;
            };
            let policy = match policy {
                Named::Key(policy) => self
                    .managed
                    .get(&policy)
                    .cloned()
                    .unwrap_or_else(|| Err(format!("{policy} is not declared in this module"))),
                Named::Literal(arn) => match self.managed.iter().find(|(k, _)| arn_names(&arn, k)) {
                    Some((_, found)) => found.clone(),
                    None => managed_by_arn(&arn),
                },
                Named::Unreadable(why) => Err(why),
            };
            roles.give(&key, policy);
        }
        roles
    }
}

/// Whether policy `arn` is the one declared as `key` (a plan gives ARNs).
fn arn_names(arn: &str, key: &str) -> bool {
    key.rsplit('.')
        .next()
        .is_some_and(|name| arn.ends_with(&format!(":policy/{name}")))
}

/// `aws_iam_role.r.arn`, `aws_iam_role.r[0].id`, `${aws_iam_role.r.arn}`,
/// `data.aws_iam_policy_document.d.json`: the key of the declaration a
/// value refers to; `None` for anything but a plain reference.
pub(crate) fn reference_key(text: &str) -> Option<String> {
    let text = text.trim();
    let text = text
        .strip_prefix("${")
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let mut parts = text.split('.');
    let mut kind = parts.next()?.to_owned();
    if kind == "data" {
        kind = format!("data.{}", parts.next()?);
    }
    let name = parts.next()?.split('[').next()?;
    let rest_plain = parts.all(|p| plain(p.split('[').next().unwrap_or(p)));
    (kind.trim_start_matches("data.").starts_with("aws_") && plain(name) && rest_plain)
        .then(|| format!("{kind}.{name}"))
}

/// A policy document built from `aws_iam_policy_document` statements: what
/// the judge reads (effect and actions).
fn statements_document(statements: Vec<Result<serde_json::Value, String>>) -> Result<String, String> {
    let statements: Vec<serde_json::Value> = statements.into_iter().collect::<Result<_, _>>()?;
    Ok(serde_json::json!({ "Version": "2012-10-17", "Statement": statements }).to_string())
}

fn literal_json(value: Literal) -> serde_json::Value {
    match value {
        Literal::Null => serde_json::Value::Null,
        Literal::Bool(b) => b.into(),
        Literal::Number(n) => n.into(),
        Literal::String(s) => s.into(),
        Literal::List(items) => items.into_iter().map(literal_json).collect(),
        Literal::Map(entries) => entries
            .into_iter()
            .map(|(k, v)| (k, literal_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

/// The roles of one HCL module (every `.tf` file but overrides).
pub(super) fn from_hcl(files: &[&HclFile], values: &ModuleValues) -> Roles {
    let mut docs = Documents::new();
    let labelled = |block: &Block| -> Option<(String, String)> {
        Some((
            super::label(block.labels.first()?).to_owned(),
            super::label(block.labels.get(1)?).to_owned(),
        ))
    };
    for file in files {
        for block in file.body.get_blocks("data") {
            if let Some((kind, name)) = labelled(block).filter(|(k, _)| k == "aws_iam_policy_document") {
                docs.insert(format!("data.{kind}.{name}"), hcl_document(block, values, &file.text));
            }
        }
    }
    let mut found = Declarations::default();
    for file in files {
        let hcl = Hcl {
            values,
            text: &file.text,
        };
        for block in file.body.get_blocks("resource") {
            let Some((kind, name)) = labelled(block) else {
                continue;
            };
            let key = format!("{kind}.{name}");
            match kind.as_str() {
                "aws_iam_role" => {
                    found.roles.push((key.clone(), hcl.text(block, "name")));
                    for inline in block.body.get_blocks("inline_policy") {
                        let policy_name = hcl.text(inline, "name").unwrap_or_else(|| key.clone());
                        found
                            .inline
                            .push((Named::Key(key.clone()), hcl.policy(inline, &policy_name, &docs)));
                    }
                    for arn in hcl.list(block, "managed_policy_arns") {
                        found.attached.push((Named::Key(key.clone()), arn));
                    }
                }
                "aws_iam_role_policy" => {
                    let policy_name = hcl.text(block, "name").unwrap_or_else(|| key.clone());
                    found
                        .inline
                        .push((hcl.named(block, "role"), hcl.policy(block, &policy_name, &docs)));
                }
                "aws_iam_policy" => {
                    found.managed.insert(key.clone(), hcl.policy(block, &key, &docs));
                }
                "aws_iam_role_policy_attachment" => {
                    found
                        .attached
                        .push((hcl.named(block, "role"), hcl.named(block, "policy_arn")));
                }
                "aws_iam_policy_attachment" => {
                    for role in hcl.list(block, "roles") {
                        found.attached.push((role, hcl.named(block, "policy_arn")));
                    }
                }
                _ => {}
            }
        }
    }
    found.roles()
}

/// Reads names, lists and JSON-like values from the HCL of one file,
/// resolved against its module's values.
pub(super) struct Hcl<'a> {
    pub values: &'a ModuleValues<'a>,
    pub text: &'a str,
}

/// `aws_iam_policy_document` data sources' documents, by `data.KIND.NAME`.
type Documents = HashMap<String, Result<String, String>>;

impl Hcl<'_> {
    pub fn text(&self, block: &Block, attribute: &str) -> Option<String> {
        let attr = block.body.get_attribute(attribute)?;
        match self.values.literal(attribute, &attr.value, self.text, 0) {
            Ok(Literal::String(s)) => Some(s),
            _ => None,
        }
    }

    pub fn named_expr(&self, what: &str, expr: &Expression) -> Named {
        if let Expression::Traversal(_) = expr {
            if let Some(key) = reference_key(&text_of(expr, self.text)) {
                return Named::Key(key);
            }
        }
        match self.values.literal(what, expr, self.text, 0) {
            Ok(Literal::String(s)) => Named::Literal(s),
            Ok(_) => Named::Unreadable(format!("{what} is not a name")),
            Err(why) => Named::Unreadable(why),
        }
    }

    pub fn named(&self, block: &Block, attribute: &str) -> Named {
        match block.body.get_attribute(attribute) {
            Some(attr) => self.named_expr(attribute, &attr.value),
            None => Named::Unreadable(format!("{attribute} is not set")),
        }
    }

    pub fn list(&self, block: &Block, attribute: &str) -> Vec<Named> {
        match block.body.get_attribute(attribute).map(|a| &a.value) {
            None => Vec::new(),
            Some(Expression::Array(items)) => items.iter().map(|item| self.named_expr(attribute, item)).collect(),
            Some(other) => match self.values.literal(attribute, other, self.text, 0) {
                Ok(Literal::List(items)) => items
                    .into_iter()
                    .map(|item| match item {
                        Literal::String(s) => Named::Literal(s),
                        _ => Named::Unreadable(format!("{attribute} holds a value that is not a name")),
                    })
                    .collect(),
                Ok(_) => vec![Named::Unreadable(format!("{attribute} is not a list"))],
                Err(why) => vec![Named::Unreadable(why)],
            },
        }
    }

    /// The document of a policy's `policy` attribute: `jsonencode({…})`
    /// (actions that do not resolve stay unnamed), a JSON string or file, or
    /// an `aws_iam_policy_document`'s `.json`.
    fn policy(&self, block: &Block, name: &str, docs: &Documents) -> Result<RolePolicy, String> {
        let expr = &block
            .body
            .get_attribute("policy")
            .ok_or_else(|| format!("policy {name} has no policy"))?
            .value;
        let document = match expr {
            Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" && call.args.iter().count() == 1 => {
                let arg = call.args.iter().next().expect("one argument");
                self.json(arg).to_string()
            }
            Expression::Traversal(_) => {
                let key = reference_key(&text_of(expr, self.text));
                match key.as_ref().and_then(|k| docs.get(k)) {
                    Some(document) => document.clone()?,
                    None => {
                        return Err(format!(
                            "the policy of {name} is `{}`, which is not read",
                            text_of(expr, self.text)
                        ))
                    }
                }
            }
            _ => match self.values.literal("policy", expr, self.text, 0)? {
                Literal::String(s) => s,
                _ => return Err(format!("the policy of {name} is not a document")),
            },
        };
        Ok(RolePolicy {
            name: name.to_owned(),
            document,
        })
    }

    /// An HCL value as JSON; what does not resolve stays an object naming
    /// it, which the judge reads as actions it cannot name.
    fn json(&self, expr: &Expression) -> serde_json::Value {
        if let Ok(value) = self.values.literal("policy", expr, self.text, 0) {
            return literal_json(value);
        }
        match expr {
            Expression::Array(items) => items.iter().map(|i| self.json(i)).collect(),
            Expression::Object(object) => object
                .iter()
                .map(|(key, value)| {
                    let key = match key {
                        hcl_edit::expr::ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                        hcl_edit::expr::ObjectKey::Expression(e) => text_of(e, self.text).trim_matches('"').to_owned(),
                    };
                    (key, self.json(value.expr()))
                })
                .collect::<serde_json::Map<_, _>>()
                .into(),
            other => serde_json::json!({ "unresolved": text_of(other, self.text) }),
        }
    }
}

/// An `aws_iam_policy_document`'s statements (effect `Allow` unless said).
fn hcl_document(block: &Block, values: &ModuleValues, text: &str) -> Result<String, String> {
    for merged in [
        "source_policy_documents",
        "override_policy_documents",
        "source_json",
        "override_json",
    ] {
        if block.body.get_attribute(merged).is_some() {
            return Err(format!(
                "the policy document merges {merged}, which Vigil does not read"
            ));
        }
    }
    let hcl = Hcl { values, text };
    let statements = block
        .body
        .get_blocks("statement")
        .map(|statement| {
            let effect = hcl.text(statement, "effect").unwrap_or_else(|| "Allow".to_owned());
            let field = |name: &str| statement.body.get_attribute(name).map(|a| hcl.json(&a.value));
            let mut json = serde_json::json!({ "Effect": effect });
            if let Some(actions) = field("actions") {
                json["Action"] = actions;
            }
            if let Some(sid) = hcl.text(statement, "sid") {
                json["Sid"] = sid.into();
            }
            Ok(json)
        })
        .collect();
    statements_document(statements)
}

/// The roles of a `.tf.json` module (`resource` and `data` objects) or a
/// plan (`resources`: each declaration's type, key and values, with
/// concrete values and no references).
pub(super) fn from_json(resources: &[(&str, String, &Node)], data: &[(String, &Node)]) -> Roles {
    let docs: Documents = data
        .iter()
        .map(|(key, body)| {
            let statements = blocks(body, "statement")
                .into_iter()
                .map(|statement| {
                    let effect = statement.get("effect").and_then(|e| e.as_str()).unwrap_or("Allow");
                    let mut json = serde_json::json!({ "Effect": effect });
                    if let Some(actions) = statement.get("actions") {
                        json["Action"] = node_json(actions)?;
                    }
                    Ok(json)
                })
                .collect();
            (key.clone(), statements_document(statements))
        })
        .collect();
    let policy = |body: &Node, name: &str| -> Result<RolePolicy, String> {
        let written = body
            .get("policy")
            .and_then(|p| p.as_str())
            .ok_or_else(|| format!("the policy of {name} is known only after apply"))?;
        let document = match written.starts_with("${") {
            true => match reference_key(written).and_then(|k| docs.get(&k)) {
                Some(document) => document.clone()?,
                None => return Err(format!("the policy of {name} is `{written}`, which is not read")),
            },
            false => written.to_owned(),
        };
        Ok(RolePolicy {
            name: name.to_owned(),
            document,
        })
    };
    let named = |value: Option<&Node>, what: &str| match value.and_then(|v| v.as_str()) {
        Some(text) if text.starts_with("${") => match reference_key(text) {
            Some(key) => Named::Key(key),
            None => Named::Unreadable(format!("{what} is `{text}`, which is not read")),
        },
        Some(text) => Named::Literal(text.to_owned()),
        None => Named::Unreadable(format!("{what} is known only after apply")),
    };
    let mut found = Declarations::default();
    for (kind, key, body) in resources {
        let text = |name: &str| body.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        match *kind {
            "aws_iam_role" => {
                found.roles.push((key.clone(), text("name")));
                for inline in blocks(body, "inline_policy") {
                    let name = inline.get("name").and_then(|n| n.as_str()).unwrap_or(key).to_owned();
                    found.inline.push((Named::Key(key.clone()), policy(inline, &name)));
                }
                for arn in body
                    .get("managed_policy_arns")
                    .and_then(|a| a.as_seq())
                    .unwrap_or_default()
                {
                    found
                        .attached
                        .push((Named::Key(key.clone()), named(Some(arn), "managed_policy_arns")));
                }
            }
            "aws_iam_role_policy" => {
                let name = text("name").unwrap_or_else(|| key.clone());
                found
                    .inline
                    .push((named(body.get("role").map(|r| r.as_ref()), "role"), policy(body, &name)));
            }
            "aws_iam_policy" => {
                found.managed.insert(key.clone(), policy(body, key));
            }
            "aws_iam_role_policy_attachment" => {
                let role = named(body.get("role").map(|r| r.as_ref()), "role");
                found
                    .attached
                    .push((role, named(body.get("policy_arn").map(|p| p.as_ref()), "policy_arn")));
            }
            "aws_iam_policy_attachment" => {
                for role in body.get("roles").and_then(|r| r.as_seq()).unwrap_or_default() {
                    let policy_arn = named(body.get("policy_arn").map(|p| p.as_ref()), "policy_arn");
                    found.attached.push((named(Some(role), "roles"), policy_arn));
                }
            }
            _ => {}
        }
    }
    found.roles()
}

/// Nested blocks in Terraform's JSON forms: a list of objects, or one.
pub(super) fn blocks<'a>(body: &'a Node, name: &str) -> Vec<&'a Node> {
    match body.get(name) {
        Some(value) => match value.as_seq() {
            Some(items) => items.iter().map(|i| i.as_ref()).collect(),
            None => vec![value.as_ref()],
        },
        None => Vec::new(),
    }
}

/// A JSON value of the template; an interpolation is not a name.
fn node_json(node: &Node) -> Result<serde_json::Value, String> {
    match (node.as_str(), node.as_seq()) {
        (Some(text), _) if text.contains("${") => Ok(serde_json::json!({ "unresolved": text })),
        (Some(text), _) => Ok(text.into()),
        (_, Some(items)) => items.iter().map(|i| node_json(i)).collect(),
        _ => Ok(serde_json::json!({ "unresolved": node.describe() })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_references_give_their_declaration() {
        assert_eq!(reference_key("aws_iam_role.nb.arn").as_deref(), Some("aws_iam_role.nb"));
        assert_eq!(
            reference_key("${aws_iam_role.nb[0].name}").as_deref(),
            Some("aws_iam_role.nb")
        );
        assert_eq!(
            reference_key("data.aws_iam_policy_document.admin.json").as_deref(),
            Some("data.aws_iam_policy_document.admin")
        );
        assert_eq!(reference_key("var.role_arn"), None);
        assert_eq!(reference_key("${jsonencode({a = 1})}"), None);
        assert_eq!(reference_key("arn:aws:iam::1:role/x"), None);
    }
}
