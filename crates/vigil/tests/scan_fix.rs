//! `vigil scan --fix` keeps every byte it does not mean to change: the
//! file's mode, its byte order mark, its CRLF line endings; a read-only
//! file is refused with a message and the other files are still fixed.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use support::vigil;

const FAILING: &str = "Resources:\n  Scorer:\n    Type: AWS::SageMaker::Model\n    Properties:\n      ExecutionRoleArn: arn:aws:iam::123456789012:role/sm\n      PrimaryContainer: {Image: img}\n      EnableNetworkIsolation: false\n";

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn isolation_status(path: &Path) -> String {
    let out = vigil(&[
        "scan",
        "--format",
        "json",
        "--rules",
        "sagemaker-model-network-isolation",
        path.to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["findings"][0]["status"].as_str().unwrap().to_owned()
}

#[test]
fn fix_keeps_mode_bom_and_line_endings_and_goes_on_past_a_read_only_file() {
    let dir = tempfile::tempdir().unwrap();
    let (crlf, bom, read_only) = (
        dir.path().join("crlf.yaml"),
        dir.path().join("bom.yaml"),
        dir.path().join("locked.yaml"),
    );
    std::fs::write(&crlf, FAILING.replace('\n', "\r\n")).unwrap();
    std::fs::set_permissions(&crlf, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        &bom,
        format!("\u{feff}{}", FAILING.replace("EnableNetworkIsolation: false\n", "")),
    )
    .unwrap();
    std::fs::write(&read_only, FAILING).unwrap();
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).unwrap();

    let out = vigil(&[
        "scan",
        "--fix",
        "--rules",
        "sagemaker-model-network-isolation",
        dir.path().to_str().unwrap(),
    ]);

    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{}: the file is read-only (not changed)", read_only.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("set network isolation on 2 resource(s) in 2 file(s)"),
        "{stderr}"
    );
    let crlf_text = std::fs::read_to_string(&crlf).unwrap();
    assert_eq!(mode(&crlf), 0o755, "the mode is kept");
    assert_eq!(
        crlf_text.matches('\n').count(),
        crlf_text.matches("\r\n").count(),
        "every line still ends in CRLF: {crlf_text:?}"
    );
    assert!(crlf_text.contains("EnableNetworkIsolation: true\r\n"), "{crlf_text:?}");
    let bom_text = std::fs::read_to_string(&bom).unwrap();
    assert!(
        bom_text.starts_with('\u{feff}') && bom_text.contains("EnableNetworkIsolation: true"),
        "{bom_text:?}"
    );
    assert_eq!(std::fs::read_to_string(&read_only).unwrap(), FAILING);
    assert_eq!(mode(&read_only), 0o444);
    for fixed in [&crlf, &bom] {
        assert_eq!(isolation_status(fixed), "pass", "{}", fixed.display());
    }
}
