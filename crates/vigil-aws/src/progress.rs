//! How collectors report progress, in a module of its own so that the
//! collectors (and remediation planning) do not import up into the audit
//! that orchestrates them.

/// Live progress, for a progress bar; called from many tasks at once.
pub trait Progress: Send + Sync {
    /// `n` more resources were listed.
    fn found(&self, n: u64);
    /// `n` more resources were described (or given up on).
    fn judged(&self, n: u64);
    /// What the run is doing before anything is listed.
    fn phase(&self, _what: &str) {}
    /// `done` of the `total` accounts audited so far.
    fn account(&self, _done: usize, _total: usize) {}
}

/// No progress to show: for callers that draw no bar.
pub(crate) struct Silent;

impl Progress for Silent {
    fn found(&self, _: u64) {}
    fn judged(&self, _: u64) {}
}
