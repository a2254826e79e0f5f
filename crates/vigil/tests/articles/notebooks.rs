//! The articles of the notebook instance rules, run as written.

use super::*;

const NOTEBOOK: &str = "aws sagemaker create-notebook-instance --notebook-instance-name research \
  --instance-type ml.t3.medium --role-arn arn:aws:iam::123456789012:role/notebook";

#[test]
fn notebook_root_access() {
    check(Case {
        rule: "sagemaker-notebook-root-access",
        scene: NOTEBOOK.to_owned(),
        audit_shows: &["\"Enabled\""],
        after: &[("research", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_imdsv2() {
    check(Case {
        rule: "sagemaker-notebook-imdsv2",
        scene: NOTEBOOK.to_owned(),
        audit_shows: &["null"],
        after: &[("research", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_supported_platform() {
    check(Case {
        rule: "sagemaker-notebook-supported-platform",
        scene: format!("{NOTEBOOK} --platform-identifier notebook-al2-v3"),
        audit_shows: &["notebook-al2-v3"],
        after: &[("research", None), ("research-v2", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_role_all_actions() {
    let everything = r#"'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'"#;
    check(Case {
        rule: "sagemaker-notebook-role-all-actions",
        scene: format!(
            "aws iam create-role --role-name notebook-research --assume-role-policy-document '{{}}'
aws iam put-role-policy --role-name notebook-research --policy-name admin --policy-document {everything}
aws iam create-policy --policy-name everything --policy-document {everything}
aws iam attach-role-policy --role-name notebook-research --policy-arn arn:aws:iam::123456789012:policy/everything
aws sagemaker create-notebook-instance --notebook-instance-name research \
  --instance-type ml.t3.medium --role-arn arn:aws:iam::123456789012:role/notebook-research"
        ),
        audit_shows: &["\"Action\": \"*\""],
        after: &[("research", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_vpc_egress() {
    check(Case {
        rule: "sagemaker-notebook-vpc-egress",
        scene: "vpc=$(aws ec2 create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId --output text)
subnet=$(aws ec2 create-subnet --vpc-id \"$vpc\" --cidr-block 10.0.1.0/24 --query Subnet.SubnetId --output text)
table=$(aws ec2 create-route-table --vpc-id \"$vpc\" --query RouteTable.RouteTableId --output text)
aws ec2 associate-route-table --route-table-id \"$table\" --subnet-id \"$subnet\"
aws sagemaker create-notebook-instance --notebook-instance-name research \\
  --instance-type ml.t3.medium --role-arn arn:aws:iam::123456789012:role/notebook \\
  --subnet-id \"$subnet\" --security-group-ids sg-0abc --direct-internet-access Disabled"
            .to_owned(),
        audit_shows: &["[]"],
        after: &[("research", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_direct_internet_access() {
    check(Case {
        rule: "sagemaker-notebook-direct-internet-access",
        scene: NOTEBOOK.to_owned(),
        audit_shows: &["research Enabled"],
        after: &[("research", Some("fail")), ("research-2", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_in_vpc() {
    check(Case {
        rule: "sagemaker-notebook-in-vpc",
        scene: NOTEBOOK.to_owned(),
        audit_shows: &["null"],
        after: &[("research", Some("fail")), ("research-2", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_kms_key() {
    check(Case {
        rule: "sagemaker-notebook-kms-key",
        scene: NOTEBOOK.to_owned(),
        audit_shows: &["null"],
        after: &[("research", None), ("research-v2", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_lifecycle_secrets() {
    // `export GITHUB_TOKEN=ghp_…` on line 2 of the start script.
    let script = "#!/bin/bash\nexport GITHUB_TOKEN=ghp_R8xJk2mVq9LpT4wZs7YbN3cHd6FgA1eKu5Xo\n";
    let scene = format!(
        "aws sagemaker create-notebook-instance-lifecycle-config --notebook-instance-lifecycle-config-name research \\\n  --on-start Content=$(printf '%s' '{script}' | base64 -w0)"
    );
    check(Case {
        rule: "sagemaker-notebook-lifecycle-secrets",
        scene,
        audit_shows: &["research OnStart: 2:export GITHUB_TOKEN="],
        after: &[("research", Some("pass"))],
        then: None,
    });
}

#[test]
fn notebook_execution_role_exists() {
    let scene = "aws sagemaker create-notebook-instance --notebook-instance-name research --instance-type ml.t3.medium \\\n  --role-arn arn:aws:iam::123456789012:role/gone\naws iam create-role --role-name notebook-research --assume-role-policy-document '{}'".to_owned();
    check(Case {
        rule: "sagemaker-notebook-execution-role-exists",
        scene,
        audit_shows: &["research arn:aws:iam::123456789012:role/gone missing"],
        after: &[("research", Some("pass"))],
        then: None,
    });
}
