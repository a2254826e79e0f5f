//! Static, sound evaluation of the CloudFormation values a rule needs:
//! literals, parameter defaults, conditions and `Fn::If`. Anything that depends
//! on deploy time (a parameter without default, `!GetAtt`, `!ImportValue`) is
//! an error whose text becomes the `unknown` reason.

use crate::tree::{Node, Value};
use std::collections::HashMap;
use std::rc::Rc;

/// Guards against `Condition` cycles and runaway `!Ref` chains.
const MAX_STEPS: usize = 64;

pub struct Context<'a> {
    pub parameters: HashMap<&'a str, Option<&'a Rc<Node>>>,
    pub conditions: HashMap<&'a str, &'a Rc<Node>>,
}

impl<'a> Context<'a> {
    pub fn new(root: &'a Node) -> Self {
        let parameters = root
            .get("Parameters")
            .and_then(|p| p.as_map())
            .unwrap_or_default()
            .iter()
            .filter_map(|(name, decl)| Some((name.as_str()?, decl.get("Default"))))
            .collect();
        let conditions = root
            .get("Conditions")
            .and_then(|c| c.as_map())
            .unwrap_or_default()
            .iter()
            .filter_map(|(name, expr)| Some((name.as_str()?, expr)))
            .collect();
        Context { parameters, conditions }
    }

    /// A boolean property: `true`, `"true"`, or something that resolves to one.
    pub fn boolean(&self, property: &str, node: &Node) -> Result<bool, String> {
        self.boolean_at(property, node, 0)
    }

    fn boolean_at(&self, property: &str, node: &Node, steps: usize) -> Result<bool, String> {
        if steps > MAX_STEPS {
            return Err(format!("{property} is nested too deeply to resolve"));
        }
        match &node.value {
            Value::Bool(b) => Ok(*b),
            Value::Scalar { text, .. } if text.eq_ignore_ascii_case("true") => Ok(true),
            Value::Scalar { text, .. } if text.eq_ignore_ascii_case("false") => Ok(false),
            _ => {
                if let Some(target) = self.follow(property, node, steps)? {
                    return self.boolean_at(property, target, steps + 1);
                }
                Err(format!(
                    "{property} is {}, which cannot be resolved before deployment",
                    node.describe()
                ))
            }
        }
    }

    /// A string value, for conditions (`Fn::Equals`) and names.
    pub fn string(&self, property: &str, node: &Node) -> Result<String, String> {
        self.string_at(property, node, 0)
    }

    fn string_at(&self, property: &str, node: &Node, steps: usize) -> Result<String, String> {
        if steps > MAX_STEPS {
            return Err(format!("{property} is nested too deeply to resolve"));
        }
        match &node.value {
            Value::Bool(b) => Ok(b.to_string()),
            Value::Scalar { text, .. } => Ok(text.clone()),
            _ => match self.follow(property, node, steps)? {
                Some(target) => self.string_at(property, target, steps + 1),
                None => Err(format!(
                    "{property} is {}, which cannot be resolved before deployment",
                    node.describe()
                )),
            },
        }
    }

    /// One step through `Ref` (to a parameter default) or `Fn::If`; `None`
    /// when the node is neither.
    fn follow<'n>(&'n self, property: &str, node: &'n Node, steps: usize) -> Result<Option<&'n Node>, String> {
        if let Some(name) = node.get("Ref").and_then(|r| r.as_str()) {
            return match self.parameters.get(name) {
                Some(Some(default)) => Ok(Some(default)),
                Some(None) => Err(format!("{property} is !Ref {name}, which has no default")),
                None => Err(format!(
                    "{property} is !Ref {name}, which is not a parameter with a default"
                )),
            };
        }
        if let Some(args) = node.get("Fn::If").and_then(|a| a.as_seq()) {
            let [condition, then, otherwise] = args else {
                return Err(format!("{property} has a malformed !If"));
            };
            let name = condition
                .as_str()
                .ok_or_else(|| format!("{property} has a malformed !If"))?;
            return match self.condition_at(name, steps + 1) {
                Ok(true) => Ok(Some(then)),
                Ok(false) => Ok(Some(otherwise)),
                Err(why) => Err(format!("{property} is !If {name}, and {why}")),
            };
        }
        Ok(None)
    }

    /// The value of a named condition under the parameter defaults.
    pub fn condition(&self, name: &str) -> Result<bool, String> {
        self.condition_at(name, 0)
    }

    fn condition_at(&self, name: &str, steps: usize) -> Result<bool, String> {
        if steps > MAX_STEPS {
            return Err(format!("condition {name} refers to itself"));
        }
        let expr = self
            .conditions
            .get(name)
            .ok_or_else(|| format!("condition {name} is not defined"))?;
        self.condition_expr(name, expr, steps + 1)
    }

    fn condition_expr(&self, name: &str, expr: &Node, steps: usize) -> Result<bool, String> {
        if steps > MAX_STEPS {
            return Err(format!("condition {name} refers to itself"));
        }
        let args = |key: &str| expr.get(key).and_then(|a| a.as_seq());
        if let Some([a, b]) = args("Fn::Equals") {
            let side = |n: &Node| self.string_at(&format!("condition {name}"), n, steps + 1);
            return Ok(side(a)? == side(b)?);
        }
        if let Some([inner]) = args("Fn::Not") {
            return self.condition_expr(name, inner, steps + 1).map(|v| !v);
        }
        if let Some(items) = args("Fn::And") {
            let values: Result<Vec<bool>, String> =
                items.iter().map(|i| self.condition_expr(name, i, steps + 1)).collect();
            return values.map(|v| v.iter().all(|b| *b));
        }
        if let Some(items) = args("Fn::Or") {
            let values: Result<Vec<bool>, String> =
                items.iter().map(|i| self.condition_expr(name, i, steps + 1)).collect();
            return values.map(|v| v.iter().any(|b| *b));
        }
        if let Some(other) = expr.get("Condition").and_then(|c| c.as_str()) {
            return self.condition_at(other, steps + 1);
        }
        match &expr.value {
            Value::Bool(b) => Ok(*b),
            _ => Err(format!("condition {name} cannot be evaluated before deployment")),
        }
    }
}
