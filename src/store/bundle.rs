//! Reads what a client bundle carries: the local evidence files an answer
//! cites (inside the project only; files, and folders as their files), each
//! through the capped reader, within one size limit for the whole bundle.

use super::read::{self, MAX_FILE_BYTES};
use super::{EvidenceTarget, evidence_target};
use crate::bundle::{entry_name, href};
use anyhow::{Result, bail};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A bundle over this many bytes is refused, unless
/// `SUPPORTCHECK_BUNDLE_LIMIT` (MiB) says otherwise.
pub const MAX_BUNDLE_BYTES: u64 = 256 * 1024 * 1024;

/// How many files of one evidence folder a bundle carries.
pub const MAX_FOLDER_FILES: usize = 500;

/// What the bundle carries besides the report.
#[derive(Debug, Default)]
pub struct Evidence {
    /// `evidence/…` names and bytes, in the order the evidence is cited.
    pub files: Vec<(String, Vec<u8>)>,
    /// Each carried evidence entry, as written, to its link in the bundle.
    pub links: BTreeMap<String, String>,
    /// What was left out, and why, one line each, naming the file.
    pub left_out: Vec<String>,
}

/// The bytes the whole bundle may hold, and what it holds so far.
#[derive(Debug)]
pub struct Budget {
    pub limit: u64,
    pub used: u64,
}

impl Budget {
    /// The limit from `SUPPORTCHECK_BUNDLE_LIMIT` (MiB), else
    /// [`MAX_BUNDLE_BYTES`].
    pub fn from_env() -> Budget {
        let limit = std::env::var("SUPPORTCHECK_BUNDLE_LIMIT")
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map_or(MAX_BUNDLE_BYTES, |mib| mib.saturating_mul(1024 * 1024));
        Budget { limit, used: 0 }
    }

    /// Counts `n` more bytes of `what`; over the limit is an error.
    pub fn take(&mut self, n: u64, what: &str) -> Result<()> {
        self.used = self.used.saturating_add(n);
        if self.used > self.limit {
            bail!(
                "the client bundle would be over {} MiB at {what}; no bundle was written\nhelp: cite fewer or smaller files as evidence, or raise the limit with SUPPORTCHECK_BUNDLE_LIMIT (MiB)",
                self.limit >> 20
            );
        }
        Ok(())
    }
}

/// Reads every local evidence entry in `cited` (as the answers write it)
/// under the project `root`. Entries that do not count as evidence, links
/// that leave the project, FIFOs and devices are left out and named, never
/// opened; going over the budget is an error.
pub fn collect(root: &Path, cited: &[String], budget: &mut Budget) -> Result<Evidence> {
    let mut out = Evidence::default();
    let Ok(real_root) = root.canonicalize() else {
        bail!("cannot read the project folder {}", root.display());
    };
    let mut taken = BTreeSet::new();
    for text in cited {
        match evidence_target(root, text) {
            Ok(EvidenceTarget::File(path)) => {
                let Some(rel) = relative(&real_root, &path) else {
                    out.left_out.push(format!("{text}: its name is not UTF-8"));
                    continue;
                };
                if add_file(&mut out, &mut taken, &path, &rel, text, budget)? {
                    out.links.insert(text.clone(), href(&rel, false));
                }
            }
            Ok(EvidenceTarget::Folder(path)) => {
                let rel = relative(&real_root, &path).unwrap_or_default();
                if add_folder(&mut out, &mut taken, &real_root, &path, text, budget)? {
                    out.links.insert(text.clone(), href(&rel, true));
                }
            }
            Err(why) => out.left_out.push(format!("{text}: {why}")),
        }
    }
    Ok(out)
}

/// `path` inside `root`, `/`-separated; `None` when it is not UTF-8.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel.iter().map(|p| p.to_str()).collect();
    Some(parts?.join("/"))
}

/// Reads one regular file into the bundle as `evidence/<rel>`; whether it
/// is there (now or already). A file that cannot be read is left out and
/// named; one that breaks the budget is an error.
fn add_file(
    out: &mut Evidence,
    taken: &mut BTreeSet<String>,
    path: &Path,
    rel: &str,
    shown: &str,
    budget: &mut Budget,
) -> Result<bool> {
    if taken.contains(rel) {
        return Ok(true);
    }
    let bytes = match read::read_capped(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            out.left_out
                .push(format!("{shown}: {}", e.reason(MAX_FILE_BYTES)));
            return Ok(false);
        }
    };
    budget.take(bytes.len() as u64, shown)?;
    taken.insert(rel.to_string());
    out.files.push((entry_name(rel), bytes));
    Ok(true)
}

/// The regular files of a folder, in name order, up to
/// [`MAX_FOLDER_FILES`]. Links are not followed into folders; a link to a
/// file inside the project is carried, one leaving it is left out and
/// named, as is a FIFO, socket or device. Whether any file was carried.
fn add_folder(
    out: &mut Evidence,
    taken: &mut BTreeSet<String>,
    root: &Path,
    folder: &Path,
    text: &str,
    budget: &mut Budget,
) -> Result<bool> {
    let mut carried = 0usize;
    let walk = walkdir::WalkDir::new(folder)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1);
    for entry in walk {
        let Ok(entry) = entry else { continue };
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        let Some(rel) = relative(root, entry.path()) else {
            out.left_out
                .push(format!("{text}: a file whose name is not UTF-8"));
            continue;
        };
        let Some(real) = file_inside(out, root, entry.path(), &rel, kind) else {
            continue;
        };
        if carried == MAX_FOLDER_FILES {
            out.left_out.push(format!(
                "{text}: only its first {MAX_FOLDER_FILES} files are in the bundle"
            ));
            break;
        }
        if add_file(out, taken, &real, &rel, &rel, budget)? {
            carried += 1;
        }
    }
    Ok(carried > 0)
}

/// The real path of a folder entry to read, when it is a regular file, or
/// a link to one inside the project; anything else is named in `left_out`.
fn file_inside(
    out: &mut Evidence,
    root: &Path,
    path: &Path,
    rel: &str,
    kind: std::fs::FileType,
) -> Option<PathBuf> {
    if kind.is_file() {
        return Some(path.to_path_buf());
    }
    if !kind.is_symlink() {
        let why = std::fs::symlink_metadata(path)
            .ok()
            .and_then(|m| read::special_kind(&m))
            .unwrap_or("not a regular file");
        out.left_out.push(format!("{rel}: it is {why}"));
        return None;
    }
    let why = match path.canonicalize() {
        Err(_) => "it is a symbolic link to nothing",
        Ok(real) if !real.starts_with(root) || real == root => {
            "it is a symbolic link that leads outside the project"
        }
        Ok(real) if real.is_file() => return Some(real),
        Ok(real) if real.is_dir() => "it is a symbolic link to a folder, which is not followed",
        Ok(_) => "it is a symbolic link to something that is not a regular file",
    };
    out.left_out.push(format!("{rel}: {why}"));
    None
}
