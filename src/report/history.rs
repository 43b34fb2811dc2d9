//! The reports folder as a ledger: version numbers, writing a version all at
//! once or not at all, the `index.jsonl` commit record, reading versions
//! back, and checking the hash chain.
//!
//! A version is the files `readiness-v<N>.json` (the record), `.md`, `.html`
//! and `-<template>.<ext>`. `report` stages them all as temp files, links
//! each into place without replacing anything, and only then appends a line
//! to `index.jsonl`, replacing that file whole. A version is committed when
//! its line is in the index; files without a line are left-overs of an
//! interrupted run and are never adopted.
//!
//! What is covered by what: each JSON carries `content_sha256` (its own
//! bytes with that value zeroed), the sha256 of every other file of its
//! version (`companions`) and `previous` (the sha256 of the previous JSON).
//! Each index line carries the sha256 of every file of its version and
//! `previous`, the sha256 of the line before it, so the last line is the
//! chain head: deleting or forging the newest version breaks it.

use super::{Previous, Report, TrendPoint};
use crate::answers::file;
use crate::playbook::load::{ReadError, read_capped_to, read_named};
use crate::playbook::sha256_hex;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

const ZEROS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HASH_KEY: &str = "\"content_sha256\": \"";

/// The commit record of the folder.
pub const INDEX: &str = "index.jsonl";
/// Version numbers above this are refused (and files named so are strays).
pub const MAX_VERSION: u64 = 1_000_000;
/// A report JSON or companion over this size is not read.
pub const MAX_REPORT_BYTES: u64 = 1024 * 1024 * 1024;
/// The index is a line per version; this is far more than a million lines.
const MAX_INDEX_BYTES: u64 = 256 * 1024 * 1024;
/// Staged files of a `report` run; swept by the next run (under the lock).
const STAGE_PREFIX: &str = ".supportcheck-report-";
const LOCK: &str = ".readiness.lock";

/// The version a report file name belongs to: `readiness-v<N>` then `.json`,
/// `.md`, `.html` or `-<stem>.<ext>`, N written without leading zeros and at
/// most [`MAX_VERSION`]. `Some(None)` for a name that looks like a version
/// file but is not one (a stray); `None` for unrelated files.
fn version_of(name: &str) -> Option<Option<u64>> {
    let rest = name.strip_prefix("readiness-v")?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (number, tail) = rest.split_at(digits);
    let known_tail =
        matches!(tail, ".json" | ".md" | ".html") || (tail.starts_with('-') && tail.contains('.'));
    let n = number
        .parse::<u64>()
        .ok()
        .filter(|n| known_tail && *n >= 1 && *n <= MAX_VERSION && !number.starts_with('0'));
    Some(n)
}

/// What is in a reports folder.
#[derive(Debug, Default)]
pub struct Folder {
    /// The index, when there is one: its lines and their entries.
    pub index: Option<Vec<(String, IndexEntry)>>,
    /// Version files by version number, names sorted.
    pub files: BTreeMap<u64, Vec<String>>,
    /// Names that look like version files but are not (`readiness-v007.json`,
    /// a number over the bound, an unknown ending).
    pub strays: Vec<String>,
}

