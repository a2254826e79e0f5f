//! `sagemaker-notebook-lifecycle-secrets`: no secret is written into a
//! notebook lifecycle script, where everyone who can describe the
//! configuration can read it.

use crate::finding::Status;
use crate::model::{NotebookLifecycleConfig, Resource, ResourceKind};
use crate::risk::RiskLevel;
use crate::rule::{Article, CrossRefs, Lookup, Rule, Verdict};

pub static RULE: Rule = Rule {
    id: "sagemaker-notebook-lifecycle-secrets",
    aliases: &[],
    title: "Keep Secrets out of SageMaker Notebook Lifecycle Scripts",
    fails_when: "an `OnCreate` or `OnStart` script of a notebook lifecycle configuration holds what gitleaks' rules recognise as a secret",
    risk: RiskLevel::High,
    categories: &["Security", "IAM", "Secrets"],
    resource_kind: ResourceKind::NotebookLifecycleConfig,
    property: NotebookLifecycleConfig::ON_START,
    remediation: None,
    template_fix: None,
    opt_in: false,
    lookup: Lookup::Nothing,
    setting: None,
    xrefs: CrossRefs {
        security_hub: &[],
        aws_config: &[],
        prowler: &["sagemaker_notebook_instance_no_secrets"],
        checkov: &[],
        conformity: &[],
    },
    article: ARTICLE,
    check,
};

fn check(resource: &Resource) -> Option<Verdict> {
    let Resource::NotebookLifecycleConfig(config) = resource else {
        return None;
    };
    let name = &config.identity.name;
    let scripts = match &config.scripts {
        crate::fact::Fact::Known(scripts) => scripts,
        crate::fact::Fact::Unknown(why) => {
            let message = format!("The scripts of lifecycle configuration {name} could not be read.");
            return Some(Verdict::unknown(why.clone(), message));
        }
    };
    // What and where, never the secret itself.
    let found: Vec<String> = scripts
        .iter()
        .flat_map(|script| {
            vigil_secrets::scan(&script.text)
                .into_iter()
                .map(move |hit| format!("{} on line {} of {}", hit.kind, hit.line, script.hook))
        })
        .collect();
    Some(match found.is_empty() {
        true => Verdict {
            status: Status::Pass,
            message: match scripts.is_empty() {
                true => format!("Lifecycle configuration {name} has no scripts."),
                false => format!("No secret was found in the scripts of lifecycle configuration {name}."),
            },
        },
        false => Verdict {
            status: Status::Fail,
            message: format!(
                "Lifecycle configuration {name} holds what looks like a secret: {}. Anyone allowed to describe the configuration can read it.",
                found.join(", ")
            ),
        },
    })
}

