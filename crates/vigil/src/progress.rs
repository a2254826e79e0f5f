//! The progress bar on stderr: drawn only on a terminal, so pipes and CI logs
//! stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

/// A spinner saying the phase until the first resource is listed, then a
/// bar of resources described out of those listed (never a full bar at 0/0).
pub struct Bar(ProgressBar, AtomicBool);

impl Bar {
    pub fn new(enabled: bool) -> Self {
        let target = if enabled && std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(0), target);
        bar.set_style(ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"));
        bar.set_message("starting");
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Bar(bar, AtomicBool::new(false))
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl vigil_aws::Progress for Bar {
    fn found(&self, n: u64) {
        if !self.1.swap(true, Ordering::Relaxed) {
            self.0.set_style(
                ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} resources ({elapsed})")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
        }
        self.0.inc_length(n);
    }

    fn phase(&self, what: &str) {
        self.0.set_message(what.to_owned());
    }

    fn account(&self, done: usize, total: usize) {
        if total > 1 {
            self.0.set_message(format!("{done}/{total} accounts"));
        }
    }

    fn judged(&self, n: u64) {
        self.0.inc(n);
    }
}

/// Colour on stdout only for a terminal, and never when `NO_COLOR` is set.
pub fn stdout_wants_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}
