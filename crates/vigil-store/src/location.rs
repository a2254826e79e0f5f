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
    /// Reads `--store` / `VIGIL_STORE`; the error names what is accepted.
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
            "'{text}' is not a store URL: use sqlite://PATH or postgres://USER@HOST/DATABASE"
        ))
    }

    /// The URL with any password left out, for messages.
    pub fn shown(&self) -> String {
        match self {
            StoreUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            StoreUrl::Postgres(url) => match url
                .split_once("://")
                .and_then(|(s, rest)| Some((s, rest.split_once('@')?)))
            {
                Some((scheme, (user, host))) => {
                    format!("{scheme}://{}@{host}", user.split(':').next().unwrap_or_default())
                }
                None => url.clone(),
            },
        }
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
}
