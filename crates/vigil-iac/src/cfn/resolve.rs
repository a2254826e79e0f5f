//! Static, sound evaluation of the CloudFormation values a rule needs:
//! literals, parameter defaults, conditions, `Fn::If`, `Fn::Sub`,
//! `Fn::Select`, `Fn::FindInMap` on the template's Mappings and `Fn::Join`.
//! Anything that depends on deploy time (a parameter without default, an
//! SSM-typed parameter, `!GetAtt`, `!ImportValue`) is an error whose text
//! becomes the `unknown` reason; `AWS::NoValue` is a property left out.

use crate::tree::{Node, Value};
use std::collections::HashMap;
use std::rc::Rc;

/// Guards against `Condition` cycles and runaway `!Ref` chains.
const MAX_STEPS: usize = 64;

/// A parameter as declared: its default and its type.
pub struct Parameter<'a> {
    pub default: Option<&'a Rc<Node>>,
    pub kind: Option<&'a str>,
}

pub struct Context<'a> {
    pub parameters: HashMap<&'a str, Parameter<'a>>,
    /// Values a parent stack passes (`AWS::CloudFormation::Stack`
    /// `Parameters`): they win over defaults; `Err` says why one is unknown.
    pub given: HashMap<String, Result<Rc<Node>, String>>,
    pub conditions: HashMap<&'a str, &'a Rc<Node>>,
    pub mappings: Option<&'a Rc<Node>>,
    /// The defaults used since the last `take_assumed` (`Name=value`).
    assumed: std::cell::RefCell<Vec<String>>,
}

/// Where one step through an intrinsic function leads.
enum Next<'n> {
    Node(&'n Node),
    /// A value computed from literals (`!Sub`, `!Join`, a list parameter's item).
    Text(String),
    /// `!Ref AWS::NoValue`: the property is left out, as if never written.
    NoValue,
}

