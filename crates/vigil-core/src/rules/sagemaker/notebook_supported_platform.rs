//! `sagemaker-notebook-supported-platform`: a notebook instance runs on a
//! platform whose operating system is still supported.

use crate::fact::Fact;
use crate::finding::Status;
use crate::model::{Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};
use time::macros::date;
use time::{Date, OffsetDateTime};

pub static RULE: Rule = Rule {
    id: "sagemaker-notebook-supported-platform",
    aliases: &[],
    title: "Run SageMaker Notebook Instances on a Supported Platform",
    fails_when: "a notebook instance's `PlatformIdentifier` names an operating system past its end of support (Amazon Linux 1 or 2)",
    risk: RiskLevel::Medium,
    categories: &["Security", "Governance"],
    resource_kind: ResourceKind::NotebookInstance,
    property: crate::model::NotebookInstance::PLATFORM,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &["SageMaker.8"],
        aws_config: &["sagemaker-notebook-instance-platform-version"],
        prowler: &[],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

/// An operating system SageMaker notebook platforms run on, as platform
/// identifiers name it (`notebook-<os>-v<N>`), and the last day it is
/// supported (Amazon Linux's published dates). A platform's version (`-v1`,
/// `-v2`, …) changes the software on top, not the system's support.
struct System {
    short: &'static str,
    name: &'static str,
    supported_until: Date,
}

/// Every system SageMaker's platform identifiers have named. One not listed
/// here is newer than this table: `unknown`, never guessed.
const SYSTEMS: &[System] = &[
    System {
        short: "al1",
        name: "Amazon Linux 1",
        supported_until: date!(2023 - 12 - 31),
    },
    System {
        short: "al2",
        name: "Amazon Linux 2",
        supported_until: date!(2026 - 06 - 30),
    },
    System {
        short: "al2023",
        name: "Amazon Linux 2023",
        supported_until: date!(2029 - 06 - 30),
    },
];

/// The system a platform identifier names: `notebook-al2023-v2` is
/// Amazon Linux 2023.
fn system_of(id: &str) -> Option<&'static System> {
    let (short, version) = id.strip_prefix("notebook-")?.rsplit_once("-v")?;
    let numbered = !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit());
    SYSTEMS.iter().find(|system| numbered && system.short == short)
}

/// What SageMaker picks when `PlatformIdentifier` is left out (the API's
/// documented default).
const DEFAULT_PLATFORM: &str = "notebook-al2023-v1";

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::NotebookInstance(notebook) = resource else {
        return None;
    };
    let today = OffsetDateTime::now_utc().date();
    Some(judge(&notebook.identity.name, &notebook.platform, today))
}

