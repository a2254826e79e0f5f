//! What a libpq user expects of a connection URL that leaves things out:
//! the `PGUSER`, `PGHOST`, `PGPORT` and `PGDATABASE` defaults, and a
//! password from `PGPASSWORD` or the password file (`PGPASSFILE`, else
//! `~/.pgpass`), so that no password has to be written into the URL, where
//! it would reach shell history, CI logs and process listings.

use std::path::{Path, PathBuf};
use tokio_postgres::config::Host;
use tokio_postgres::Config;

/// The environment, as a function so tests need not change the process's.
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Fills in what the URL left out, as libpq would. Returns a sentence to
/// add to a connection error when a password file was skipped.
pub(crate) fn fill(config: &mut Config, env: Env) -> Option<String> {
    if config.get_user().is_none() {
        if let Some(user) = env("PGUSER").or_else(|| env("USER")).or_else(|| env("LOGNAME")) {
            config.user(&user);
        }
    }
    if config.get_hosts().is_empty() {
        config.host(env("PGHOST").unwrap_or_else(|| "/var/run/postgresql".into()));
    }
    if config.get_ports().is_empty() {
        if let Some(port) = env("PGPORT").and_then(|p| p.parse().ok()) {
            config.port(port);
        }
    }
    if config.get_dbname().is_none() {
        if let Some(db) = env("PGDATABASE") {
            config.dbname(&db);
        }
    }
    if config.get_password().is_some() {
        return None;
    }
    if let Some(password) = env("PGPASSWORD") {
        config.password(password);
        return None;
    }
    let file = env("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|home| Path::new(&home).join(".pgpass")))?;
    match read_password_file(&file, config) {
        Ok(Some(password)) => {
            config.password(password);
            None
        }
        Ok(None) => None,
        Err(why) => Some(why),
    }
}

/// The password of the first line of `file` that matches the connection;
/// an error when the file is readable by others (libpq then ignores it).
fn read_password_file(file: &Path, config: &Config) -> Result<Option<String>, String> {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::metadata(file) else {
        return Ok(None);
    };
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(format!(
            "the password file {} was not read: others can read it (chmod 0600 it, as libpq requires)",
            file.display()
        ));
    }
    let Ok(text) = std::fs::read_to_string(file) else {
        return Ok(None);
    };
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        // libpq matches a Unix socket as `localhost`.
        _ => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432).to_string();
    let user = config.get_user().unwrap_or_default();
    let db = config.get_dbname().unwrap_or(user);
    Ok(text
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(fields)
        .find(|f| {
            f.len() == 5
                && [&host, &port, db, user]
                    .iter()
                    .zip(f)
                    .all(|(want, field)| field == "*" || field == *want)
        })
        .map(|mut f| f.swap_remove(4)))
}

/// `host:port:db:user:password`, with `\:` and `\\` escaped.
fn fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut().unwrap().extend(chars.next()),
            ':' => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::os::unix::fs::PermissionsExt;

    fn filled(url: &str, vars: &[(&str, &str)]) -> (Config, Option<String>) {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut config: Config = url.parse().unwrap();
        let note = fill(&mut config, &|k| vars.get(k).cloned());
        (config, note)
    }

    #[test]
    fn the_url_wins_then_pgpassword_then_the_password_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:*:*:*:nope\ndb.example:5432:vigil:ci:fr\\:om\\\\file\n*:*:*:*:fallback\n",
        )
        .unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let passfile = file.to_str().unwrap();
        let password = |c: &Config| c.get_password().map(|p| String::from_utf8_lossy(p).into_owned());

        let (c, _) = filled("postgres://ci:inurl@db.example/vigil", &[("PGPASSWORD", "env")]);
        assert_eq!(password(&c).as_deref(), Some("inurl"));
        let (c, _) = filled(
            "postgres://ci@db.example/vigil",
            &[("PGPASSWORD", "env"), ("PGPASSFILE", passfile)],
        );
        assert_eq!(password(&c).as_deref(), Some("env"));
        let (c, _) = filled("postgres://ci@db.example/vigil", &[("PGPASSFILE", passfile)]);
        assert_eq!(password(&c).as_deref(), Some("fr:om\\file"));
        let (c, _) = filled("postgres://ci@db.example/other", &[("PGPASSFILE", passfile)]);
        assert_eq!(password(&c).as_deref(), Some("fallback"), "the first matching line");
        let (c, _) = filled(
            "postgres://db.example/vigil",
            &[("HOME", dir.path().to_str().unwrap()), ("PGUSER", "ci")],
        );
        assert_eq!(c.get_user(), Some("ci"));
        assert_eq!(password(&c), None, "no ~/.pgpass there");

        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let (c, note) = filled("postgres://ci@db.example/vigil", &[("PGPASSFILE", passfile)]);
        assert_eq!(password(&c), None);
        assert!(note.unwrap().contains("chmod 0600"));
    }
}
