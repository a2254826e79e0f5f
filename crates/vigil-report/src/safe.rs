//! Untrusted text made harmless for a terminal. Resource names, tags, API
//! error messages, template ids and source lines come from accounts and
//! files Vigil does not control: an escape sequence in them could retitle
//! the window, write the clipboard (OSC 52), clear the screen or hide text,
//! and a newline could forge a report row. Every text rendering passes them
//! through here; JSON and SARIF escape by themselves.

use std::borrow::Cow;
use vigil_core::remediation::{Applied, Plan};
use vigil_core::{Finding, Report, RunError};

/// Control characters (C0, DEL, C1) and the bidirectional overrides that
/// reorder what a terminal shows, written out as `\x1b` / `\u{202e}`.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if needs_escape(c) && (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Applies `safe` to every piece of text in place.
pub(crate) trait Neutralise {
    fn neutralise(&mut self);
}

impl Neutralise for String {
    fn neutralise(&mut self) {
        if let Cow::Owned(clean) = safe(self) {
            *self = clean;
        }
    }
}

/// Counts carry no text.
impl Neutralise for usize {
    fn neutralise(&mut self) {}
}

impl<T: Neutralise> Neutralise for Option<T> {
    fn neutralise(&mut self) {
        if let Some(value) = self {
            value.neutralise();
        }
    }
}

impl<T: Neutralise> Neutralise for Vec<T> {
    fn neutralise(&mut self) {
        self.iter_mut().for_each(Neutralise::neutralise);
    }
}

impl<K: Ord + Clone + Neutralise, V: Neutralise> Neutralise for std::collections::BTreeMap<K, V> {
    fn neutralise(&mut self) {
        let taken = std::mem::take(self);
        *self = taken
            .into_iter()
            .map(|(mut k, mut v)| {
                k.neutralise();
                v.neutralise();
                (k, v)
            })
            .collect();
    }
}

impl Neutralise for RunError {
    fn neutralise(&mut self) {
        self.region.neutralise();
        self.account.neutralise();
        self.operation.neutralise();
        self.message.neutralise();
        self.file.neutralise();
    }
}

impl Neutralise for Finding {
    fn neutralise(&mut self) {
        self.message.neutralise();
        self.reason.neutralise();
        if let vigil_core::Status::Unknown { reason } = &mut self.status {
            reason.neutralise();
        }
        if let Some(s) = &mut self.suppression {
            s.reason.neutralise();
            s.expires.neutralise();
        }
        let r = &mut self.resource;
        r.name.neutralise();
        r.arn.neutralise();
        r.account.neutralise();
        r.region.neutralise();
        if let Some(l) = &mut self.location {
            l.file.neutralise();
            l.logical_id.neutralise();
        }
    }
}

/// Held findings are made safe in the copy; spilled ones are read back
/// afresh by each renderer, which makes each one safe as it reads it.
impl Neutralise for vigil_core::Findings {
    fn neutralise(&mut self) {
        if let vigil_core::Findings::Held(held) = self {
            held.neutralise();
        }
    }
}

/// A copy of `report` fit for a terminal.
/// Its findings are held in the copy, each made safe (a renderer that
/// builds its whole text holds them anyway), spilled ones read back.
pub(crate) fn report(report: &Report) -> Report {
    let mut copy = around_findings(report);
    let safe = report.findings.iter().map(|f| {
        let mut f = f.into_owned();
        f.neutralise();
        f
    });
    copy.findings = vigil_core::Findings::Held(safe.collect());
    copy
}

/// What a report says around its findings, fit for a terminal, with no
/// findings (a renderer that streams them makes each one safe itself).
pub(crate) fn around_findings(report: &Report) -> Report {
    let mut report = report.without_findings();
    report.account.neutralise();
    report.regions.neutralise();
    report.errors.neutralise();
    report.notes.neutralise();
    if let Some(files) = &mut report.files {
        files.unjudged.neutralise();
    }
    if let Some(recorded) = &mut report.recorded {
        recorded.run.neutralise();
        for resolved in &mut recorded.resolved {
            let r = &mut resolved.resource;
            resolved.rule.neutralise();
            r.name.neutralise();
            r.arn.neutralise();
            r.account.neutralise();
            r.region.neutralise();
            r.file.neutralise();
        }
    }
    report
}

/// A copy of `plan` fit for a terminal.
pub(crate) fn plan(plan: &Plan) -> Plan {
    let mut plan = plan.clone();
    plan.account.neutralise();
    plan.regions.neutralise();
    plan.errors.neutralise();
    for fix in &mut plan.models {
        fix.region.neutralise();
        fix.model.neutralise();
        fix.arn.neutralise();
        fix.new_model.neutralise();
        let config = &mut fix.new_config;
        config.execution_role_arn.neutralise();
        config.inference_execution_mode.neutralise();
        config.tags.neutralise();
        if let Some(vpc) = &mut config.vpc_config {
            vpc.subnets.neutralise();
            vpc.security_group_ids.neutralise();
        }
        for c in &mut config.containers {
            c.container_hostname.neutralise();
            c.image.neutralise();
            c.mode.neutralise();
            c.model_data_url.neutralise();
            c.model_data_source.neutralise();
            c.model_package_name.neutralise();
            c.inference_specification_name.neutralise();
            c.environment.neutralise();
        }
        for ec in &mut fix.endpoint_configs {
            ec.name.neutralise();
            ec.new_name.neutralise();
            ec.models.neutralise();
            ec.production_variants.neutralise();
            ec.shadow_variants.neutralise();
            ec.endpoints.neutralise();
        }
    }
    plan
}

/// A copy of `applied` fit for a terminal.
pub(crate) fn applied(applied: &Applied) -> Applied {
    let mut applied = applied.clone();
    applied.journal.neutralise();
    applied.errors.neutralise();
    for unit in &mut applied.units {
        unit.region.neutralise();
        unit.unit.neutralise();
        unit.models.neutralise();
        unit.error.neutralise();
        unit.notes.neutralise();
    }
    applied
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_newlines_are_written_out_and_plain_text_is_untouched() {
        assert_eq!(
            safe("m\u{1b}]52;c;ZXZpbA==\u{7}\nFAILED x"),
            "m\\x1b]52;c;ZXZpbA==\\x07\\x0aFAILED x"
        );
        assert_eq!(safe("invoice\u{202e}fdp.exe"), "invoice\\u{202e}fdp.exe");
        assert_eq!(safe("\u{9b}31m"), "\\x9b31m", "C1 control");
        assert!(matches!(safe("fraud-model été"), Cow::Borrowed(_)));
    }
}
