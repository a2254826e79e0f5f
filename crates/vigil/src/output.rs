//! Writing a report where the user asked: standard output, or a file replaced
//! atomically so a reader never sees half a report. Only regular files are
//! replaced: a device or a pipe (`--output /dev/null`, `/dev/stdout`, a FIFO)
//! is written to in place, since renaming over it would destroy it. Large
//! reports are rendered straight into the destination, never held whole.

use anyhow::{Context, Result};
use std::io::{BufWriter, Write};
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
    let dir = folder_of(path);
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
    replace(path, Some(mode), |w| w.write_all(content.as_bytes()))
}

pub fn write(path: Option<&Path>, content: &str) -> Result<()> {
    write_streamed(path, |w| w.write_all(content.as_bytes()))
}

/// Like `write`, with the content rendered by `render` into the destination.
pub fn write_streamed(path: Option<&Path>, render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let Some(path) = path else {
        let mut stdout = BufWriter::new(std::io::stdout().lock());
        // A closed pipe (`vigil audit | head`) is not an error worth a trace.
        return match render(&mut stdout).and_then(|_| stdout.flush()) {
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.context("writing to standard output"),
        };
    };
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if special {
        let mut file = BufWriter::new(
            std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("opening {}", path.display()))?,
        );
        return render(&mut file)
            .and_then(|_| file.flush())
            .with_context(|| format!("writing {}", path.display()));
    }
    replace(path, None, render)
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

fn replace(path: &Path, mode: Option<u32>, render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder_of(path);
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    if let Some(mode) = mode {
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("setting the mode of {}", path.display()))?;
    }
    {
        let mut writer = BufWriter::new(file.as_file_mut());
        render(&mut writer)
            .and_then(|_| writer.flush())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    file.as_file()
        .sync_all()
        .with_context(|| format!("writing {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}
