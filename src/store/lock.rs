//! The answers lock: one writer per answers file.

use super::write::{not_below_a_file, resolve_symlink, sweep_stale_temps};
use anyhow::{Context, Result};
use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

/// An exclusive, advisory lock on an answers file, held while it lives.
/// It locks a hidden `.<name>.lock` beside the file, because the file itself
/// is replaced on every save.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Takes the lock, or explains who holds it.
    pub fn acquire(path: &Path, shown: &str) -> Result<Lock> {
        let target = resolve_symlink(path);
        let lock_path = lock_path(&target);
        if let Some(dir) = lock_path.parent() {
            not_below_a_file(dir, &target)?;
            fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("cannot create the lock file {}", lock_path.display()))?;
        match file.try_lock() {
            Ok(()) => {
                if let Some(dir) = lock_path.parent() {
                    sweep_stale_temps(dir);
                }
                Ok(Lock { _file: file })
            }
            Err(fs::TryLockError::WouldBlock) => Err(super::Error::LockBusy {
                shown: shown.to_string(),
            }
            .into()),
            Err(fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("cannot lock {}", lock_path.display()))
            }
        }
    }
}

fn lock_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "answers".into(), |n| n.to_string_lossy().to_string());
    target.with_file_name(format!(".{name}.lock"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;

    #[test]
    fn a_second_lock_on_the_same_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers.yaml");
        let first = Lock::acquire(&path, "answers.yaml").unwrap();
        let err = Lock::acquire(&path, "answers.yaml").unwrap_err();
        assert!(err.to_string().contains("already writing"), "{err}");
        drop(first);
        Lock::acquire(&path, "answers.yaml").unwrap();
    }

    #[test]
    fn taking_the_lock_sweeps_old_temp_files_left_by_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers.yaml");
        let old = dir.path().join(".supportcheck-crashed.tmp");
        let fresh = dir.path().join(".supportcheck-running.tmp");
        let other = dir.path().join("notes.tmp");
        for p in [&old, &fresh, &other] {
            fs::write(p, "x").unwrap();
        }
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for p in [&old, &other] {
            File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(hour_ago)
                .unwrap();
        }
        let _lock = Lock::acquire(&path, "answers.yaml").unwrap();
        assert!(!old.exists());
        assert!(fresh.exists(), "a save in progress keeps its temp file");
        assert!(other.exists(), "only our own temp files");
    }
}
