//! Static evaluation of Terraform expressions: literals (`null`, lists,
//! maps), `var.*` (defaults, auto-loaded and `--var-file` tfvars),
//! `local.*`, `count.index` and `each.*` of a known instance, indexing,
//! `tobool()` and the other conversions, `base64encode()`, `file()` and
//! `filebase64()` (bounded, from the module's folder; `path.module`),
//! string templates and heredocs whose interpolations resolve, parentheses
//! and conditionals on what is known. Anything else is an `unknown` reason.

use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator};
use hcl_edit::template::{Element, Template};
use hcl_edit::Span;
use std::collections::HashMap;

const MAX_STEPS: usize = 64;
/// The largest file `file()` and `filebase64()` read (lifecycle scripts are
/// at most 16 KiB).
const MAX_FILE: u64 = 1 << 20;

/// The values one Terraform module (one directory) can see, and, while one
/// instance of a `count` or `for_each` resource is read, its `count.index`
/// or `each.key` / `each.value`.
#[derive(Default, Clone)]
pub struct ModuleValues<'a> {
    /// `None`: declared without a default and given no value.
    pub variables: HashMap<String, Option<(&'a Expression, &'a str)>>,
    pub locals: HashMap<String, (&'a Expression, &'a str)>,
    pub count_index: Option<usize>,
    pub each: Option<(String, Literal)>,
    /// The module's folder, for `path.module` and the files `file()` and
    /// `filebase64()` read.
    pub module_dir: Option<&'a std::path::Path>,
    /// Variables a `module` call passes a value its caller cannot resolve,
    /// with why: unknown, whatever their default.
    pub unresolved: HashMap<String, String>,
    /// The module's address (`module.nb.`; empty for a root module), which
    /// prefixes its resources' addresses.
    pub address: String,
    /// How many instances of this module its chain of calls makes (0 or 1
    /// for a root module).
    pub fanout: usize,
}

/// A resolved value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Literal>),
    Map(Vec<(String, Literal)>),
}

