//! A value a source could read, or the reason it could not. Rules must treat
//! `Unknown` as unknown: a value nobody could read never passes.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "value", rename_all = "snake_case")]
pub enum Fact<T> {
    Known(T),
    /// Why the value could not be read (access denied, unresolved `!Ref`, …).
    Unknown(String),
}

impl<T> Fact<T> {
    pub fn unknown(reason: impl Into<String>) -> Self {
        Fact::Unknown(reason.into())
    }

    pub fn known(&self) -> Option<&T> {
        match self {
            Fact::Known(value) => Some(value),
            Fact::Unknown(_) => None,
        }
    }

    /// The value turned into another; an unknown stays unknown, for the same reason.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Fact<U> {
        match self {
            Fact::Known(value) => Fact::Known(f(value)),
            Fact::Unknown(reason) => Fact::Unknown(reason),
        }
    }
}
