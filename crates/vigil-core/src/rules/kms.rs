//! What the KMS-key rules share: which key ids are the customer's, and the
//! verdict on a resource that names one key for its storage.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{named_key, KeyStanding, KmsKeys, Resource, Value};
use crate::rule::{Lookup, Verdict};

/// A key judged for a rule: `Ok` when it is the customer's and usable (with
/// a sentence to add when only KMS can confirm it), `Err` with what is wrong
/// (no key, an AWS managed one, one that cannot be used), or unknown.
pub type KeyUse = Fact<Result<Option<String>, String>>;

/// Judges the key a resource names (`None`, empty or blank: no key).
pub fn judge_key(keys: &KmsKeys, key: Option<&str>) -> KeyUse {
    let Some(key) = key.filter(|k| !k.trim().is_empty()) else {
        return Fact::Known(Err("no key of its own".to_owned()));
    };
    match keys.standing(key) {
        Fact::Known(KeyStanding::Customer | KeyStanding::Declared) => Fact::Known(Ok(None)),
        Fact::Known(KeyStanding::Undeclared) => Fact::Known(Ok(Some(format!(
            "The template does not declare key {key}, and a key id, ARN or alias cannot be told from an AWS managed key before deployment: `vigil audit` asks KMS."
        )))),
        Fact::Known(KeyStanding::AwsManaged) => Fact::Known(Err(format!("the AWS managed key {key}"))),
        Fact::Known(KeyStanding::Unusable(state)) => Fact::Known(Err(format!(
            "key {key}, which KMS says is {state}: nothing encrypted under it can be read"
        ))),
        Fact::Unknown(why) => Fact::Unknown(format!("key {key}: {why}")),
    }
}

