//! `sagemaker-training-job-execution-role-exists`: the IAM role a training
//! job ran as still exists. Only an audit can tell.

use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, Rule, Verdict};
use crate::rules::sagemaker::roles::{RoleRule, job_articles, role_verdict};

pub static RULE: Rule = RoleRule {
    id: "sagemaker-training-job-execution-role-exists",
    title: "Keep the Execution Role of SageMaker Training Jobs",
    fails_when: "the IAM role a training job of the window names as its `RoleArn` no longer exists",
    risk: RiskLevel::Low,
    resource_kind: ResourceKind::TrainingJob,
    article: ARTICLE,
    check,
}
.rule();

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::TrainingJob(job) = resource else {
        return None;
    };
    let subject = format!("Training job {}", job.identity.name);
    Some(role_verdict(&subject, &job.role_arn, &job.role_exists))
}

const ARTICLE: Article = job_articles::JobArticle {
    what: "\
Checks that the IAM role each training job of the audit's window \
(`--jobs-since`) ran as still exists (one `iam:GetRole` per distinct role, \
shared with the model and notebook rules). A role in another account than \
the job's is unknown. Training jobs are started by code, not declared in \
templates, so only an audit judges them.",
    why: "\
A finished job keeps naming its role, and what re-runs it reuses it: \
cloning the job in the console, a pipeline retrying its training step, a \
scheduled retraining that copies the last job's settings. With the role \
gone those fail when they next run; and a role created again later under \
the same name, by anyone allowed to create roles, receives the training \
data and the model artefacts the next run reads and writes.

Risk level Low: nothing runs as the missing role now; the risk is the next \
run's, and who owns the name by then.",
    audit_console: "\
1. Open **Training > Training jobs** in the SageMaker console and, for each \
recent job, note its IAM role under **Permissions and encryption**.
2. Open the role in the IAM console: *NoSuchEntity* fails.",
    audit_cli: "\
```sh
for j in $(aws sagemaker list-training-jobs --query 'TrainingJobSummaries[].TrainingJobName' --output text); do
  role=$(aws sagemaker describe-training-job --training-job-name \"$j\" --query RoleArn --output text)
  aws iam get-role --role-name \"${role##*/}\" > /dev/null 2>&1 || echo \"$j $role missing\"
done
```",
}
.article();

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::model::{Identity, TrainingJob};

    #[test]
    fn a_job_whose_role_is_gone_fails() {
        let mut job = TrainingJob::unreadable(Identity::declared("churn".into()), "x");
        job.role_arn = Fact::Known(Some("arn:aws:iam::123456789012:role/churn-training".into()));
        job.role_exists = Fact::Known(false);
        let verdict = check(&Resource::TrainingJob(job.clone())).unwrap();
        assert_eq!(verdict.status.as_str(), "fail");
        assert!(
            verdict.message.contains("churn-training, which no longer exists"),
            "{}",
            verdict.message
        );
        job.role_exists = Fact::Known(true);
        assert_eq!(check(&Resource::TrainingJob(job)).unwrap().status.as_str(), "pass");
    }
}
