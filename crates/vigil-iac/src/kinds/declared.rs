//! What a kind's builder reads: a declared resource's properties
//! ([`Props`], one implementation per template language) and the readings
//! every kind shares ([`Declared`]: a name, a flag, a KMS key, a role's
//! policies, the elements of a list, …).

use vigil_core::model::{Setting, Value};
use vigil_core::{Fact, Position, Property};

/// A property's value as a template states it, before a kind reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    /// Not written, `null`, or `AWS::NoValue`: the service's default applies.
    Unset,
    Bool(bool),
    /// A string or number, as text.
    Text(String),
    /// An object, list or nested block is written here.
    Block,
    /// Written, but its value is decided only at deployment.
    Unresolved {
        written: String,
        why: String,
    },
}

/// The elements of a list property (a CloudFormation list, Terraform's
/// repeated blocks or a JSON list), each read like a resource of its own.
pub enum Items<'a> {
    Unset,
    Each(Vec<Box<dyn Props + 'a>>),
    /// The list (or one of its elements) is decided only at deployment.
    Unresolved(String),
}

/// One declared resource's properties, in whichever language declared it.
pub trait Props {
    /// The elements of the list at the property's path.
    fn items(&self, property: &Property) -> Items<'_>;
    /// The value at the property's path in this language.
    fn value(&self, property: &Property) -> Raw;
    /// The keys of the tags at the property's path (a CloudFormation list
    /// of `{Key, Value}`, or a map); `None` when none are written, why not
    /// when they cannot be read.
    fn tag_keys(&self, property: &Property) -> Result<Option<Vec<String>>, String>;
    /// The strings of the list at the property's path (a list of header
    /// names, say); `None` when none is written, why not when an element
    /// cannot be read.
    fn strings(&self, property: &Property) -> Result<Option<Vec<String>>, String>;
    /// The value at the property's path whole, as JSON in CloudFormation's
    /// spelling (`whole`); `None` when it is not written, why not when any
    /// part of it is decided only at deployment.
    fn json(&self, property: &Property) -> Result<Option<serde_json::Value>, String>;
    /// Where the property is written in the resource's own file, if it is.
    fn position(&self, property: &Property) -> Option<Position>;
    /// The property's path as this language spells it, for messages.
    fn spelled(&self, property: &Property) -> std::borrow::Cow<'static, str> {
        property.terraform.into()
    }
    /// The resource the property refers to, by the key the template's
    /// declarations are found by (`!GetAtt Role.Arn`: `Role`;
    /// `aws_iam_role.r.arn`: `aws_iam_role.r`); `None` for a value.
    fn reference(&self, _property: &Property) -> Option<String> {
        None
    }
}

/// What a kind's builder is given: the properties, the id to name the
/// resource by when it declares no name, and the type reports use.
pub struct Declared<'a> {
    pub props: &'a dyn Props,
    pub id: &'a str,
    pub type_name: &'static str,
    /// What the same template or module declares around it.
    pub neighbours: &'a crate::neighbours::Neighbours,
    /// What the template shows of each key the builder read ([`Declared::key`]).
    pub keys: std::cell::RefCell<vigil_core::model::KmsKeys>,
}

impl<'a> Declared<'a> {
    pub fn new(
        props: &'a dyn Props,
        id: &'a str,
        type_name: &'static str,
        neighbours: &'a crate::neighbours::Neighbours,
    ) -> Self {
        Declared {
            props,
            id,
            type_name,
            neighbours,
            keys: Default::default(),
        }
    }

    /// The KMS key the property names (empty or blank: none), with what
    /// the template shows of it recorded: declared here, AWS managed by
    /// its `alias/aws/…` name, or for KMS to tell.
    pub fn key(&self, property: &Property) -> Option<String> {
        let key = vigil_core::model::named_key(self.written(property))?;
        let reference = self.props.reference(property).or_else(|| written_reference(&key));
        let standing = self.neighbours.keys.standing(reference.as_deref(), &key);
        self.keys.borrow_mut().insert(&key, Fact::Known(standing));
        Some(key)
    }

    /// What the property names: the declaration it refers to (`Role` for
    /// `!GetAtt Role.Arn`, `aws_iam_role.r` for `aws_iam_role.r.arn`), or
    /// the value as written.
    pub fn named(&self, property: &Property) -> Option<String> {
        let written = self.written(property)?;
        Some(self.props.reference(property).unwrap_or(written))
    }

    /// The declared name, or the logical id / address.
    pub fn name(&self, property: &Property) -> String {
        match self.props.value(property) {
            Raw::Text(name) => name,
            _ => self.id.to_owned(),
        }
    }

