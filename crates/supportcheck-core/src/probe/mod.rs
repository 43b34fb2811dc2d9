//! Probes: checks a question declares so that its answer can verify itself
//! (`http`, `file`, `command`). This module is pure: the model and its
//! parsing, facts put into URLs and paths, the safety rules for hosts and
//! addresses, the judging of what a probe saw, the result records of
//! `readiness/probes.jsonl`, and what the last results say about a question.
//! Running a probe (the network, files, processes) is the shell's
//! (`src/prober.rs`); scoring reads the verdicts (`score`).

pub mod judge;
pub mod safety;
#[cfg(test)]
mod tests;

use crate::duration::Duration;
use crate::playbook::facts::FactValue;
pub use crate::playbook::probes::*;
use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The project's facts by name (what `conditions::Facts` is).
pub type Facts = BTreeMap<String, FactValue>;

/// The text with each `{{ name }}` replaced by the fact's value; a fact
/// that is not set, or is not one piece of text, is an error.
pub fn fill(text: &str, facts: &Facts) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| format!("`{text}` has a `{{{{` without its `}}}}`"))?;
        let name = after[..end].trim();
        match facts.get(name) {
            Some(FactValue::One(v)) if v.trim().is_empty() => {
                return Err(format!(
                    "fact `{name}` is empty: the product has none, so this probe does not run"
                ));
            }
            Some(FactValue::One(v)) => out.push_str(v.trim()),
            Some(_) => {
                return Err(format!(
                    "fact `{name}` is not text, so it cannot go into `{text}`"
                ));
            }
            None => {
                return Err(format!(
                    "fact `{name}` is not set in supportcheck.yaml (`supportcheck audit` asks for it)"
                ));
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// What a probe gave: passed, failed, or could not run.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Outcome {
    Pass,
    Fail,
    Error,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What a probe saw, as far as it got.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Seen {
    /// The HTTP status of the last response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The text the expectation matched or looked for, cut short.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
    /// sha256 of the body, file or output read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Bytes read (at most the cap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Whether reading stopped at the cap.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    /// A command's exit code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<i32>,
    /// Files a `file` probe found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<u64>,
}

impl Seen {
    /// In words, for messages: `status 503, body sha256 1a2b3c4d…`.
    pub fn words(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.status {
            parts.push(format!("status {s}"));
        }
        if let Some(e) = self.exit {
            parts.push(format!("exit {e}"));
        }
        if let Some(n) = self.files {
            parts.push(crate::words::count(
                usize::try_from(n).unwrap_or(usize::MAX),
                "file",
            ));
        }
        if let Some(m) = &self.matched {
            parts.push(format!("matched \"{m}\""));
        }
        if let Some(b) = self.bytes {
            parts.push(format!(
                "{b} bytes{}",
                if self.truncated {
                    " (cut at the cap)"
                } else {
                    ""
                }
            ));
        }
        if let Some(d) = &self.sha256 {
            parts.push(format!("sha256 {}…", &d[..d.len().min(12)]));
        }
        parts.join(", ")
    }
}

/// One line of `readiness/probes.jsonl`: one probe run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeResult {
    /// The full question id.
    pub question: String,
    /// The probe's place in the question's list, from 1.
    pub probe: usize,
    /// sha256 of the probe as written and its resolved target: a result
    /// counts only for the same probe on the same target.
    pub key: String,
    pub kind: String,
    /// The URL, path or command it ran on (no secret is ever in it).
    pub target: String,
    pub outcome: Outcome,
    pub at: DateTime<FixedOffset>,
    #[serde(default)]
    pub seen: Seen,
    /// Why it passed, failed or could not run.
    pub reason: String,
    /// How long it took, in milliseconds.
    #[serde(default)]
    pub ms: u64,
}

/// The key of a probe on a target.
pub fn key(probe: &Probe, target: &str) -> String {
    crate::playbook::sha256_hex(format!("{}\n{target}", probe.written).as_bytes())
}

/// The target a probe runs on once facts are filled in, for display and keys.
pub fn target(probe: &Probe, facts: &Facts) -> Result<String, String> {
    match &probe.kind {
        ProbeKind::Http(h) => fill(&h.url, facts),
        ProbeKind::File(f) => {
            let path = fill(&f.path, facts)?;
            relative_path(&path)?;
            Ok(path)
        }
        ProbeKind::Command(c) => Ok(c
            .argv
            .iter()
            .map(|a| fill(a, facts))
            .collect::<Result<Vec<_>, _>>()?
            .join(" ")),
    }
}

/// Reads `probes.jsonl`: one result per line. A line that does not parse is
/// skipped and counted (the file is append-only; a torn last line from a
/// crash must not stop `status`).
pub fn parse_results(text: &str) -> (Vec<ProbeResult>, usize) {
    let mut out = Vec::new();
    let mut bad = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<ProbeResult>(line) {
            Ok(r) => out.push(r),
            Err(_) => bad += 1,
        }
    }
    (out, bad)
}

/// One result as a line of `probes.jsonl`.
pub fn result_line(r: &ProbeResult) -> String {
    let mut line = serde_json::to_string(r).unwrap_or_default();
    line.push('\n');
    line
}

/// The newest result for each (question, key), from every record read.
#[derive(Debug, Clone, Default)]
pub struct Latest {
    by_key: BTreeMap<(String, String), ProbeResult>,
}

