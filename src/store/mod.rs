//! The shell's file layer: every read and write of the project's files goes through here.
// Shell: the file layer.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stdout,
    clippy::print_stderr
)]

pub mod answers;
pub mod bundle;
pub mod error;
pub mod lock;
pub mod pdf;
pub mod playbooks;
pub mod portfolio;
pub mod probes;
pub mod read;
pub mod reports;
pub mod signoffs;
pub mod write;

pub use error::Error;
pub use lock::Lock;
pub use playbooks::{LoadOutcome, Source, display_path, load_sources};
pub use write::write_atomic;

/// Whether `path` (as written in an answer's evidence) counts as evidence:
/// it resolves (symbolic links followed) to a file, or a folder with at least
/// one entry, strictly inside `root`. The root itself (`.`), `/`, and paths
/// that leave the root (`/etc/passwd`, `../../etc/hostname`) do not count.
pub fn evidence_counts(root: &std::path::Path, path: &str) -> bool {
    evidence_target(root, path).is_ok()
}

/// What local evidence is, once every link in it is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceTarget {
    /// A regular file strictly inside the root: its real path.
    File(std::path::PathBuf),
    /// A folder with at least one entry strictly inside the root.
    Folder(std::path::PathBuf),
}

/// Where evidence `path` leads, as [`evidence_counts`] judges it, or why it
/// does not count, in words (`it leads outside the project`). Nothing is
/// opened: a FIFO or a device is named, never read.
pub fn evidence_target(root: &std::path::Path, path: &str) -> Result<EvidenceTarget, String> {
    let no = |why: &str| Err(why.to_string());
    let Ok(root) = root.canonicalize() else {
        return no("the project folder cannot be read");
    };
    let full = root.join(path.trim());
    let target = match full.canonicalize() {
        Ok(t) => t,
        Err(_) if std::fs::symlink_metadata(&full).is_ok() => {
            return no("it is a symbolic link to nothing");
        }
        Err(_) => return no("there is no such file or folder"),
    };
    if target == root {
        return no("it is the project folder itself");
    }
    if !target.starts_with(&root) {
        return no("it leads outside the project");
    }
    let Ok(meta) = std::fs::metadata(&target) else {
        return no("it cannot be read");
    };
    if meta.is_file() {
        return Ok(EvidenceTarget::File(target));
    }
    if meta.is_dir() {
        return match std::fs::read_dir(&target).map(|mut d| d.next().is_some()) {
            Ok(true) => Ok(EvidenceTarget::Folder(target)),
            Ok(false) => no("it is an empty folder"),
            Err(_) => no("it is a folder that cannot be read"),
        };
    }
    Err(format!(
        "it is {}",
        read::special_kind(&meta).unwrap_or("not a regular file")
    ))
}