impl<'a> Context<'a> {
    pub fn new(root: &'a Node) -> Self {
        let parameters = root
            .get("Parameters")
            .and_then(|p| p.as_map())
            .unwrap_or_default()
            .iter()
            .filter_map(|(name, decl)| {
                let parameter = Parameter {
                    default: decl.get("Default"),
                    kind: decl.get("Type").and_then(|t| t.as_str()),
                };
                Some((name.as_str()?, parameter))
            })
            .collect();
        let conditions = root
            .get("Conditions")
            .and_then(|c| c.as_map())
            .unwrap_or_default()
            .iter()
            .filter_map(|(name, expr)| Some((name.as_str()?, expr)))
            .collect();
        Context {
            parameters,
            given: HashMap::new(),
            conditions,
            mappings: root.get("Mappings"),
            assumed: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// The parameter defaults used since the last call, each once.
    pub fn take_assumed(&self) -> Vec<String> {
        let mut assumed = std::mem::take(&mut *self.assumed.borrow_mut());
        assumed.sort();
        assumed.dedup();
        assumed
    }

    /// A value whole, as JSON (`kinds::whole`): intrinsics resolved where
    /// the template decides them; `None` for `AWS::NoValue` or `null`.
    pub fn json(&self, property: &str, node: &Node) -> Result<Option<serde_json::Value>, String> {
        self.json_at(property, node, 0)
    }

    fn json_at(&self, property: &str, node: &Node, steps: usize) -> Result<Option<serde_json::Value>, String> {
        use crate::kinds::whole;
        if steps > MAX_STEPS {
            return Err(format!("{property} is nested too deeply to resolve"));
        }
        match &node.value {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some((*b).into())),
            Value::Scalar { text, quoted } => Ok(Some(whole::scalar(text, *quoted))),
            Value::Seq(items) => {
                let mut list = Vec::with_capacity(items.len());
                for item in items {
                    list.extend(self.json_at(property, item, steps + 1)?);
                }
                Ok(Some(list.into()))
            }
            Value::Map(_) if super::props::is_intrinsic(node) => match self.follow(property, node, steps)? {
                Some(Next::Node(target)) => self.json_at(property, target, steps + 1),
                Some(Next::Text(text)) => Ok(Some(whole::scalar(&text, true))),
                Some(Next::NoValue) => Ok(None),
                None => Err(cannot(property, node)),
            },
            Value::Map(entries) => {
                let mut object = serde_json::Map::with_capacity(entries.len());
                for (key, value) in entries {
                    let Some(key) = key.as_str() else { continue };
                    if let Some(json) = self.json_at(&format!("{property}.{key}"), value, steps + 1)? {
                        object.insert(key.to_owned(), json);
                    }
                }
                Ok(Some(object.into()))
            }
        }
    }

    /// A string value, for conditions (`Fn::Equals`) and names; `None` for
    /// `AWS::NoValue`.
    pub fn string(&self, property: &str, node: &Node) -> Result<Option<String>, String> {
        self.string_at(property, node, 0)
    }

    fn string_at(&self, property: &str, node: &Node, steps: usize) -> Result<Option<String>, String> {
        if steps > MAX_STEPS {
            return Err(format!("{property} is nested too deeply to resolve"));
        }
        match &node.value {
            Value::Bool(b) => Ok(Some(b.to_string())),
            Value::Scalar { text, .. } => Ok(Some(text.clone())),
            _ => match self.follow(property, node, steps)? {
                Some(Next::Node(target)) => self.string_at(property, target, steps + 1),
                Some(Next::Text(text)) => Ok(Some(text)),
                Some(Next::NoValue) => Ok(None),
                None => Err(cannot(property, node)),
            },
        }
    }

    /// The strings of a list: literal, a list parameter's default, or what
    /// resolves to one (`Fn::ForEach` collections).
    pub fn strings(&self, property: &str, node: &Node) -> Result<Vec<String>, String> {
        self.list(property, node, 0)?
            .into_iter()
            .map(|item| match item {
                Next::Node(n) => self.required(property, n, 1),
                Next::Text(t) => Ok(t),
                Next::NoValue => Err(format!("{property} holds AWS::NoValue")),
            })
            .collect()
    }

    /// A string that must be there (`AWS::NoValue` is an error here).
    fn required(&self, property: &str, node: &Node, steps: usize) -> Result<String, String> {
        self.string_at(property, node, steps)?
            .ok_or_else(|| format!("{property} uses AWS::NoValue where a value is needed"))
    }

    /// One step through `Ref` (to a parameter default), `Fn::If`,
    /// `Fn::Base64`, `Fn::Sub`, `Fn::Select`, `Fn::FindInMap` or `Fn::Join`;
    /// `None` for anything else.
    fn follow<'n>(&'n self, property: &str, node: &'n Node, steps: usize) -> Result<Option<Next<'n>>, String> {
        if let Some(name) = node.get("Ref").and_then(|r| r.as_str()) {
            if name == "AWS::NoValue" {
                return Ok(Some(Next::NoValue));
            }
            return self.parameter(property, name).map(|n| Some(Next::Node(n)));
        }
        if let Some(args) = node.get("Fn::If").and_then(|a| a.as_seq()) {
            let [condition, then, otherwise] = args else {
                return Err(format!("{property} has a malformed !If"));
            };
            let name = condition
                .as_str()
                .ok_or_else(|| format!("{property} has a malformed !If"))?;
            return match self.condition_at(name, steps + 1) {
                Ok(true) => Ok(Some(Next::Node(then))),
                Ok(false) => Ok(Some(Next::Node(otherwise))),
                Err(why) => Err(format!("{property} is !If {name}, and {why}")),
            };
        }
        if let Some(arg) = node.get("Fn::Base64") {
            use base64::Engine;
            let text = self.required(property, arg, steps + 1)?;
            return Ok(Some(Next::Text(base64::engine::general_purpose::STANDARD.encode(text))));
        }
        if let Some(arg) = node.get("Fn::Sub") {
            return self.sub(property, arg, steps).map(|t| Some(Next::Text(t)));
        }
        if let Some(args) = node.get("Fn::Select").and_then(|a| a.as_seq()) {
            let [index, list] = args else {
                return Err(format!("{property} has a malformed !Select"));
            };
            let index = self.required(property, index, steps + 1)?;
            let index: usize = index
                .trim()
                .parse()
                .map_err(|_| format!("{property} selects item {index:?}, which is not an index"))?;
            let items = self.list(property, list, steps + 1)?;
            let count = items.len();
            return items
                .into_iter()
                .nth(index)
                .map(Some)
                .ok_or_else(|| format!("{property} selects item {index} of a list of {count}"));
        }
        if let Some(args) = node.get("Fn::FindInMap").and_then(|a| a.as_seq()) {
            let [map, top, second] = args else {
                return Err(format!("{property} has a malformed !FindInMap"));
            };
            let keys = [map, top, second]
                .iter()
                .map(|k| self.required(property, k, steps + 1))
                .collect::<Result<Vec<_>, _>>()?;
            let found = self
                .mappings
                .and_then(|m| m.get(&keys[0]))
                .and_then(|m| m.get(&keys[1]))
                .and_then(|m| m.get(&keys[2]));
            return found.map(|n| Some(Next::Node(n))).ok_or_else(|| {
                format!(
                    "{property} is !FindInMap [{}], which the Mappings do not hold",
                    keys.join(", ")
                )
            });
        }
        if let Some(args) = node.get("Fn::Join").and_then(|a| a.as_seq()) {
            let [delimiter, list] = args else {
                return Err(format!("{property} has a malformed !Join"));
            };
            let delimiter = self.required(property, delimiter, steps + 1)?;
            let parts = self
                .list(property, list, steps + 1)?
                .into_iter()
                .map(|item| match item {
                    Next::Node(n) => self.required(property, n, steps + 1),
                    Next::Text(t) => Ok(t),
                    Next::NoValue => Ok(String::new()),
                })
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Some(Next::Text(parts.join(&delimiter))));
        }
        Ok(None)
    }

