//! The hash chain of report versions, pure: the JSON form with its own
//! hash written in one pass, the `index.jsonl` line of a version, version
//! file names, and the checks `history --verify` makes on bytes the store
//! read (`store::reports` does the reading and writing).
//!
//! What is covered by what: each JSON carries `content_sha256` (its own
//! bytes with that value zeroed; the last key), the sha256 of every other
//! file of its version (`companions`) and `previous` (the sha256 of the
//! previous JSON). Each index line carries the sha256 of every file of its
//! version and `previous`, the sha256 of the line before it, so the last
//! line is the chain head: deleting or forging the newest version breaks it.

use super::{Previous, Report};
use crate::playbook::sha256_hex;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

const ZEROS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HASH_KEY: &str = "\"content_sha256\": \"";

/// The commit record of a reports folder.
pub const INDEX: &str = "index.jsonl";
/// Version numbers above this are refused (and files named so are strays).
pub const MAX_VERSION: u64 = 1_000_000;

/// The JSON file of version `n`.
pub fn json_name(n: u64) -> String {
    format!("readiness-v{n}.json")
}

/// The version a report file name belongs to: `readiness-v<N>` then `.json`,
/// `.md`, `.html`, `.pdf`, `.docx` or `-<stem>.<ext>`, N written without leading zeros and at
/// most [`MAX_VERSION`]. `Some(None)` for a name that looks like a version
/// file but is not one (a stray); `None` for unrelated files.
pub fn version_of(name: &str) -> Option<Option<u64>> {
    let rest = name.strip_prefix("readiness-v")?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (number, tail) = rest.split_at(digits);
    let known_tail = matches!(tail, ".json" | ".md" | ".html" | ".pdf" | ".docx")
        || (tail.starts_with('-') && tail.contains('.'));
    let n = number
        .parse::<u64>()
        .ok()
        .filter(|n| known_tail && *n >= 1 && *n <= MAX_VERSION && !number.starts_with('0'));
    Some(n)
}

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

