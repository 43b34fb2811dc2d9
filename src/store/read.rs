//! Reads: `read_capped`, which refuses an oversized file without reading it, for playbooks and the answers file; the answers read; and small whole-file reads.

use crate::answers::{AnswersFile, parse};
use crate::diagnostic::Finding;
use anyhow::{Result, bail};
use std::io::Read;
use std::path::Path;

/// Files over this size are refused (`too-large`).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads and parses the answers file; a missing file is an empty one.
/// An unreadable or oversized file is an error (the caller exits 2).
pub fn read(path: &Path, shown: &str) -> Result<(AnswersFile, Vec<Finding>, bool)> {
    Ok(match answers_text(path, shown)? {
        None => (AnswersFile::default(), Vec::new(), false),
        Some(text) => {
            let (file, findings) = parse(&text, shown);
            (file, findings, true)
        }
    })
}

/// The answers file's text; `None` when there is no file.
pub fn answers_text(path: &Path, shown: &str) -> Result<Option<String>> {
    // Capped: a huge file is refused without being read into memory.
    let bytes = match read_capped(path) {
        Ok(bytes) => bytes,
        Err(ReadError::Io(err)) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok(None);
        }
        Err(ReadError::Io(err)) => {
            bail!("cannot read the answers file {shown}: {}", io_reason(&err))
        }
        Err(ReadError::TooLarge(size)) => bail!(
            "the answers file {shown} is {} MiB; over {} MiB is refused",
            size / 1048576,
            MAX_FILE_BYTES / 1048576
        ),
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = crate::playbook::parse::line_of(e.as_bytes(), at);
        anyhow::anyhow!("{shown}:{line}: the answers file is not valid UTF-8")
    })?;
    if text.contains('\0') {
        bail!("{shown}: the answers file is binary (contains a NUL byte)");
    }
    Ok(Some(text))
}

/// What a file's content is, for telling whether it changed since it was
/// read: the sha256 of its text (`None`: no file). Not the modification
/// time, which a quick edit in the same second leaves unchanged.
pub fn fingerprint(text: Option<&str>) -> Option<[u8; 32]> {
    use sha2::Digest;
    text.map(|t| sha2::Sha256::digest(t.as_bytes()).into())
}

/// Why [`read_capped`] gave up.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadError {
    #[error("{}", io_reason(.0))]
    Io(std::io::Error),
    /// The file is over [`MAX_FILE_BYTES`]; its size (or what was read of it).
    #[error("{0} bytes is over the limit of {MAX_FILE_BYTES}")]
    TooLarge(u64),
}

/// Reads a file, refusing more than [`MAX_FILE_BYTES`] without reading it
/// all: the one way playbooks and the answers file are read.
pub(crate) fn read_capped(path: &Path) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads a small text file whole: the config and a report template.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    std::fs::read_to_string(path)
}

/// An io::Error in words a user can act on.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
    }
}
