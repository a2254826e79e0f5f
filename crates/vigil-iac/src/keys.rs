//! The KMS keys a template or Terraform module declares, and the aliases
//! that name them. A key a template declares is the customer's (nobody can
//! declare an AWS managed key); of any other key only KMS can tell, so the
//! live audit asks it (`kms:DescribeKey`).

use std::collections::HashSet;
use vigil_core::model::{is_aws_alias, KeyStanding};

/// Declared keys and their aliases, by every name the template may refer
/// to them by: logical id or address, and an alias's literal name.
#[derive(Default)]
pub struct Keys {
    declared: HashSet<String>,
}

/// An alias as declared: what refers to it, its name, and the key it names.
pub struct Alias {
    pub key: String,
    pub name: Option<String>,
    pub target: Option<String>,
}

impl Keys {
    /// Keys (by logical id or address) and aliases; an alias counts only
    /// when the key it names is declared too.
    pub fn new(keys: impl IntoIterator<Item = String>, aliases: Vec<Alias>) -> Self {
        let mut declared: HashSet<String> = keys.into_iter().collect();
        for alias in aliases {
            if alias.target.is_some_and(|target| declared.contains(&target)) {
                declared.insert(alias.key);
                declared.extend(alias.name);
            }
        }
        Keys { declared }
    }

    /// What a template shows of the key a property names: `reference` is
    /// the declaration it refers to, if it refers to one; `written` the
    /// value as written.
    pub fn standing(&self, reference: Option<&str>, written: &str) -> KeyStanding {
        let declared = reference.is_some_and(|r| self.declared.contains(r)) || self.declared.contains(written);
        match (declared, is_aws_alias(written)) {
            (true, _) => KeyStanding::Declared,
            (false, true) => KeyStanding::AwsManaged,
            (false, false) => KeyStanding::Undeclared,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_keys_and_their_aliases_are_the_customers_and_others_need_kms() {
        let aliases = vec![
            Alias {
                key: "NotebookAlias".into(),
                name: Some("alias/notebooks".into()),
                target: Some("NotebookKey".into()),
            },
            Alias {
                key: "Elsewhere".into(),
                name: Some("alias/elsewhere".into()),
                target: Some("arn:aws:kms:eu-west-1:1:key/k".into()),
            },
        ];
        let keys = Keys::new(["NotebookKey".to_owned()], aliases);
        assert_eq!(
            keys.standing(Some("NotebookKey"), "!GetAtt NotebookKey.Arn"),
            KeyStanding::Declared
        );
        assert_eq!(keys.standing(None, "alias/notebooks"), KeyStanding::Declared);
        assert_eq!(
            keys.standing(Some("NotebookAlias"), "!Ref NotebookAlias"),
            KeyStanding::Declared
        );
        assert_eq!(keys.standing(None, "alias/elsewhere"), KeyStanding::Undeclared);
        assert_eq!(keys.standing(None, "alias/aws/sagemaker"), KeyStanding::AwsManaged);
        assert_eq!(
            keys.standing(None, "arn:aws:kms:eu-west-1:1:key/k"),
            KeyStanding::Undeclared
        );
    }
}
