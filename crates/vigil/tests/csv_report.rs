//! `--format csv`: one RFC 4180 row per finding, for the audit against the
//! emulator and for a scan, read back with a CSV reader.

mod support;

use support::seed::{self, Isolation, Spec};
use support::{vigil, Emulator};

/// The rows of a CSV report, header first, as records.
fn rows(bytes: &[u8]) -> Vec<csv::StringRecord> {
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "RFC 4180 line ends");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.expect("a valid CSV record"))
        .collect()
}

#[test]
fn the_audit_gives_one_row_per_finding() {
    let emulator = Emulator::start();
    let names = ["a-fail", "b-pass", "c-fail", "d-pass", "e-fail", "f-pass"];
    let specs: Vec<Spec> = names
        .iter()
        .map(|n| {
            Spec::new(
                "eu-west-1",
                n,
                if n.ends_with("pass") {
                    Isolation::On
                } else {
                    Isolation::Off
                },
            )
        })
        .collect();
    seed::create_all(&emulator.url, &specs);

    let out = vigil(&[
        "audit",
        "--endpoint-url",
        &emulator.url,
        "--regions",
        "eu-west-1",
        "--rules",
        "sagemaker-model-network-isolation",
        "--format",
        "csv",
    ]);

    assert_eq!(out.status.code(), Some(1));
    let rows = rows(&out.stdout);
    assert_eq!(
        rows[0].iter().collect::<Vec<_>>(),
        vigil_report_columns(),
        "documented columns"
    );
    let found: Vec<(String, String, String)> = rows[1..]
        .iter()
        .map(|r| (r[8].to_owned(), r[3].to_owned(), r[11].to_owned()))
        .collect();
    let expected: Vec<(String, String, String)> = names
        .iter()
        .map(|n| (n.to_string(), n[2..].to_owned(), "eu-west-1".to_owned()))
        .collect();
    assert_eq!(found, expected, "six models, six rows");
    assert!(rows[1][9].starts_with("arn:aws:sagemaker:eu-west-1:"), "{:?}", &rows[1]);
}

fn vigil_report_columns() -> Vec<&'static str> {
    vec![
        "rule",
        "title",
        "risk",
        "status",
        "reason",
        "suppressed",
        "suppression_reason",
        "resource_type",
        "name",
        "arn",
        "account",
        "region",
        "file",
        "line",
        "message",
        "state",
        "first_seen",
        "new",
    ]
}

#[test]
fn a_scan_row_carries_its_file_and_line_and_quotes_what_needs_quoting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stack, \"prod\".yaml");
    std::fs::write(
        &path,
        "Resources:\n  Scorer:\n    Type: AWS::SageMaker::Model\n    Properties:\n      ExecutionRoleArn: r\n      PrimaryContainer: {Image: img}\n      EnableNetworkIsolation: false\n",
    )
    .unwrap();
    let out = vigil(&[
        "scan",
        path.to_str().unwrap(),
        "--rules",
        "sagemaker-model-network-isolation",
        "--format",
        "csv",
    ]);
    let rows = rows(&out.stdout);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        &rows[1][12],
        path.to_str().unwrap(),
        "a comma and quotes survive the round trip"
    );
    assert_eq!(&rows[1][13], "7", "the line of the property");
    assert_eq!(&rows[1][3], "fail");
}

/// No cell starts a formula, and no cell holds a raw control or bidi
/// character: what a spreadsheet would run or a terminal would obey.
fn assert_inert(rows: &[csv::StringRecord]) {
    for row in rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a live formula: {cell:?}"
            );
            assert!(
                !cell
                    .chars()
                    .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
                "a raw control character: {cell:?}"
            );
        }
    }
}

#[test]
fn cells_a_spreadsheet_would_run_are_neutralised_in_reports_and_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let template = "=HYPERLINK(\"evil\").yaml";
    std::fs::write(
        dir.path().join(template),
        "Resources:\n  \"@SUM(A1)\":\n    Type: AWS::SageMaker::Model\n    Properties:\n      EnableNetworkIsolation: false\n  \"+Other\":\n    Type: AWS::SageMaker::Model\n    Properties:\n      EnableNetworkIsolation: false\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("vigil.toml"),
        "[[suppress]]\nrule = \"sagemaker-model-network-isolation\"\nresources = [\"+Other\"]\nreason = \"-2+3 \\u001b[31mred\\u202e\"\nexpires = \"2999-01-01\"\n",
    )
    .unwrap();
    let store = format!("sqlite://{}", dir.path().join("f.db").display());
    let run = |args: &[&str]| {
        let mut command = support::vigil_command(args);
        command.env_remove("VIGIL_NO_STORE").current_dir(dir.path());
        command.output().unwrap()
    };
    let scan = [
        "scan",
        template,
        "--rules",
        "sagemaker-model-network-isolation",
        "--format",
        "csv",
    ];
    let out = run(&[&scan[..], &["--config", "vigil.toml", "--store", &store]].concat());
    let report = rows(&out.stdout);
    assert_eq!(report.len(), 3, "{}", String::from_utf8_lossy(&out.stderr));
    assert_inert(&report);
    let by_name = |name: &str| report.iter().find(|r| &r[8] == name).unwrap().clone();
    assert_eq!(&by_name("'@SUM(A1)")[12], "'=HYPERLINK(\"evil\").yaml");
    assert_eq!(
        &by_name("'+Other")[6],
        "'-2+3 \\x1b[31mred\\u{202e}",
        "escaped as the text report does"
    );

    let out = run(&["findings", "--store", &store, "--format", "csv"]);
    let stored = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&out.stdout[..])
        .records()
        .map(|r| r.unwrap())
        .collect::<Vec<_>>();
    assert_eq!(stored.len(), 3);
    assert_inert(&stored);
}