/// One line of `index.jsonl`: what history, trends and portfolios need of a
/// version, without its questions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexEntry {
    pub version: u64,
    pub generated_at: String,
    pub schema: String,
    pub scoring: u32,
    pub product: Option<String>,
    pub level: String,
    pub score: f64,
    pub min_score: f64,
    pub passed: bool,
    pub questions: usize,
    pub answered: usize,
    pub missing: usize,
    pub blockers: usize,
    pub expired_waivers: usize,
    pub playbooks: Vec<IndexPlaybook>,
    /// Each role's sign-off and its state (`signed`, `outdated`, `missing`),
    /// for portfolios; absent when the report has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signoffs: Vec<IndexSignoff>,
    /// The maturity level reached and the target (issue 27); absent in
    /// lines written before levels, or when the set declares none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achieved_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_level: Option<String>,
    /// Each level's questions and open questions, lowest first: what a
    /// campaign reads for progress and its burn-up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<crate::score::LevelTally>,
    /// The sha256 of every file of the version, by name.
    pub files: BTreeMap<String, String>,
    /// The sha256 of the previous line's bytes (without its newline).
    pub previous: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexSignoff {
    pub role: String,
    pub state: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexPlaybook {
    pub id: String,
    pub title: String,
    pub score: f64,
    /// Questions answered (0: nobody assessed it yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<usize>,
}

impl IndexEntry {
    pub fn of(report: &Report, files: BTreeMap<String, String>, previous: Option<String>) -> Self {
        let s = &report.summary;
        IndexEntry {
            version: report.report_version.unwrap_or(0),
            generated_at: report.generated_at.clone(),
            schema: report.schema.clone(),
            scoring: report.scoring,
            product: report.product.clone(),
            level: s.level.as_str().to_string(),
            score: s.score,
            min_score: report.gate.min_score,
            passed: report.gate.passed,
            questions: s.questions,
            answered: s.answered,
            missing: s.missing,
            blockers: s.blockers,
            expired_waivers: s.expired_waivers,
            playbooks: report
                .playbooks
                .iter()
                .map(|p| IndexPlaybook {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    score: p.score,
                    answered: Some(p.answered),
                })
                .collect(),
            signoffs: report
                .signoffs
                .iter()
                .map(|s| IndexSignoff {
                    role: s.role.clone(),
                    state: <&str>::from(s.state).to_string(),
                })
                .collect(),
            achieved_level: s.achieved_level.clone(),
            target_level: s.target_level.clone(),
            levels: s.levels.clone(),
            files,
            previous,
        }
    }
}

/// What an index line says of its version: the fields that history,
/// trends and portfolios show, read leniently (older and hand-made lines too).
#[derive(Debug, Deserialize)]
struct LineClaims {
    generated_at: String,
    #[serde(default)]
    product: Option<String>,
    level: String,
    score: Option<f64>,
    #[serde(default)]
    passed: Option<bool>,
    #[serde(default)]
    min_score: Option<f64>,
    #[serde(flatten)]
    counts: Counts,
    #[serde(default)]
    playbooks: Vec<PlaybookClaim>,
    #[serde(default)]
    signoffs: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
struct Counts {
    #[serde(default)]
    questions: usize,
    #[serde(default)]
    answered: usize,
    #[serde(default)]
    missing: usize,
    #[serde(default)]
    blockers: usize,
    #[serde(default)]
    expired_waivers: usize,
}

#[derive(Debug, Deserialize, PartialEq)]
struct PlaybookClaim {
    id: String,
    score: Option<f64>,
}

/// The same fields as a report JSON carries them; the questions are
/// skipped by serde without being built.
#[derive(Debug, Deserialize)]
struct JsonClaims {
    #[serde(default)]
    report_version: Option<u64>,
    generated_at: String,
    #[serde(default)]
    product: Option<String>,
    summary: SummaryClaims,
    #[serde(default)]
    gate: Option<GateClaims>,
    #[serde(default)]
    playbooks: Vec<PlaybookClaim>,
    #[serde(default)]
    trend: Vec<super::TrendPoint>,
    #[serde(default)]
    signoffs: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct SummaryClaims {
    score: Option<f64>,
    level: String,
    #[serde(flatten)]
    counts: Counts,
}

#[derive(Debug, Deserialize)]
struct GateClaims {
    #[serde(default)]
    passed: Option<bool>,
    #[serde(default)]
    min_score: Option<f64>,
}

/// Each sign-off's role and state (`state`, or `status` in hand-made lines).
fn signoff_states(v: Option<&serde_json::Value>) -> Vec<(String, String)> {
    let entries: Vec<&serde_json::Value> = match v {
        Some(serde_json::Value::Array(a)) => a.iter().collect(),
        Some(serde_json::Value::Object(m)) => m.values().collect(),
        _ => Vec::new(),
    };
    let text = |e: &serde_json::Value, keys: &[&str]| {
        keys.iter()
            .find_map(|k| e.get(k).and_then(|v| v.as_str()))
            .unwrap_or_default()
            .to_string()
    };
    let mut out: Vec<(String, String)> = entries
        .iter()
        .map(|e| (text(e, &["role"]), text(e, &["state", "status"])))
        .collect();
    out.sort();
    out
}

/// A version as its JSON records it, for a trend: its own point and the
/// earlier versions' points it carries.
#[derive(Debug, Clone)]
pub struct Committed {
    pub point: super::TrendPoint,
    pub trend: Vec<super::TrendPoint>,
}

/// Compares what an index line says of its version with the JSON it
/// commits: each field that differs, in words (empty: the line says what
/// the JSON says). `Err` when the JSON is not a report or the line not a line.
pub fn check_line(line: &str, json: &[u8]) -> Result<(Vec<String>, Committed), String> {
    let said: LineClaims =
        serde_json::from_str(line).map_err(|e| format!("not an index line: {e}"))?;
    let is: JsonClaims =
        serde_json::from_slice(json).map_err(|e| format!("not a supportcheck JSON report: {e}"))?;
    let mut out = Vec::new();
    let mut differ = |what: &str, index: String, report: String| {
        if index != report {
            out.push(format!("{what} {index} (index) but {report} (report)"));
        }
    };
    let num = |v: Option<f64>| v.map_or_else(|| "none".to_string(), |v| v.to_string());
    let gate = is.gate.as_ref();
    differ(
        "generated_at",
        said.generated_at.clone(),
        is.generated_at.clone(),
    );
    differ(
        "product",
        format!("{:?}", said.product),
        format!("{:?}", is.product),
    );
    differ("level", said.level.clone(), is.summary.level.clone());
    differ("score", num(said.score), num(is.summary.score));
    let passed = |v: Option<bool>| v.map_or_else(|| "none".to_string(), |v| v.to_string());
    differ(
        "passed",
        passed(said.passed),
        passed(gate.and_then(|g| g.passed)),
    );
    differ(
        "min_score",
        num(said.min_score),
        num(gate.and_then(|g| g.min_score)),
    );
    let (a, b) = (&said.counts, &is.summary.counts);
    for (what, x, y) in [
        ("questions", a.questions, b.questions),
        ("answered", a.answered, b.answered),
        ("missing", a.missing, b.missing),
        ("blockers", a.blockers, b.blockers),
        ("expired_waivers", a.expired_waivers, b.expired_waivers),
    ] {
        differ(what, x.to_string(), y.to_string());
    }
    if said.playbooks != is.playbooks {
        out.push("the playbook scores differ".into());
    }
    if signoff_states(said.signoffs.as_ref()) != signoff_states(is.signoffs.as_ref()) {
        out.push("the sign-offs differ".into());
    }
    let committed = Committed {
        point: super::TrendPoint {
            report_version: is.report_version.unwrap_or(0),
            generated_at: is.generated_at,
            score: is.summary.score.unwrap_or(0.0),
            level: is.summary.level,
        },
        trend: is.trend,
    };
    Ok((out, committed))
}

/// Why a `generated_at` cannot be right at `now`: in the future beyond
/// [`crate::team::CLOCK_SKEW`], or not a time.
pub fn bad_time(generated_at: &str, now: chrono::DateTime<chrono::Utc>) -> Option<String> {
    match chrono::DateTime::parse_from_rfc3339(generated_at) {
        Ok(t) if t.with_timezone(&chrono::Utc) > now + crate::team::CLOCK_SKEW => Some(format!(
            "generated_at {generated_at} is in the future (the clock that wrote it was wrong, or the date was edited)"
        )),
        Ok(_) => None,
        Err(_) => Some(format!("generated_at `{generated_at}` is not a time")),
    }
}

/// Where the 64 hex digits of a report's `content_sha256` start. `report`
/// writes the key last (the hash is known only once everything before it
/// was written); reports of older versions have it first. Either way it is
/// the top-level key, which pretty JSON indents by exactly two spaces.
fn hash_position(bytes: &[u8]) -> Option<usize> {
    let key = format!("\n  {HASH_KEY}");
    let key = key.as_bytes();
    let tail = bytes.len().saturating_sub(key.len() + 80);
    let at = find(&bytes[tail..], key)
        .map(|i| tail + i)
        .or_else(|| find(&bytes[..bytes.len().min(key.len() + 8)], key))
        .or_else(|| find(bytes, key))?;
    Some(at + key.len())
}

/// The `content_sha256` a report's bytes carry, and the one they should:
/// the sha256 of the bytes with that value zeroed (hashed in three pieces,
/// without copying the report).
pub fn content_hash(bytes: &[u8]) -> Option<(String, String)> {
    use sha2::{Digest, Sha256};
    let start = hash_position(bytes)?;
    let written = std::str::from_utf8(bytes.get(start..start + 64)?).ok()?;
    let mut hasher = Sha256::new();
    hasher.update(&bytes[..start]);
    hasher.update(ZEROS.as_bytes());
    hasher.update(&bytes[start + 64..]);
    Some((written.to_string(), format!("{:x}", hasher.finalize())))
}

/// A report's sha256 and its [`content_hash`] in one pass over the bytes
/// before the hash (which, with the key last, is nearly all of them).
pub fn digests(bytes: &[u8]) -> (String, Option<(String, String)>) {
    use sha2::{Digest, Sha256};
    let Some(start) = hash_position(bytes).filter(|s| s + 64 <= bytes.len()) else {
        return (sha256_hex(bytes), None);
    };
    let mut prefix = Sha256::new();
    prefix.update(&bytes[..start]);
    let mut file = prefix.clone();
    file.update(&bytes[start..]);
    let mut content = prefix;
    content.update(ZEROS.as_bytes());
    content.update(&bytes[start + 64..]);
    let written = String::from_utf8_lossy(&bytes[start..start + 64]).into_owned();
    (
        format!("{:x}", file.finalize()),
        Some((written, format!("{:x}", content.finalize()))),
    )
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A writer that passes bytes on to `out` and a hash, always holding
/// back the last two bytes (the report's closing `\n}`), so that the
/// content hash can be appended as the last key in the same pass.
struct Tee<W: Write> {
    out: W,
    /// The bytes passed on so far: the prefix both hashes share.
    sha: sha2::Sha256,
    held: Vec<u8>,
}

impl<W: Write> Tee<W> {
    fn pass(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        use sha2::Digest;
        self.out.write_all(bytes)?;
        self.sha.update(bytes);
        Ok(())
    }
}

impl<W: Write> Write for Tee<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() < 2 {
            self.held.extend_from_slice(buf);
            if self.held.len() > 2 {
                let ready: Vec<u8> = self.held.drain(..self.held.len() - 2).collect();
                self.pass(&ready)?;
            }
        } else {
            // Pass on what was held and all but the last two bytes, no copy.
            let held = std::mem::take(&mut self.held);
            self.pass(&held)?;
            let (ready, tail) = buf.split_at(buf.len() - 2);
            self.pass(ready)?;
            self.held.extend_from_slice(tail);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Writes a report as pretty JSON to `out` in one pass, with its
/// `content_sha256` (the sha256 of the bytes with that value zeroed) as the
/// last key. Returns the sha256 of the bytes written. Never holds the JSON
/// in memory: at 50,000 questions that is 65 MB, twice over.
pub fn write_json(report: &Report, out: impl Write) -> Result<String> {
    use sha2::Digest;
    let tee = Tee {
        out,
        sha: sha2::Sha256::new(),
        held: Vec::new(),
    };
    let mut buffered = std::io::BufWriter::with_capacity(256 * 1024, tee);
    serde_json::to_writer_pretty(&mut buffered, report)?;
    let mut tee = buffered.into_inner().map_err(|e| e.into_error())?;
    if tee.held != b"\n}" {
        bail!("the report did not serialise as a JSON object");
    }
    let head = format!(",\n  {HASH_KEY}");
    tee.pass(head.as_bytes())?;
    // Everything so far is the prefix of both the file and its zeroed form.
    let mut content = tee.sha.clone();
    content.update(ZEROS.as_bytes());
    content.update(b"\"\n}\n");
    let hash = format!("{:x}", content.finalize());
    let tail = format!("{hash}\"\n}}\n");
    tee.out.write_all(tail.as_bytes())?;
    tee.out.flush()?;
    tee.sha.update(tail.as_bytes());
    Ok(format!("{:x}", tee.sha.finalize()))
}

/// One problem found by `history --verify`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct ChainProblem {
    /// The version it concerns (0 for a file that belongs to none).
    pub report_version: u64,
    /// The file it concerns.
    pub file: String,
    pub problem: String,
}

/// The header of a report JSON: what verify checks without the questions.
#[derive(Debug, Deserialize)]
pub struct Header {
    pub report_version: Option<u64>,
    #[serde(default)]
    pub previous: Option<Previous>,
    #[serde(default)]
    pub companions: BTreeMap<String, String>,
}

/// Parses the top-level fields verify needs. serde_json's pretty output puts
/// each top-level key on a line of its own indented by two spaces, and
/// `report` writes these keys before the questions, so only the head of the
/// file is parsed; a file in another layout (an older report's, with
/// `previous` after the questions) is parsed whole.
pub fn header(bytes: &[u8]) -> Option<Header> {
    let text = std::str::from_utf8(bytes).ok()?;
    let end = text
        .find("\n  \"generated_at\"")
        .map_or(text.len(), |i| i + 1);
    let head = &text[..end];
    // Reports written before the head came first (rules 1 and older) have
    // `previous` near the end: those are parsed whole, or their link to the
    // previous version would be missed.
    let previous_later = text[end..].contains("\n  \"previous\"");
    if end < text.len() && !previous_later {
        let closed = format!("{}}}", head.trim_end().trim_end_matches(','));
        if let Ok(h) = serde_json::from_str(&closed) {
            return Some(h);
        }
    }
    serde_json::from_slice(bytes).ok()
}

/// A JSON's own hash, number, link and companion digests.
pub fn check_json(
    n: u64,
    name: &str,
    bytes: &[u8],
    content: Option<(String, String)>,
    prev: Option<&IndexEntry>,
    entry: &IndexEntry,
    problem: &mut impl FnMut(u64, &str, String),
) {
    match content {
        Some((written, actual)) if written == actual => {}
        Some(_) => problem(
            n,
            name,
            "edited: its content does not match its content_sha256".into(),
        ),
        None => problem(
            n,
            name,
            "no content_sha256: not written by supportcheck, or edited".into(),
        ),
    }
    let Some(h) = header(bytes) else {
        problem(n, name, "not a supportcheck JSON report".into());
        return;
    };
    if h.report_version != Some(n) {
        problem(
            n,
            name,
            format!(
                "its report_version is {:?} but the file name says {n}",
                h.report_version
            ),
        );
    }
    let want = prev.map(|p| {
        (
            p.version,
            p.files
                .get(&json_name(p.version))
                .cloned()
                .unwrap_or_default(),
        )
    });
    let got = h.previous.map(|p| (p.report_version, p.sha256));
    if want != got {
        problem(
            n,
            name,
            "its link to the previous version does not match the index".into(),
        );
    }
    let others: BTreeMap<String, String> = entry
        .files
        .iter()
        .filter(|(k, _)| **k != json_name(n))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if h.companions != others && !h.companions.is_empty() {
        problem(
            n,
            name,
            "the files it lists as its companions differ from the index".into(),
        );
    }
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
                file: json_name(n),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names_are_canonical_and_bounded() {
        assert_eq!(version_of("readiness-v7.json"), Some(Some(7)));
        assert_eq!(version_of("readiness-v7.md"), Some(Some(7)));
        assert_eq!(version_of("readiness-v7.pdf"), Some(Some(7)));
        assert_eq!(version_of("readiness-v7.docx"), Some(Some(7)));
        assert_eq!(version_of("readiness-v7-brand.pdf.txt"), Some(Some(7)));
        assert_eq!(version_of("readiness-v007.json"), Some(None));
        assert_eq!(version_of("readiness-v0.json"), Some(None));
        assert_eq!(
            version_of("readiness-v18446744073709551615.json"),
            Some(None)
        );
        assert_eq!(
            version_of("readiness-v99999999999999999999999.json"),
            Some(None)
        );
        assert_eq!(version_of("readiness-v1000001.json"), Some(None));
        assert_eq!(version_of("readiness-v3.json~"), Some(None));
        assert_eq!(version_of("readiness-v.json"), Some(None));
        assert_eq!(version_of("index.jsonl"), None);
    }

    #[test]
    fn the_content_hash_ignores_its_own_value() {
        // Older reports: the key first.
        let text = format!("{{\n  {HASH_KEY}{ZEROS}\",\n  \"a\": 1\n}}\n");
        let (written, actual) = content_hash(text.as_bytes()).unwrap();
        assert_eq!(written, ZEROS);
        assert_eq!(actual, sha256_hex(text.as_bytes()));
        // Now: the key last, wherever a nested key of the same name is.
        let text =
            format!("{{\n  \"a\": {{\n    {HASH_KEY}x\"\n  }},\n  {HASH_KEY}{ZEROS}\"\n}}\n");
        let (written, actual) = content_hash(text.as_bytes()).unwrap();
        assert_eq!(written, ZEROS);
        assert_eq!(actual, sha256_hex(text.as_bytes()));
    }

    #[test]
    fn an_index_line_is_checked_against_the_json_it_commits() {
        let json = r#"{"schema": "s", "report_version": 2, "generated_at": "2026-11-23T12:00:00Z",
            "product": "P", "summary": {"score": 41.7, "level": "blocked", "questions": 3,
            "answered": 3, "missing": 0, "blockers": 1, "expired_waivers": 0},
            "gate": {"passed": false, "min_score": 80.0},
            "playbooks": [{"id": "a", "score": 41.7, "questions": [{"id": "a/q1"}]}],
            "trend": [{"report_version": 1, "generated_at": "2026-11-22T12:00:00Z", "score": 30.0, "level": "blocked"}],
            "signoffs": [{"role": "legal", "state": "signed"}]}"#;
        let line = r#"{"version": 2, "generated_at": "2026-11-23T12:00:00Z", "product": "P",
            "level": "blocked", "score": 41.7, "passed": false, "min_score": 80.0, "questions": 3,
            "answered": 3, "missing": 0, "blockers": 1, "expired_waivers": 0,
            "playbooks": [{"id": "a", "title": "A", "score": 41.7}],
            "signoffs": [{"role": "legal", "status": "signed"}], "files": {}, "previous": null}"#;
        let (differ, committed) = check_line(line, json.as_bytes()).unwrap();
        assert!(differ.is_empty(), "{differ:?}");
        assert_eq!(committed.point.report_version, 2);
        assert_eq!(committed.trend.len(), 1);
        let forged = line
            .replace("\"level\": \"blocked\"", "\"level\": \"ready\"")
            .replace(
                "\"score\": 41.7, \"passed\": false",
                "\"score\": 100, \"passed\": true",
            );
        let (differ, _) = check_line(&forged, json.as_bytes()).unwrap();
        assert_eq!(
            differ,
            [
                "level ready (index) but blocked (report)",
                "score 100 (index) but 41.7 (report)",
                "passed true (index) but false (report)"
            ]
        );
        assert!(check_line(line, b"{not json").is_err());
    }

    #[test]
    fn a_time_in_the_future_is_named() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(bad_time("2026-11-23T12:04:00Z", now), None);
        assert!(
            bad_time("2099-01-01T00:00:00Z", now)
                .unwrap()
                .contains("in the future")
        );
        assert!(bad_time("yesterday", now).unwrap().contains("not a time"));
    }

    #[test]
    fn the_header_is_read_from_the_head_of_a_pretty_report() {
        let text = "{\n  \"content_sha256\": \"x\",\n  \"schema\": \"s\",\n  \"report_version\": 3,\n  \"previous\": {\n    \"report_version\": 2,\n    \"sha256\": \"ab\"\n  },\n  \"generated_at\": \"t\",\n  \"rest\": [1, 2\n";
        let h = header(text.as_bytes()).unwrap();
        assert_eq!(h.report_version, Some(3));
        assert_eq!(h.previous.unwrap().report_version, 2);
    }
}
