//! `sagemaker-domain-notebook-output-sharing`: notebooks a domain's users
//! share do not carry their cell output. Its property is a setting, read
//! by path on every source: the model holds no field for it.

use crate::fact::Fact;
use crate::model::{Property, Resource, ResourceKind, Setting, Value};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

const OUTPUT_OPTION: Setting = Setting {
    property: Property {
        cloudformation: "DefaultUserSettings.SharingSettings.NotebookOutputOption",
        terraform: "default_user_settings.sharing_settings.notebook_output_option",
    },
    api: "DefaultUserSettings.SharingSettings.NotebookOutputOption",
    presence: false,
    whole: false,
};

pub static RULE: Rule = Rule {
    id: "sagemaker-domain-notebook-output-sharing",
    aliases: &[],
    title: "Share SageMaker Studio Notebooks Without Their Output",
    fails_when: "a domain's default `SharingSettings.NotebookOutputOption` is `Allowed`",
    risk: RiskLevel::Medium,
    categories: &["Security", "Governance"],
    resource_kind: ResourceKind::Domain,
    property: OUTPUT_OPTION.property,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: Some(&OUTPUT_OPTION),
    xrefs: CrossRefs::NONE,
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::Domain(domain) = resource else {
        return None;
    };
    let name = &domain.identity.name;
    // Unset is Disabled, as AWS applies it; a value AWS would refuse is not a pass.
    let allowed = match domain.identity.settings.get(&OUTPUT_OPTION) {
        Fact::Known(Value::Absent) => Fact::Known(false),
        Fact::Known(value) if value.is("Disabled") => Fact::Known(false),
        Fact::Known(value) if value.is("Allowed") => Fact::Known(true),
        Fact::Known(other) => Fact::Unknown(format!("NotebookOutputOption is {other:?}, neither Allowed nor Disabled")),
        Fact::Unknown(reason) => Fact::Unknown(reason),
    };
    Some(Verdict::on(
        &allowed,
        |allowed| !*allowed,
        format!("Domain {name} shares its users' notebooks without their cell output."),
        format!("Domain {name} lets its users share notebooks with their cell output: whatever a cell printed (data samples, query results, tokens) is copied to the sharing bucket for anyone the notebook is shared with."),
        format!("The notebook sharing setting of domain {name} could not be read."),
    ))
}

const ARTICLE: Article = Article {
    what: "\
Checks that each SageMaker domain's default user settings do not let \
notebooks be shared with their cell output: \
`DefaultUserSettings.SharingSettings.NotebookOutputOption` must be \
`Disabled` or left out (AWS then applies `Disabled`). `Allowed` fails.",
    why: "\
When a Studio user shares a notebook, SageMaker copies a snapshot of it to \
the domain's sharing bucket and gives colleagues a link. With output \
allowed, the snapshot carries every cell's output: rows of training data, \
query results, printed credentials or tokens. Those copies outlive the \
notebook, sit under a different access path than the data they came from, \
and reach people who were never granted that data.

Sharing without output still shares the code, which is what colleagues \
need to reproduce the work against data they are entitled to.

Risk level Medium: a quiet path for regulated data to leave its controls, \
through a feature users reach for every day.",
    audit_console: "\
1. Open **Domains** in the SageMaker console and choose a domain.
2. On **App Configurations** (or **Domain settings**, then **Notebook sharing**), *Share cell output* must be off.
3. Repeat for every domain, in every region.",
    audit_cli: "\
```sh
aws sagemaker describe-domain --domain-id d-shares-output \\
  --query DefaultUserSettings.SharingSettings.NotebookOutputOption
```

`\"Allowed\"` fails; `\"Disabled\"` or `null` passes.",
    remediate_console: "\
1. Open the domain, then its notebook sharing configuration.
2. Turn *Share cell output* off and save. Notebooks shared from then on carry no output.
3. Review the sharing bucket for snapshots already shared with output, and delete those that hold data.",
    remediate_cli: "\
```sh
aws sagemaker update-domain --domain-id d-shares-output \\
  --default-user-settings '{\"SharingSettings\": {\"NotebookOutputOption\": \"Disabled\"}}'
```",
    remediate_cloudformation: "\
```yaml
Studio:
  Type: AWS::SageMaker::Domain
  Properties:
    DomainName: studio
    AuthMode: SSO
    VpcId: vpc-0abc
    SubnetIds: [subnet-0abc]
    DefaultUserSettings:
      ExecutionRole: arn:aws:iam::123456789012:role/studio
      SharingSettings:
        NotebookOutputOption: Disabled
```",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_domain\" \"studio\" {
  domain_name = \"studio\"
  auth_mode   = \"SSO\"
  vpc_id      = aws_vpc.ml.id
  subnet_ids  = [aws_subnet.ml.id]

  default_user_settings {
    execution_role = aws_iam_role.studio.arn
    sharing_settings {
      notebook_output_option = \"Disabled\"
    }
  }
}
```",
    references: &[
        (
            "SageMaker API: SharingSettings",
            "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_SharingSettings.html",
        ),
        (
            "SageMaker: share and use a Studio Classic notebook",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/notebooks-sharing.html",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::model::{Domain, Identity, Settings};

    fn judged(value: Fact<Value>) -> Status {
        let mut domain = Domain::unreadable(Identity::declared("studio".into()), "not read");
        domain.identity.settings = Settings::default();
        domain.identity.settings.insert(&OUTPUT_OPTION, value);
        check(&Resource::Domain(domain)).unwrap().status
    }

    #[test]
    fn allowed_fails_disabled_or_unset_passes_and_anything_else_is_unknown() {
        assert_eq!(judged(Fact::Known(Value::Text("Allowed".into()))), Status::Fail);
        assert_eq!(judged(Fact::Known(Value::Text("Disabled".into()))), Status::Pass);
        assert_eq!(judged(Fact::Known(Value::Absent)), Status::Pass);
        assert!(matches!(judged(Fact::Known(Value::Block)), Status::Unknown { .. }));
        assert!(matches!(
            judged(Fact::unknown("a parameter")),
            Status::Unknown { reason } if reason == "a parameter"
        ));
    }
}
