//! Rules a team wrote (policies, judged by an engine outside this crate):
//! installed once at start, before anything reads the rules, then listed,
//! selected, read and reported like the built-in ones (`registry::all`).

use crate::model::Setting;
use crate::rule::{Rule, Verdict};
use crate::Resource;
use std::sync::OnceLock;

/// What judges a custom rule's resources.
pub trait Judge: Send + Sync {
    /// The verdict on a resource of the rule's kind.
    fn judge(&self, resource: &Resource) -> Verdict;
}

/// A custom rule, as its loader made it.
pub struct Custom {
    pub rule: Rule,
    /// Where it was written (a policy's file), for listings.
    pub origin: String,
    /// The properties it reads: each read, live and in templates, as the
    /// built-in rules' settings are.
    pub reads: Vec<Setting>,
    pub judge: Box<dyn Judge>,
}

pub(crate) struct Installed {
    pub rule: &'static Rule,
    origin: &'static str,
    pub reads: Vec<&'static Setting>,
    judge: Box<dyn Judge>,
}

static INSTALLED: OnceLock<Vec<Installed>> = OnceLock::new();

/// Installs the run's custom rules. They live as long as the process, as
/// the built-in ones do. Refused once anything has read the rules: what
/// was read then would not know them.
pub fn install(customs: Vec<Custom>) -> Result<(), String> {
    let installed = customs
        .into_iter()
        .map(|custom| Installed {
            rule: Box::leak(Box::new(custom.rule)),
            origin: Box::leak(custom.origin.into_boxed_str()),
            reads: custom
                .reads
                .into_iter()
                .map(|setting| &*Box::leak(Box::new(setting)))
                .collect(),
            judge: custom.judge,
        })
        .collect();
    INSTALLED
        .set(installed)
        .map_err(|_| "custom rules are installed before anything reads the rules".to_owned())
}

/// The installed custom rules (none when nothing was installed).
pub(crate) fn installed() -> &'static [Installed] {
    INSTALLED.get_or_init(Vec::new)
}

/// The installed custom rule that `rule` is; `None` for a built-in one.
fn installed_as(rule: &Rule) -> Option<&'static Installed> {
    INSTALLED.get()?.iter().find(|custom| std::ptr::eq(custom.rule, rule))
}

/// Where a custom rule was written; `None` for a built-in one.
pub fn origin(rule: &Rule) -> Option<&'static str> {
    installed_as(rule).map(|custom| custom.origin)
}

/// What judges `rule`, when it is a custom rule.
pub(crate) fn judge_of(rule: &Rule) -> Option<&'static dyn Judge> {
    installed_as(rule).map(|custom| custom.judge.as_ref())
}

/// The check a custom rule's table entry carries: never called, since its
/// judge answers for it.
pub fn judged_by_its_engine(_: &Resource) -> Option<Verdict> {
    None
}
