//! Keys in templates are judged by what the template shows of them: one it
//! declares passes as the customer's; a literal id or ARN passes, and the
//! finding says in one line that only KMS can confirm it (`vigil audit`).

use vigil_core::registry::RULES;
use vigil_iac::{judge, scan, ScanOptions};

const TEMPLATE: &str = r#"
Resources:
  Key:
    Type: AWS::KMS::Key
  Declared:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: arn:aws:iam::123456789012:role/nb
      KmsKeyId: !GetAtt Key.Arn
  Literal:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: arn:aws:iam::123456789012:role/nb
      KmsKeyId: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
"#;

#[test]
fn a_literal_key_passes_with_a_line_saying_kms_must_confirm_it_and_a_declared_one_without() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notebooks.yaml");
    std::fs::write(&path, TEMPLATE).unwrap();
    let out = scan(&[path], &ScanOptions::default());
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let mut messages = std::collections::BTreeMap::new();
    for resource in &out.resources {
        for finding in judge(resource, RULES, "2026-01-01", &mut Vec::new()) {
            if finding.rule.id == "sagemaker-notebook-kms-key" {
                let id = finding.location.as_ref().unwrap().logical_id.clone();
                messages.insert(id, (finding.status.as_str().to_owned(), finding.message.clone()));
            }
        }
    }
    let (status, message) = &messages["Declared"];
    assert_eq!(status, "pass");
    assert!(!message.contains("asks KMS"), "{message}");
    let (status, message) = &messages["Literal"];
    assert_eq!(status, "pass");
    assert!(message.contains("`vigil audit` asks KMS"), "{message}");
}
