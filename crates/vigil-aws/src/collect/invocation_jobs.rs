//! Amazon Bedrock batch inference jobs: every `ListModelInvocationJobs`
//! page of the audit window (`submitTimeAfter`, paged in its query), then
//! one `GetModelInvocationJob` per job, by ARN (`rest_kinds::collect` does
//! both, and says once when a region has no Bedrock).

use crate::rest::{Listing, Paging};
use crate::rest_kinds::{KindReads, Window};
use serde_json::Value;
use vigil_core::{Fact, Identity, InvocationJob, Resource, ResourceKind};

pub(crate) static READS: KindReads = KindReads {
    kind: ResourceKind::InvocationJob,
    plane: &crate::bedrock::CONTROL,
    listing: Listing {
        method: "GET",
        path: "/model-invocation-jobs",
        field: "invocationJobSummaries",
        paging: Paging::Query,
    },
    list_operation: "bedrock:ListModelInvocationJobs",
    get_operation: "bedrock:GetModelInvocationJob",
    // Described by ARN: a job's name is unique only among its own.
    get_path: |arn| format!("/model-invocation-job/{}", crate::iam::form_encoded(arn)),
    summary: |s| {
        let arn = s["jobArn"].as_str().map(str::to_owned);
        let name = s["jobName"].as_str().unwrap_or_default().to_owned();
        (arn.clone().unwrap_or_else(|| name.clone()), name, arn)
    },
    read: |name, arn, answer| Resource::InvocationJob(from_answer(name, arn, answer)),
    unreadable: |identity, why| Resource::InvocationJob(InvocationJob::unreadable(identity, why)),
    window: Some(Window {
        after: "submitTimeAfter",
        field: "submitTime",
    }),
};

/// Maps a `GetModelInvocationJob` answer: the output's key, absent when
/// the job named none.
pub fn from_answer(name: String, arn: Option<String>, answer: &Value) -> InvocationJob {
    let text = |value: &Value| value.as_str().filter(|t| !t.is_empty()).map(str::to_owned);
    InvocationJob {
        identity: Identity::from_arn(
            text(&answer["jobName"]).unwrap_or(name),
            text(&answer["jobArn"]).or(arn),
        ),
        output_kms_key: Fact::Known(text(
            &answer["outputDataConfig"]["s3OutputDataConfig"]["s3EncryptionKeyId"],
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_gives_the_job_s_name_and_output_key() {
        let answer = serde_json::json!({
            "jobName": "nightly",
            "jobArn": "arn:aws:bedrock:eu-west-1:123456789012:model-invocation-job/abc123",
            "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://b/o/", "s3EncryptionKeyId": "arn:aws:kms:eu-west-1:123456789012:key/k"}}
        });
        let job = from_answer("x".into(), None, &answer);
        assert_eq!(job.identity.name, "nightly");
        assert_eq!(job.identity.region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            job.output_kms_key,
            Fact::Known(Some("arn:aws:kms:eu-west-1:123456789012:key/k".into()))
        );
        let bare =
            serde_json::json!({"jobName": "n", "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://b/o/"}}});
        assert_eq!(from_answer("n".into(), None, &bare).output_kms_key, Fact::Known(None));
    }
}
