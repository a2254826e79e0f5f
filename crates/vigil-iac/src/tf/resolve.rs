//! Static evaluation of Terraform expressions: literals, `var.*` (defaults,
//! auto-loaded and `--var-file` tfvars), `local.*`, parentheses and
//! conditionals on what is known. Anything else is an `unknown` reason.

use hcl_edit::expr::{BinaryOperator, Expression, TraversalOperator};
use hcl_edit::Span;
use std::collections::HashMap;

const MAX_STEPS: usize = 64;

/// The values one Terraform module (one directory) can see.
#[derive(Default)]
pub struct ModuleValues<'a> {
    /// `None`: declared without a default and given no value.
    pub variables: HashMap<String, Option<(&'a Expression, &'a str)>>,
    pub locals: HashMap<String, (&'a Expression, &'a str)>,
}

/// A resolved literal.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Bool(bool),
    Number(f64),
    String(String),
}

impl<'a> ModuleValues<'a> {
    /// `expr` was read from `source` (its file's text, for messages).
    pub fn boolean(&self, what: &str, expr: &Expression, source: &str) -> Result<bool, String> {
        match self.literal(what, expr, source, 0)? {
            Literal::Bool(b) => Ok(b),
            Literal::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
            Literal::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
            other => Err(format!("{what} is {other:?}, which is not a boolean")),
        }
    }

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
        match expr {
            Expression::Bool(b) => Ok(Literal::Bool(*b.value())),
            Expression::String(s) => Ok(Literal::String(s.value().clone())),
            Expression::Number(n) => n.value().as_f64().map(Literal::Number).ok_or_else(cannot),
            Expression::Parenthesis(inner) => self.literal(what, inner.inner(), source, steps + 1),
            Expression::Traversal(traversal) => {
                let (Expression::Variable(root), [op]) = (&traversal.expr, traversal.operators.as_slice()) else {
                    return Err(cannot());
                };
                let TraversalOperator::GetAttr(name) = op.value() else {
                    return Err(cannot());
                };
                let name = name.as_str();
                match root.as_str() {
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
                    _ => Err(cannot()),
                }
            }
            Expression::Conditional(cond) => match self.literal(what, &cond.cond_expr, source, steps + 1) {
                Ok(Literal::Bool(true)) => self.literal(what, &cond.true_expr, source, steps + 1),
                Ok(Literal::Bool(false)) => self.literal(what, &cond.false_expr, source, steps + 1),
                _ => Err(cannot()),
            },
            Expression::BinaryOp(op) => {
                let equal = match op.operator.value() {
                    BinaryOperator::Eq => true,
                    BinaryOperator::NotEq => false,
                    _ => return Err(cannot()),
                };
                let lhs = self
                    .literal(what, &op.lhs_expr, source, steps + 1)
                    .map_err(|_| cannot())?;
                let rhs = self
                    .literal(what, &op.rhs_expr, source, steps + 1)
                    .map_err(|_| cannot())?;
                Ok(Literal::Bool((lhs == rhs) == equal))
            }
            _ => Err(cannot()),
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
