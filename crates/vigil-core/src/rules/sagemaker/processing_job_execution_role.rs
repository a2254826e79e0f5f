//! `sagemaker-processing-job-execution-role-exists`: the IAM role a
//! processing job ran as still exists. Only an audit can tell.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, Rule, Verdict};
use crate::rules::sagemaker::roles::{RoleRule, job_articles, role_verdict};

pub static RULE: Rule = RoleRule {
    id: "sagemaker-processing-job-execution-role-exists",
    title: "Keep the Execution Role of SageMaker Processing Jobs",
    fails_when: "the IAM role a processing job of the window names as its `RoleArn` no longer exists",
    risk: RiskLevel::Low,
    resource_kind: ResourceKind::ProcessingJob,
    article: ARTICLE,
    check,
}
.rule();

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::ProcessingJob(job) = resource else {
        return None;
    };
    let subject = format!("Processing job {}", job.identity.name);
    Some(role_verdict(&subject, &job.role_arn, &job.role_exists))
}

const ARTICLE: Article = job_articles::JobArticle {
    what: "\
Checks that the IAM role each processing job of the audit's window \
(`--jobs-since`) ran as still exists (one `iam:GetRole` per distinct role, \
shared with the model and notebook rules). A role in another account than \
the job's is unknown. Processing jobs (feature engineering, evaluation, \
SageMaker Clarify) are started by code, not declared in templates, so only \
an audit judges them.",
    why: "\
A finished job keeps naming its role, and what re-runs it reuses it: \
a pipeline retrying its processing step, a scheduled feature or bias \
report that copies the last job's settings. With the role \
gone those fail when they next run; and a role created again later under \
the same name, by anyone allowed to create roles, receives the data the \
next run reads and writes.

Risk level Low: nothing runs as the missing role now; the risk is the next \
run's, and who owns the name by then.",
    audit_console: "\
1. Open **Processing > Processing jobs** in the SageMaker console and, for \
each recent job, note its IAM role.
2. Open the role in the IAM console: *NoSuchEntity* fails.",
    audit_cli: "\
```sh
for j in $(aws sagemaker list-processing-jobs --query 'ProcessingJobSummaries[].ProcessingJobName' --output text); do
  role=$(aws sagemaker describe-processing-job --processing-job-name \"$j\" --query RoleArn --output text)
  aws iam get-role --role-name \"${role##*/}\" > /dev/null 2>&1 || echo \"$j $role missing\"
done
```",
}
.article();

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::model::{Identity, IsolatableJob};

    #[test]
    fn a_job_whose_role_is_gone_fails() {
        let role = Fact::Known(Some("arn:aws:iam::123456789012:role/features".into()));
        let mut job = IsolatableJob::new(Identity::declared("features".into()), Fact::Known(true), role.map(|r| r.into_iter().collect()));
        job.role_exists = Fact::Known(false);
        let verdict = check(&Resource::ProcessingJob(job.clone())).unwrap();
        assert_eq!(verdict.status.as_str(), "fail");
        job.role_exists = Fact::Known(true);
        assert_eq!(check(&Resource::ProcessingJob(job)).unwrap().status.as_str(), "pass");
    }
}
