//! The IAM roles a CloudFormation template declares and the policies it
//! gives them: a role's own `Policies` and `ManagedPolicyArns`, and the
//! `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` and `AWS::IAM::RolePolicy`
//! resources that name it (`!Ref Role`, or its literal name).

use super::for_each::Entry;
use super::resolve::Context;
use crate::roles::{document_of, managed_by_arn, Roles};
use crate::tree::Node;
use vigil_core::model::RolePolicy;

pub(super) fn declared(ctx: &Context, resources: &[Entry]) -> Roles {
    let mut roles = Roles::default();
    let of_type = |type_name: &'static str| {
        resources.iter().filter_map(move |entry| {
            let id = entry.id.as_str()?;
            let is = entry.decl.get("Type").and_then(|t| t.as_str()) == Some(type_name);
            is.then(|| (id, entry.decl.get("Properties").map(|p| p.as_ref())))
        })
    };
    for (id, props) in of_type("AWS::IAM::Role") {
        let name = props
            .and_then(|p| p.get("RoleName"))
            .and_then(|n| ctx.string("RoleName", n).ok().flatten());
        roles.declare(id, name);
    }
    // Managed policies declared here, for `ManagedPolicyArns: [!Ref Policy]`.
    let managed: Vec<(&str, Result<RolePolicy, String>)> = of_type("AWS::IAM::ManagedPolicy")
        .map(|(id, props)| (id, document(id, props)))
        .collect();
    for (id, props) in of_type("AWS::IAM::Role") {
        for policy in props
            .and_then(|p| p.get("Policies"))
            .and_then(|p| p.as_seq())
            .unwrap_or_default()
        {
            let name = policy
                .get("PolicyName")
                .and_then(|n| n.as_str())
                .unwrap_or(id)
                .to_owned();
            roles.give(id, document(&name, Some(policy)));
        }
        for arn in props
            .and_then(|p| p.get("ManagedPolicyArns"))
            .and_then(|p| p.as_seq())
            .unwrap_or_default()
        {
            let attached = match arn.get("Ref").and_then(|r| r.as_str()) {
                Some(policy) => match managed.iter().find(|(id, _)| *id == policy) {
                    Some((_, document)) => document.clone(),
                    None => Err(format!("managed policy {policy} is not declared in this template")),
                },
                None => arn_text(ctx, arn).and_then(|arn| managed_by_arn(&arn)),
            };
            roles.give(id, attached);
        }
    }
    for (id, props) in of_type("AWS::IAM::ManagedPolicy").chain(of_type("AWS::IAM::Policy")) {
        let name = props
            .and_then(|p| p.get("PolicyName"))
            .and_then(|n| n.as_str())
            .unwrap_or(id);
        for role in props
            .and_then(|p| p.get("Roles"))
            .and_then(|r| r.as_seq())
            .unwrap_or_default()
        {
            if let Some(key) = role_key(ctx, &roles, role) {
                roles.give(&key, document(name, props));
            }
        }
    }
    for (id, props) in of_type("AWS::IAM::RolePolicy") {
        let name = props
            .and_then(|p| p.get("PolicyName"))
            .and_then(|n| n.as_str())
            .unwrap_or(id);
        if let Some(key) = props
            .and_then(|p| p.get("RoleName"))
            .and_then(|r| role_key(ctx, &roles, r))
        {
            roles.give(&key, document(name, props));
        }
    }
    roles
}

/// The `PolicyDocument` of a policy resource or of a role's inline policy.
fn document(name: &str, props: Option<&Node>) -> Result<RolePolicy, String> {
    match props.and_then(|p| p.get("PolicyDocument")) {
        Some(document) => document_of(name.to_owned(), document),
        None => Err(format!("policy {name} has no PolicyDocument")),
    }
}

/// The role a policy names: `!Ref Role` or the role's literal name.
fn role_key(ctx: &Context, roles: &Roles, role: &Node) -> Option<String> {
    match role.get("Ref").and_then(|r| r.as_str()) {
        Some(id) => roles.key_of(Some(id), None),
        None => roles.key_of(None, ctx.string("Roles", role).ok().flatten().as_deref()),
    }
}

/// A managed policy ARN as written: a literal, a parameter's value, or an
/// `!Sub` pattern (whose `${AWS::Partition}` does not hide the name).
fn arn_text(ctx: &Context, arn: &Node) -> Result<String, String> {
    if let Some(pattern) = arn.get("Fn::Sub").and_then(|s| s.as_str()) {
        return Ok(pattern.to_owned());
    }
    ctx.string("ManagedPolicyArns", arn)?
        .ok_or_else(|| "a ManagedPolicyArns entry is AWS::NoValue".to_owned())
}
