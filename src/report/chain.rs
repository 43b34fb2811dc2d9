//! The hash chain of report versions: the JSON form with its own hash,
//! reading a stored version back, and the check of the chain.
//!
//! Each JSON report carries `previous: {report_version, sha256}` (the sha256
//! of the previous version's file) and `content_sha256`, the sha256 of its
//! own bytes with that value zeroed, so an edit to any version, the newest
//! included, is detected.

use super::Report;
use crate::playbook::sha256_hex;
use anyhow::{Context, Result, bail};
use std::path::Path;

const ZEROS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HASH_KEY: &str = "\"content_sha256\": \"";

/// Parses a stored JSON report read from `path`.
pub fn parse(bytes: &[u8], path: &Path) -> Result<Report> {
    let stored: Report = serde_json::from_slice(bytes)
        .with_context(|| format!("{} is not a supportcheck JSON report", path.display()))?;
    if stored.schema != super::SCHEMA {
        bail!(
            "{} has schema `{}`; this supportcheck reads `{}`",
            path.display(),
            stored.schema,
            super::SCHEMA
        );
    }
    Ok(stored)
}

/// The sha256 a report's bytes should carry in `content_sha256`.
fn content_hash(bytes: &[u8]) -> Option<(String, String)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find(HASH_KEY)? + HASH_KEY.len();
    let written = text.get(start..start + 64)?.to_string();
    let mut zeroed = text.to_string();
    zeroed.replace_range(start..start + 64, ZEROS);
    Some((written, sha256_hex(zeroed.as_bytes())))
}

/// Serialises a report with its own content hash filled in.
pub fn to_json(report: &Report) -> Result<String> {
    let body = serde_json::to_string_pretty(report)?;
    let mut text = body.replacen("{\n", &format!("{{\n  {HASH_KEY}{ZEROS}\",\n"), 1);
    text.push('\n');
    let (_, hash) = content_hash(text.as_bytes()).expect("the hash key was just written");
    Ok(text.replacen(
        &format!("{HASH_KEY}{ZEROS}"),
        &format!("{HASH_KEY}{hash}"),
        1,
    ))
}

/// One problem found by `history --verify`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainProblem {
    pub report_version: u64,
    pub problem: String,
}

/// One version as the store read it: its bytes (empty when unreadable) and
/// what parsing them gave.
#[derive(Debug)]
pub struct Version {
    pub n: u64,
    pub bytes: Vec<u8>,
    pub read: Result<Report>,
}

/// Checks every version: its own hash, its number, and its link to the one before.
pub fn verify(versions: Vec<Version>) -> Vec<ChainProblem> {
    let mut problems = Vec::new();
    let mut prev: Option<(u64, String)> = None;
    for Version { n, bytes, read } in versions {
        let mut problem = |p: String| {
            problems.push(ChainProblem {
                report_version: n,
                problem: p,
            })
        };
        let stored = match read {
            Ok(s) => s,
            Err(e) => {
                problem(format!("unreadable: {e:#}"));
                prev = Some((n, sha256_hex(&bytes)));
                continue;
            }
        };
        match content_hash(&bytes) {
            Some((written, actual)) if written == actual => {}
            Some(_) => problem("edited: its content does not match its content_sha256".into()),
            None => problem("no content_sha256: not written by supportcheck, or edited".into()),
        }
        if stored.report_version != Some(n) {
            problem(format!(
                "its report_version is {:?} but the file name says {n}",
                stored.report_version
            ));
        }
        match (&prev, &stored.previous) {
            (None, None) => {}
            (None, Some(p)) => problem(format!(
                "it links to version {}, which is missing (removed?)",
                p.report_version
            )),
            (Some((pn, _)), None) => {
                problem(format!("it does not link to version {pn} (inserted?)"))
            }
            (Some((pn, psha)), Some(p)) => {
                if p.report_version != *pn {
                    problem(format!(
                        "it links to version {} but the version before it is {pn} (a version was removed or inserted)",
                        p.report_version
                    ));
                } else if &p.sha256 != psha {
                    problem(format!(
                        "version {pn} changed after this version was written (edited or replaced)"
                    ));
                }
            }
        }
        prev = Some((n, sha256_hex(&bytes)));
    }
    problems
}
