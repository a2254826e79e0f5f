//! What the KMS-key rules share: which key ids are the customer's, and the
//! verdict on a resource that names one key for its storage.

use crate::fact::Fact;
use crate::finding::Status;
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

/// A job that encrypts two things, each with a key it may name: its
/// storage volumes and what it writes to S3 (training jobs, monitoring
/// job definitions).
pub struct VolumeAndOutput<'a> {
    /// How messages name it, and in mid-sentence: "Training job churn",
    /// "training job churn".
    pub subject: &'a str,
    pub subject_lower: &'a str,
    pub instance_types: Fact<Vec<String>>,
    pub volume_key: &'a Fact<Option<String>>,
    /// The volume key's path, for the finding.
    pub volume_path: &'a str,
    pub output_key: &'a Fact<Option<String>>,
    /// What the output key protects, with its path.
    pub output: &'a str,
}

/// Pass when both keys are the customer's, or only the output key is and
/// the instances have only instance storage; the finding names what lacks one.
pub fn volume_and_output_verdict(job: VolumeAndOutput) -> Verdict {
    let subject = job.subject;
    let keyed = |key: &Option<String>| key.as_deref().is_some_and(customer_managed);
    // Each fact read, or the first reason one could not be.
    let read = (|| -> Result<(Vec<String>, bool, bool), String> {
        let types = known(&job.instance_types)?.clone();
        Ok((types, keyed(known(job.volume_key)?), keyed(known(job.output_key)?)))
    })();
    let (types, volume, output) = match read {
        Ok(read) => read,
        Err(reason) => {
            let message = format!("The encryption keys of {} could not be read.", job.subject_lower);
            return Verdict::unknown(reason, message);
        }
    };
    let no_volume_needed = !types.is_empty() && types.iter().all(|t| instance_storage_only(t));
    let volume_missing = format!("its storage volumes ({})", job.volume_path);
    let mut missing = Vec::new();
    if !volume && !no_volume_needed {
        missing.push(volume_missing.as_str());
    }
    if !output {
        missing.push(job.output);
    }
    match (missing.is_empty(), no_volume_needed && !volume) {
        (false, _) => Verdict {
            status: Status::Fail,
            message: format!("{subject} has no customer-managed KMS key for {}.", missing.join(" nor for ")),
        },
        (true, true) => Verdict {
            status: Status::Pass,
            message: format!(
                "{subject} encrypts its output with a customer-managed key; its instances ({}) have only instance storage, which AWS encrypts in hardware.",
                types.join(", ")
            ),
        },
        (true, false) => Verdict {
            status: Status::Pass,
            message: format!("{subject} encrypts its storage volumes and its output with customer-managed keys."),
        },
    }
}

fn known<T>(fact: &Fact<T>) -> Result<&T, String> {
    match fact {
        Fact::Known(value) => Ok(value),
        Fact::Unknown(reason) => Err(reason.clone()),
    }
}
