//! The reports folder as a ledger: version numbers, writing a version all
//! at once or not at all, the `index.jsonl` commit record, reading versions
//! back, and `history --verify`. The hashes and checks themselves are pure,
//! in `report::chain`.
//!
//! A version is the files `readiness-v<N>.json` (the record), `.md`, `.html`
//! and `-<template>.<ext>`. `report` stages them all as temp files, links
//! each into place without replacing anything, and only then adds a line to
//! `index.jsonl`, replacing that file whole. A version is committed when its
//! line is in the index; files without a line are left-overs of an
//! interrupted run and are never adopted.

use super::read::{ReadError, read_capped_to, read_named};
use super::write as file;
use crate::playbook::sha256_hex;
use crate::report::chain::{
    self, ChainProblem, INDEX, IndexEntry, MAX_VERSION, json_name, version_of, write_json,
};
use crate::report::{Previous, Report, TrendPoint};
use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A report JSON or companion over this size is not read.
pub const MAX_REPORT_BYTES: u64 = 1024 * 1024 * 1024;
/// The index is a line per version; this is far more than a million lines.
pub const MAX_INDEX_BYTES: u64 = 256 * 1024 * 1024;
/// Staged files of a `report` run; swept by the next run (under the lock).
const STAGE_PREFIX: &str = ".supportcheck-report-";
const LOCK: &str = ".readiness.lock";

/// The lines of `index.jsonl` with their entries.
type IndexLines = Vec<(String, IndexEntry)>;

/// What is in a reports folder.
#[derive(Debug, Default)]
pub struct Folder {
    /// The index, when there is one: its lines and their entries.
    pub index: Option<IndexLines>,
    /// Version files by version number, names sorted.
    pub files: BTreeMap<u64, Vec<String>>,
    /// Names that look like version files but are not (`readiness-v007.json`,
    /// a number over the bound, an unknown ending).
    pub strays: Vec<String>,
}

impl Folder {
    /// Reads the folder's listing and its index (not the reports). An index
    /// that cannot be read or parsed is an error.
    pub fn scan(dir: &Path) -> Result<Folder> {
        let (folder, index) = Folder::list(dir)?;
        Ok(Folder {
            index: index?,
            ..folder
        })
    }

    /// The listing, and the index or why it could not be read (for
    /// `verify`, which reports a damaged index rather than stopping).
    fn list(dir: &Path) -> Result<(Folder, Result<Option<IndexLines>>)> {
        let mut folder = Folder::default();
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((folder, Ok(None))),
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", dir.display()));
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            match version_of(&name) {
                Some(Some(n)) => folder.files.entry(n).or_default().push(name),
                Some(None) => folder.strays.push(name),
                None => {}
            }
        }
        for names in folder.files.values_mut() {
            names.sort();
        }
        folder.strays.sort();
        let index = read_index(dir);
        Ok((folder, index))
    }

    /// The highest number in use by the index or by any file.
    fn highest(&self) -> u64 {
        let by_index = self
            .index
            .as_ref()
            .and_then(|i| i.last())
            .map_or(0, |(_, e)| e.version);
        let by_file = self.files.keys().next_back().copied().unwrap_or(0);
        by_index.max(by_file)
    }

    /// Committed versions and their JSON paths: from the index, or, in a
    /// folder written before the index existed, every JSON file.
    pub fn versions(&self, dir: &Path) -> Vec<(u64, PathBuf)> {
        match &self.index {
            Some(lines) => lines
                .iter()
                .map(|(_, e)| (e.version, dir.join(json_name(e.version))))
                .collect(),
            None => self
                .files
                .iter()
                .filter(|(n, names)| names.contains(&json_name(**n)))
                .map(|(n, _)| (*n, dir.join(json_name(*n))))
                .collect(),
        }
    }
}

/// Committed `readiness-v<N>.json` files in `dir`, sorted by N.
pub fn versions(dir: &Path) -> Result<Vec<(u64, PathBuf)>> {
    Ok(Folder::scan(dir)?.versions(dir))
}