    /// The default of parameter `name`, if it can stand for the deployed value.
    fn parameter(&self, property: &str, name: &str) -> Result<&Node, String> {
        match self.given.get(name) {
            Some(Ok(value)) => return Ok(value),
            Some(Err(why)) => {
                return Err(format!(
                    "{property} is !Ref {name}, which the parent stack passes as {why}"
                ))
            }
            None => {}
        }
        match self.parameters.get(name) {
            // Its default is the *name* of an SSM parameter, not the value.
            Some(Parameter { kind: Some(kind), .. }) if kind.starts_with("AWS::SSM::Parameter::Value<") => Err(
                format!("{property} is !Ref {name}, whose value is read from SSM Parameter Store at deployment"),
            ),
            Some(Parameter {
                default: Some(default), ..
            }) => {
                let value = default.as_str().map_or_else(|| default.describe(), str::to_owned);
                self.assumed.borrow_mut().push(format!("{name}={value}"));
                Ok(default)
            }
            Some(Parameter { default: None, .. }) => Err(format!("{property} is !Ref {name}, which has no default")),
            None => Err(format!(
                "{property} is !Ref {name}, which is not a parameter with a default"
            )),
        }
    }

    /// The items of a literal list, a list parameter's default or anything
    /// that resolves to a comma-separated string.
    fn list<'n>(&'n self, property: &str, node: &'n Node, steps: usize) -> Result<Vec<Next<'n>>, String> {
        if steps > MAX_STEPS {
            return Err(format!("{property} is nested too deeply to resolve"));
        }
        if let Some(items) = node.as_seq() {
            return Ok(items.iter().map(|i| Next::Node(i)).collect());
        }
        let split = |text: &str| text.split(',').map(|t| Next::Text(t.trim().to_owned())).collect();
        match &node.value {
            Value::Scalar { text, .. } => Ok(split(text)),
            _ => match self.follow(property, node, steps)? {
                Some(Next::Node(target)) => self.list(property, target, steps + 1),
                Some(Next::Text(text)) => Ok(split(&text)),
                Some(Next::NoValue) | None => Err(cannot(property, node)),
            },
        }
    }