fn judge(name: &str, platform: &Fact<Option<String>>, today: Date) -> Verdict {
    let (id, left_to_default) = match platform {
        Fact::Unknown(reason) => {
            return Verdict::unknown(
                reason.clone(),
                format!("The platform of notebook instance {name} could not be read."),
            )
        }
        Fact::Known(Some(id)) => (id.as_str(), false),
        Fact::Known(None) => (DEFAULT_PLATFORM, true),
    };
    let Some(system) = system_of(id) else {
        return Verdict::unknown(
            format!("platform {id:?} names no operating system Vigil knows the support dates of"),
            format!("Notebook instance {name} runs on {id}, a platform newer than Vigil's table: check its support on the SageMaker notebook instance platforms page."),
        );
    };
    let how = if left_to_default {
        format!("leaves its platform to SageMaker's default, {id}")
    } else {
        format!("runs on {id}")
    };
    let (os, until) = (system.name, system.supported_until);
    if today > until {
        Verdict {
            status: Status::Fail,
            message: format!(
                "Notebook instance {name} {how}, on {os}, whose support ended on {until}: it no longer receives security fixes."
            ),
        }
    } else {
        Verdict {
            status: Status::Pass,
            message: format!("Notebook instance {name} {how}, on {os}, supported until {until}."),
        }
    }
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker notebook instance runs on a platform \
(`PlatformIdentifier`) whose operating system is still supported on the day \
of the run. Amazon Linux 1 (`notebook-al1-v1`) and Amazon Linux 2 \
(`notebook-al2-v1`, `-v2` and `-v3`) are past their end of support and fail; \
Amazon Linux 2023 (`notebook-al2023-v1`) passes until its own end, \
2029-06-30. A platform Vigil does not know yet is `unknown`, never passed. A \
template that leaves `PlatformIdentifier` out gets SageMaker's default, \
`notebook-al2023-v1`, and passes; an instance created from it long ago \
may still run an older default, which the live audit reads.",
    why: "\
A notebook instance keeps the platform it was created on: SageMaker patches \
packages within a platform, but never moves an instance to a newer \
operating system. An instance created in 2019 still runs Amazon Linux 1 \
today. Once the operating system is past its end of support, its kernel, \
OpenSSL and system libraries get no more security fixes, while the \
instance still holds an execution role and the team's data. It is also \
where the next JupyterLab, Python and CUDA releases stop arriving.

Risk level Medium: an unpatched system is exposed to every flaw found after \
its end, but reaching it takes a path into the notebook. AWS Security Hub \
rates SageMaker.8 Medium; AWS Config's managed rule takes the list of \
allowed platforms as a parameter, which this rule fills with the published \
support dates.",
    audit_console: "\
1. Open **Notebook instances** in the SageMaker console.
2. Open each instance; under **Notebook instance settings**, *Platform identifier* must read **notebook-al2023-v1** (Amazon Linux 2023).
3. Repeat in every region.",
    audit_cli: "\
```sh
aws sagemaker describe-notebook-instance --notebook-instance-name research \\
  --query PlatformIdentifier --output text
```

`notebook-al1-v1` and `notebook-al2-v1`, `-v2` or `-v3` fail.",
    remediate_console: "\
The platform of an existing instance cannot be changed:
1. Save the work on the old instance to S3 or a code repository.
2. Create a new notebook instance with the same settings, choosing **Amazon Linux 2023, JupyterLab 4** under *Platform identifier*; attach the same lifecycle configuration after checking its scripts on Amazon Linux 2023 (`dnf` replaces `yum`).
3. Copy the work over, then stop and delete the old instance.",
    remediate_cli: "\
```sh
aws sagemaker create-notebook-instance --notebook-instance-name research-v2 \\
  --instance-type ml.t3.medium --role-arn arn:aws:iam::123456789012:role/notebook \\
  --platform-identifier notebook-al2023-v1
# after copying the work over:
aws sagemaker stop-notebook-instance --notebook-instance-name research
aws sagemaker delete-notebook-instance --notebook-instance-name research
```",
    remediate_cloudformation: "\
Changing `PlatformIdentifier` replaces the instance: copy its work out first.

```yaml
Notebook:
  Type: AWS::SageMaker::NotebookInstance
  Properties:
    InstanceType: ml.t3.medium
    RoleArn: !GetAtt NotebookRole.Arn
    PlatformIdentifier: notebook-al2023-v1
```",
    remediate_terraform: "\
Changing `platform_identifier` replaces the instance: copy its work out first.

```hcl
resource \"aws_sagemaker_notebook_instance\" \"research\" {
  name                = \"research\"
  instance_type       = \"ml.t3.medium\"
  role_arn            = aws_iam_role.notebook.arn
  platform_identifier = \"notebook-al2023-v1\"
}
```",
    references: &[
        (
            "SageMaker: Amazon Linux 2023 notebook instances",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-al2023.html",
        ),
        (
            "Amazon Linux 2 FAQs (end of support)",
            "https://aws.amazon.com/amazon-linux-2/faqs/",
        ),
        (
            "Amazon Linux 2023 release cadence (support until 2029-06-30)",
            "https://docs.aws.amazon.com/linux/al2023/ug/release-cadence.html",
        ),
        (
            "AWS Security Hub: SageMaker.8",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html#sagemaker-8",
        ),
        (
            "AWS Config: sagemaker-notebook-instance-platform-version",
            "https://docs.aws.amazon.com/config/latest/developerguide/sagemaker-notebook-instance-platform-version.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    fn status(platform: Fact<Option<String>>, today: Date) -> &'static str {
        judge("nb", &platform, today).status.as_str()
    }

    fn on(id: &str) -> Fact<Option<String>> {
        Fact::Known(Some(id.to_owned()))
    }

    #[test]
    fn a_platform_fails_the_day_after_its_system_leaves_support() {
        assert_eq!(status(on("notebook-al2-v3"), date!(2026 - 06 - 30)), "pass");
        assert_eq!(status(on("notebook-al2-v3"), date!(2026 - 07 - 01)), "fail");
        assert_eq!(status(on("notebook-al1-v1"), date!(2026 - 07 - 01)), "fail");
        assert_eq!(status(on("notebook-al2023-v1"), date!(2026 - 07 - 01)), "pass");
        assert_eq!(status(on("notebook-al2023-v1"), date!(2029 - 07 - 01)), "fail");
    }

    #[test]
    fn a_left_out_platform_is_the_default_and_an_unheard_of_one_is_unknown() {
        let verdict = judge("nb", &Fact::Known(None), date!(2026 - 11 - 27));
        assert_eq!(verdict.status.as_str(), "pass");
        assert!(
            verdict.message.contains("default, notebook-al2023-v1"),
            "{}",
            verdict.message
        );
        assert_eq!(status(on("notebook-al2027-v1"), date!(2026 - 11 - 27)), "unknown");
        assert_eq!(status(on("notebook-al2023"), date!(2026 - 11 - 27)), "unknown");
        // A new version of a known system is judged by that system.
        assert_eq!(status(on("notebook-al2023-v2"), date!(2026 - 11 - 27)), "pass");
        assert_eq!(status(on("notebook-al2-v4"), date!(2026 - 11 - 27)), "fail");
        assert_eq!(status(Fact::unknown("denied"), date!(2026 - 11 - 27)), "unknown");
    }

    #[test]
    fn the_failure_names_the_system_and_the_date_its_support_ended() {
        let verdict = judge("research", &on("notebook-al2-v1"), date!(2026 - 11 - 27));
        assert!(
            verdict
                .message
                .contains("Amazon Linux 2, whose support ended on 2026-06-30"),
            "{}",
            verdict.message
        );
    }
}