/// Every key `resource` names, as named: its key fields, and the settings
/// of key rules (read by path); what a lookup describes.
pub fn keys_named(resource: &Resource) -> Vec<String> {
    let mut keys: Vec<Option<String>> = Vec::new();
    let known = |fact: &Fact<Option<String>>| fact.known().cloned().flatten();
    match resource {
        Resource::NotebookInstance(n) => keys.push(known(&n.kms_key_id)),
        Resource::Domain(d) => keys.push(known(&d.kms_key_id)),
        Resource::EndpointConfig(c) => keys.push(known(&c.kms_key_id)),
        Resource::TrainingJob(j) => keys.extend([known(&j.volume_kms_key_id), known(&j.output_kms_key_id)]),
        Resource::MonitoringJob(j) => keys.extend([
            known(&j.settings.volume_kms_key_id),
            known(&j.settings.output_kms_key_id),
        ]),
        Resource::FlowDefinition(f) => keys.push(known(&f.output_kms_key_id)),
        Resource::AgentGateway(g) => keys.push(known(&g.kms_key_arn)),
        Resource::AgentMemory(m) => keys.push(known(&m.encryption_key_arn)),
        Resource::KnowledgeBaseDataSource(d) => keys.push(known(&d.kms_key_arn)),
        Resource::BedrockAgent(a) => keys.push(known(&a.kms_key_arn)),
        Resource::Guardrail(g) => keys.push(known(&g.kms_key_arn)),
        Resource::BedrockPrompt(p) => keys.push(known(&p.kms_key_arn)),
        Resource::CustomModel(m) => keys.push(known(&m.kms_key_arn)),
        Resource::ImportedModel(m) => keys.push(known(&m.kms_key_arn)),
        Resource::InvocationJob(j) => keys.push(known(&j.output_kms_key)),
        Resource::InvocationLogging(l) => keys.extend(l.destinations().map(|d| known(&d.kms_key))),
        Resource::InferenceExperiment(e) => {
            keys.push(known(&e.kms_key_id));
            if let Fact::Known(Some(store)) = &e.data_storage {
                keys.push(store.kms_key_id.clone());
            }
        }
        Resource::FeatureGroup(g) => {
            for store in [&g.online_store, &g.offline_store] {
                if let Fact::Known(Some(store)) = store {
                    keys.push(store.kms_key_id.clone());
                }
            }
        }
        Resource::HyperPodCluster(c) => {
            for group in c.instance_groups.known().into_iter().flatten() {
                for volume in group.volumes.known().into_iter().flatten() {
                    keys.push(volume.kms_key_id.clone());
                }
            }
        }
        _ => {}
    }
    let identity = resource.identity();
    for rule in crate::registry::RULES.iter() {
        if rule.lookup != Lookup::KeyStanding || rule.resource_kind != resource.kind() {
            continue;
        }
        if let Some(Fact::Known(Value::Text(key))) = rule.setting.map(|s| identity.settings.get(s)) {
            keys.push(Some(key));
        }
    }
    let mut named: Vec<String> = keys.into_iter().filter_map(named_key).collect();
    named.sort();
    named.dedup();
    named
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

/// Pass for a usable customer-managed key; fail for none, an AWS managed
/// one or one that cannot be used; unknown when KMS could not say.
pub fn key_verdict(keys: &KmsKeys, key: &Fact<Option<String>>, s: Storage) -> Verdict {
    let Storage {
        subject,
        subject_lower,
        held,
        held_is,
    } = s;
    let named = match key {
        Fact::Known(key) => key.as_deref(),
        Fact::Unknown(why) => {
            return Verdict::unknown(
                why.clone(),
                format!("The KMS key of {subject_lower} could not be read."),
            )
        }
    };
    let Some(key) = named.filter(|k| !k.trim().is_empty()) else {
        return Verdict {
            status: Status::Fail,
            message: format!("{subject} has no KMS key of its own: {held_is} encrypted with a key AWS manages, which you cannot restrict, audit apart or revoke."),
        };
    };
    let (status, message) = match judge_key(keys, Some(key)) {
        Fact::Unknown(why) => {
            let message =
                format!("Whether the KMS key of {subject_lower} is the customer's and usable could not be read.");
            return Verdict::unknown(why, message);
        }
        Fact::Known(Ok(note)) => {
            let passed = format!("{subject} encrypts {held} with the customer-managed KMS key {key}.");
            (
                Status::Pass,
                note.map_or(passed.clone(), |note| format!("{passed} {note}")),
            )
        }
        Fact::Known(Err(fault)) if keys.standing(key) == Fact::Known(KeyStanding::AwsManaged) => (
            Status::Fail,
            format!("{subject} encrypts {held} with {fault}: its key policy and rotation are not yours to set."),
        ),
        Fact::Known(Err(fault)) => (Status::Fail, format!("{subject} encrypts {held} with {fault}.")),
    };
    Verdict { status, message }
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
/// the instances have only instance storage; the finding names what lacks
/// one. Without an instance type that exemption cannot be ruled out, so a
/// missing volume key is then unknown, not a failure.
pub fn volume_and_output_verdict(keys: &KmsKeys, job: VolumeAndOutput) -> Verdict {
    let subject = job.subject;
    // Each fact read, or the first reason one could not be.
    let read = (|| -> Result<(Vec<String>, KeyUse, KeyUse), String> {
        let types = known(&job.instance_types)?.clone();
        let volume = judge_key(keys, known(job.volume_key)?.as_deref());
        Ok((types, volume, judge_key(keys, known(job.output_key)?.as_deref())))
    })();
    let (types, volume, output) = match read {
        Ok(read) => read,
        Err(reason) => {
            let message = format!("The encryption keys of {} could not be read.", job.subject_lower);
            return Verdict::unknown(reason, message);
        }
    };
    let no_volume_needed = !types.is_empty() && types.iter().all(|t| instance_storage_only(t));
    let volume_keyed = matches!(volume, Fact::Known(Ok(_)));
    let mut missing = Vec::new();
    let mut unread = None;
    let mut notes = Vec::new();
    let volume_what = format!("its storage volumes ({})", job.volume_path);
    for (what, key, exempt) in [
        (volume_what.as_str(), &volume, no_volume_needed),
        (job.output, &output, false),
    ] {
        match key {
            Fact::Known(Ok(note)) => notes.extend(note.clone()),
            _ if exempt => {}
            Fact::Known(Err(fault)) if what == volume_what && types.is_empty() => {
                unread = unread.or(Some(format!(
                    "it names no instance type, so whether its instances have only instance storage (which takes no volume key) cannot be told, and its volume key is {fault}"
                )))
            }
            Fact::Known(Err(fault)) => missing.push(lacking(what, fault)),
            Fact::Unknown(why) => unread = unread.or(Some(why.clone())),
        }
    }
    match (missing.is_empty(), unread) {
        (false, _) => Verdict {
            status: Status::Fail,
            message: format!(
                "{subject} has no customer-managed KMS key for {}.",
                missing.join(" nor for ")
            ),
        },
        (true, Some(why)) => Verdict::unknown(
            why,
            format!(
                "Whether {} encrypts its storage volumes with a customer-managed key could not be told.",
                job.subject_lower
            ),
        ),
        (true, None) => {
            let passed = if no_volume_needed && !volume_keyed {
                format!(
                    "{subject} encrypts its output with a customer-managed key; its instances ({}) have only instance storage, which AWS encrypts in hardware.",
                    types.join(", ")
                )
            } else {
                format!("{subject} encrypts its storage volumes and its output with customer-managed keys.")
            };
            Verdict {
                status: Status::Pass,
                message: std::iter::once(passed).chain(notes).collect::<Vec<_>>().join(" "),
            }
        }
    }
}

/// What lacks a customer-managed key, and what is wrong with the key it has.
pub fn lacking(what: &str, fault: &str) -> String {
    match fault {
        "no key of its own" => what.to_owned(),
        fault => format!("{what} (it names {fault})"),
    }
}

/// `resource` as a lookup leaves it when KMS says every key it names is the
/// customer's and enabled (an `alias/aws/…` alias stays AWS managed).
#[cfg(test)]
pub fn as_customer_keys(mut resource: Resource) -> Resource {
    for key in keys_named(&resource) {
        resource
            .identity_mut()
            .keys
            .insert(&key, Fact::Known(KeyStanding::Customer));
    }
    resource
}

fn known<T>(fact: &Fact<T>) -> Result<&T, String> {
    match fact {
        Fact::Known(value) => Ok(value),
        Fact::Unknown(reason) => Err(reason.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn storage() -> Storage<'static> {
        Storage {
            subject: "Notebook instance nb",
            subject_lower: "notebook instance nb",
            held: "its storage volume",
            held_is: "its storage volume is",
        }
    }

    fn judged(standing: Option<Fact<KeyStanding>>, key: Option<&str>) -> Verdict {
        let mut keys = KmsKeys::default();
        if let (Some(standing), Some(key)) = (standing, key) {
            keys.insert(key, standing);
        }
        key_verdict(&keys, &Fact::Known(key.map(str::to_owned)), storage())
    }

    #[test]
    fn a_key_is_judged_by_what_kms_says_not_by_its_spelling() {
        let customer = judged(Some(Fact::Known(KeyStanding::Customer)), Some(ARN));
        assert_eq!(customer.status, Status::Pass);
        let aws = judged(Some(Fact::Known(KeyStanding::AwsManaged)), Some(ARN));
        assert_eq!(aws.status, Status::Fail);
        assert!(aws.message.contains("AWS managed key arn:aws:kms"), "{}", aws.message);
        let disabled = judged(Some(Fact::Known(KeyStanding::Unusable("Disabled".into()))), Some(ARN));
        assert_eq!(disabled.status, Status::Fail);
        assert!(
            disabled.message.contains("KMS says is Disabled"),
            "{}",
            disabled.message
        );
        let denied = judged(Some(Fact::unknown("AccessDeniedException: no")), Some(ARN));
        assert_eq!(denied.status.as_str(), "unknown");
        // Nothing recorded: never a pass.
        assert_eq!(judged(None, Some(ARN)).status.as_str(), "unknown");
    }

    #[test]
    fn an_empty_or_blank_key_is_no_key() {
        for blank in ["", "  "] {
            let verdict = judged(Some(Fact::Known(KeyStanding::Customer)), Some(blank));
            assert_eq!(verdict.status, Status::Fail, "{blank:?}");
            assert!(verdict.message.contains("no KMS key of its own"), "{}", verdict.message);
        }
    }

    #[test]
    fn a_template_key_it_does_not_declare_passes_and_says_kms_must_confirm_it() {
        let verdict = judged(Some(Fact::Known(KeyStanding::Undeclared)), Some(ARN));
        assert_eq!(verdict.status, Status::Pass);
        assert!(
            verdict.message.contains("`vigil audit` asks KMS"),
            "{}",
            verdict.message
        );
    }

    #[test]
    fn without_an_instance_type_a_missing_volume_key_is_unknown_but_a_missing_output_key_fails() {
        let mut keys = KmsKeys::default();
        keys.insert(ARN, Fact::Known(KeyStanding::Customer));
        let job = |output: Option<&str>| {
            volume_and_output_verdict(
                &keys,
                VolumeAndOutput {
                    subject: "Data quality job definition d",
                    subject_lower: "data quality job definition d",
                    instance_types: Fact::Known(Vec::new()),
                    volume_key: &Fact::Known(None),
                    volume_path: "JobResources.ClusterConfig.VolumeKmsKeyId",
                    output_key: &Fact::Known(output.map(str::to_owned)),
                    output: "its output",
                },
            )
        };
        assert_eq!(job(Some(ARN)).status.as_str(), "unknown");
        assert_eq!(job(None).status, Status::Fail);
    }
}