/// The index's lines, or `None` when the folder has no index. A line that
/// is not an entry is an error naming the line.
fn read_index(dir: &Path) -> Result<Option<IndexLines>> {
    let path = dir.join(INDEX);
    let bytes = match read_capped_to(&path, MAX_INDEX_BYTES) {
        Ok(b) => b,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => {
            return Err(e.into_error("report index", &path.display().to_string(), MAX_INDEX_BYTES));
        }
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{}: the report index is not UTF-8", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: IndexEntry = serde_json::from_str(line).with_context(|| {
            format!(
                "{}:{}: not a line of a supportcheck report index",
                path.display(),
                i + 1
            )
        })?;
        out.push((line.to_string(), entry));
    }
    Ok(Some(out))
}

/// Reads a stored JSON report (capped, never a FIFO or device).
pub fn read(path: &Path) -> Result<(Report, Vec<u8>)> {
    let shown = path.display().to_string();
    let bytes = read_named(path, "report", &shown, MAX_REPORT_BYTES)?;
    let stored = chain::parse(&bytes, path)?;
    Ok((stored, bytes))
}

/// Earlier versions as trend points, and the versions left out of them.
///
/// Only versions whose index line verifies count: the newest version whose
/// JSON is intact (its own hash and its digest in the index) and says what
/// its index line says gives the trend, as the earlier points it carries
/// plus its own. Usually that is the newest, so one JSON is read whatever
/// the number of versions; each newer version that does not verify is left
/// out and named. A folder without an index (older supportcheck) has its
/// JSONs read; unreadable ones are left out.
pub fn trend(dir: &Path) -> (Vec<TrendPoint>, Vec<u64>) {
    let Ok(folder) = Folder::scan(dir) else {
        return (Vec::new(), Vec::new());
    };
    match &folder.index {
        Some(lines) => {
            let mut left_out = Vec::new();
            for (line, e) in lines.iter().rev() {
                let name = json_name(e.version);
                let verified = read_capped_to(&dir.join(&name), MAX_REPORT_BYTES)
                    .ok()
                    .and_then(|bytes| {
                        let (sha, content) = chain::digests(&bytes);
                        let intact = matches!(content, Some((w, a)) if w == a)
                            && e.files.get(&name) == Some(&sha);
                        let (differ, committed) = chain::check_line(line, &bytes).ok()?;
                        (intact && differ.is_empty()).then_some(committed)
                    });
                match verified {
                    Some(c) if c.point.report_version == e.version => {
                        let mut points = c.trend;
                        points.push(c.point);
                        left_out.reverse();
                        return (points, left_out);
                    }
                    _ => left_out.push(e.version),
                }
            }
            left_out.reverse();
            (Vec::new(), left_out)
        }
        None => (
            folder
                .versions(dir)
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
                .collect(),
            Vec::new(),
        ),
    }
}

/// The committed versions for `history`: index entries, read without
/// touching a report; or, in a folder without an index, the JSONs.
pub fn summaries(dir: &Path) -> Result<Vec<Result<IndexEntry>>> {
    let folder = Folder::scan(dir)?;
    Ok(match folder.index {
        Some(lines) => lines.into_iter().map(|(_, e)| Ok(e)).collect(),
        None => folder
            .versions(dir)
            .into_iter()
            .map(|(_, path)| read(&path).map(|(r, _)| IndexEntry::of(&r, BTreeMap::new(), None)))
            .collect(),
    })
}

/// A lock on the reports folder, so that two `report` runs commit one
/// after the other.
struct FolderLock {
    _file: fs::File,
}

impl FolderLock {
    fn take(dir: &Path) -> Result<FolderLock> {
        let path = dir.join(LOCK);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot create the lock file {}", path.display()))?;
        file.lock()
            .with_context(|| format!("cannot lock {}", path.display()))?;
        Ok(FolderLock { _file: file })
    }
}

