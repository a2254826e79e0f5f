//! Settings: a property a rule declares on itself, with its path in the
//! API's `Describe…` answer as well as in templates. Both sides read every
//! setting their kind's rules declare (`registry::settings`) the same way,
//! so a rule on a property the model does not hold needs no model field,
//! collector or kind-table line.

use super::Property;
use crate::fact::Fact;

/// A property read by path from the live answer and from templates alike.
#[derive(Debug, PartialEq, Eq)]
pub struct Setting {
    /// Its paths in CloudFormation and Terraform.
    pub property: Property,
    /// Its path in the kind's `Describe…` answer (dots step into objects);
    /// SageMaker's API mostly spells it as CloudFormation does.
    pub api: &'static str,
    /// Whether anything written counts as set, even a value decided only at
    /// deployment (a key given by reference is still a key). Otherwise such
    /// a value is unknown.
    pub presence: bool,
}

/// A setting's value, as the answer or the template states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Not there: AWS's default applies.
    Absent,
    Bool(bool),
    /// A string or a number, as text.
    Text(String),
    /// An object or a list.
    Block,
}

impl Value {
    /// Whether it is `expected`, ignoring case (`true` and `"true"` are).
    pub fn is(&self, expected: &str) -> bool {
        match self {
            Value::Bool(b) => b.to_string().eq_ignore_ascii_case(expected),
            Value::Text(t) => t.eq_ignore_ascii_case(expected),
            Value::Absent | Value::Block => false,
        }
    }

    /// The value a JSON answer holds at `path`; `null` is absent.
    pub fn at(document: &serde_json::Value, path: &str) -> Value {
        let found = path.split('.').try_fold(document, |value, step| value.get(step));
        match found {
            None | Some(serde_json::Value::Null) => Value::Absent,
            Some(serde_json::Value::Bool(b)) => Value::Bool(*b),
            Some(serde_json::Value::String(s)) => Value::Text(s.clone()),
            Some(serde_json::Value::Number(n)) => Value::Text(n.to_string()),
            Some(_) => Value::Block,
        }
    }
}

/// The settings read for one resource, by their API path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    read: Vec<(&'static str, Fact<Value>)>,
    /// Why none could be read (the resource's answer failed).
    unreadable: Option<String>,
}

impl Settings {
    /// A resource none of whose settings could be read, for one reason.
    pub fn unreadable(reason: &str) -> Self {
        Settings {
            read: Vec::new(),
            unreadable: Some(reason.to_owned()),
        }
    }

    /// Whether none could be read, for a reason already given.
    pub fn is_unreadable(&self) -> bool {
        self.unreadable.is_some()
    }

    pub fn insert(&mut self, setting: &Setting, value: Fact<Value>) {
        self.read.retain(|(path, _)| *path != setting.api);
        self.read.push((setting.api, value));
    }

    /// The setting's value; unknown, with the reason, when it was not read.
    pub fn get(&self, setting: &Setting) -> Fact<Value> {
        match self.read.iter().find(|(path, _)| *path == setting.api) {
            Some((_, value)) => value.clone(),
            None => Fact::Unknown(
                self.unreadable
                    .clone()
                    .unwrap_or_else(|| format!("{} was not read", setting.property.cloudformation)),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: Setting = Setting {
        property: Property {
            cloudformation: "Sharing.Output",
            terraform: "sharing.output",
        },
        api: "Sharing.Output",
        presence: false,
    };

    #[test]
    fn a_value_is_found_by_its_path_and_null_or_missing_is_absent() {
        let answer = serde_json::json!({"Sharing": {"Output": "Allowed", "On": true, "N": 2, "L": []}, "X": null});
        assert_eq!(Value::at(&answer, "Sharing.Output"), Value::Text("Allowed".into()));
        assert_eq!(Value::at(&answer, "Sharing.On"), Value::Bool(true));
        assert_eq!(Value::at(&answer, "Sharing.N"), Value::Text("2".into()));
        assert_eq!(Value::at(&answer, "Sharing.L"), Value::Block);
        assert_eq!(Value::at(&answer, "X"), Value::Absent);
        assert_eq!(Value::at(&answer, "Sharing.Missing.Deeper"), Value::Absent);
        assert!(Value::Bool(true).is("TRUE") && Value::Text("allowed".into()).is("Allowed"));
        assert!(!Value::Absent.is("") && !Value::Block.is(""));
    }

    #[test]
    fn a_setting_not_read_is_unknown_with_the_reason() {
        assert_eq!(
            Settings::default().get(&OUTPUT),
            Fact::unknown("Sharing.Output was not read")
        );
        assert_eq!(
            Settings::unreadable("throttled").get(&OUTPUT),
            Fact::unknown("throttled")
        );
        let mut settings = Settings::unreadable("throttled");
        settings.insert(&OUTPUT, Fact::Known(Value::Absent));
        settings.insert(&OUTPUT, Fact::Known(Value::Text("Disabled".into())));
        assert_eq!(settings.get(&OUTPUT), Fact::Known(Value::Text("Disabled".into())));
    }
}