impl<'a> ModuleValues<'a> {
    /// The value of `expr` (read from `source`, its file's text), or why it
    /// is known only at apply; `what` names it in messages.
    pub fn literal(&self, what: &str, expr: &Expression, source: &str, steps: usize) -> Result<Literal, String> {
        if steps > MAX_STEPS {
            return Err(format!("{what} refers to itself"));
        }
        let cannot = || {
            format!(
                "{what} is `{}`, which cannot be resolved before apply",
                text_of(expr, source)
            )
        };
        let next = |e: &Expression| self.literal(what, e, source, steps + 1);
        match expr {
            Expression::Null(_) => Ok(Literal::Null),
            Expression::Bool(b) => Ok(Literal::Bool(*b.value())),
            Expression::String(s) => Ok(Literal::String(s.value().clone())),
            Expression::HeredocTemplate(heredoc) => {
                let text = template_text(&heredoc.template, &|e| next(e)).ok_or_else(cannot)?;
                Ok(Literal::String(strip_indent(text, heredoc.indent())))
            }
            Expression::StringTemplate(template) => template_text(template, &|e| next(e))
                .ok_or_else(cannot)
                .map(Literal::String),
            Expression::Number(n) => n.value().as_f64().map(Literal::Number).ok_or_else(cannot),
            Expression::Parenthesis(inner) => next(inner.inner()),
            Expression::Array(items) => items.iter().map(next).collect::<Result<_, _>>().map(Literal::List),
            Expression::Object(object) => object
                .iter()
                .map(|(key, value)| {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                        ObjectKey::Expression(e) => match next(e)? {
                            Literal::String(s) => s,
                            _ => return Err(cannot()),
                        },
                    };
                    Ok((key, next(value.expr())?))
                })
                .collect::<Result<_, _>>()
                .map(Literal::Map),
            Expression::FuncCall(call) if call.name.namespace.is_empty() => {
                let args: Vec<&Expression> = call.args.iter().collect();
                let [arg] = args.as_slice() else {
                    return Err(cannot());
                };
                let value = next(arg)?;
                match (call.name.name.as_str(), value) {
                    (_, Literal::Null) => Ok(Literal::Null),
                    ("tobool", value) => to_bool(what, value).map(Literal::Bool),
                    ("tostring", Literal::Bool(b)) => Ok(Literal::String(b.to_string())),
                    ("tostring", Literal::Number(n)) => Ok(Literal::String(n.to_string())),
                    ("tostring", s @ Literal::String(_)) => Ok(s),
                    ("tonumber", n @ Literal::Number(_)) => Ok(n),
                    ("tonumber", Literal::String(s)) => s.parse().map(Literal::Number).map_err(|_| cannot()),
                    ("toset" | "tolist", l @ Literal::List(_)) => Ok(l),
                    ("base64encode", Literal::String(s)) => {
                        use base64::Engine;
                        Ok(Literal::String(base64::engine::general_purpose::STANDARD.encode(s)))
                    }
                    ("file", Literal::String(path)) => {
                        let bytes = self.read_file(what, &path)?;
                        let text =
                            String::from_utf8(bytes).map_err(|_| format!("{what} reads {path}, which is not UTF-8"))?;
                        Ok(Literal::String(text))
                    }
                    ("filebase64", Literal::String(path)) => {
                        use base64::Engine;
                        let bytes = self.read_file(what, &path)?;
                        Ok(Literal::String(base64::engine::general_purpose::STANDARD.encode(bytes)))
                    }
                    ("tomap", m @ Literal::Map(_)) => Ok(m),
                    _ => Err(cannot()),
                }
            }
            Expression::Traversal(traversal) => {
                let mut operators = traversal.operators.iter().map(|o| o.value());
                let mut value = match &traversal.expr {
                    Expression::Variable(root) => match operators.next() {
                        Some(TraversalOperator::GetAttr(name)) => {
                            self.root(what, root.as_str(), name.as_str(), steps)?
                        }
                        _ => return Err(cannot()),
                    },
                    // `[true, false][count.index]`, `{…}["key"]`.
                    collection => next(collection)?,
                };
                for operator in operators {
                    value = match (operator, value) {
                        (TraversalOperator::GetAttr(name), Literal::Map(entries)) => {
                            member(&entries, name.as_str()).ok_or_else(cannot)?
                        }
                        (TraversalOperator::Index(index), collection) => match (next(index)?, collection) {
                            (Literal::String(key), Literal::Map(entries)) => {
                                member(&entries, &key).ok_or_else(cannot)?
                            }
                            (Literal::Number(n), Literal::List(items)) if n >= 0.0 => {
                                items.get(n as usize).cloned().ok_or_else(cannot)?
                            }
                            _ => return Err(cannot()),
                        },
                        (TraversalOperator::LegacyIndex(i), Literal::List(items)) => {
                            items.get(*i.value() as usize).cloned().ok_or_else(cannot)?
                        }
                        _ => return Err(cannot()),
                    };
                }
                Ok(value)
            }
            Expression::Conditional(cond) => match next(&cond.cond_expr) {
                Ok(Literal::Bool(true)) => next(&cond.true_expr),
                Ok(Literal::Bool(false)) => next(&cond.false_expr),
                _ => Err(cannot()),
            },
            Expression::BinaryOp(op) => {
                let equal = match op.operator.value() {
                    BinaryOperator::Eq => true,
                    BinaryOperator::NotEq => false,
                    _ => return Err(cannot()),
                };
                let lhs = next(&op.lhs_expr).map_err(|_| cannot())?;
                let rhs = next(&op.rhs_expr).map_err(|_| cannot())?;
                Ok(Literal::Bool((lhs == rhs) == equal))
            }
            _ => Err(cannot()),
        }
    }

    /// `var.NAME`, `local.NAME`, `count.index`, `each.key`, `each.value`.
    /// A file `file()` or `filebase64()` names (relative paths from the
    /// module's folder): a regular file of at most `MAX_FILE` bytes, so a
    /// hostile template cannot make the scan read a device or a huge file.
    fn read_file(&self, what: &str, path: &str) -> Result<Vec<u8>, String> {
        let full = match (self.module_dir, std::path::Path::new(path)) {
            (_, p) if p.is_absolute() => p.to_path_buf(),
            (Some(dir), p) => dir.join(p),
            (None, _) => return Err(format!("{what} reads {path}, and the module's folder is not known")),
        };
        // Named as the module sees it (`path.module` is where it lies).
        let shown = match self.module_dir.and_then(|dir| full.strip_prefix(dir).ok()) {
            Some(inside) => format!("{} in the module's folder", inside.display()),
            None => path.to_owned(),
        };
        let meta = std::fs::metadata(&full).map_err(|e| format!("{what} reads {shown}, which cannot be read: {e}"))?;
        if !meta.is_file() || meta.len() > MAX_FILE {
            return Err(format!(
                "{what} reads {shown}, which is not a regular file of at most {MAX_FILE} bytes"
            ));
        }
        std::fs::read(&full).map_err(|e| format!("{what} reads {shown}, which cannot be read: {e}"))
    }

    fn root(&self, what: &str, root: &str, name: &str, steps: usize) -> Result<Literal, String> {
        match root {
            "var" if self.unresolved.contains_key(name) => {
                Err(format!("{what} is var.{name}, which {}", self.unresolved[name]))
            }
            "var" => match self.variables.get(name) {
                Some(Some((value, file_text))) => self.literal(what, value, file_text, steps + 1),
                Some(None) => Err(format!(
                    "{what} is var.{name}, which has no default and no value in a tfvars file"
                )),
                None => Err(format!("{what} is var.{name}, which is not declared in this module")),
            },
            "local" => match self.locals.get(name) {
                Some((value, file_text)) => self.literal(what, value, file_text, steps + 1),
                None => Err(format!("{what} is local.{name}, which is not defined in this module")),
            },
            "path" if name == "module" => self
                .module_dir
                .map(|dir| Literal::String(dir.display().to_string()))
                .ok_or_else(|| format!("{what} uses path.module, and the module's folder is not known")),
            "count" if name == "index" => self
                .count_index
                .map(|i| Literal::Number(i as f64))
                .ok_or_else(|| format!("{what} uses count.index, and the count is not known before apply")),
            "each" => match (&self.each, name) {
                (Some((key, _)), "key") => Ok(Literal::String(key.clone())),
                (Some((_, value)), "value") => Ok(value.clone()),
                _ => Err(format!(
                    "{what} uses each.{name}, and the for_each is not known before apply"
                )),
            },
            _ => Err(format!(
                "{what} is `{}`, which cannot be resolved before apply",
                format_args!("{root}.{name}")
            )),
        }
    }
}