/// The entries a new version links to. In a folder written before the index
/// existed, the index is made from the JSONs that verify and link to the
/// one before (a garbage or hand-made file is not adopted).
fn committed(dir: &Path, folder: &Folder) -> Vec<(String, IndexEntry)> {
    if let Some(lines) = &folder.index {
        return lines.clone();
    }
    let mut out: Vec<(String, IndexEntry)> = Vec::new();
    for (n, path) in folder.versions(dir) {
        let Ok(bytes) = read_capped_to(&path, MAX_REPORT_BYTES) else {
            continue;
        };
        let Ok(stored) = chain::parse(&bytes, &path) else {
            continue;
        };
        let intact = matches!(chain::content_hash(&bytes), Some((w, a)) if w == a);
        let links = match (out.last(), &stored.previous) {
            (None, _) => true,
            (Some((_, e)), Some(p)) => e.files.get(&json_name(e.version)) == Some(&p.sha256),
            (Some(_), None) => false,
        };
        if !intact || stored.report_version != Some(n) || !links {
            continue;
        }
        let mut files = BTreeMap::new();
        for name in folder.files.get(&n).into_iter().flatten() {
            if let Ok(b) = read_capped_to(&dir.join(name), MAX_REPORT_BYTES) {
                files.insert(name.clone(), sha256_hex(&b));
            }
        }
        files.insert(json_name(n), sha256_hex(&bytes));
        let previous = out.last().map(|(line, _)| sha256_hex(line.as_bytes()));
        let entry = IndexEntry::of(&stored, files, previous);
        let line = serde_json::to_string(&entry).expect("an index entry serialises");
        out.push((line, entry));
    }
    out
}

/// Writes `report` as the next version in `dir`: all of its files or none.
///
/// `render` makes the outputs that may fail on user input (a template) once
/// the version number and the link to the previous version are set, before
/// anything is written; `stream` then writes the others (Markdown, HTML)
/// through a [`Stager`], under the folder's lock. Their digests go into the
/// JSON. The files are staged as temp files, linked into place
/// without replacing anything, and the version is committed by a new line in
/// `index.jsonl`. On any failure the files already placed are removed.
/// Returns the version and the paths written, the JSON first.
pub fn write_next(
    dir: &Path,
    report: &mut Report,
    mut render: impl FnMut(&Report) -> Result<Vec<(String, String)>>,
    stream: impl FnOnce(&Report, &mut Stager<'_>) -> Result<()>,
) -> Result<(u64, Vec<PathBuf>)> {
    // Render before anything is written (a template that fails leaves no
    // folder behind), then take the lock and check that no other run
    // committed in between; if one did, render again on top of it.
    let mut attempts = 0;
    let (next, chain, outputs, _lock) = loop {
        let (next, chain) = next_version(dir)?;
        let last = chain.last();
        report.report_version = Some(next);
        report.previous = last.map(|(_, e)| Previous {
            report_version: e.version,
            sha256: e
                .files
                .get(&json_name(e.version))
                .cloned()
                .unwrap_or_default(),
        });
        let outputs = render(report)?;
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the reports folder {}", dir.display()))?;
        let lock = FolderLock::take(dir)?;
        let (again, chain_again) = next_version(dir)?;
        if (again, chain_again.last().map(|(l, _)| l)) == (next, last.map(|(l, _)| l)) {
            break (next, chain, outputs, lock);
        }
        attempts += 1;
        if attempts > 100 {
            bail!("could not find a free report version in {}", dir.display());
        }
    };
    // Under the lock no other run is staging: every staged file is a left-over.
    file::sweep_temps(dir, STAGE_PREFIX, std::time::Duration::ZERO);
    file::sweep_temps(dir, file::TEMP_PREFIX, file::STALE_TEMP);
    let last = chain.last();
    // Each output is written to its staged file as it is made (Markdown and
    // HTML after the lock: they cannot fail on user input), then the JSON,
    // which carries their digests.
    let mut stager = Stager {
        dir,
        version: next,
        files: Vec::new(),
    };
    stream(report, &mut stager)?;
    for (name, text) in outputs {
        stager.add(name, |w| Ok(w.write_all(text.as_bytes())?))?;
    }
    report.companions = stager
        .files
        .iter()
        .map(|(name, _, sha)| (name.clone(), sha.clone()))
        .collect();
    let mut files = report.companions.clone();
    let json_path = dir.join(json_name(next));
    let json = stage_with(dir, |f| write_json(report, f))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e:#}", json_path.display()))?;
    files.insert(json_name(next), json.1);
    let mut staged = vec![(json_path, json.0)];
    staged.extend(
        stager
            .files
            .into_iter()
            .map(|(name, tmp, _)| (dir.join(name), tmp)),
    );
    let mut placed: Vec<PathBuf> = Vec::new();
    let undo = |placed: &[PathBuf]| {
        for p in placed {
            let _ = fs::remove_file(p);
        }
        file::sync_dir(dir);
    };
    for (path, tmp) in staged {
        match tmp.persist_noclobber(&path) {
            Ok(_) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let _ = fs::set_permissions(&path, fs::Permissions::from_mode(0o644));
                }
                placed.push(path);
            }
            Err(e) => {
                undo(&placed);
                if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                    bail!(
                        "{} already exists; reports are never overwritten",
                        path.display()
                    );
                }
                bail!(
                    "cannot write {}: {}",
                    path.display(),
                    file::reason(&e.error)
                );
            }
        }
    }
    file::sync_dir(dir);

    let entry = IndexEntry::of(
        report,
        files,
        last.map(|(line, _)| sha256_hex(line.as_bytes())),
    );
    let mut index = String::new();
    for (line, _) in &chain {
        index.push_str(line);
        index.push('\n');
    }
    index.push_str(&serde_json::to_string(&entry)?);
    index.push('\n');
    if let Err(e) = commit_index(dir, index.as_bytes()) {
        undo(&placed);
        return Err(e.context("the version was not committed"));
    }
    Ok((next, placed))
}

