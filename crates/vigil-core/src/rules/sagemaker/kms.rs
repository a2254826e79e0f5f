//! What the KMS-key rules share: which key ids are the customer's, and the
//! verdict on a resource that names one key for its storage.

use crate::fact::Fact;
use crate::rule::Verdict;

/// Whether a key id names a key the customer manages: an AWS managed key
/// is only reachable by its `alias/aws/…` alias.
pub fn customer_managed(key: &str) -> bool {
    !key.contains("alias/aws/")
}

/// Instance families whose storage is NVMe instance storage, which AWS
/// encrypts in hardware and which takes no volume key (SageMaker refuses
/// `VolumeKmsKeyId` for training jobs and `KmsKeyId` for endpoint
/// configurations on them).
const INSTANCE_STORAGE_FAMILIES: &[&str] = &[
    "m5d", "c5d", "r5d", "g4dn", "g5", "g6", "g6e", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en", "trn1", "trn1n", "trn2",
];

/// Whether `ml.<family>.<size>` has only instance storage.
pub fn instance_storage_only(instance_type: &str) -> bool {
    let family = instance_type.split('.').nth(1).unwrap_or_default();
    INSTANCE_STORAGE_FAMILIES.contains(&family)
}

/// How a rule speaks of the resource and its storage, e.g. ("Notebook
/// instance nb", "notebook instance nb", "its storage volume", "its storage
/// volume is").
pub struct Storage<'a> {
    pub subject: &'a str,
    pub subject_lower: &'a str,
    pub held: &'a str,
    pub held_is: &'a str,
}

/// Pass for a customer-managed key; fail for none or an AWS managed one.
pub fn key_verdict(key: &Fact<Option<String>>, s: Storage) -> Verdict {
    let Storage {
        subject,
        subject_lower,
        held,
        held_is,
    } = s;
    let fail = match key.known() {
        Some(Some(key)) => format!(
            "{subject} encrypts {held} with the AWS managed key {key}: its key policy and rotation are not yours to set."
        ),
        _ => format!(
            "{subject} has no KMS key of its own: {held_is} encrypted with a key AWS manages, which you cannot restrict, audit apart or revoke."
        ),
    };
    Verdict::on(
        key,
        |key| key.as_deref().is_some_and(customer_managed),
        format!("{subject} encrypts {held} with a customer-managed KMS key."),
        fail,
        format!("The KMS key of {subject_lower} could not be read."),
    )
}
