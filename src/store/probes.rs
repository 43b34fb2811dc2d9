//! The probe results file beside the answers (`probes.jsonl`): read (a
//! missing file has none) and appended to under the same lock and atomic
//! write as the answers, so two `verify` runs at once both keep theirs.

use super::read::{MAX_FILE_BYTES, read_capped_to, utf8};
use super::{Lock, write_atomic};
use crate::probe::{self, Latest, ProbeResult};
use anyhow::Result;
use std::path::Path;

/// The file's name, in the answers file's folder.
pub const FILE_NAME: &str = "probes.jsonl";

/// Past this size the oldest half of the file is dropped on the next append.
const KEEP_BYTES: usize = 8 * 1024 * 1024;

/// Every result recorded, and how many lines could not be read.
pub fn read_all(path: &Path, shown: &str) -> Result<(Vec<ProbeResult>, usize)> {
    let bytes = match read_capped_to(path, MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => return Ok((Vec::new(), 0)),
        Err(e) => return Err(e.into_error("probe results file", shown, MAX_FILE_BYTES)),
    };
    let text = utf8(bytes, "probe results file", shown)?;
    Ok(probe::parse_results(&text))
}

/// The newest result of each probe.
pub fn latest(path: &Path, shown: &str) -> Result<(Latest, usize)> {
    let (all, bad) = read_all(path, shown)?;
    Ok((Latest::from_results(all), bad))
}

/// Appends results: under the file's lock, read again, add, write atomically.
pub fn append(path: &Path, shown: &str, results: &[ProbeResult]) -> Result<()> {
    if results.is_empty() {
        return Ok(());
    }
    let _lock = Lock::acquire(path, shown)?;
    let mut bytes = match read_capped_to(path, MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => Vec::new(),
        Err(e) => return Err(e.into_error("probe results file", shown, MAX_FILE_BYTES)),
    };
    // Append-only, but bounded: past KEEP_BYTES the oldest lines go, so
    // that a scheduled `verify` never grows the file past what is read.
    if bytes.len() > KEEP_BYTES {
        let cut = bytes.len() - KEEP_BYTES / 2;
        let from = bytes[cut..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| cut + i + 1);
        bytes.drain(..from);
    }
    if !bytes.is_empty() && !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    }
    for r in results {
        bytes.extend_from_slice(probe::result_line(r).as_bytes());
    }
    write_atomic(path, &bytes)
}