    /// `!Sub` with `${Parameter}`, `${Var}` from its own map and `${!Literal}`.
    fn sub(&self, property: &str, arg: &Node, steps: usize) -> Result<String, String> {
        let (template, vars) = match arg.as_seq() {
            Some([template, vars]) => (template.as_ref(), Some(vars)),
            _ => (arg, None),
        };
        let template = template
            .as_str()
            .ok_or_else(|| format!("{property} has a malformed !Sub"))?;
        let mut out = String::new();
        let mut rest = template;
        while let Some(at) = rest.find("${") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let end = after
                .find('}')
                .ok_or_else(|| format!("{property} has an unclosed ${{ in !Sub"))?;
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else {
                let value = match vars.and_then(|v| v.get(name)) {
                    Some(node) => self.required(property, node, steps + 1)?,
                    None if name.contains('.') || name.starts_with("AWS::") => {
                        return Err(format!(
                            "{property} is !Sub with ${{{name}}}, which is known only at deployment"
                        ))
                    }
                    None => {
                        let default = self.parameter(property, name)?;
                        self.required(property, default, steps + 1)?
                    }
                };
                out.push_str(&value);
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
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
            let side = |n: &Node| self.required(&format!("condition {name}"), n, steps + 1);
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

fn cannot(property: &str, node: &Node) -> String {
    format!(
        "{property} is {}, which cannot be resolved before deployment",
        node.describe()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::parse;

    const TEMPLATE: &str = r#"
Parameters:
  Isolated: { Type: String, Default: "true" }
  FromSsm: { Type: "AWS::SSM::Parameter::Value<String>", Default: /ml/isolation }
  Flags: { Type: CommaDelimitedList, Default: "false,true" }
Mappings:
  Stage:
    prod: { Isolation: "true" }
    dev: { Isolation: "false" }
Conditions:
  IsProd: !Equals [!Ref Isolated, "true"]
  Never: !Equals ["a", "b"]
Resources:
  Probe:
    Properties:
      Sub: !Sub "true"
      SubParam: !Sub "${Isolated}"
      SubVar: !Sub ["${X}", { X: "false" }]
      SubLiteral: !Sub "${!Isolated}"
      SubAtt: !Sub "${Model.Arn}"
      Select: !Select [1, ["false", "true"]]
      SelectParam: !Select [0, !Ref Flags]
      FindInMap: !FindInMap [Stage, prod, Isolation]
      FindMissing: !FindInMap [Stage, qa, Isolation]
      Ssm: !Ref FromSsm
      NoValue: !If [Never, true, !Ref AWS::NoValue]
      Join: !Join ["", ["tr", "ue"]]
"#;

    fn resolved(property: &str) -> (Result<Option<bool>, String>, Result<Option<String>, String>) {
        let root = parse(TEMPLATE).unwrap();
        let ctx = Context::new(&root);
        let node = root
            .get("Resources")
            .and_then(|r| r.get("Probe"))
            .and_then(|p| p.get("Properties"))
            .and_then(|p| p.get(property))
            .unwrap()
            .clone();
        let text = ctx.string(property, &node);
        (text.clone().map(|t| t.map(|t| t == "true")), text)
    }

    #[test]
    fn literal_intrinsics_are_resolved() {
        for (property, want) in [
            ("Sub", true),
            ("SubParam", true),
            ("SubVar", false),
            ("Select", true),
            ("SelectParam", false),
            ("FindInMap", true),
            ("Join", true),
        ] {
            assert_eq!(resolved(property).0, Ok(Some(want)), "{property}");
        }
        assert_eq!(resolved("SubLiteral").1, Ok(Some("${Isolated}".into())));
    }

    #[test]
    fn no_value_is_absence_not_a_value() {
        assert_eq!(resolved("NoValue").0, Ok(None));
    }

    #[test]
    fn deploy_time_values_stay_unknown_with_their_reason() {
        let ssm = resolved("Ssm").0.unwrap_err();
        assert!(ssm.contains("SSM Parameter Store"), "{ssm}");
        let att = resolved("SubAtt").0.unwrap_err();
        assert!(att.contains("${Model.Arn}"), "{att}");
        let missing = resolved("FindMissing").0.unwrap_err();
        assert!(missing.contains("Stage, qa, Isolation"), "{missing}");
    }
}
