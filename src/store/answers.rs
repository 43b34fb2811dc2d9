//! The one way every writer (`audit`, `import`, `init`, `merge-answers`)
//! saves the answers file: checked first against what every command's reader
//! accepts, so that no writer leaves a file the next command refuses.

use super::read::MAX_FILE_BYTES;
use super::write_atomic;
use crate::answers::{self, AnswersFile};
use anyhow::{Result, bail};
use std::path::Path;

/// Checks the size of answers text about to be written: over the reader's
/// cap ([`MAX_FILE_BYTES`]) every command would refuse the file, so nothing
/// is written.
pub fn check_size(text: &str, shown: &str) -> Result<()> {
    let len = text.len() as u64;
    if len > MAX_FILE_BYTES {
        bail!(super::Error::AnswersTooLarge {
            shown: shown.to_string(),
            mib: len as f64 / 1048576.0,
            max_mib: MAX_FILE_BYTES / 1048576,
        });
    }
    if text.contains('\0') {
        bail!(
            "the answers file {shown} would hold a NUL byte, which every command refuses; nothing was written"
        );
    }
    Ok(())
}

/// Checks answers text about to be written: within the reader's limits,
/// read without an error, and read back as `file`.
pub fn check(text: &str, file: &AnswersFile, shown: &str) -> Result<()> {
    check_size(text, shown)?;
    answers::verify(text, file).map_err(|error| {
        super::Error::RoundTrip {
            shown: shown.to_string(),
            error,
        }
        .into()
    })
}

/// [`check`], then the atomic write.
pub fn save(path: &Path, text: &str, file: &AnswersFile, shown: &str) -> Result<()> {
    check(text, file, shown)?;
    write_atomic(path, text.as_bytes())
}
