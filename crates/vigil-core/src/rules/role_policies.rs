//! What the identity policies of the role a resource acts as grant, for
//! the rules that judge that role (a notebook's execution role, an agent's
//! service role): the role and what its policies grant, or the `unknown`
//! verdict that says which of them could not be read.

use crate::fact::Fact;
use crate::model::RolePolicy;
use crate::rule::Verdict;

/// A role read whole: its ARN, how many policies it has, and what the
/// rule's test found in them (each named by policy and statement).
pub struct Granted<'a> {
    pub role: &'a str,
    pub policies: usize,
    pub grants: Vec<String>,
}

/// The grants `grants_of` finds in the policies of `role`, the role of
/// `subject` (`"notebook instance churn"`) that `role_kind` names
/// (`"execution role"`). `Ok(None)`: the resource acts as no role.
pub fn granted<'a>(
    (subject, role_kind): (&str, &str),
    role: &'a Fact<Option<String>>,
    policies: &'a Fact<Vec<RolePolicy>>,
    grants_of: impl Fn(&RolePolicy) -> Result<Vec<String>, String>,
) -> Result<Option<Granted<'a>>, Verdict> {
    let role = match role {
        Fact::Known(Some(role)) => role,
        Fact::Known(None) => return Ok(None),
        Fact::Unknown(why) => {
            return Err(Verdict::unknown(
                why.clone(),
                format!("The {role_kind} of {subject} could not be read."),
            ))
        }
    };
    let policies = match policies {
        Fact::Known(policies) => policies,
        Fact::Unknown(why) => {
            return Err(Verdict::unknown(
                why.clone(),
                format!("The policies of {role}, the {role_kind} of {subject}, could not be read."),
            ))
        }
    };
    let mut grants = Vec::new();
    for policy in policies {
        match grants_of(policy) {
            Ok(found) => grants.extend(found),
            Err(why) => {
                return Err(Verdict::unknown(
                    format!("policy {} of {role} is unreadable: {why}", policy.name),
                    format!("A policy of {role}, the {role_kind} of {subject}, could not be read."),
                ))
            }
        }
    }
    Ok(Some(Granted {
        role,
        policies: policies.len(),
        grants,
    }))
}