/// Replaces `index.jsonl` at once: a staged temp file (swept like the
/// others if a kill leaves it) renamed over it, then the folder synced.
fn commit_index(dir: &Path, bytes: &[u8]) -> Result<()> {
    let path = dir.join(INDEX);
    super::write::check_target(&path)?;
    let (tmp, ()) = stage_with(dir, |f| Ok(f.write_all(bytes)?))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e:#}", path.display()))?;
    tmp.persist(&path).map_err(|e| {
        anyhow::anyhow!(
            "cannot write {}: {}",
            path.display(),
            file::reason(&e.error)
        )
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(&path, fs::Permissions::from_mode(0o644));
    }
    file::sync_dir(dir);
    Ok(())
}

/// The next free number (above every file and index line) and the chain it
/// links to.
fn next_version(dir: &Path) -> Result<(u64, Vec<(String, IndexEntry)>)> {
    let folder = Folder::scan(dir)?;
    let next = folder.highest() + 1;
    if next > MAX_VERSION {
        bail!(super::Error::VersionsExhausted {
            dir: dir.display().to_string(),
            highest: folder.highest(),
            max: MAX_VERSION,
        });
    }
    Ok((next, committed(dir, &folder)))
}

/// The other files of a version, staged as temp files as they are written,
/// each made safe to print and hashed on the way.
pub struct Stager<'a> {
    dir: &'a Path,
    version: u64,
    /// Name, staged file, sha256.
    files: Vec<(String, tempfile::NamedTempFile, String)>,
}