    /// A flag that is `false` when unset, as AWS reads it.
    pub fn flag(&self, property: &Property) -> Fact<bool> {
        match self.props.value(property) {
            Raw::Unset => Fact::Known(false),
            Raw::Bool(b) => Fact::Known(b),
            Raw::Text(t) if t.eq_ignore_ascii_case("true") => Fact::Known(true),
            Raw::Text(t) if t.eq_ignore_ascii_case("false") => Fact::Known(false),
            Raw::Text(t) => Fact::Unknown(format!("{} is {t:?}, which is not a boolean", self.spelled(property))),
            Raw::Block => Fact::Unknown(format!("{} is not a boolean", self.spelled(property))),
            Raw::Unresolved { why, .. } => Fact::Unknown(why),
        }
    }

    /// An `Enabled`/`Disabled` setting that is enabled when unset, as AWS applies it.
    pub fn enabled(&self, property: &Property) -> Fact<bool> {
        match self.props.value(property) {
            Raw::Unset => Fact::Known(true),
            Raw::Text(t) if t.eq_ignore_ascii_case("enabled") => Fact::Known(true),
            Raw::Text(t) if t.eq_ignore_ascii_case("disabled") => Fact::Known(false),
            Raw::Text(t) => Fact::Unknown(format!(
                "{} is {t:?}, neither Enabled nor Disabled",
                self.spelled(property)
            )),
            Raw::Bool(_) | Raw::Block => {
                Fact::Unknown(format!("{} is neither Enabled nor Disabled", self.spelled(property)))
            }
            Raw::Unresolved { why, .. } => Fact::Unknown(why),
        }
    }

    /// Whether the property equals `expected`; unset is not.
    pub fn equals(&self, property: &Property, expected: &str) -> Fact<bool> {
        match self.props.value(property) {
            Raw::Unset | Raw::Bool(_) | Raw::Block => Fact::Known(false),
            Raw::Text(t) => Fact::Known(t == expected),
            Raw::Unresolved { why, .. } => Fact::Unknown(why),
        }
    }

    /// Whether anything is written there: a value decided only at deployment
    /// still is (a subnet chosen at deploy time is still a subnet).
    pub fn written(&self, property: &Property) -> Option<String> {
        match self.props.value(property) {
            Raw::Unset => None,
            Raw::Bool(b) => Some(b.to_string()),
            Raw::Text(t) => Some(t),
            Raw::Block => Some(String::new()),
            Raw::Unresolved { written, .. } => Some(written),
        }
    }

    /// A setting a rule declares, by its path: anything written counts for
    /// a `presence` setting; otherwise a value decided at deployment is unknown.
    pub fn setting(&self, setting: &Setting) -> Fact<Value> {
        if setting.whole {
            return match self.props.json(&setting.property) {
                Ok(None) => Fact::Known(Value::Absent),
                Ok(Some(json)) => Fact::Known(Value::Json(json)),
                Err(why) => Fact::Unknown(why),
            };
        }
        match self.props.value(&setting.property) {
            Raw::Unset => Fact::Known(Value::Absent),
            Raw::Bool(b) => Fact::Known(Value::Bool(b)),
            Raw::Text(t) => Fact::Known(Value::Text(t)),
            Raw::Block => Fact::Known(Value::Block),
            Raw::Unresolved { written, .. } if setting.presence => Fact::Known(Value::Text(written)),
            Raw::Unresolved { why, .. } => Fact::Unknown(why),
        }
    }

    /// Each element of a list property, built by `build` (which reads the
    /// element's own paths); unset is no element, unresolved is unknown.
    pub fn each<T>(&self, property: &Property, build: impl Fn(&Declared) -> T) -> Fact<Vec<T>> {
        match self.props.items(property) {
            Items::Unset => Fact::Known(Vec::new()),
            Items::Unresolved(why) => Fact::Unknown(why),
            Items::Each(items) => Fact::Known(
                items
                    .iter()
                    .map(|props| {
                        let item = Declared::new(props.as_ref(), self.id, self.type_name, self.neighbours);
                        let built = build(&item);
                        // The element's keys are the resource's.
                        self.keys.borrow_mut().merge(item.keys.take());
                        built
                    })
                    .collect(),
            ),
        }
    }

    /// A whole number; unset is `None`, anything else is unknown.
    pub fn number(&self, property: &Property) -> Fact<Option<u32>> {
        match self.props.value(property) {
            Raw::Unset => Fact::Known(None),
            Raw::Text(t) => t
                .parse()
                .map(|n| Fact::Known(Some(n)))
                .unwrap_or_else(|_| Fact::Unknown(format!("{} is {t:?}, not a whole number", self.spelled(property)))),
            Raw::Bool(_) | Raw::Block => Fact::Unknown(format!("{} is not a number", self.spelled(property))),
            Raw::Unresolved { why, .. } => Fact::Unknown(why),
        }
    }

    /// A list of strings: unset is empty; an element that cannot be read
    /// makes it unknown.
    pub fn strings(&self, property: &Property) -> Fact<Vec<String>> {
        match self.props.strings(property) {
            Ok(strings) => Fact::Known(strings.unwrap_or_default()),
            Err(why) => Fact::Unknown(why),
        }
    }

