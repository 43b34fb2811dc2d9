//! Loads playbook sets from files, directories and the built-in set: a
//! sorted walk, then a parallel read and parse.

use super::read::{MAX_FILE_BYTES, ReadError, io_reason, read_capped};
use crate::diagnostic::{Code, Finding, Location};
use crate::playbook::Set;
use crate::playbook::builtin;
use crate::playbook::parse::{FileInfo, Parsed, parse};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where playbooks come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The set embedded in the binary.
    Builtin,
    /// A file or a directory, absolute or relative to the project root.
    Path(PathBuf),
}

impl Source {
    /// `builtin` or a path.
    pub fn parse(text: &str) -> Source {
        if text == builtin::NAME {
            Source::Builtin
        } else {
            Source::Path(PathBuf::from(text))
        }
    }

    /// The source as it is written in config and on the command line.
    pub fn as_text(&self) -> String {
        match self {
            Source::Builtin => builtin::NAME.to_string(),
            Source::Path(p) => p.display().to_string(),
        }
    }
}

/// Everything a load produced.
#[derive(Debug, Default)]
pub struct LoadOutcome {
    pub set: Set,
    /// Errors, warnings and notes, in load order.
    pub findings: Vec<Finding>,
    /// A named source (file or directory) was missing or unreadable.
    pub unreadable: bool,
    /// Files read (playbooks, skipped and broken ones alike).
    pub files: usize,
}

impl LoadOutcome {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }
}

/// One file to parse, found by the walk.
struct Job {
    info: FileInfo,
    input: Input,
    explicit: bool,
}

/// Where a job's bytes come from.
enum Input {
    Builtin(&'static str),
    File(PathBuf),
}

/// Loads every source, in order; ids must be unique across all of them.
pub fn load_sources(sources: &[Source], root: &Path) -> LoadOutcome {
    let mut out = LoadOutcome::default();
    let mut jobs = Vec::new();
    for source in sources {
        match source {
            Source::Builtin => {
                for (rel, text) in builtin::FILES {
                    jobs.push(Job {
                        info: file_info(&format!("{}{rel}", builtin::PATH_PREFIX), rel),
                        input: Input::Builtin(text),
                        explicit: false,
                    });
                }
            }
            Source::Path(path) => {
                let full = root.join(path);
                let shown = display_path(&full, root);
                match std::fs::metadata(&full) {
                    Ok(meta) if meta.is_dir() => walk(&full, root, &mut jobs, &mut out),
                    Ok(_) => jobs.push(Job {
                        info: file_info(&shown, &shown),
                        input: Input::File(full),
                        explicit: true,
                    }),
                    Err(err) => {
                        out.unreadable = true;
                        out.findings.push(Finding::error(
                            Code::Io,
                            Location::file(shown),
                            format!("cannot read playbooks here: {}", io_reason(&err)),
                        ));
                    }
                }
            }
        }
    }

    // A file named twice (`lint a.md a.md`, or a file and its folder) is read once.
    if sources.len() > 1 {
        let mut seen = std::collections::HashSet::new();
        jobs.retain(|job| {
            let key = match &job.input {
                Input::File(path) => std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()),
                Input::Builtin(_) => PathBuf::from(&job.info.path),
            };
            seen.insert(key)
        });
    }

    out.files = jobs.len();
    let results: Vec<(Parsed, bool, FileInfo)> = jobs
        .into_par_iter()
        .map(|job| {
            let parsed = match &job.input {
                Input::Builtin(text) => parse(text.as_bytes().to_vec(), &job.info),
                Input::File(path) => match read_limited(path, &job.info.path) {
                    Ok(bytes) => parse(bytes, &job.info),
                    Err(finding) => Parsed::Broken(vec![finding]),
                },
            };
            (parsed, job.explicit, job.info)
        })
        .collect();

    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (parsed, explicit, info) in results {
        let path = info.path;
        match parsed {
            Parsed::Playbook(playbook, findings) => {
                out.findings.extend(findings);
                if let Some(first) = seen.get(&playbook.id) {
                    out.findings.push(Finding::error(
                        Code::DuplicateId,
                        Location::at(&playbook.path, 1, 1),
                        format!(
                            "playbook id `{}` is also the id of {first}; add a distinct `id:` to the frontmatter of one of them",
                            playbook.id
                        ),
                    ));
                    continue;
                }
                seen.insert(playbook.id.clone(), playbook.path.clone());
                out.set.playbooks.push(*playbook);
            }
            Parsed::NotAPlaybook { why, .. } if explicit => {
                out.findings.push(Finding::error(
                    Code::NotAPlaybook,
                    Location::file(&path),
                    format!("not a playbook: {why}"),
                ));
            }
            Parsed::NotAPlaybook { why, title, levels } => {
                // A section's index page names the section (the first one wins).
                if let (Some(title), Some(section)) = (title, &info.section) {
                    out.set
                        .section_titles
                        .entry(section.clone())
                        .or_insert(title);
                }
                // A set's root index page declares its levels (the first one wins).
                if let Some(levels) = levels
                    && info.section.is_none()
                    && out.set.levels.is_empty()
                {
                    out.set.levels = levels;
                }
                out.findings.push(Finding::note(
                    Code::NotAPlaybook,
                    Location::file(&path),
                    format!("skipped, not a playbook: {why}"),
                ));
            }
            Parsed::Broken(findings) => out.findings.extend(findings),
        }
    }
    out
}