impl Stager<'_> {
    /// The version being written.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Stages a file of the version, written by `write`.
    pub fn add(
        &mut self,
        name: String,
        write: impl FnOnce(&mut dyn Write) -> Result<()>,
    ) -> Result<()> {
        let path = self.free_name(&name)?;
        let (tmp, sha) = stage_with(self.dir, |f| {
            use sha2::Digest;
            let mut safe = crate::safe_text::SafeWriter::new(HashWriter {
                out: f,
                sha: sha2::Sha256::new(),
            });
            write(&mut safe)?;
            let hashed = safe.finish()?;
            Ok(format!("{:x}", hashed.sha.finalize()))
        })
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e:#}", path.display()))?;
        self.files.push((name, tmp, sha));
        Ok(())
    }

    /// Stages a binary file of the version (the PDF) as it is: unlike
    /// [`Stager::add`], nothing is escaped, since the bytes are not text.
    pub fn add_binary(&mut self, name: String, bytes: &[u8]) -> Result<()> {
        use sha2::Digest;
        let path = self.free_name(&name)?;
        let (tmp, sha) = stage_with(self.dir, |f| {
            f.write_all(bytes)?;
            Ok(format!("{:x}", sha2::Sha256::digest(bytes)))
        })
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e:#}", path.display()))?;
        self.files.push((name, tmp, sha));
        Ok(())
    }

    /// The path of output `name`, which no other output of the version has.
    fn free_name(&self, name: &str) -> Result<PathBuf> {
        if name == json_name(self.version) || self.files.iter().any(|(n, _, _)| n == name) {
            bail!(
                "two outputs of version {} are both named {name}",
                self.version
            );
        }
        Ok(self.dir.join(name))
    }
}

/// Passes bytes on and hashes them.
struct HashWriter<W: Write> {
    out: W,
    sha: sha2::Sha256,
}

impl<W: Write> Write for HashWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        let n = self.out.write(buf)?;
        self.sha.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// A synced temp file in `dir` written by `write`, and what `write` returned.
fn stage_with<T>(
    dir: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&fs::File>) -> Result<T>,
) -> Result<(tempfile::NamedTempFile, T)> {
    let tmp = tempfile::Builder::new()
        .prefix(STAGE_PREFIX)
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| anyhow::anyhow!("{}", file::reason(&e)))?;
    let mut out = std::io::BufWriter::new(tmp.as_file());
    let value = write(&mut out)?;
    out.flush()
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| anyhow::anyhow!("{}", file::reason(&e)))?;
    drop(out);
    Ok((tmp, value))
}

/// What `history --verify` found.
#[derive(Debug, Default)]
pub struct Verification {
    /// Committed versions checked.
    pub versions: usize,
    /// Whether the folder has an index (a chain head).
    pub indexed: bool,
    pub problems: Vec<ChainProblem>,
}

/// Checks every version: each file against its digest, each JSON's own hash,
/// number and link, each index line against the JSON it commits, each date
/// against `now`, the index's chain, and files that belong to no committed
/// version. Each file is read and hashed once.
pub fn verify(dir: &Path, now: DateTime<Utc>) -> Result<Verification> {
    let (mut folder, index) = Folder::list(dir)?;
    // A damaged index is a finding; the JSONs are then checked on their own.
    let damaged = index.as_ref().err().map(|e| format!("{e:#}"));
    folder.index = index.unwrap_or(None);
    let mut out = Verification {
        indexed: folder.index.is_some(),
        ..Verification::default()
    };
    let mut problem = |n: u64, file: &str, p: String| {
        out.problems.push(ChainProblem {
            report_version: n,
            file: file.to_string(),
            problem: p,
        })
    };
    if let Some(why) = damaged {
        problem(
            0,
            INDEX,
            format!("damaged, so the newest version cannot be checked against it: {why}"),
        );
    }
    for name in &folder.strays {
        problem(
            0,
            name,
            "not a report file name (a leading zero, a number over the limit, or an unknown ending): never part of the chain; remove it".into(),
        );
    }
    let committed: Vec<u64> = match &folder.index {
        Some(lines) => verify_index(dir, lines, now, &mut problem),
        None => verify_legacy(dir, &folder, now, &mut problem),
    };
    let mut versions = committed.len();
    for (n, names) in &folder.files {
        if !committed.contains(n) {
            let what = if names.contains(&json_name(*n)) {
                "not committed (no line in index.jsonl): left by an interrupted `report`, or put here by hand"
            } else {
                "incomplete: it has no JSON record (removed?)"
            };
            problem(
                *n,
                &names.join(", "),
                format!("{what}; remove these files if they are left-overs"),
            );
        }
    }
    if folder.index.is_none() && committed.is_empty() {
        versions = 0;
    }
    out.versions = versions;
    out.problems
        .sort_by(|a, b| (a.report_version, &a.file).cmp(&(b.report_version, &b.file)));
    Ok(out)
}

