//! The versioned report folder: listing versions, writing the next one
//! without overwriting, and reading versions back for trends and `verify`.

use super::write::{reason, sync_dir, temp_file_in};
use crate::playbook::sha256_hex;
use crate::report::chain::{self, ChainProblem, to_json};
use crate::report::{Previous, Report, TrendPoint};
use anyhow::{Context, Result, bail};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `readiness-v<N>.json` files in `dir`, sorted by N.
pub fn versions(dir: &Path) -> Result<Vec<(u64, PathBuf)>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(n) = name
            .strip_prefix("readiness-v")
            .and_then(|r| r.strip_suffix(".json"))
            .and_then(|n| n.parse::<u64>().ok())
        {
            out.push((n, entry.path()));
        }
    }
    out.sort();
    Ok(out)
}

/// Reads a stored JSON report.
pub fn read(path: &Path) -> Result<(Report, Vec<u8>)> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let stored = chain::parse(&bytes, path)?;
    Ok((stored, bytes))
}

/// Earlier versions as trend points (unreadable ones are left out).
pub fn trend(dir: &Path) -> Vec<TrendPoint> {
    versions(dir)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(n, path)| {
            let (s, _) = read(&path).ok()?;
            Some(TrendPoint {
                report_version: n,
                generated_at: s.generated_at,
                score: s.summary.score,
                level: s.summary.level.to_string(),
            })
        })
        .collect()
}

/// Writes `report` as the next version in `dir`. Never overwrites: the JSON
/// appears complete at once (a temp file linked into place only if the name
/// is free); if another run took the number, it tries the next one.
///
/// `render` makes the other outputs of the version (Markdown, HTML, a
/// template) once the version number and the link to the previous version
/// are set. It runs before anything is written, so an output that fails to
/// render leaves no version and no new folder behind.
/// Returns the version, the JSON path and what `render` made.
pub fn write_next<T>(
    dir: &Path,
    report: &mut Report,
    mut render: impl FnMut(&Report) -> Result<T>,
) -> Result<(u64, PathBuf, T)> {
    for _attempt in 0..1000 {
        let existing = versions(dir)?;
        let (next, previous) = match existing.last() {
            Some((n, path)) => {
                let bytes =
                    fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
                (
                    n + 1,
                    Some(Previous {
                        report_version: *n,
                        sha256: sha256_hex(&bytes),
                    }),
                )
            }
            None => (1, None),
        };
        report.report_version = Some(next);
        report.previous = previous;
        let outputs = render(report)?;
        let text = to_json(report)?;
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the reports folder {}", dir.display()))?;
        let path = dir.join(format!("readiness-v{next}.json"));
        match persist_new(dir, &path, text.as_bytes()) {
            Ok(()) => return Ok((next, path, outputs)),
            Err(PersistError::Exists) => continue,
            Err(PersistError::Io(e)) => {
                bail!("cannot write {}: {}", path.display(), reason(&e));
            }
        }
    }
    bail!("could not find a free report version in {}", dir.display())
}

/// Writes another file of version `n` (Markdown, HTML, template output).
pub fn write_companion(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let path = dir.join(name);
    match persist_new(dir, &path, bytes) {
        Ok(()) => Ok(path),
        Err(PersistError::Exists) => bail!(
            "{} already exists; reports are never overwritten",
            path.display()
        ),
        Err(PersistError::Io(e)) => bail!("cannot write {}: {}", path.display(), reason(&e)),
    }
}

enum PersistError {
    Exists,
    Io(std::io::Error),
}

/// Writes a temp file, syncs it and links it to `path` without replacing.
fn persist_new(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), PersistError> {
    let mut tmp = temp_file_in(dir).map_err(PersistError::Io)?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(PersistError::Io)?;
    match tmp.persist_noclobber(path) {
        Ok(_) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o644));
            }
            sync_dir(dir);
            Ok(())
        }
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(PersistError::Exists),
        Err(e) => Err(PersistError::Io(e.error)),
    }
}

/// Checks every version: its own hash, its number, and its link to the one before.
pub fn verify(dir: &Path) -> Result<Vec<ChainProblem>> {
    let versions = versions(dir)?
        .into_iter()
        .map(|(n, path)| {
            let (read, bytes) = match read(&path) {
                Ok((stored, bytes)) => (Ok(stored), bytes),
                Err(e) => (Err(e), fs::read(&path).unwrap_or_default()),
            };
            chain::Version { n, bytes, read }
        })
        .collect();
    Ok(chain::verify(versions))
}
