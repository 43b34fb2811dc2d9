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
            Parsed::NotAPlaybook { why, title } => {
                // A section's index page names the section (the first one wins).
                if let (Some(title), Some(section)) = (title, info.section) {
                    out.set.section_titles.entry(section).or_insert(title);
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

/// Collects the Markdown files below `dir`, sorted, skipping hidden folders.
fn walk(dir: &Path, root: &Path, jobs: &mut Vec<Job>, out: &mut LoadOutcome) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let shown = err
                    .path()
                    .map_or_else(|| display_path(dir, root), |p| display_path(p, root));
                out.findings.push(Finding::error(
                    Code::Io,
                    Location::file(shown),
                    format!("cannot read: {err}"),
                ));
                continue;
            }
        };
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
    read_capped(path).map_err(|e| match e {
        ReadError::Io(e) => Finding::error(
            Code::Io,
            Location::file(shown),
            format!("cannot read: {}", io_reason(&e)),
        ),
        ReadError::TooLarge(size) => Finding::error(
            Code::TooLarge,
            Location::file(shown),
            format!(
                "file is {:.1} MiB; playbooks over {} MiB are refused",
                size as f64 / 1048576.0,
                MAX_FILE_BYTES / 1048576
            ),
        ),
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