/// The index's chain and every file it names; returns the committed versions.
fn verify_index(
    dir: &Path,
    lines: &[(String, IndexEntry)],
    now: DateTime<Utc>,
    problem: &mut impl FnMut(u64, &str, String),
) -> Vec<u64> {
    let mut committed = Vec::new();
    let mut prev: Option<&(String, IndexEntry)> = None;
    for pair in lines {
        let (line, e) = pair;
        let n = e.version;
        let json = json_name(n);
        if let Some(why) = chain::bad_time(&e.generated_at, now) {
            problem(n, INDEX, why);
        }
        let want_prev = prev.map(|(line, _)| sha256_hex(line.as_bytes()));
        if e.previous != want_prev {
            problem(
                n,
                INDEX,
                "its index line does not link to the line before it (the index was edited)".into(),
            );
        }
        if let Some((_, p)) = prev
            && p.version >= n
        {
            problem(
                n,
                INDEX,
                format!("it comes after version {} in the index", p.version),
            );
        }
        if !e.files.contains_key(&json) {
            problem(n, INDEX, format!("its index line names no {json}"));
        }
        for (name, digest) in &e.files {
            if version_of(name) != Some(Some(n)) {
                problem(
                    n,
                    INDEX,
                    format!("its index line names {name}, a file of another version"),
                );
                continue;
            }
            let bytes = match read_capped_to(&dir.join(name), MAX_REPORT_BYTES) {
                Ok(b) => b,
                Err(e) => {
                    let why = match &e {
                        ReadError::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
                            "missing: removed after the version was written".to_string()
                        }
                        e => format!("unreadable: {}", e.reason(MAX_REPORT_BYTES)),
                    };
                    problem(n, name, why);
                    continue;
                }
            };
            let (sha, content) = if *name == json {
                chain::digests(&bytes)
            } else {
                (sha256_hex(&bytes), None)
            };
            if &sha != digest {
                problem(
                    n,
                    name,
                    "edited: it does not match its digest in index.jsonl".into(),
                );
            }
            if *name == json {
                let committed_as_is = &sha == digest;
                chain::check_json(n, name, &bytes, content, prev.map(|(_, p)| p), e, problem);
                // The JSON is the one the line committed: the line must say
                // what it says. (An edited JSON is the finding otherwise.)
                if !committed_as_is {
                    continue;
                }
                match chain::check_line(line, &bytes) {
                    Ok((differ, _)) if differ.is_empty() => {}
                    Ok((differ, _)) => problem(
                        n,
                        INDEX,
                        format!(
                            "its index line does not say what {json} says (the index was edited): {}",
                            differ.join("; ")
                        ),
                    ),
                    Err(e) => problem(n, name, e),
                }
            }
        }
        committed.push(n);
        prev = Some(pair);
    }
    committed
}

/// A folder written before the index: each JSON's own hash, number and link
/// (`chain::verify`); returns the versions checked.
fn verify_legacy(
    dir: &Path,
    folder: &Folder,
    now: DateTime<Utc>,
    problem: &mut impl FnMut(u64, &str, String),
) -> Vec<u64> {
    let versions: Vec<chain::Version> = folder
        .versions(dir)
        .into_iter()
        .map(|(n, path)| match read_capped_to(&path, MAX_REPORT_BYTES) {
            Ok(bytes) => {
                let read = chain::parse(&bytes, &path);
                chain::Version { n, bytes, read }
            }
            Err(e) => chain::Version {
                n,
                bytes: Vec::new(),
                read: Err(anyhow::anyhow!("{}", e.reason(MAX_REPORT_BYTES))),
            },
        })
        .collect();
    let committed = versions.iter().map(|v| v.n).collect();
    for v in &versions {
        if let Some(why) = v
            .read
            .as_ref()
            .ok()
            .and_then(|r| chain::bad_time(&r.generated_at, now))
        {
            problem(v.n, &json_name(v.n), why);
        }
    }
    for p in chain::verify(versions) {
        problem(p.report_version, &p.file, p.problem);
    }
    committed
}