const ARTICLE: Article = Article {
    what: "\
Checks each notebook instance lifecycle configuration's `OnCreate` and \
`OnStart` scripts (base64 in the API and in templates, decoded here) for \
secrets: cloud access keys, API tokens, private keys, connection strings \
with passwords, `password = …` assignments. Detection uses gitleaks' \
maintained rule set (some 220 detectors, with their keywords, entropy \
floors and allow-lists, so placeholders such as `${DB_PASSWORD}` or AWS's \
documentation key are not reported). The finding names the kind of secret, \
the script and the line; it never repeats the secret. A configuration is \
judged whether or not a notebook uses it: any notebook can be pointed at it.",
    why: "\
Lifecycle scripts run as root when a notebook is created or started, so \
they are where teams wire in access: cloning private repositories, logging \
in to package indexes, exporting database passwords. Written into the \
script, such a secret is stored in plain text in SageMaker, returned by \
`DescribeNotebookInstanceLifecycleConfig` to anyone with that read \
permission (often every data scientist, and every read-only auditor), \
copied into CloudFormation and Terraform state, and never rotated because \
nobody remembers it is there.

Risk level High: the secret grants access on its own, outside any IAM \
policy you control.",
    audit_console: "\
1. Open **Notebook > Lifecycle configurations** in the SageMaker console.
2. Open each configuration and read its **Start notebook** and **Create \
notebook** scripts for keys, tokens and passwords.
3. Repeat in every region.",
    audit_cli: "\
```sh
for c in $(aws sagemaker list-notebook-instance-lifecycle-configs \\
    --query 'NotebookInstanceLifecycleConfigs[].NotebookInstanceLifecycleConfigName' --output text); do
  for hook in OnCreate OnStart; do
    aws sagemaker describe-notebook-instance-lifecycle-config \\
      --notebook-instance-lifecycle-config-name \"$c\" --query \"$hook[0].Content\" --output text \\
      | grep -v '^None$' | base64 -d | grep -nEi 'AKIA|ASIA|ghp_|xox[abp]-|password|secret|token|PRIVATE KEY' \\
      | sed \"s/^/$c $hook: /\" || true
  done
done
```

The `grep` is a first look; `vigil audit --rules \
sagemaker-notebook-lifecycle-secrets` applies the full rule set.",
    remediate_console: "\
1. Revoke or rotate the secret first: it has been readable for as long as \
the script held it.
2. Store the new value in AWS Secrets Manager and give the notebook's \
execution role `secretsmanager:GetSecretValue` on it.
3. Edit the lifecycle configuration so the script reads the secret at run \
time instead of holding it.",
    remediate_cli: "\
Rotate the secret, keep the new one in Secrets Manager, and make the script \
fetch it when it runs:

```sh
cat > on-start.sh <<'EOF'
#!/bin/bash
set -euo pipefail
TOKEN=$(aws secretsmanager get-secret-value --secret-id notebooks/github-token \\
  --query SecretString --output text)
sudo -u ec2-user git config --global url.\"https://${TOKEN}@github.com/\".insteadOf https://github.com/
EOF
aws sagemaker update-notebook-instance-lifecycle-config \\
  --notebook-instance-lifecycle-config-name research \\
  --on-start Content=\"$(base64 -w0 on-start.sh)\"
```

Store the rotated value first, for example with `aws secretsmanager \
create-secret --name notebooks/github-token`, and give the notebook's role \
`secretsmanager:GetSecretValue` on it.",
    remediate_cloudformation: "\
```yaml
Research:
  Type: AWS::SageMaker::NotebookInstanceLifecycleConfig
  Properties:
    NotebookInstanceLifecycleConfigName: research
    OnStart:
      - Content: !Base64 |
          #!/bin/bash
          set -euo pipefail
          TOKEN=$(aws secretsmanager get-secret-value --secret-id notebooks/github-token \\
            --query SecretString --output text)
          sudo -u ec2-user git config --global url.\"https://${TOKEN}@github.com/\".insteadOf https://github.com/
```

Do not pass the secret as a template parameter either: it would be stored \
in the stack and in the script.",
    remediate_terraform: "\
```hcl
resource \"aws_sagemaker_notebook_instance_lifecycle_configuration\" \"research\" {
  name     = \"research\"
  on_start = base64encode(<<-EOF
    #!/bin/bash
    set -euo pipefail
    TOKEN=$(aws secretsmanager get-secret-value --secret-id notebooks/github-token \\
      --query SecretString --output text)
    sudo -u ec2-user git config --global url.\"https://$${TOKEN}@github.com/\".insteadOf https://github.com/
  EOF
  )
}
```",
    references: &[
        (
            "SageMaker: customize a notebook instance using a lifecycle configuration script",
            "https://docs.aws.amazon.com/sagemaker/latest/dg/notebook-lifecycle-config.html",
        ),
        (
            "gitleaks: the rule set",
            "https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml",
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Fact;
    use crate::model::{Identity, LifecycleScript};

    fn verdict(scripts: Fact<Vec<LifecycleScript>>) -> (&'static str, String) {
        let config = NotebookLifecycleConfig {
            identity: Identity::declared("research".into()),
            scripts,
        };
        let v = check(&Resource::NotebookLifecycleConfig(config)).unwrap();
        (v.status.as_str(), v.message)
    }

    fn script(hook: &'static str, text: &str) -> LifecycleScript {
        LifecycleScript {
            hook,
            text: text.to_owned(),
        }
    }

    #[test]
    fn a_secret_is_named_by_kind_script_and_line_never_shown() {
        let token = "ghp_R8xJk2mVq9LpT4wZs7YbN3cHd6FgA1eKu5Xo";
        let (s, why) = verdict(Fact::Known(vec![
            script("OnCreate", "#!/bin/bash\npip install pandas\n"),
            script("OnStart", &format!("#!/bin/bash\nexport GITHUB_TOKEN={token}\n")),
        ]));
        assert_eq!(s, "fail");
        assert!(why.contains("github-pat on line 2 of OnStart"), "{why}");
        assert!(!why.contains(token), "{why}");
    }

    #[test]
    fn clean_or_empty_scripts_pass_and_unread_ones_are_unknown() {
        assert_eq!(
            verdict(Fact::Known(vec![script("OnStart", "#!/bin/bash\nconda activate\n")])).0,
            "pass"
        );
        assert_eq!(verdict(Fact::Known(vec![])).0, "pass");
        assert_eq!(verdict(Fact::unknown("AccessDenied")).0, "unknown");
    }
}