    /// A string property: unset is `None`; unresolved is unknown.
    pub fn text(&self, property: &Property) -> Fact<Option<String>> {
        match self.props.value(property) {
            Raw::Unset => Fact::Known(None),
            Raw::Text(t) => Fact::Known(Some(t)),
            Raw::Bool(b) => Fact::Known(Some(b.to_string())),
            Raw::Block => Fact::Unknown(format!("{} is not a string", self.spelled(property))),
            Raw::Unresolved { why, .. } => Fact::Unknown(why),
        }
    }

    /// The policies of the role the property names, when the template
    /// declares it; a role declared elsewhere is unknown (the live audit
    /// reads it), and no role has none.
    pub fn role_policies(&self, property: &Property) -> Fact<Vec<vigil_core::model::RolePolicy>> {
        let roles = &self.neighbours.roles;
        if let Some(found) = self
            .props
            .reference(property)
            .and_then(|key| roles.policies(Some(&key), None))
        {
            return found;
        }
        match self.props.value(property) {
            Raw::Text(arn) => roles.policies(None, Some(&arn)).unwrap_or_else(|| {
                Fact::Unknown(format!(
                    "role {arn} is not declared in this template: the live audit reads its policies"
                ))
            }),
            Raw::Unset => Fact::Known(Vec::new()),
            Raw::Unresolved { why, .. } => Fact::Unknown(why),
            Raw::Bool(_) | Raw::Block => Fact::Unknown(format!("{} is not a role ARN", self.spelled(property))),
        }
    }

    /// The way out of the subnet the property names, when the template
    /// declares the subnet; one declared elsewhere is unknown.
    pub fn egress(&self, property: &Property) -> Fact<vigil_core::model::SubnetEgress> {
        let networks = &self.neighbours.networks;
        if let Some(found) = self.props.reference(property).and_then(|key| networks.egress(&key)) {
            return found;
        }
        match self.props.value(property) {
            Raw::Text(id) => networks.egress(&id).unwrap_or_else(|| {
                Fact::Unknown(format!(
                    "subnet {id} is not declared in this template: the live audit reads its routes"
                ))
            }),
            Raw::Unresolved { why, .. } => Fact::Unknown(why),
            _ => Fact::Unknown(format!("{} names no subnet", self.spelled(property))),
        }
    }

    fn spelled(&self, property: &Property) -> std::borrow::Cow<'static, str> {
        self.props.spelled(property)
    }
}

/// The declaration a value written as `!Ref X`, `!GetAtt X.Arn` or
/// `${aws_kms_key.k.arn}` refers to, when the reader gave no reference.
fn written_reference(written: &str) -> Option<String> {
    if let Some(id) = written.strip_prefix("!Ref ") {
        return Some(id.trim().to_owned());
    }
    if let Some(target) = written.strip_prefix("!GetAtt ") {
        return target.split('.').next().map(|id| id.trim().to_owned());
    }
    crate::tf::reference_key(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One value at every path.
    struct One(Raw);

    impl Props for One {
        fn items(&self, _: &Property) -> Items<'_> {
            Items::Unset
        }
        fn value(&self, _: &Property) -> Raw {
            self.0.clone()
        }
        fn tag_keys(&self, _: &Property) -> Result<Option<Vec<String>>, String> {
            Ok(None)
        }
        fn strings(&self, _: &Property) -> Result<Option<Vec<String>>, String> {
            Ok(None)
        }
        fn json(&self, _: &Property) -> Result<Option<serde_json::Value>, String> {
            match &self.0 {
                Raw::Unresolved { why, .. } => Err(why.clone()),
                Raw::Text(t) => Ok(Some(t.as_str().into())),
                _ => Ok(None),
            }
        }
        fn position(&self, _: &Property) -> Option<Position> {
            None
        }
    }

    #[test]
    fn a_setting_reads_a_deployed_value_as_set_only_when_presence_counts() {
        let setting = |presence| Setting {
            property: Property {
                cloudformation: "A",
                terraform: "a",
            },
            api: "A",
            presence,
            whole: false,
        };
        let neighbours = crate::neighbours::Neighbours::default();
        let read = |raw: Raw, presence: bool| {
            let props = One(raw);
            let declared = Declared::new(&props, "R", "AWS::SageMaker::Domain", &neighbours);
            declared.setting(&setting(presence))
        };
        let deployed = || Raw::Unresolved {
            written: "!Ref Key".into(),
            why: "a parameter".into(),
        };
        assert_eq!(read(deployed(), true), Fact::Known(Value::Text("!Ref Key".into())));
        assert_eq!(read(deployed(), false), Fact::unknown("a parameter"));
        assert_eq!(read(Raw::Unset, false), Fact::Known(Value::Absent));
        assert_eq!(read(Raw::Bool(true), false), Fact::Known(Value::Bool(true)));
        assert_eq!(read(Raw::Block, false), Fact::Known(Value::Block));
    }
}
