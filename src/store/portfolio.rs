//! The portfolio's file operations: finding projects and reports folders
//! under the given folders, and reading each one's index or newest report.

use crate::config::{self, Config};
use crate::portfolio::{self as model, Record, Source};
use anyhow::{Result, bail};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The longest line of an index read; a longer one makes it unreadable.
const MAX_INDEX_LINE: usize = 16 * 1024 * 1024;

/// A product found on disk.
#[derive(Debug)]
pub struct Found {
    /// The project folder (with `supportcheck.yaml`), or the reports folder.
    pub path: PathBuf,
    pub reports: PathBuf,
    pub project: bool,
    /// The configured product name.
    pub name: Option<String>,
    /// A config that could not be read.
    pub problem: Option<String>,
    /// The project's facts, which campaigns select products by.
    pub facts: std::collections::BTreeMap<String, config::FactValue>,
}

/// Walks the folders for projects (`supportcheck.yaml`) and reports folders
/// (`index.jsonl` or `readiness-v<N>.json`); a reports folder that belongs to
/// a project found is not listed twice. Hidden folders, `target` and
/// `node_modules` are not entered.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Found>> {
    let mut projects = BTreeSet::new();
    let mut report_dirs = BTreeSet::new();
    for root in paths {
        if !root.exists() {
            bail!("{}: no such file or folder", root.display());
        }
        let walk = walkdir::WalkDir::new(root)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !e.file_type().is_dir()
                    || !e
                        .file_name()
                        .to_str()
                        .is_some_and(|n| n.starts_with('.') || n == "target" || n == "node_modules")
            });
        for entry in walk.flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let Some(name) = entry.file_name().to_str() else {
                continue;
            };
            let dir = tidy(entry.path().parent().unwrap_or(Path::new(".")));
            if name == config::FILE_NAME {
                projects.insert(dir);
            } else if name == "index.jsonl" || is_report_json(name) {
                report_dirs.insert(dir);
            }
        }
    }
    let mut found: Vec<Found> = projects.into_par_iter().map(open_project).collect();
    for f in &found {
        report_dirs.remove(&f.reports);
    }
    found.extend(report_dirs.into_iter().map(|dir| Found {
        path: dir.clone(),
        reports: dir,
        project: false,
        name: None,
        problem: None,
        facts: Default::default(),
    }));
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

/// A path without a leading `./` and with `..`-free joins kept as written.
fn tidy(p: &Path) -> PathBuf {
    let p = p.strip_prefix(".").unwrap_or(p);
    if p.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        p.to_path_buf()
    }
}

/// A report JSON's name (`readiness-v<N>.json`, N as `report` writes it).
fn is_report_json(name: &str) -> bool {
    name.ends_with(".json") && matches!(crate::report::chain::version_of(name), Some(Some(_)))
}

fn open_project(dir: PathBuf) -> Found {
    let file = dir.join(config::FILE_NAME);
    let shown = show(&file);
    // The config is read as every command reads it.
    let config = super::read::read_capped(&file)
        .map_err(|e| {
            format!(
                "{shown}: cannot read: {}",
                e.reason(super::read::MAX_FILE_BYTES)
            )
        })
        .and_then(|bytes| String::from_utf8(bytes).map_err(|_| format!("{shown}: not UTF-8 text")))
        .and_then(|text| Config::parse(&text, &shown).map_err(|f| f.to_string()));
    let (config, problem) = match config {
        Ok(c) => (c, None),
        Err(e) => (Config::default(), Some(e)),
    };
    let reports = tidy(&dir.join(config.reports.as_deref().unwrap_or(config::DEFAULT_REPORTS)));
    Found {
        path: dir,
        reports,
        project: true,
        name: config.product,
        problem,
        facts: config.facts,
    }
}

