//! What the execution-role rules share: the verdict on a resource that runs
//! as a role which may no longer exist.

use crate::fact::Fact;
use crate::rule::Verdict;

/// Pass when the role exists, fail when IAM says it does not, unknown when
/// the role or its existence could not be read.
pub fn role_verdict(subject: &str, role: &Fact<Option<String>>, exists: &Fact<bool>) -> Verdict {
    let lower = subject.to_lowercase();
    let role = match role {
        Fact::Known(Some(role)) => role.as_str(),
        Fact::Known(None) => "(none)",
        Fact::Unknown(why) => {
            return Verdict::unknown(why.clone(), format!("The execution role of {lower} could not be read."))
        }
    };
    Verdict::on(
        exists,
        |exists| *exists,
        format!("{subject} runs as {role}, which exists."),
        format!(
            "{subject} runs as {role}, which no longer exists: SageMaker cannot start it on new instances, and a role created again under that name would receive what it reads."
        ),
        format!("Whether the execution role of {lower} still exists could not be read."),
    )
}
