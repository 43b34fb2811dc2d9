//! Report versions on disk: the next number, writing without overwriting,
//! reading earlier versions back, and checking the hash chain.
//!
//! Each JSON report carries `previous: {report_version, sha256}` (the sha256
//! of the previous version's file) and `content_sha256`, the sha256 of its
//! own bytes with that value zeroed, so an edit to any version, the newest
//! included, is detected.

use super::{Previous, Report, TrendPoint};
use crate::answers::file;
use crate::playbook::sha256_hex;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

const ZEROS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HASH_KEY: &str = "\"content_sha256\": \"";

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

/// The fields of a stored report that `diff`, `history` and trends read.
#[derive(Debug, Clone, Deserialize)]
pub struct Stored {
    pub schema: String,
    pub report_version: Option<u64>,
    pub generated_at: String,
    #[serde(default)]
    pub product: Option<String>,
    pub summary: StoredSummary,
    #[serde(default)]
    pub playbooks: Vec<StoredPlaybook>,
    #[serde(default)]
    pub previous: Option<Previous>,
    #[serde(default)]
    pub content_sha256: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StoredSummary {
    pub score: f64,
    pub level: String,
    pub questions: usize,
    pub answered: usize,
    #[serde(default)]
    pub missing: usize,
    #[serde(default)]
    pub stale: usize,
    #[serde(default)]
    pub blockers: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StoredPlaybook {
    pub id: String,
    pub title: String,
    pub score: f64,
    #[serde(default)]
    pub questions: Vec<StoredQuestion>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StoredQuestion {
    pub id: String,
    pub question: String,
    pub version: String,
    pub state: String,
    pub status: Option<String>,
    pub credit: Option<f64>,
}

/// Reads a stored JSON report.
pub fn read(path: &Path) -> Result<(Stored, Vec<u8>)> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let stored: Stored = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not a supportcheck JSON report", path.display()))?;
    if stored.schema != super::SCHEMA {
        bail!(
            "{} has schema `{}`; this supportcheck reads `{}`",
            path.display(),
            stored.schema,
            super::SCHEMA
        );
    }
    Ok((stored, bytes))
}

/// The sha256 a report's bytes should carry in `content_sha256`.
fn content_hash(bytes: &[u8]) -> Option<(String, String)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find(HASH_KEY)? + HASH_KEY.len();
    let written = text.get(start..start + 64)?.to_string();
    let mut zeroed = text.to_string();
    zeroed.replace_range(start..start + 64, ZEROS);
    Some((written, sha256_hex(zeroed.as_bytes())))
}

/// Serialises a report with its own content hash filled in.
pub fn to_json(report: &Report) -> Result<String> {
    let body = serde_json::to_string_pretty(report)?;
    let mut text = body.replacen("{\n", &format!("{{\n  {HASH_KEY}{ZEROS}\",\n"), 1);
    text.push('\n');
    let (_, hash) = content_hash(text.as_bytes()).expect("the hash key was just written");
    Ok(text.replacen(
        &format!("{HASH_KEY}{ZEROS}"),
        &format!("{HASH_KEY}{hash}"),
        1,
    ))
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
                level: s.summary.level,
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
                bail!("cannot write {}: {}", path.display(), file::reason(&e));
            }
        }
    }
    bail!("could not find a free report version in {}", dir.display())
}

/// Writes another file of version `n` (Markdown, HTML, template output).
pub fn write_companion(dir: &Path, name: &str, text: &str) -> Result<PathBuf> {
    let path = dir.join(name);
    match persist_new(dir, &path, text.as_bytes()) {
        Ok(()) => Ok(path),
        Err(PersistError::Exists) => bail!(
            "{} already exists; reports are never overwritten",
            path.display()
        ),
        Err(PersistError::Io(e)) => bail!("cannot write {}: {}", path.display(), file::reason(&e)),
    }
}

enum PersistError {
    Exists,
    Io(std::io::Error),
}

/// Writes a temp file, syncs it and links it to `path` without replacing.
fn persist_new(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), PersistError> {
    let mut tmp = file::temp_file_in(dir).map_err(PersistError::Io)?;
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
            file::sync_dir(dir);
            Ok(())
        }
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(PersistError::Exists),
        Err(e) => Err(PersistError::Io(e.error)),
    }
}

/// One problem found by `history --verify`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainProblem {
    pub report_version: u64,
    pub problem: String,
}

/// Checks every version: its own hash, its number, and its link to the one before.
pub fn verify(dir: &Path) -> Result<Vec<ChainProblem>> {
    let mut problems = Vec::new();
    let mut prev: Option<(u64, String)> = None;
    for (n, path) in versions(dir)? {
        let mut problem = |p: String| {
            problems.push(ChainProblem {
                report_version: n,
                problem: p,
            })
        };
        let (stored, bytes) = match read(&path) {
            Ok(r) => r,
            Err(e) => {
                problem(format!("unreadable: {e:#}"));
                prev = Some((n, sha256_hex(&fs::read(&path).unwrap_or_default())));
                continue;
            }
        };
        match content_hash(&bytes) {
            Some((written, actual)) if written == actual => {}
            Some(_) => problem("edited: its content does not match its content_sha256".into()),
            None => problem("no content_sha256: not written by supportcheck, or edited".into()),
        }
        if stored.report_version != Some(n) {
            problem(format!(
                "its report_version is {:?} but the file name says {n}",
                stored.report_version
            ));
        }
        match (&prev, &stored.previous) {
            (None, None) => {}
            (None, Some(p)) => problem(format!(
                "it links to version {}, which is missing (removed?)",
                p.report_version
            )),
            (Some((pn, _)), None) => {
                problem(format!("it does not link to version {pn} (inserted?)"))
            }
            (Some((pn, psha)), Some(p)) => {
                if p.report_version != *pn {
                    problem(format!(
                        "it links to version {} but the version before it is {pn} (a version was removed or inserted)",
                        p.report_version
                    ));
                } else if &p.sha256 != psha {
                    problem(format!(
                        "version {pn} changed after this version was written (edited or replaced)"
                    ));
                }
            }
        }
        prev = Some((n, sha256_hex(&bytes)));
    }
    Ok(problems)
}
