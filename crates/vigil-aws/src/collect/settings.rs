//! The settings rules declare (`vigil_core::model::Setting`), read by path
//! from a resource's own `Describe…` answer: each describe call carries an
//! [`Answer`], which keeps the answer's JSON when the kind's rules declare
//! any setting, so a rule on a property the model does not hold needs no
//! collector change.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::sync::{Arc, Mutex};
use vigil_core::model::{Setting, Settings, Value};
use vigil_core::{Fact, Identity, Resource, ResourceKind};

/// The kinds whose collectors (and `vigil watch`) read settings.
pub use vigil_core::model::READ_BY_PATH as READ_FOR;

/// One describe call's answer, kept for the settings of its kind.
#[derive(Debug, Clone)]
pub struct Answer {
    wanted: &'static [&'static Setting],
    body: Arc<Mutex<Option<Vec<u8>>>>,
}

impl Answer {
    /// For a describe call of `kind`: it keeps the answer only when the
    /// kind's rules declare a setting.
    pub fn of(kind: ResourceKind) -> Self {
        Answer {
            wanted: vigil_core::registry::settings(kind),
            body: Arc::default(),
        }
    }

    /// The resource, with its settings read from the answer. A described
    /// resource whose answer was kept but is not JSON has them unknown; an
    /// unreadable one already has them unknown for the call's reason.
    pub fn settle(&self, mut resource: Resource) -> Resource {
        self.fill(resource.identity_mut());
        resource
    }

    /// [`Answer::settle`] for a collector that builds the model first.
    pub fn fill(&self, identity: &mut Identity) {
        if self.wanted.is_empty() {
            return;
        }
        let body = self.body.lock().expect("answer poisoned").take();
        let settings = &mut identity.settings;
        // A failed call already gave its reason.
        if settings.is_unreadable() {
            return;
        }
        let document = body.as_deref().map(serde_json::from_slice::<serde_json::Value>);
        *settings = match document {
            Some(Ok(document)) => {
                let mut read = Settings::default();
                for setting in self.wanted.iter() {
                    let value = match setting.whole {
                        true => Value::whole_at(&document, setting.api),
                        false => Value::at(&document, setting.api),
                    };
                    read.insert(setting, Fact::Known(value));
                }
                read
            }
            Some(Err(err)) => Settings::unreadable(&format!("the describe answer is not JSON: {err}")),
            None => Settings::unreadable("the describe call gave no answer to read settings from"),
        };
    }
}

/// The settings of a kind read through a REST-JSON plane, from the
/// description it was read from (`{"agent": {…}}` is the agent's).
pub(crate) fn read_from(mut resource: Resource, answer: &serde_json::Value) -> Resource {
    let wanted = vigil_core::registry::settings(resource.kind());
    if wanted.is_empty() {
        return resource;
    }
    let inner = match answer.as_object().map(|o| o.values().collect::<Vec<_>>()).as_deref() {
        Some([only]) if only.is_object() => *only,
        _ => answer,
    };
    let mut read = Settings::default();
    for setting in wanted {
        let value = match setting.whole {
            true => Value::whole_at(inner, setting.api),
            false => Value::at(inner, setting.api),
        };
        read.insert(setting, Fact::Known(value));
    }
    resource.identity_mut().settings = read;
    resource
}

impl Intercept for Answer {
    fn name(&self) -> &'static str {
        "VigilSettingsAnswer"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if !self.wanted.is_empty() && context.output_or_error().is_ok() {
            let body = context.response().body().bytes().map(<[u8]>::to_vec);
            *self.body.lock().expect("answer poisoned") = body;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_core::model::{Domain, Property};

    static OUTPUT: Setting = Setting {
        property: Property {
            cloudformation: "DefaultUserSettings.SharingSettings.NotebookOutputOption",
            terraform: "default_user_settings.sharing_settings.notebook_output_option",
        },
        api: "DefaultUserSettings.SharingSettings.NotebookOutputOption",
        presence: false,
        whole: false,
    };

    static WANTED: &[&Setting] = &[&OUTPUT];

    fn answer(body: Option<&str>) -> Answer {
        Answer {
            wanted: WANTED,
            body: Arc::new(Mutex::new(body.map(|b| b.as_bytes().to_vec()))),
        }
    }

    fn domain() -> Resource {
        Resource::Domain(Domain::unreadable(Identity::declared("d".into()), "x"))
    }

    fn output_of(resource: &Resource) -> Fact<Value> {
        resource.identity().settings.get(&OUTPUT)
    }

    #[test]
    fn a_described_resource_gets_its_settings_from_the_answer() {
        let mut described = domain();
        described.identity_mut().settings = Settings::default();
        let body = r#"{"DefaultUserSettings": {"SharingSettings": {"NotebookOutputOption": "Allowed"}}}"#;
        let settled = answer(Some(body)).settle(described.clone());
        assert_eq!(output_of(&settled), Fact::Known(Value::Text("Allowed".into())));
        let settled = answer(Some("{}")).settle(described.clone());
        assert_eq!(output_of(&settled), Fact::Known(Value::Absent));
        let settled = answer(Some("<html>")).settle(described.clone());
        assert!(matches!(output_of(&settled), Fact::Unknown(why) if why.contains("not JSON")));
        let settled = answer(None).settle(described);
        assert!(matches!(output_of(&settled), Fact::Unknown(_)));
    }

    #[test]
    fn an_unreadable_resource_keeps_the_reason_of_its_failed_call() {
        let settled = answer(Some("{}")).settle(domain());
        assert_eq!(output_of(&settled), Fact::unknown("x"));
    }

    #[test]
    fn every_setting_a_rule_declares_is_read_for_its_kind() {
        for rule in vigil_core::registry::RULES.iter().filter(|r| r.setting.is_some()) {
            assert!(
                READ_FOR.contains(&rule.resource_kind),
                "{} declares a setting on {:?}, whose collector reads none",
                rule.id,
                rule.resource_kind
            );
            assert_eq!(rule.setting.map(|s| s.property), Some(rule.property), "{}", rule.id);
        }
    }
}