fn member(entries: &[(String, Literal)], key: &str) -> Option<Literal> {
    entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// Terraform's conversion to bool: `true`/`false` and their strings.
fn to_bool(what: &str, value: Literal) -> Result<bool, String> {
    match value {
        Literal::Bool(b) => Ok(b),
        Literal::String(s) if s == "true" => Ok(true),
        Literal::String(s) if s == "false" => Ok(false),
        other => Err(format!("{what} is {other:?}, which is not a boolean")),
    }
}

impl ModuleValues<'_> {
    /// A string template with what resolves put in and the rest left as
    /// written (`com.amazonaws.${data.aws_region.current.name}.s3`): for a
    /// name whose end is what counts. `None` for anything but a string.
    pub fn partial(&self, expr: &Expression, source: &str) -> Option<String> {
        match expr {
            Expression::String(s) => Some(s.value().clone()),
            Expression::StringTemplate(template) => {
                let mut text = String::new();
                for element in template.iter() {
                    match element {
                        Element::Literal(literal) => text.push_str(literal.value()),
                        Element::Interpolation(i) => match self.literal("", &i.expr, source, 0) {
                            Ok(Literal::String(s)) => text.push_str(&s),
                            _ => text.push_str(&format!("${{{}}}", text_of(&i.expr, source))),
                        },
                        Element::Directive(_) => return None,
                    }
                }
                Some(text)
            }
            _ => None,
        }
    }
}

/// The expression as written, trimmed, for messages.
pub fn text_of(expr: &Expression, source: &str) -> String {
    expr.span()
        .and_then(|range| source.get(range))
        .map(|t| t.trim().chars().take(80).collect())
        .unwrap_or_else(|| "an expression".into())
}

/// A template's text: its literal parts and the interpolations `eval`
/// resolves to a string, number or boolean; `None` for a directive or an
/// interpolation that does not resolve.
fn template_text(template: &Template, eval: &dyn Fn(&Expression) -> Result<Literal, String>) -> Option<String> {
    let mut text = String::new();
    for element in template.iter() {
        match element {
            Element::Literal(literal) => text.push_str(literal.value()),
            Element::Interpolation(interpolation) => match eval(&interpolation.expr).ok()? {
                Literal::String(s) => text.push_str(&s),
                Literal::Number(n) => text.push_str(&n.to_string()),
                Literal::Bool(b) => text.push_str(&b.to_string()),
                _ => return None,
            },
            Element::Directive(_) => return None,
        }
    }
    Some(text)
}

/// `<<-` strips the indent its least indented line has, as Terraform does.
fn strip_indent(text: String, indent: Option<usize>) -> String {
    let Some(indent) = indent else {
        return text;
    };
    text.split_inclusive('\n')
        .map(|line| {
            let strip = line.len() - line.trim_start_matches(' ').len();
            &line[strip.min(indent)..]
        })
        .collect()
}
