//! The one way every writer (`audit`, `import`, `init`, `merge-answers`)
//! saves the answers file: checked first against what every command's reader
//! accepts, so that no writer leaves a file the next command refuses.

use super::read::MAX_FILE_BYTES;
use super::write_atomic;
use crate::answers::{self, AnswersFile, RoundTripError};
use anyhow::{Result, bail};
use std::path::Path;

/// The hint for a writer bug caught by the round trip.
const BUG_HELP: &str = "this is a bug in supportcheck; please report it with your answers file";

/// Checks the size of answers text about to be written: over the reader's
/// cap ([`MAX_FILE_BYTES`]) every command would refuse the file, so nothing
/// is written.
pub fn check_size(text: &str, shown: &str) -> Result<()> {
    let len = text.len() as u64;
    if len > MAX_FILE_BYTES {
        bail!(
            "the answers file {shown} would be {:.1} MiB, and every command refuses an answers file over {} MiB; nothing was written\nhelp: shorten the longest notes or evidence lists (or split the playbooks into several projects)",
            len as f64 / 1048576.0,
            MAX_FILE_BYTES / 1048576
        );
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
    answers::verify(text, file).map_err(|e| match e {
        RoundTripError::Unreadable(_) => anyhow::anyhow!("{shown}: {e}"),
        RoundTripError::Differs => anyhow::anyhow!("{shown}: {e}\nhelp: {BUG_HELP}"),
    })
}

/// [`check`], then the atomic write.
pub fn save(path: &Path, text: &str, file: &AnswersFile, shown: &str) -> Result<()> {
    check(text, file, shown)?;
    write_atomic(path, text.as_bytes())
}