/// No results at all: what scoring reads when nothing was verified.
pub static NO_RESULTS: Latest = Latest {
    by_key: BTreeMap::new(),
};

impl Latest {
    pub fn from_results(results: impl IntoIterator<Item = ProbeResult>) -> Latest {
        let mut by_key: BTreeMap<(String, String), ProbeResult> = BTreeMap::new();
        for r in results {
            let k = (r.question.clone(), r.key.clone());
            match by_key.get(&k) {
                Some(old) if old.at > r.at => {}
                _ => {
                    by_key.insert(k, r);
                }
            }
        }
        Latest { by_key }
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    pub fn get(&self, question: &str, key: &str) -> Option<&ProbeResult> {
        self.by_key.get(&(question.to_string(), key.to_string()))
    }
}

/// What a question's last probe results say.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Every probe passed; `at` is the oldest of those passes.
    Pass {
        at: DateTime<FixedOffset>,
        targets: Vec<String>,
    },
    /// A probe failed: what it ran on, what it saw and why.
    Fail {
        at: DateTime<FixedOffset>,
        target: String,
        reason: String,
        seen: String,
    },
    /// Some probe has no usable result (never run, could not run, or
    /// expired): nothing changes.
    Unknown { reason: String },
}

/// The verdict for one question's probes from the last results. A result
/// older than `max_age` (on `today`) counts as not run.
pub fn verdict(
    question: &str,
    probes: &[Probe],
    facts: &Facts,
    latest: &Latest,
    max_age: Option<Duration>,
    today: NaiveDate,
) -> Option<Verdict> {
    if probes.is_empty() {
        return None;
    }
    let mut oldest_pass: Option<DateTime<FixedOffset>> = None;
    let mut targets = Vec::new();
    let mut unknown: Option<String> = None;
    for (i, p) in probes.iter().enumerate() {
        let n = i + 1;
        let target = match target(p, facts) {
            Ok(t) => t,
            Err(why) => {
                unknown.get_or_insert(format!("probe {n} cannot run: {why}"));
                continue;
            }
        };
        let Some(r) = latest.get(question, &key(p, &target)) else {
            unknown.get_or_insert(format!(
                "probe {n} ({} {target}) has not run yet (`supportcheck verify`)",
                p.kind.name()
            ));
            continue;
        };
        if let Some(age) = max_age
            && age
                .last_valid_day(r.at.date_naive())
                .is_some_and(|last| today > last)
        {
            unknown.get_or_insert(format!(
                "probe {n} last ran on {}, more than max_age {age} ago (`supportcheck verify` runs it again)",
                r.at.date_naive()
            ));
            continue;
        }
        match r.outcome {
            Outcome::Fail => {
                return Some(Verdict::Fail {
                    at: r.at,
                    target: r.target.clone(),
                    reason: r.reason.clone(),
                    seen: r.seen.words(),
                });
            }
            Outcome::Error => {
                unknown.get_or_insert(format!(
                    "probe {n} ({} {}) could not run on {}: {}",
                    r.kind,
                    r.target,
                    r.at.date_naive(),
                    r.reason
                ));
            }
            Outcome::Pass => {
                targets.push(r.target.clone());
                oldest_pass = Some(oldest_pass.map_or(r.at, |o| o.min(r.at)));
            }
        }
    }
    Some(match (unknown, oldest_pass) {
        (Some(reason), _) => Verdict::Unknown { reason },
        (None, Some(at)) => Verdict::Pass { at, targets },
        (None, None) => Verdict::Unknown {
            reason: "no probe result".into(),
        },
    })
}

/// Who answers a question that its probes verified and nobody answered.
pub const PROBE_AUTHOR: &str = "probe";

/// The answer probes give a question nobody answered when they all pass:
/// `met` (every criterion met), by `probe`, at the time of the oldest pass,
/// with what they checked as evidence. It is scored like any answer; it is
/// never written to the answers file.
pub fn answer_for(
    q: &crate::playbook::Question,
    at: DateTime<FixedOffset>,
    targets: &[String],
) -> crate::answers::Answer {
    crate::answers::Answer {
        status: Some(crate::answers::Status::Met),
        note: Some(format!(
            "verified by {}",
            crate::words::count(targets.len(), "probe")
        )),
        evidence: targets.to_vec(),
        criteria_met: (!q.criteria.is_empty())
            .then(|| q.criteria.iter().map(|c| c.id.clone()).collect()),
        question_version: Some(q.version.clone()),
        answered_by: Some(PROBE_AUTHOR.to_string()),
        answered_at: Some(at),
        ..crate::answers::Answer::default()
    }
}

/// The facts that probes name and the config does not set, in order.
pub fn missing_facts<'a>(probes: impl Iterator<Item = &'a Probe>, facts: &Facts) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in probes {
        let texts: Vec<&str> = match &p.kind {
            ProbeKind::Http(h) => vec![h.url.as_str()],
            ProbeKind::File(f) => vec![f.path.as_str()],
            ProbeKind::Command(c) => c.argv.iter().map(String::as_str).collect(),
        };
        for t in texts {
            for n in template_names(t).unwrap_or_default() {
                if !facts.contains_key(&n) && !out.contains(&n) {
                    out.push(n);
                }
            }
        }
    }
    out
}

/// Redacts every secret value from a text (a token echoed in a body, a
/// reason quoting a header).
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(s.as_str(), "[redacted]");
    }
    out
}
