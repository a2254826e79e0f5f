//! `sagemaker-tuning-job-execution-role-exists`: the IAM role a
//! hyperparameter tuning job's training jobs run as still exists. Only an audit can tell.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, Rule, Verdict};
use crate::rules::sagemaker::roles::{RoleRule, job_articles, role_verdict};

pub static RULE: Rule = RoleRule {
    id: "sagemaker-tuning-job-execution-role-exists",
    title: "Keep the Execution Role of SageMaker Hyperparameter Tuning Jobs",
    fails_when: "the IAM role a tuning job of the window names in its training job definition no longer exists",
    risk: RiskLevel::Low,
    resource_kind: ResourceKind::TuningJob,
    article: ARTICLE,
    check,
}
.rule();

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::TuningJob(job) = resource else {
        return None;
    };
    let subject = format!("Tuning job {}", job.identity.name);
    let first = role_verdict(&subject, &job.role_arn, &job.role_exists);
    // Each training definition's role: the worst verdict stands, a missing
    // role named; several that all exist are named together.
    let others = job
        .other_roles
        .iter()
        .map(|(arn, exists)| role_verdict(&subject, &Fact::Known(Some(arn.clone())), exists));
    let verdicts: Vec<Verdict> = std::iter::once(first).chain(others).collect();
    let rank = |v: &Verdict| match v.status {
        Status::Fail => 0,
        Status::Unknown { .. } => 1,
        _ => 2,
    };
    let worst = verdicts.iter().min_by_key(|v| rank(v)).cloned()?;
    if rank(&worst) < 2 || verdicts.len() == 1 {
        return Some(worst);
    }
    let names: Vec<String> = job
        .role_arn
        .known()
        .cloned()
        .flatten()
        .into_iter()
        .chain(job.other_roles.iter().map(|(arn, _)| arn.clone()))
        .collect();
    Some(Verdict {
        status: Status::Pass,
        message: format!("{subject} runs as {}, each of which exists.", names.join(", ")),
    })
}

const ARTICLE: Article = job_articles::JobArticle {
    what: "\
Checks that the IAM role each hyperparameter tuning job of the audit's \
window (`--jobs-since`) gives its training jobs (`TrainingJobDefinition.RoleArn`; \
each role, when its definitions name several) still exists (one `iam:GetRole` per distinct role, \
shared with the model and notebook rules). A role in another account than \
the job's is unknown. Tuning jobs are started by code, not declared in \
templates, so only an audit judges them.",
    why: "\
A finished job keeps naming its role, and what re-runs it reuses it: \
a pipeline retrying its tuning step, warm-starting a new tuning job from \
this one, a retraining script that copies its definition. With the role \
gone those fail when they next run; and a role created again later under \
the same name, by anyone allowed to create roles, receives the data the \
next run reads and writes.

Risk level Low: nothing runs as the missing role now; the risk is the next \
run's, and who owns the name by then.",
    audit_console: "\
1. Open **Training > Hyperparameter tuning jobs** in the SageMaker console \
and, for each recent job, note the IAM role of its training job definition.
2. Open the role in the IAM console: *NoSuchEntity* fails.",
    audit_cli: "\
```sh
for j in $(aws sagemaker list-hyper-parameter-tuning-jobs \\
    --query 'HyperParameterTuningJobSummaries[].HyperParameterTuningJobName' --output text); do
  role=$(aws sagemaker describe-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name \"$j\" \\
    --query TrainingJobDefinition.RoleArn --output text)
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
        let role = Fact::Known(Some("arn:aws:iam::123456789012:role/hpo".into()));
        let mut job = IsolatableJob::new(Identity::declared("hpo".into()), Fact::Known(true), role.map(|r| r.into_iter().collect()));
        job.role_exists = Fact::Known(false);
        let verdict = check(&Resource::TuningJob(job.clone())).unwrap();
        assert_eq!(verdict.status.as_str(), "fail");
        job.role_exists = Fact::Known(true);
        assert_eq!(check(&Resource::TuningJob(job)).unwrap().status.as_str(), "pass");
    }

    #[test]
    fn each_role_of_several_definitions_is_judged_and_a_missing_one_named() {
        let roles = ["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"].map(str::to_owned);
        let mut job = IsolatableJob::new(Identity::declared("hpo".into()), Fact::Known(true), Fact::Known(roles.into()));
        job.role_exists = Fact::Known(true);
        job.other_roles[0].1 = Fact::Known(false);
        let verdict = check(&Resource::TuningJob(job.clone())).unwrap();
        assert_eq!(verdict.status.as_str(), "fail");
        assert!(verdict.message.contains("role/b, which no longer exists"), "{}", verdict.message);
        job.other_roles[0].1 = Fact::unknown("denied");
        assert_eq!(check(&Resource::TuningJob(job.clone())).unwrap().status.as_str(), "unknown");
        job.other_roles[0].1 = Fact::Known(true);
        let verdict = check(&Resource::TuningJob(job)).unwrap();
        assert_eq!(verdict.status.as_str(), "pass");
        assert!(verdict.message.contains("role/a, arn:aws:iam::1:role/b, each of which exists"), "{}", verdict.message);
    }
}
