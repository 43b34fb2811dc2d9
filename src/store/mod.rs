//! The shell's file layer: every read and write of the project's files goes through here.
// Shell: the file layer.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stdout,
    clippy::print_stderr
)]

pub mod answers;
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
    let (Ok(root), Ok(target)) = (root.canonicalize(), root.join(path.trim()).canonicalize())
    else {
        return false;
    };
    if target == root || !target.starts_with(&root) {
        return false;
    }
    match std::fs::metadata(&target) {
        Ok(m) if m.is_file() => true,
        Ok(m) if m.is_dir() => std::fs::read_dir(&target).is_ok_and(|mut d| d.next().is_some()),
        _ => false,
    }
}