impl Folder {
    /// Reads the folder's listing and its index (not the reports).
    pub fn scan(dir: &Path) -> Result<Folder> {
        let mut folder = Folder::default();
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(folder),
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
        folder.index = read_index(dir)?;
        Ok(folder)
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

fn json_name(n: u64) -> String {
    format!("readiness-v{n}.json")
}

/// Committed `readiness-v<N>.json` files in `dir`, sorted by N.
pub fn versions(dir: &Path) -> Result<Vec<(u64, PathBuf)>> {
    Ok(Folder::scan(dir)?.versions(dir))
}

/// One line of `index.jsonl`: what history, trends and portfolios need of a
/// version, without its questions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexEntry {
    pub version: u64,
    pub generated_at: String,
    pub schema: String,
    pub scoring: u32,
    pub product: Option<String>,
    pub level: String,
    pub score: f64,
    pub min_score: f64,
    pub passed: bool,
    pub questions: usize,
    pub answered: usize,
    pub missing: usize,
    pub blockers: usize,
    pub expired_waivers: usize,
    pub playbooks: Vec<IndexPlaybook>,
    /// The sha256 of every file of the version, by name.
    pub files: BTreeMap<String, String>,
    /// The sha256 of the previous line's bytes (without its newline).
    pub previous: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexPlaybook {
    pub id: String,
    pub title: String,
    pub score: f64,
}

impl IndexEntry {
    fn of(report: &Report, files: BTreeMap<String, String>, previous: Option<String>) -> Self {
        let s = &report.summary;
        IndexEntry {
            version: report.report_version.unwrap_or(0),
            generated_at: report.generated_at.clone(),
            schema: report.schema.to_string(),
            scoring: report.scoring,
            product: report.product.clone(),
            level: s.level.as_str().to_string(),
            score: s.score,
            min_score: report.gate.min_score,
            passed: report.gate.passed,
            questions: s.questions,
            answered: s.answered,
            missing: s.missing,
            blockers: s.blockers,
            expired_waivers: s.expired_waivers,
            playbooks: report
                .playbooks
                .iter()
                .map(|p| IndexPlaybook {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    score: p.score,
                })
                .collect(),
            files,
            previous,
        }
    }

    /// The version as the history table shows it.
    pub fn to_stored(&self) -> Stored {
        Stored {
            schema: self.schema.clone(),
            report_version: Some(self.version),
            generated_at: self.generated_at.clone(),
            product: self.product.clone(),
            summary: StoredSummary {
                score: self.score,
                level: self.level.clone(),
                questions: self.questions,
                answered: self.answered,
                missing: self.missing,
                stale: 0,
                blockers: self.blockers,
            },
            playbooks: Vec::new(),
            previous: None,
            content_sha256: None,
        }
    }
}

/// The index's lines, or `None` when the folder has no index. A line that
/// is not an entry is an error naming the line.
fn read_index(dir: &Path) -> Result<Option<Vec<(String, IndexEntry)>>> {
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

/// Reads a stored JSON report (capped, never a FIFO or device).
pub fn read(path: &Path) -> Result<(Stored, Vec<u8>)> {
    let shown = path.display().to_string();
    let bytes = read_named(path, "report", &shown, MAX_REPORT_BYTES)?;
    let stored = parse_stored(&bytes, &shown)?;
    Ok((stored, bytes))
}

fn parse_stored(bytes: &[u8], shown: &str) -> Result<Stored> {
    let stored: Stored = serde_json::from_slice(bytes)
        .with_context(|| format!("{shown} is not a supportcheck JSON report"))?;
    if stored.schema != super::SCHEMA {
        bail!(
            "{shown} has schema `{}`; this supportcheck reads `{}`",
            stored.schema,
            super::SCHEMA
        );
    }
    Ok(stored)
}

/// Where the 64 hex digits of a report's `content_sha256` start. `report`
/// writes the key last (the hash is known only once everything before it
/// was written); reports of older versions have it first. Either way it is
/// the top-level key, which pretty JSON indents by exactly two spaces.
fn hash_position(bytes: &[u8]) -> Option<usize> {
    let key = format!("\n  {HASH_KEY}");
    let key = key.as_bytes();
    let tail = bytes.len().saturating_sub(key.len() + 80);
    let at = find(&bytes[tail..], key)
        .map(|i| tail + i)
        .or_else(|| find(&bytes[..bytes.len().min(key.len() + 8)], key))
        .or_else(|| find(bytes, key))?;
    Some(at + key.len())
}

/// The `content_sha256` a report's bytes carry, and the one they should:
/// the sha256 of the bytes with that value zeroed (hashed in three pieces,
/// without copying the report).
fn content_hash(bytes: &[u8]) -> Option<(String, String)> {
    use sha2::{Digest, Sha256};
    let start = hash_position(bytes)?;
    let written = std::str::from_utf8(bytes.get(start..start + 64)?).ok()?;
    let mut hasher = Sha256::new();
    hasher.update(&bytes[..start]);
    hasher.update(ZEROS.as_bytes());
    hasher.update(&bytes[start + 64..]);
    Some((written.to_string(), format!("{:x}", hasher.finalize())))
}

/// A report's sha256 and its [`content_hash`] in one pass over the bytes
/// before the hash (which, with the key last, is nearly all of them).
fn digests(bytes: &[u8]) -> (String, Option<(String, String)>) {
    use sha2::{Digest, Sha256};
    let Some(start) = hash_position(bytes).filter(|s| s + 64 <= bytes.len()) else {
        return (sha256_hex(bytes), None);
    };
    let mut prefix = Sha256::new();
    prefix.update(&bytes[..start]);
    let mut file = prefix.clone();
    file.update(&bytes[start..]);
    let mut content = prefix;
    content.update(ZEROS.as_bytes());
    content.update(&bytes[start + 64..]);
    let written = String::from_utf8_lossy(&bytes[start..start + 64]).into_owned();
    (
        format!("{:x}", file.finalize()),
        Some((written, format!("{:x}", content.finalize()))),
    )
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A writer that passes bytes on to `out` and two hashes, always holding
/// back the last two bytes (the report's closing `\n}`), so that the
/// content hash can be appended as the last key in the same pass.
struct Tee<W: Write> {
    out: W,
    file: sha2::Sha256,
    content: sha2::Sha256,
    held: Vec<u8>,
}

impl<W: Write> Tee<W> {
    fn pass(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        use sha2::Digest;
        self.out.write_all(bytes)?;
        self.file.update(bytes);
        self.content.update(bytes);
        Ok(())
    }
}

impl<W: Write> Write for Tee<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() < 2 {
            self.held.extend_from_slice(buf);
            if self.held.len() > 2 {
                let ready: Vec<u8> = self.held.drain(..self.held.len() - 2).collect();
                self.pass(&ready)?;
            }
        } else {
            // Pass on what was held and all but the last two bytes, no copy.
            let held = std::mem::take(&mut self.held);
            self.pass(&held)?;
            let (ready, tail) = buf.split_at(buf.len() - 2);
            self.pass(ready)?;
            self.held.extend_from_slice(tail);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Writes a report as pretty JSON to `out` in one pass, with its
/// `content_sha256` (the sha256 of the bytes with that value zeroed) as the
/// last key. Returns the sha256 of the bytes written. Never holds the JSON
/// in memory: at 50,000 questions that is 65 MB, twice over.
pub fn write_json(report: &Report, out: impl Write) -> Result<String> {
    use sha2::Digest;
    let tee = Tee {
        out,
        file: sha2::Sha256::new(),
        content: sha2::Sha256::new(),
        held: Vec::new(),
    };
    let mut buffered = std::io::BufWriter::with_capacity(256 * 1024, tee);
    serde_json::to_writer_pretty(&mut buffered, report)?;
    let mut tee = buffered.into_inner().map_err(|e| e.into_error())?;
    if tee.held != b"\n}" {
        bail!("the report did not serialise as a JSON object");
    }
    let head = format!(",\n  {HASH_KEY}");
    tee.pass(head.as_bytes())?;
    let mut content = tee.content.clone();
    content.update(ZEROS.as_bytes());
    content.update(b"\"\n}\n");
    let hash = format!("{:x}", content.finalize());
    tee.out.write_all(hash.as_bytes())?;
    tee.file.update(hash.as_bytes());
    tee.out.write_all(b"\"\n}\n")?;
    tee.file.update(b"\"\n}\n");
    tee.out.flush()?;
    Ok(format!("{:x}", tee.file.finalize()))
}

/// Earlier versions as trend points: from the index, so that the cost of a
/// report does not grow with the number of versions. A folder without an
/// index (older supportcheck) has its JSONs read; unreadable ones are left out.
pub fn trend(dir: &Path) -> Vec<TrendPoint> {
    let Ok(folder) = Folder::scan(dir) else {
        return Vec::new();
    };
    match &folder.index {
        Some(lines) => lines
            .iter()
            .map(|(_, e)| TrendPoint {
                report_version: e.version,
                generated_at: e.generated_at.clone(),
                score: e.score,
                level: e.level.clone(),
            })
            .collect(),
        None => folder
            .versions(dir)
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
            .collect(),
    }
}

/// The committed versions for `history`: index entries, read without
/// touching a report; or, in a folder without an index, the JSONs.
pub fn summaries(dir: &Path) -> Result<Vec<(u64, Result<Stored>)>> {
    let folder = Folder::scan(dir)?;
    Ok(match &folder.index {
        Some(lines) => lines
            .iter()
            .map(|(_, e)| (e.version, Ok(e.to_stored())))
            .collect(),
        None => folder
            .versions(dir)
            .into_iter()
            .map(|(n, path)| (n, read(&path).map(|(s, _)| s)))
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
        let Ok(stored) = parse_stored(&bytes, "") else {
            continue;
        };
        let intact = matches!(content_hash(&bytes), Some((w, a)) if w == a);
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
        let entry = IndexEntry {
            version: n,
            generated_at: stored.generated_at,
            schema: stored.schema,
            scoring: 1,
            product: stored.product,
            level: stored.summary.level,
            score: stored.summary.score,
            min_score: 0.0,
            passed: false,
            questions: stored.summary.questions,
            answered: stored.summary.answered,
            missing: stored.summary.missing,
            blockers: stored.summary.blockers,
            expired_waivers: 0,
            playbooks: stored
                .playbooks
                .iter()
                .map(|p| IndexPlaybook {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    score: p.score,
                })
                .collect(),
            files,
            previous: out.last().map(|(line, _)| sha256_hex(line.as_bytes())),
        };
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
        bail!(
            "{} has a version {}; versions stop at {MAX_VERSION}\nhelp: start a new reports folder (`--out` or `reports:` in supportcheck.yaml)",
            dir.display(),
            folder.highest()
        );
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
        if name == json_name(self.version) || self.files.iter().any(|(n, _, _)| *n == name) {
            bail!(
                "two outputs of version {} are both named {name}",
                self.version
            );
        }
        let path = self.dir.join(&name);
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

/// One problem found by `history --verify`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainProblem {
    /// The version it concerns (0 for a file that belongs to none).
    pub report_version: u64,
    /// The file it concerns.
    pub file: String,
    pub problem: String,
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

/// The header of a report JSON: what verify checks without the questions.
#[derive(Debug, Deserialize)]
struct Header {
    report_version: Option<u64>,
    #[serde(default)]
    previous: Option<Previous>,
    #[serde(default)]
    companions: BTreeMap<String, String>,
}

/// Parses the top-level fields verify needs. serde_json's pretty output puts
/// each top-level key on a line of its own indented by two spaces, and
/// `report` writes these keys before the questions, so only the head of the
/// file is parsed; a file in another layout is parsed whole.
fn header(bytes: &[u8]) -> Option<Header> {
    let text = std::str::from_utf8(bytes).ok()?;
    let end = text
        .find("\n  \"generated_at\"")
        .map_or(text.len(), |i| i + 1);
    let head = &text[..end];
    if end < text.len() {
        let closed = format!("{}}}", head.trim_end().trim_end_matches(','));
        if let Ok(h) = serde_json::from_str(&closed) {
            return Some(h);
        }
    }
    serde_json::from_slice(bytes).ok()
}

/// Checks every version: each file against its digest, each JSON's own hash,
/// number and link, the index's chain, and files that belong to no
/// committed version. Each file is read and hashed once.
pub fn verify(dir: &Path) -> Result<Verification> {
    let folder = Folder::scan(dir)?;
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
    for name in &folder.strays {
        problem(
            0,
            name,
            "not a report file name (a leading zero, a number over the limit, or an unknown ending): never part of the chain; remove it".into(),
        );
    }
    let committed: Vec<u64> = match &folder.index {
        Some(lines) => verify_index(dir, lines, &mut problem),
        None => verify_legacy(dir, &folder, &mut problem),
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
    problem: &mut impl FnMut(u64, &str, String),
) -> Vec<u64> {
    let mut committed = Vec::new();
    let mut prev: Option<&(String, IndexEntry)> = None;
    for pair in lines {
        let (_, e) = pair;
        let n = e.version;
        let json = json_name(n);
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
                digests(&bytes)
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
                check_json(n, name, &bytes, content, prev.map(|(_, p)| p), e, problem);
            }
        }
        committed.push(n);
        prev = Some(pair);
    }
    committed
}

/// A JSON's own hash, number, link and companion digests.
fn check_json(
    n: u64,
    name: &str,
    bytes: &[u8],
    content: Option<(String, String)>,
    prev: Option<&IndexEntry>,
    entry: &IndexEntry,
    problem: &mut impl FnMut(u64, &str, String),
) {
    match content {
        Some((written, actual)) if written == actual => {}
        Some(_) => problem(
            n,
            name,
            "edited: its content does not match its content_sha256".into(),
        ),
        None => problem(
            n,
            name,
            "no content_sha256: not written by supportcheck, or edited".into(),
        ),
    }
    let Some(h) = header(bytes) else {
        problem(n, name, "not a supportcheck JSON report".into());
        return;
    };
    if h.report_version != Some(n) {
        problem(
            n,
            name,
            format!(
                "its report_version is {:?} but the file name says {n}",
                h.report_version
            ),
        );
    }
    let want = prev.map(|p| {
        (
            p.version,
            p.files
                .get(&json_name(p.version))
                .cloned()
                .unwrap_or_default(),
        )
    });
    let got = h.previous.map(|p| (p.report_version, p.sha256));
    if want != got {
        problem(
            n,
            name,
            "its link to the previous version does not match the index".into(),
        );
    }
    let others: BTreeMap<String, String> = entry
        .files
        .iter()
        .filter(|(k, _)| **k != json_name(n))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if h.companions != others && !h.companions.is_empty() {
        problem(
            n,
            name,
            "the files it lists as its companions differ from the index".into(),
        );
    }
}

/// A folder written before the index: each JSON's own hash, number and link.
fn verify_legacy(
    dir: &Path,
    folder: &Folder,
    problem: &mut impl FnMut(u64, &str, String),
) -> Vec<u64> {
    let mut committed = Vec::new();
    let mut prev: Option<(u64, String)> = None;
    for (n, path) in folder.versions(dir) {
        let name = json_name(n);
        committed.push(n);
        let bytes = match read_capped_to(&path, MAX_REPORT_BYTES) {
            Ok(b) => b,
            Err(e) => {
                problem(
                    n,
                    &name,
                    format!("unreadable: {}", e.reason(MAX_REPORT_BYTES)),
                );
                continue;
            }
        };
        let stored = match parse_stored(&bytes, &name) {
            Ok(s) => s,
            Err(e) => {
                problem(n, &name, format!("unreadable: {e:#}"));
                prev = Some((n, sha256_hex(&bytes)));
                continue;
            }
        };
        match content_hash(&bytes) {
            Some((written, actual)) if written == actual => {}
            Some(_) => problem(
                n,
                &name,
                "edited: its content does not match its content_sha256".into(),
            ),
            None => problem(
                n,
                &name,
                "no content_sha256: not written by supportcheck, or edited".into(),
            ),
        }
        if stored.report_version != Some(n) {
            problem(
                n,
                &name,
                format!(
                    "its report_version is {:?} but the file name says {n}",
                    stored.report_version
                ),
            );
        }
        match (&prev, &stored.previous) {
            (None, None) => {}
            (None, Some(p)) => problem(
                n,
                &name,
                format!(
                    "it links to version {}, which is missing (removed?)",
                    p.report_version
                ),
            ),
            (Some((pn, _)), None) => problem(
                n,
                &name,
                format!("it does not link to version {pn} (inserted?)"),
            ),
            (Some((pn, psha)), Some(p)) => {
                if p.report_version != *pn {
                    problem(
                        n,
                        &name,
                        format!(
                            "it links to version {} but the version before it is {pn} (a version was removed or inserted)",
                            p.report_version
                        ),
                    );
                } else if &p.sha256 != psha {
                    problem(
                        n,
                        &name,
                        format!(
                            "version {pn} changed after this version was written (edited or replaced)"
                        ),
                    );
                }
            }
        }
        prev = Some((n, sha256_hex(&bytes)));
    }
    committed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names_are_canonical_and_bounded() {
        assert_eq!(version_of("readiness-v7.json"), Some(Some(7)));
        assert_eq!(version_of("readiness-v7.md"), Some(Some(7)));
        assert_eq!(version_of("readiness-v7-brand.pdf.txt"), Some(Some(7)));
        assert_eq!(version_of("readiness-v007.json"), Some(None));
        assert_eq!(version_of("readiness-v0.json"), Some(None));
        assert_eq!(
            version_of("readiness-v18446744073709551615.json"),
            Some(None)
        );
        assert_eq!(
            version_of("readiness-v99999999999999999999999.json"),
            Some(None)
        );
        assert_eq!(version_of("readiness-v1000001.json"), Some(None));
        assert_eq!(version_of("readiness-v3.json~"), Some(None));
        assert_eq!(version_of("readiness-v.json"), Some(None));
        assert_eq!(version_of("index.jsonl"), None);
    }

    #[test]
    fn the_content_hash_ignores_its_own_value() {
        // Older reports: the key first.
        let text = format!("{{\n  {HASH_KEY}{ZEROS}\",\n  \"a\": 1\n}}\n");
        let (written, actual) = content_hash(text.as_bytes()).unwrap();
        assert_eq!(written, ZEROS);
        assert_eq!(actual, sha256_hex(text.as_bytes()));
        // Now: the key last, wherever a nested key of the same name is.
        let text =
            format!("{{\n  \"a\": {{\n    {HASH_KEY}x\"\n  }},\n  {HASH_KEY}{ZEROS}\"\n}}\n");
        let (written, actual) = content_hash(text.as_bytes()).unwrap();
        assert_eq!(written, ZEROS);
        assert_eq!(actual, sha256_hex(text.as_bytes()));
    }

    #[test]
    fn the_header_is_read_from_the_head_of_a_pretty_report() {
        let text = "{\n  \"content_sha256\": \"x\",\n  \"schema\": \"s\",\n  \"report_version\": 3,\n  \"previous\": {\n    \"report_version\": 2,\n    \"sha256\": \"ab\"\n  },\n  \"generated_at\": \"t\",\n  \"rest\": [1, 2\n";
        let h = header(text.as_bytes()).unwrap();
        assert_eq!(h.report_version, Some(3));
        assert_eq!(h.previous.unwrap().report_version, 2);
    }
}
