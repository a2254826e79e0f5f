//! A throwaway PostgreSQL server for the store tests: `initdb` and `pg_ctl`
//! in a temporary folder, on a free loopback port, as an unprivileged user
//! (PostgreSQL refuses to run as root). Stopped when dropped.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Postgres {
    /// `postgres://vigil@127.0.0.1:PORT/postgres`.
    pub url: String,
    pub port: u16,
    bin: PathBuf,
    data: PathBuf,
    user: Option<(u32, u32)>,
    _dir: tempfile::TempDir,
}

/// Where the server binaries are: `VIGIL_PG_BIN`, the `PATH`, or Debian's
/// `/usr/lib/postgresql/VERSION/bin`.
fn binaries() -> PathBuf {
    if let Some(dir) = std::env::var_os("VIGIL_PG_BIN") {
        return dir.into();
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file());
    let debian = || {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().join("bin"))
            .filter(|b| b.join("initdb").is_file())
            .collect();
        versions.sort();
        versions.pop()
    };
    on_path.or_else(debian).expect(
        "no PostgreSQL server binaries (initdb, pg_ctl): install the Debian package postgresql, or set VIGIL_PG_BIN",
    )
}

/// The uid and gid of `nobody`, when running as root.
pub fn unprivileged() -> Option<(u32, u32)> {
    let me = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&me.stdout).trim() != "0" {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    let line = passwd.lines().find(|l| l.starts_with("nobody:"))?;
    let fields: Vec<&str> = line.split(':').collect();
    Some((fields.get(2)?.parse().ok()?, fields.get(3)?.parse().ok()?))
}

impl Postgres {
    pub fn start() -> Self {
        let bin = binaries();
        let dir = tempfile::tempdir().unwrap();
        let user = unprivileged();
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).unwrap();
        }
        let data = dir.path().join("data");
        let port = super::free_port();
        let server = Postgres {
            url: format!("postgres://vigil@127.0.0.1:{port}/postgres"),
            port,
            bin,
            data,
            user,
            _dir: dir,
        };
        let data = server.data.display().to_string();
        server.run(
            "initdb",
            &["-D", &data, "-U", "vigil", "--auth=trust", "-E", "UTF8", "-N"],
        );
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            server.data.parent().unwrap().display()
        );
        let log = server.data.with_file_name("server.log").display().to_string();
        server.run(
            "pg_ctl",
            &["-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options, "start"],
        );
        server
    }

    /// Adds a login role that must give `password` (SCRAM) over TCP, as a
    /// team's server would; the bed's own role stays trusted.
    pub fn add_password_role(&self, role: &str, password: &str) {
        let hba = self.data.join("pg_hba.conf");
        let rules = std::fs::read_to_string(&hba).unwrap();
        std::fs::write(&hba, format!("host all {role} 127.0.0.1/32 scram-sha-256\n{rules}")).unwrap();
        let sql = format!("CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{password}'");
        self.psql("postgres", &sql);
        let data = self.data.display().to_string();
        self.run("pg_ctl", &["-D", &data, "reload"]);
        // A reload is signalled, not waited for: wait until the rule holds.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let mut command = self.psql_as(role, "postgres");
            command
                .args(["-w", "-c", "SELECT 1"])
                .env("PGPASSWORD", "not-the-password");
            if let Some((uid, gid)) = self.user {
                command.uid(uid).gid(gid);
            }
            let refused = !command.output().unwrap().status.success();
            if refused || std::time::Instant::now() > deadline {
                assert!(refused, "the server still trusts {role}");
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// Runs `sql` in database `db` with psql; what it printed, trimmed.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = self
            .psql_as("vigil", db)
            .args(["-v", "ON_ERROR_STOP=1", "-Atc", sql])
            .output()
            .unwrap();
        assert!(out.status.success(), "psql: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// psql connected to this server's `db` as `role`, over TCP.
    fn psql_as(&self, role: &str, db: &str) -> Command {
        let mut command = Command::new(self.tool("psql"));
        let port = self.port.to_string();
        command
            .args(["-h", "127.0.0.1", "-p", &port, "-U", role, "-d", db])
            .current_dir("/");
        command
    }

    /// A server binary, or a client one from the `PATH` when the server's
    /// folder holds only the server (a folder of links to it, say).
    fn tool(&self, name: &str) -> PathBuf {
        let beside = self.bin.join(name);
        if beside.exists() {
            beside
        } else {
            name.into()
        }
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let mut command = Command::new(self.tool(tool));
        command.args(args).current_dir(Path::new("/"));
        if let Some((uid, gid)) = self.user {
            command.uid(uid).gid(gid);
        }
        let out = command
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", self.tool(tool).display()));
        assert!(
            out.status.success(),
            "{tool} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.data.display().to_string();
        let mut command = Command::new(self.bin.join("pg_ctl"));
        command.args(["-D", &data, "-m", "immediate", "stop"]).current_dir("/");
        if let Some((uid, gid)) = self.user {
            command.uid(uid).gid(gid);
        }
        let _ = command.output();
    }
}
