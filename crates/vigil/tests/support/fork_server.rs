//! The client of tests/emulator/fork_server.py, started once per test
//! binary: each emulator and boto3 scene is a child forked from a Python
//! that has already imported moto and boto3 and built moto's services, so
//! a test does not pay a second or so of start-up for each.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The server's socket; the server lives until this test process exits.
fn socket() -> &'static Path {
    static SOCKET: OnceLock<PathBuf> = OnceLock::new();
    SOCKET.get_or_init(|| {
        let folder = std::env::temp_dir().join(format!("vigil-fork-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let socket = folder.join("s");
        let script = super::repo_root().join("tests/emulator/fork_server.py");
        let mut server = Command::new(super::python())
            .arg(script)
            .arg("serve")
            .arg(&socket)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting the fork server");
        let mut line = String::new();
        BufReader::new(server.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "listening", "the fork server said {line:?}");
        // It exits by itself when this process is gone: not waited for.
        std::mem::forget(server);
        socket
    })
}

/// Sends one request; the connection, to read the answer from.
fn ask(request: serde_json::Value) -> (UnixStream, BufReader<UnixStream>) {
    let mut conn = UnixStream::connect(socket()).expect("reaching the fork server");
    conn.write_all(format!("{request}\n").as_bytes()).unwrap();
    let reader = BufReader::new(conn.try_clone().unwrap());
    (conn, reader)
}

/// A fresh emulator: its URL, and the connection that keeps it alive
/// (closing it stops the emulator).
pub fn emulator() -> (UnixStream, String) {
    let (conn, mut reader) = ask(serde_json::json!({"emulator": true}));
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("the forked emulator said {line:?}"))
        .to_owned();
    (conn, url)
}

/// What `python -c script args...` exits with and prints.
pub struct Ran {
    pub code: i64,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `script` as `python -c script args...` would, in a forked child.
pub fn scene(script: &str, args: &[&str]) -> Ran {
    let (_conn, mut reader) = ask(serde_json::json!({"scene": script, "argv": args}));
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let answer: serde_json::Value =
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("the forked scene answered {line:?}: {e}"));
    let text = |field: &str| answer[field].as_str().unwrap_or_default().to_owned();
    Ran {
        code: answer["code"].as_i64().unwrap_or(-1),
        stdout: text("stdout"),
        stderr: text("stderr"),
    }
}
