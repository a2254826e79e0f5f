//! Where the store is: `sqlite://PATH`, `postgres://…` (or `postgresql://…`),
//! or by default a SQLite file in the user's data folder.

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    Sqlite(PathBuf),
    /// A libpq connection URL, passed to the client as written.
    Postgres(String),
}

impl StoreUrl {
    /// Reads `--store` / `VIGIL_STORE`; the error names what is accepted
    /// (and shows the text with its credentials removed).
    pub fn parse(text: &str) -> Result<StoreUrl, String> {
        if let Some(path) = text.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(format!("'{text}' names no file: use sqlite://PATH"));
            }
            return Ok(StoreUrl::Sqlite(PathBuf::from(path)));
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(StoreUrl::Postgres(text.to_owned()));
        }
        Err(format!(
            "'{}' is not a store URL: use sqlite://PATH or postgres://USER@HOST/DATABASE",
            without_credentials(text)
        ))
    }

    /// The URL with every credential removed, for reports and messages.
    pub fn shown(&self) -> String {
        match self {
            StoreUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            StoreUrl::Postgres(url) => without_credentials(url),
        }
    }
}

/// Connection parameters whose value is a secret (libpq's own list of
/// parameters that hold one, `password` and `sslpassword`), matched as
/// libpq matches keywords: exactly, in lower case.
const SECRET_PARAMETERS: &[&str] = &["password", "sslpassword"];

/// `scheme://user:pw@host/db?password=…` as `scheme://user@host/db`: the
/// password of the user part and every secret parameter are left out, and
/// nothing else is changed. Text that is not a URL is returned as it is,
/// but for the part before an `@`, which may be `user:password`.
pub fn without_credentials(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (head, query) = match rest.split_once('?') {
        Some((head, query)) => (head, Some(query)),
        None => (rest, None),
    };
    // The user part ends at the last `@` before the query: a password may
    // hold an unencoded `@` or `/`.
    let head = match head.rsplit_once('@') {
        Some((user, host)) => format!("{}@{host}", user.split(':').next().unwrap_or_default()),
        None => head.to_owned(),
    };
    let kept: Vec<&str> = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && !SECRET_PARAMETERS.contains(&key)
        })
        .collect();
    let scheme = if scheme.is_empty() {
        String::new()
    } else {
        format!("{scheme}://")
    };
    if kept.is_empty() {
        format!("{scheme}{head}")
    } else {
        format!("{scheme}{head}?{}", kept.join("&"))
    }
}

/// `$XDG_DATA_HOME/vigil/findings.db`, else `~/.local/share/vigil/findings.db`.
pub fn default_sqlite_path() -> Option<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("vigil/findings.db"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            StoreUrl::parse("sqlite:///tmp/f.db"),
            Ok(StoreUrl::Sqlite("/tmp/f.db".into()))
        );
        assert!(StoreUrl::parse("sqlite://").is_err());
        assert!(StoreUrl::parse("mysql://x").unwrap_err().contains("sqlite://PATH"));
        let pg = StoreUrl::parse("postgres://vigil:secret@db:5432/vigil").unwrap();
        assert_eq!(pg.shown(), "postgres://vigil@db:5432/vigil");
    }

    #[test]
    fn no_credential_is_ever_shown() {
        for (url, shown) in [
            ("postgres://vigil:s3cret@db/v", "postgres://vigil@db/v"),
            ("postgresql://vigil:p@ss/w:rd@db:5432/v", "postgresql://vigil@db:5432/v"),
            (
                "postgres://vigil@db/v?password=s3cret&sslmode=require",
                "postgres://vigil@db/v?sslmode=require",
            ),
            ("postgres://db/v?sslpassword=s3cret&password=s3cret", "postgres://db/v"),
            (
                "postgres://vigil@db/v?application_name=ci",
                "postgres://vigil@db/v?application_name=ci",
            ),
        ] {
            assert_eq!(StoreUrl::parse(url).unwrap().shown(), shown, "{url}");
        }
        let refused = StoreUrl::parse("mysql://root:s3cret@db/v?password=s3cret").unwrap_err();
        assert!(
            !refused.contains("s3cret") && refused.contains("mysql://root@db/v"),
            "{refused}"
        );
    }
}
