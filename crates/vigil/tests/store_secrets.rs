//! A store password never leaves the process: planted in the URL (as the
//! user part and as `password=`), it is in no report of any format, no
//! message, no listing and nothing the store keeps; and libpq's own ways
//! of giving one (`PGPASSWORD`, the password file) work, so no one has to
//! write it into a URL at all.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use support::postgres::Postgres;
use support::vigil_command;

const PLANTED: &str = "Pl4nted-s3cret";
const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/cloudformation");

/// `vigil ARGS` with recording on; (exit code, stdout and stderr).
fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut command = vigil_command(args);
    command.env_remove("VIGIL_NO_STORE").envs(env.iter().copied());
    let out = command.output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap(), said)
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(PLANTED), "{what} shows the password:\n{text}");
}

#[test]
fn a_planted_password_is_in_no_output_message_or_listing() {
    let postgres = Postgres::start();
    postgres.add_password_role("ci", PLANTED);
    let port = postgres.port;
    let dir = tempfile::tempdir().unwrap();
    for url in [
        format!("postgres://ci:{PLANTED}@127.0.0.1:{port}/postgres"),
        format!("postgres://ci@127.0.0.1:{port}/postgres?password={PLANTED}&application_name=vigil"),
    ] {
        for format in ["json", "text", "sarif", "csv", "html", "ocsf", "junit"] {
            let report = dir.path().join(format!("report.{format}"));
            let (code, said) = run(
                &[
                    "scan",
                    EXAMPLES,
                    "--store",
                    &url,
                    "--format",
                    format,
                    "-o",
                    report.to_str().unwrap(),
                ],
                &[],
            );
            assert_eq!(code, 1, "{format}: {said}");
            assert_clean(&format!("scan --format {format}"), &said);
            let written = std::fs::read_to_string(&report).unwrap();
            assert_clean(&format!("the {format} report"), &written);
            if format == "json" {
                let json: serde_json::Value = serde_json::from_str(&written).unwrap();
                assert!(json["errors"].as_array().unwrap().is_empty(), "recorded: {written}");
                assert_eq!(
                    json["recorded"]["store"],
                    format!("postgres://ci@127.0.0.1:{port}/postgres")
                        + if url.contains('?') {
                            "?application_name=vigil"
                        } else {
                            ""
                        }
                );
            }
        }
        for listing in [
            vec!["findings", "--store", &url, "--format", "json"],
            vec!["findings", "--store", &url],
            vec!["runs", "--store", &url, "--format", "json"],
            vec!["runs", "--store", &url, "prune", "--keep", "30d"],
        ] {
            let (code, said) = run(&listing, &[]);
            assert_eq!(code, 0, "{listing:?}: {said}");
            assert_clean(&format!("{listing:?}"), &said);
        }
        // A store that refuses: the error names the store, not the password.
        let wrong = url.replace(&port.to_string(), &support::free_port().to_string());
        let (_, said) = run(&["scan", EXAMPLES, "--store", &wrong, "--format", "json"], &[]);
        assert!(said.contains("was not recorded"), "{said}");
        assert_clean("a store that cannot be reached", &said);
        let (_, said) = run(&["findings", "--store", &wrong], &[]);
        assert!(said.contains("vigil: error"), "{said}");
        assert_clean("findings from a store that cannot be reached", &said);
    }
    let refused = format!("mysql://root:{PLANTED}@db/v?password={PLANTED}");
    let (code, said) = run(&["scan", EXAMPLES, "--store", &refused], &[]);
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("is not a store URL"), "{said}");
    assert_clean("a URL that is not a store's", &said);
}

#[test]
fn pgpassword_and_the_password_file_give_the_password_as_libpq_does() {
    let postgres = Postgres::start();
    postgres.add_password_role("ci", PLANTED);
    let url = format!("postgres://ci@127.0.0.1:{}/postgres", postgres.port);
    let recorded = |env: &[(&str, &str)]| {
        let (code, said) = run(&["scan", EXAMPLES, "--store", &url, "--format", "json"], env);
        assert_eq!(code, 1, "{said}");
        assert_clean("a scan", &said);
        !said.contains("was not recorded")
    };
    assert!(!recorded(&[]), "no password, no recording");
    assert!(recorded(&[("PGPASSWORD", PLANTED)]));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pgpass");
    std::fs::write(&file, format!("127.0.0.1:*:postgres:ci:{PLANTED}\n")).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(recorded(&[("PGPASSFILE", file.to_str().unwrap())]));
    std::fs::copy(&file, dir.path().join(".pgpass")).unwrap();
    assert!(recorded(&[("HOME", dir.path().to_str().unwrap())]), "~/.pgpass");
    // Readable by others: libpq skips it, and the error says why.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (_, said) = run(
        &["scan", EXAMPLES, "--store", &url, "--format", "json"],
        &[("PGPASSFILE", file.to_str().unwrap())],
    );
    assert!(said.contains("chmod 0600"), "{said}");
    assert!(Path::new(&file).exists());
}
