//! Writes: atomic replaces through temp files, the sweep of temp files a crash left behind, and the CI job summary append.

use super::read::io_reason;
use anyhow::{Result, bail};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `contents` to `path` so that readers only ever see the old or the
/// new file: a temp file in the same folder, fsync, rename, fsync the folder.
/// A symlink is followed: the file it points to is replaced.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    check_target(path)?;
    let target = resolve_symlink(path);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    not_below_a_file(&dir, &target)?;
    fs::create_dir_all(&dir).map_err(|e| {
        anyhow::anyhow!("cannot create the folder {}: {}", dir.display(), reason(&e))
    })?;
    let mut tmp = temp_file_in(&dir)
        .map_err(|e| anyhow::anyhow!("cannot write in {}: {}", dir.display(), reason(&e)))?;
    tmp.write_all(contents)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", target.display(), reason(&e)))?;
    let perms = fs::metadata(&target)
        .map(|m| m.permissions())
        .unwrap_or_else(|_| default_permissions());
    let _ = fs::set_permissions(tmp.path(), perms);
    tmp.persist(&target).map_err(|e| {
        anyhow::anyhow!("cannot replace {}: {}", target.display(), reason(&e.error))
    })?;
    sync_dir(&dir);
    Ok(())
}

/// Refuses a path that exists and is not a regular file: a FIFO, a device
/// or a socket is never replaced by a regular file (as root, `-o /dev/null`
/// would otherwise replace /dev/null), nor is a folder. Followed through
/// every link, as an open would be. [`write_atomic`] checks this; a command
/// that writes several files checks them all first, to write none.
pub fn check_target(path: &Path) -> Result<()> {
    if let Ok(meta) = fs::metadata(path)
        && let Some(kind) = super::read::special_kind(&meta)
    {
        bail!(super::Error::NotRegularFile {
            path: path.display().to_string(),
            kind: kind.to_string(),
        });
    }
    Ok(())
}

/// Names of the temp files every write goes through (`.supportcheck-*.tmp`),
/// which [`sweep_stale_temps`] recognises.
pub(crate) const TEMP_PREFIX: &str = ".supportcheck-";
const TEMP_SUFFIX: &str = ".tmp";

/// A new temp file in `dir`, for a write that is then renamed or linked
/// into place.
pub(crate) fn temp_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
}

/// Syncs a folder, so that a rename or link in it survives a crash.
/// Best effort: not every platform can open a folder.
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// A "folder" on the way to `target` that is a file: says so, rather than
/// the "File exists" that creating the folder would give.
pub(super) fn not_below_a_file(dir: &Path, target: &Path) -> Result<()> {
    if let Some(file) = dir.ancestors().find(|a| a.exists()).filter(|a| !a.is_dir()) {
        bail!(
            "cannot write {}: {} is a file, not a folder",
            target.display(),
            file.display()
        );
    }
    Ok(())
}

/// Why an I/O call failed, without the temp file's path that `tempfile`
/// adds to its errors (the user never sees that file).
pub(crate) fn reason(err: &std::io::Error) -> String {
    if err.raw_os_error().is_some() || err.get_ref().is_none() {
        return io_reason(err);
    }
    // `tempfile` wraps the OS error in one whose text ends in ` at path "…"`.
    let text = io_reason(err);
    match text.rfind(" at path \"") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(unix)]
fn default_permissions() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(0o644)
}

#[cfg(not(unix))]
fn default_permissions() -> fs::Permissions {
    fs::metadata(".").map(|m| m.permissions()).unwrap()
}

pub(super) fn resolve_symlink(path: &Path) -> PathBuf {
    match fs::read_link(path) {
        Ok(target) if target.is_absolute() => target,
        Ok(target) => path.parent().unwrap_or(Path::new(".")).join(target),
        Err(_) => path.to_path_buf(),
    }
}

/// How old a temp file of [`write_atomic`] must be before it counts as left
/// behind by a crash (`kill -9`, power loss); no save takes this long.
pub(crate) const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(600);

/// [`sweep_temps`] of the temp files of [`write_atomic`], old ones only.
pub(super) fn sweep_stale_temps(dir: &Path) {
    sweep_temps(dir, TEMP_PREFIX, STALE_TEMP);
}

/// Removes temp files that a crashed save left in `dir` (names starting with
/// `prefix`), so that they do not pile up next to a committed file. Only
/// those at least `min_age` old: a temp file of a save running right now
/// (say `init` in another shell) is left alone. Best effort: errors are ignored.
pub(crate) fn sweep_temps(dir: &Path, prefix: &str, min_age: std::time::Duration) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(prefix) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let old = min_age.is_zero()
            || meta
                .modified()
                .ok()
                .and_then(|m| now.duration_since(m).ok())
                .is_some_and(|age| age >= min_age);
        if meta.is_file() && old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Appends the Markdown summary to the file `GITHUB_STEP_SUMMARY` names.
pub fn append_summary(path: &Path, text: &str) -> Result<()> {
    let mut options = fs::OpenOptions::new();
    options.create(true).append(true);
    // A FIFO with no reader fails at once rather than hanging the job.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut f = options.open(path).map_err(|e| {
        anyhow::anyhow!(
            "cannot append to GITHUB_STEP_SUMMARY ({}): {e}",
            path.display()
        )
    })?;
    // Made safe to print: the summary is shown in the job's page.
    f.write_all(crate::safe_text::printable(text, crate::safe_text::PLAIN).as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/answers.yaml");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_file_is_written_through_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.yaml");
        fs::write(&real, "old").unwrap();
        let link = dir.path().join("answers.yaml");
        std::os::unix::fs::symlink("real.yaml", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }
}
