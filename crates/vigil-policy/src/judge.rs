//! Judging one resource by a policy: its `reads` gathered into `input`
//! (any that could not be read makes the verdict unknown, and the policy
//! is not run), then `deny` evaluated within a time limit. Each worker
//! thread keeps its own interpreter per policy, parsed once.

use crate::load::Policy;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use vigil_core::model::{Setting, Value};
use vigil_core::{Fact, Resource, Status, Verdict};

pub(crate) struct PolicyJudge {
    id: String,
    /// The policy's file and text, then its libraries'.
    sources: Vec<(String, String)>,
    deny: String,
    name_property: &'static str,
    /// The settings read for it, by CloudFormation path, each with the
    /// schema its value is given the shape of.
    reads: Vec<(&'static str, Setting, &'static serde_json::Value)>,
    /// Which of a thread's interpreters is this policy's.
    slot: usize,
    /// Why it was stopped on an earlier resource: it is not run again in
    /// this run, so one runaway policy costs one time limit, not one per
    /// resource.
    stopped: OnceLock<String>,
}

static SLOTS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static ENGINES: RefCell<HashMap<usize, regorus::Engine>> = RefCell::new(HashMap::new());
}

impl PolicyJudge {
    pub(crate) fn new(policy: &Policy, reads: &[Setting]) -> Self {
        PolicyJudge {
            id: policy.metadata.id.clone(),
            sources: std::iter::once((policy.file.display().to_string(), policy.source.clone()))
                .chain(policy.libraries.iter().cloned())
                .collect(),
            deny: format!("{}.deny", policy.package),
            name_property: policy.metadata.name_property,
            reads: reads
                .iter()
                .cloned()
                .map(|setting| {
                    let path = setting.property.cloudformation;
                    let schema = crate::schema::of(policy.metadata.kind)
                        .and_then(|schema| crate::schema::at(schema, path))
                        .unwrap_or(&serde_json::Value::Null);
                    (path, setting, schema)
                })
                .collect(),
            slot: SLOTS.fetch_add(1, Ordering::Relaxed),
            stopped: OnceLock::new(),
        }
    }

    /// The input, or the first read that could not be read and why.
    fn input(&self, resource: &Resource) -> Result<serde_json::Value, (&'static str, String)> {
        let identity = resource.identity();
        let mut input = serde_json::Map::new();
        input.insert(self.name_property.to_owned(), identity.name.clone().into());
        for (path, setting, schema) in &self.reads {
            let value = match identity.settings.get(setting) {
                Fact::Unknown(why) => return Err((path, why)),
                Fact::Known(Value::Absent) => continue,
                Fact::Known(Value::Json(json)) => json,
                Fact::Known(Value::Bool(b)) => b.into(),
                Fact::Known(Value::Text(t)) => t.into(),
                Fact::Known(Value::Block) => return Err((path, format!("{path} was not read whole"))),
            };
            place(&mut input, path, crate::schema::conform(value, schema));
        }
        Ok(input.into())
    }

    /// The policy's `deny` messages for this input.
    fn deny(&self, input: serde_json::Value) -> Result<Vec<String>, String> {
        ENGINES.with(|engines| {
            let mut engines = engines.borrow_mut();
            let engine = match engines.entry(self.slot) {
                std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
                std::collections::hash_map::Entry::Vacant(entry) => entry.insert(
                    crate::interpreter::with(&self.sources).map_err(|e| crate::load::one_line(&e.to_string()))?,
                ),
            };
            engine.set_input(regorus::Value::from(input));
            let denied = engine
                .eval_rule(self.deny.clone())
                .map_err(|e| crate::load::one_line(&e.to_string()))?;
            Ok(messages(&denied))
        })
    }
}

/// A `deny` set's messages, in order; anything not a string as JSON.
fn messages(denied: &regorus::Value) -> Vec<String> {
    let Ok(set) = denied.as_set() else {
        return Vec::new();
    };
    set.iter()
        .map(|message| match message.as_string() {
            Ok(text) => text.to_string(),
            Err(_) => message.to_json_str().unwrap_or_default(),
        })
        .collect()
}

/// Puts `value` at a dotted path of `input`, making the objects on the way.
fn place(input: &mut serde_json::Map<String, serde_json::Value>, path: &str, value: serde_json::Value) {
    let mut steps = path.split('.').peekable();
    let mut object = input;
    while let Some(step) = steps.next() {
        if steps.peek().is_none() {
            object.insert(step.to_owned(), value);
            return;
        }
        let next = object
            .entry(step.to_owned())
            .or_insert_with(|| serde_json::Value::Object(Default::default()));
        if !next.is_object() {
            // A wider read already holds this whole.
            return;
        }
        object = next.as_object_mut().expect("checked above");
    }
}

impl vigil_core::custom::Judge for PolicyJudge {
    fn judge(&self, resource: &Resource) -> Verdict {
        let name = &resource.identity().name;
        let input = match self.input(resource) {
            Ok(input) => input,
            Err((path, why)) => {
                return Verdict::unknown(
                    why,
                    format!("{path} of {name} could not be read, so policy {} was not run.", self.id),
                )
            }
        };
        if let Some(why) = self.stopped.get() {
            return Verdict::unknown(why.clone(), format!("Policy {} could not judge {name}.", self.id));
        }
        match self.deny(input) {
            Ok(denied) if denied.is_empty() => Verdict {
                status: Status::Pass,
                message: format!("{name} meets policy {}.", self.id),
            },
            Ok(denied) => Verdict {
                status: Status::Fail,
                message: denied.join("; "),
            },
            Err(why) => {
                let reason = format!("policy {} stopped: {why}", self.id);
                if why.contains("time limit") || why.contains("exceeded") {
                    let _ = self
                        .stopped
                        .set(format!("{reason} (on {name}; not run again in this run)"));
                }
                Verdict::unknown(reason, format!("Policy {} could not judge {name}.", self.id))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_are_placed_at_their_paths() {
        let mut input = serde_json::Map::new();
        place(&mut input, "VpcConfig.Subnets", json!(["a"]));
        place(&mut input, "VpcConfig.SecurityGroupIds", json!(["sg"]));
        place(&mut input, "EnableNetworkIsolation", json!(true));
        assert_eq!(
            serde_json::Value::from(input),
            json!({"VpcConfig": {"Subnets": ["a"], "SecurityGroupIds": ["sg"]}, "EnableNetworkIsolation": true})
        );
    }
}
