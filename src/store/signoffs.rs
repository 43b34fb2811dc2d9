//! The sign-offs file beside the answers: read (a missing file has none), and
//! appended to under the same lock and atomic write as the answers.

use super::read::{MAX_FILE_BYTES, read_capped_to, utf8};
use super::{Lock, write_atomic};
use crate::team::{self, Signoff, SignoffsFile};
use anyhow::Result;
use std::path::Path;

/// The file's name, in the answers file's folder.
pub const FILE_NAME: &str = "signoffs.yaml";
/// The default `allowed_signers` file, beside the sign-offs.
pub const ALLOWED_SIGNERS: &str = "allowed_signers";

/// Reads an `allowed_signers` file; `None` when there is none.
pub fn read_allowed_signers(path: &Path, shown: &str) -> Result<Option<String>> {
    let bytes = match read_capped_to(path, MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e.into_error("allowed_signers file", shown, MAX_FILE_BYTES)),
    };
    Ok(Some(utf8(bytes, "allowed_signers file", shown)?))
}

/// Reads the sign-offs; a missing file has none. A file that cannot be read
/// or parsed is an error (the caller exits 2).
pub fn read(path: &Path, shown: &str) -> Result<SignoffsFile> {
    let bytes = match read_capped_to(path, MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => return Ok(SignoffsFile::default()),
        Err(e) => return Err(e.into_error("sign-offs file", shown, MAX_FILE_BYTES)),
    };
    let text = utf8(bytes, "sign-offs file", shown)?;
    team::parse_signoffs(&text, shown).map_err(|f| anyhow::anyhow!("{f}"))
}

/// Appends a sign-off: under the file's lock, read again, add, write
/// atomically, so that two people signing at once both keep theirs.
pub fn append(path: &Path, shown: &str, entry: Signoff) -> Result<()> {
    let _lock = Lock::acquire(path, shown)?;
    let mut file = read(path, shown)?;
    file.signoffs.push(entry);
    write_atomic(path, team::signoffs_to_yaml(&file).as_bytes())
}
