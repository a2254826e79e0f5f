//! Writing a report where the user asked: standard output, or a file replaced
//! atomically so a reader never sees half a report. Only regular files are
//! replaced: a device or a pipe (`--output /dev/null`, `/dev/stdout`, a FIFO)
//! is written to in place, since renaming over it would destroy it.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Fails, saying why, if a report could not be written to `path`: checked
/// before a run starts, so a long audit does not end in a lost report.
pub fn check(path: Option<&Path>) -> Result<()> {
    let Some(path) = path else { return Ok(()) };
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => anyhow::bail!("--output {} is a folder", path.display()),
        Ok(meta) if !meta.is_file() => return Ok(()),
        _ => {}
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        anyhow::bail!(
            "--output {}: the folder {} does not exist",
            path.display(),
            dir.display()
        );
    }
    tempfile::NamedTempFile::new_in(dir)
        .map(drop)
        .with_context(|| format!("--output {}: cannot write in {}", path.display(), dir.display()))
}

/// Replaces the regular file `path` atomically with `content`, with the
/// permission bits `mode` (a fixed template keeps its own).
pub fn write_with_mode(path: &Path, content: &str, mode: u32) -> Result<()> {
    replace(path, content, Some(mode))
}

pub fn write(path: Option<&Path>, content: &str) -> Result<()> {
    let Some(path) = path else {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`vigil audit | head`) is not an error worth a trace.
        return match stdout.write_all(content.as_bytes()).and_then(|_| stdout.flush()) {
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.context("writing to standard output"),
        };
    };
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if special {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| f.write_all(content.as_bytes()))
            .with_context(|| format!("writing {}", path.display()));
    }
    replace(path, content, None)
}

fn replace(path: &Path, content: &str, mode: Option<u32>) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    if let Some(mode) = mode {
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("setting the mode of {}", path.display()))?;
    }
    file.write_all(content.as_bytes())
        .and_then(|_| file.as_file().sync_all())
        .with_context(|| format!("writing {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}