/// A path as shown: forward slashes, as found under the given folders.
pub fn show(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// What [`read_reports`] found in a reports folder.
#[derive(Debug)]
pub struct Reported {
    pub record: Record,
    pub source: Source,
    /// The index's newest line as written, for [`check_newest`], so that the
    /// index is read once.
    pub newest_line: Option<String>,
}

/// The latest record in a reports folder: from `index.jsonl`, else from the
/// newest JSON report. `Ok(None)`: the folder holds no report. The index
/// and the report are read with the caps of every other command, as
/// streams: an index a line at a time keeping only its last lines, a
/// report skipping what the portfolio does not show.
pub fn read_reports(dir: &Path) -> Result<Option<Reported>, String> {
    use super::read::{LineError, for_each_line};
    use super::reports::{MAX_INDEX_BYTES, MAX_REPORT_BYTES};
    let index = dir.join("index.jsonl");
    let mut tail = model::IndexTail::default();
    let mut newest = String::new();
    let read = for_each_line(&index, MAX_INDEX_BYTES, MAX_INDEX_LINE, |n, line| {
        let line = std::str::from_utf8(line).map_err(|_| "not UTF-8 text".to_string())?;
        if !line.trim().is_empty() {
            newest.clear();
            newest.push_str(line);
        }
        tail.line(n, line)
    });
    match read {
        Ok(()) => {
            return tail
                .finish()
                .map(|record| {
                    Some(Reported {
                        record,
                        source: Source::Index,
                        newest_line: Some(newest),
                    })
                })
                .map_err(|e| format!("{}: {e}", show(&index)));
        }
        Err(LineError::Read(e)) if e.is_not_found() => {}
        Err(LineError::Read(e)) => {
            return Err(format!(
                "{}: cannot read: {}",
                show(&index),
                e.reason(MAX_INDEX_BYTES)
            ));
        }
        Err(LineError::LongLine(n)) => {
            return Err(format!(
                "{}: line {n} is over {} MiB; not an index `report` wrote",
                show(&index),
                MAX_INDEX_LINE >> 20
            ));
        }
        Err(LineError::Line(e)) => return Err(format!("{}: {e}", show(&index))),
    }
    let versions = super::reports::versions(dir).map_err(|e| format!("{e:#}"))?;
    let Some((n, path)) = versions.last() else {
        return Ok(None);
    };
    let reader = super::read::open_capped(path, MAX_REPORT_BYTES).map_err(|e| {
        format!(
            "{}: cannot read: {}",
            show(path),
            e.reason(MAX_REPORT_BYTES)
        )
    })?;
    let mut record = model::from_report_reader(std::io::BufReader::new(reader), *n)
        .map_err(|e| format!("{}: not a readable report: {e}", show(path)))?;
    let folder = super::reports::Folder::scan(dir).map_err(|e| format!("{e:#}"))?;
    record.html = folder
        .files
        .get(n)
        .and_then(|names| model::best_output(*n, names.iter().map(String::as_str)));
    Ok(Some(Reported {
        record,
        source: Source::Report,
        newest_line: None,
    }))
}

/// Checks the newest line of a folder's `index.jsonl` (as [`read_reports`]
/// found it) against the JSON it commits. `Ok(None)`: they agree. `Ok(Some)`: they differ (the index was
/// edited), with why and the record the JSON gives. `Err`: the line cannot
/// be checked (its JSON is missing or unreadable), so it is not trusted.
pub fn check_newest(dir: &Path, line: &str) -> Result<Option<(String, Record)>, String> {
    let index = dir.join("index.jsonl");
    if line.trim().is_empty() {
        return Ok(None);
    }
    let version = serde_json::from_str::<serde_json::Value>(line)
        .ok()
        .and_then(|v| v.get("version").and_then(serde_json::Value::as_u64))
        .ok_or_else(|| format!("{}: its newest line has no version", show(&index)))?;
    let json = dir.join(crate::report::chain::json_name(version));
    let bytes = read_bounded(&json).map_err(|e| {
        format!(
            "{}: the newest line (v{version}) cannot be checked against {}: {e}",
            show(&index),
            show(&json)
        )
    })?;
    let (differ, _) = crate::report::chain::check_line(line, &bytes)
        .map_err(|e| format!("{}: {e}", show(&json)))?;
    if differ.is_empty() {
        return Ok(None);
    }
    let mut record = model::from_report_json(&bytes, version)
        .map_err(|e| format!("{}: not a readable report: {e}", show(&json)))?;
    let html = format!("readiness-v{version}.html");
    record.html = dir.join(&html).is_file().then_some(html);
    Ok(Some((
        format!(
            "{}: v{version}: its index line does not say what {} says (the index was edited; shown as the JSON says): {}",
            show(&index),
            crate::report::chain::json_name(version),
            differ.join("; ")
        ),
        record,
    )))
}

/// A report's JSON, through the one capped reader (regular files only,
/// opened without blocking).
fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let cap = super::reports::MAX_REPORT_BYTES;
    super::read::read_capped_to(path, cap).map_err(|e| e.reason(cap))
}

/// For a campaign over questions: each version's day and how many of `ids`
/// do not pass, read from every JSON report in the folder, oldest first.
/// A version that cannot be read is left out; an id the report does not
/// have counts as open.
pub fn question_history(dir: &Path, ids: &[String]) -> Vec<(chrono::NaiveDate, Option<usize>)> {
    let Ok(versions) = super::reports::versions(dir) else {
        return Vec::new();
    };
    versions
        .iter()
        .filter_map(|(_, path)| {
            let bytes = read_bounded(path).ok()?;
            model::campaign::open_in_report(&bytes, ids)
        })
        .collect()
}
