//! What is known of the KMS keys a resource names: who manages each and
//! whether it can be used. KMS says so live (`DescribeKey`); a template
//! shows it only for the keys it declares. The key rules ask this, never
//! the key's spelling: an AWS managed key has an id and an ARN too.

use crate::fact::Fact;

/// Who manages a key, and whether data under it can be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStanding {
    /// KMS says `KeyManager: CUSTOMER` and `KeyState: Enabled`.
    Customer,
    /// Declared in the same template or configuration (`AWS::KMS::Key`,
    /// `aws_kms_key`, or an alias of one): a key of the customer's.
    Declared,
    /// Named in a template by a literal id, ARN or alias, or by a value
    /// chosen at deployment: only KMS can tell who manages it.
    Undeclared,
    /// AWS manages it: KMS says `KeyManager: AWS`, or it is named by an
    /// `alias/aws/…` alias.
    AwsManaged,
    /// The customer's, but KMS says it is in this state (`Disabled`,
    /// `PendingDeletion`, …): what it encrypts cannot be read.
    Unusable(String),
}

/// Why a key is unknown before anything looked it up.
pub const KEY_NOT_DESCRIBED: &str = "the key was not described (kms:DescribeKey)";

/// The standing of each key a resource names, by the key as named.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KmsKeys {
    known: Vec<(String, Fact<KeyStanding>)>,
}

impl KmsKeys {
    /// Records what is known of `key` (the last word wins).
    pub fn insert(&mut self, key: &str, standing: Fact<KeyStanding>) {
        match self.known.iter_mut().find(|(named, _)| named == key) {
            Some((_, slot)) => *slot = standing,
            None => self.known.push((key.to_owned(), standing)),
        }
    }

    /// Records all that `other` knows.
    pub fn merge(&mut self, other: KmsKeys) {
        for (key, standing) in other.known {
            self.insert(&key, standing);
        }
    }

    /// What is known of `key`: an `alias/aws/…` alias is AWS managed by
    /// definition; any other key is what was recorded, or unknown.
    pub fn standing(&self, key: &str) -> Fact<KeyStanding> {
        if is_aws_alias(key) {
            return Fact::Known(KeyStanding::AwsManaged);
        }
        self.known
            .iter()
            .find(|(named, _)| named == key)
            .map(|(_, standing)| standing.clone())
            .unwrap_or_else(|| Fact::unknown(KEY_NOT_DESCRIBED))
    }
}

/// Whether `key` names an AWS managed key by its alias (`alias/aws/s3`, or
/// the alias's ARN).
pub fn is_aws_alias(key: &str) -> bool {
    key.starts_with("alias/aws/") || key.contains(":alias/aws/")
}

/// A key as written: an empty or blank one is no key at all, as AWS reads it.
pub fn named_key(key: Option<String>) -> Option<String> {
    key.filter(|k| !k.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_aliases_are_aws_managed_and_other_keys_are_what_was_recorded() {
        let mut keys = KmsKeys::default();
        assert_eq!(
            keys.standing("alias/aws/sagemaker"),
            Fact::Known(KeyStanding::AwsManaged)
        );
        let alias_arn = "arn:aws:kms:eu-west-1:123456789012:alias/aws/ebs";
        assert_eq!(keys.standing(alias_arn), Fact::Known(KeyStanding::AwsManaged));
        assert_eq!(keys.standing("alias/awsome"), Fact::unknown(KEY_NOT_DESCRIBED));
        keys.insert("k", Fact::Known(KeyStanding::Customer));
        keys.insert("k", Fact::Known(KeyStanding::Unusable("Disabled".into())));
        assert_eq!(
            keys.standing("k"),
            Fact::Known(KeyStanding::Unusable("Disabled".into()))
        );
    }

    #[test]
    fn a_blank_key_is_no_key() {
        assert_eq!(named_key(Some(" \t".into())), None);
        assert_eq!(named_key(Some(String::new())), None);
        assert_eq!(named_key(Some("k".into())), Some("k".into()));
    }
}
