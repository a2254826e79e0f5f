//! The verdict of the AgentCore network-mode rules (runtimes, browsers,
//! code interpreters): only `VPC` keeps what the resource runs inside the
//! customer's network.

use crate::fact::Fact;
use crate::finding::Status;
use crate::rule::Verdict;

/// `subject` ("Agent runtime support_agent") in `mode`: `VPC` passes, any
/// other mode fails with `exposure` (what that mode lets happen), and a mode
/// not declared is unknown (AWS requires one).
pub fn network_mode_verdict(subject: &str, mode: &Fact<Option<String>>, exposure: &str) -> Verdict {
    let lower = lowercase_first(subject);
    match mode {
        Fact::Known(Some(mode)) if mode == "VPC" => Verdict {
            status: Status::Pass,
            message: format!("{subject} runs in VPC network mode."),
        },
        Fact::Known(Some(mode)) => Verdict {
            status: Status::Fail,
            message: format!("{subject} runs in {mode} network mode: {exposure}"),
        },
        Fact::Known(None) => Verdict::unknown(
            "no NetworkConfiguration.NetworkMode is declared, and AWS requires one".to_owned(),
            format!("The network mode of {lower} is not declared."),
        ),
        Fact::Unknown(why) => Verdict::unknown(why.clone(), format!("The network mode of {lower} could not be read.")),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}