/// How deep a walk goes below the folder it was given.
pub const MAX_WALK_DEPTH: usize = 32;
/// How many entries (files and folders) a walk looks at before it stops.
pub const MAX_WALK_ENTRIES: usize = 100_000;

/// Collects the Markdown files below `dir`, sorted, skipping hidden folders.
/// Linear whatever the links: each real folder is visited once (by device
/// and inode), within [`MAX_WALK_DEPTH`] and [`MAX_WALK_ENTRIES`]; what is
/// skipped is said in a note. Special files (FIFOs, sockets, devices) are
/// not playbooks and are passed over.
fn walk(dir: &Path, root: &Path, jobs: &mut Vec<Job>, out: &mut LoadOutcome) {
    let seen = std::cell::RefCell::new(std::collections::HashMap::new());
    let skipped = std::cell::RefCell::new(Vec::new());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .max_depth(MAX_WALK_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            if !e.file_type().is_dir() {
                return true;
            }
            let Some(key) = folder_key(e.path()) else {
                return true;
            };
            let mut seen = seen.borrow_mut();
            match seen.get(&key) {
                Some(first) => {
                    skipped.borrow_mut().push(Finding::note(
                        Code::Io,
                        Location::file(display_path(e.path(), root)),
                        format!("skipped: the same folder as {first}, which is read once"),
                    ));
                    false
                }
                None => {
                    seen.insert(key, display_path(e.path(), root));
                    true
                }
            }
        });
    for (count, entry) in walker.enumerate() {
        if count >= MAX_WALK_ENTRIES {
            skipped.borrow_mut().push(Finding::warning(
                Code::Io,
                Location::file(display_path(dir, root)),
                format!("stopped after {MAX_WALK_ENTRIES} files and folders: the rest is skipped (a link to a large folder?)"),
            ));
            break;
        }
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let shown = err
                    .path()
                    .map_or_else(|| display_path(dir, root), |p| display_path(p, root));
                // A link loop or a dangling link to something that is not a
                // playbook loses nothing: a note. A playbook we cannot read is an error.
                let markdown = err.path().is_some_and(|p| {
                    p.extension().is_some_and(|e| {
                        e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown")
                    })
                });
                if err.loop_ancestor().is_some() {
                    skipped.borrow_mut().push(Finding::note(
                        Code::Io,
                        Location::file(shown),
                        "skipped: the same folder as one above it, which is read once",
                    ));
                } else if markdown {
                    out.findings.push(Finding::error(
                        Code::Io,
                        Location::file(shown),
                        format!("cannot read: {err}"),
                    ));
                } else {
                    out.findings.push(Finding::note(
                        Code::Io,
                        Location::file(shown),
                        format!("skipped, cannot read: {err}"),
                    ));
                }
                continue;
            }
        };
        if entry.depth() == MAX_WALK_DEPTH && entry.file_type().is_dir() {
            skipped.borrow_mut().push(Finding::warning(
                Code::Io,
                Location::file(display_path(entry.path(), root)),
                format!("skipped: deeper than {MAX_WALK_DEPTH} folders"),
            ));
        }
        let path = entry.path();
        let is_md = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
        if !entry.file_type().is_file() || !is_md {
            continue;
        }
        let rel_to_set = path.strip_prefix(dir).unwrap_or(path);
        jobs.push(Job {
            info: file_info(
                &display_path(path, root),
                &rel_to_set.to_string_lossy().replace('\\', "/"),
            ),
            input: Input::File(path.to_path_buf()),
            explicit: false,
        });
    }
    // Past a budget playbooks may be missed (a warning); a folder seen twice
    // loses nothing (a note).
    out.findings.extend(skipped.into_inner());
}

/// What identifies a real folder, whatever the path it is reached by.
#[cfg(unix)]
fn folder_key(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn folder_key(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Display path, section (first folder below the set's root) and stem.
fn file_info(shown: &str, rel_to_set: &str) -> FileInfo {
    let parts: Vec<&str> = rel_to_set.split('/').filter(|p| !p.is_empty()).collect();
    let section = (parts.len() >= 2).then(|| parts[0].to_string());
    let file = parts.last().copied().unwrap_or(rel_to_set);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s).to_string();
    FileInfo {
        path: shown.to_string(),
        section,
        stem,
    }
}

/// A path relative to the project root when it is below it.
pub fn display_path(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("./").unwrap_or(&s).to_string();
    if s.is_empty() { ".".into() } else { s }
}

/// [`read_capped`] for a playbook; findings name it as `shown`.
fn read_limited(path: &Path, shown: &str) -> Result<Vec<u8>, Finding> {
    read_capped(path).map_err(|e| {
        let (code, message) = match e {
            ReadError::TooLarge(size) => (
                Code::TooLarge,
                format!(
                    "file is {:.1} MiB; playbooks over {} MiB are refused",
                    size as f64 / 1048576.0,
                    MAX_FILE_BYTES / 1048576
                ),
            ),
            e => (
                Code::Io,
                format!("cannot read: {}", e.reason(MAX_FILE_BYTES)),
            ),
        };
        Finding::error(code, Location::file(shown), message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_is_the_first_folder_below_the_set_root() {
        let info = file_info(
            "pb/6-optimize/04-customer-support.md",
            "6-optimize/04-customer-support.md",
        );
        assert_eq!(info.section.as_deref(), Some("6-optimize"));
        assert_eq!(info.stem, "04-customer-support");
        assert_eq!(file_info("a.md", "a.md").section, None);
    }
}
