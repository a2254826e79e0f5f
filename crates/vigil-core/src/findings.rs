//! A run's findings, held in memory or read back in order from where a
//! large template scan spilled them: every report iterates them one at a
//! time, so a scan's memory does not grow with what it found.

use crate::Finding;
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::sync::Arc;

/// Findings kept outside memory (a temporary file), read back in the
/// report's order as often as a report needs them.
pub trait Spilled: std::fmt::Debug + Send + Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Every finding, in order. Reading stops at the first one that cannot
    /// be read back, and `failure` then says why.
    fn read(&self) -> Box<dyn Iterator<Item = Finding> + '_>;
    /// Why a read stopped short, if one did: a report written from a short
    /// read is incomplete, and the command must say so.
    fn failure(&self) -> Option<String>;
}

#[derive(Debug, Clone)]
pub enum Findings {
    Held(Vec<Finding>),
    Spilled(Arc<dyn Spilled>),
}

impl Findings {
    pub fn len(&self) -> usize {
        match self {
            Findings::Held(held) => held.len(),
            Findings::Spilled(spilled) => spilled.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every finding, in order: borrowed when held, read back when spilled.
    pub fn iter(&self) -> Box<dyn Iterator<Item = Cow<'_, Finding>> + '_> {
        match self {
            Findings::Held(held) => Box::new(held.iter().map(Cow::Borrowed)),
            Findings::Spilled(spilled) => Box::new(spilled.read().map(Cow::Owned)),
        }
    }

    /// Why the findings could not all be read back (see `Spilled::failure`).
    pub fn failure(&self) -> Option<String> {
        match self {
            Findings::Held(_) => None,
            Findings::Spilled(spilled) => spilled.failure(),
        }
    }
}

impl Default for Findings {
    fn default() -> Self {
        Findings::Held(Vec::new())
    }
}

impl From<Vec<Finding>> for Findings {
    fn from(held: Vec<Finding>) -> Self {
        Findings::Held(held)
    }
}

/// A JSON array written finding by finding.
impl Serialize for Findings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}
