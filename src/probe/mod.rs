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

use crate::playbook::facts::{FactValue, MaxAge, valid_fact_name};
use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The project's facts by name (what `conditions::Facts` is).
pub type Facts = BTreeMap<String, FactValue>;

/// The longest a single probe may take (`timeout:`), and its default.
pub const MAX_TIMEOUT_MS: u64 = 60_000;
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;
/// Redirects an `http` probe follows before it gives up.
pub const MAX_REDIRECTS: u32 = 5;
/// The most of a response body, or of a command's output, that is read.
pub const MAX_BODY_BYTES: u64 = 1024 * 1024;
/// The most probes one question may declare.
pub const MAX_PROBES_PER_QUESTION: usize = 20;
/// The longest text a probe value may hold (a URL, a pattern).
const MAX_TEXT: usize = 2048;

/// One probe as declared on a question.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub kind: ProbeKind,
    /// The probe as written, as canonical JSON: with the resolved target it
    /// keys the results, so that a changed probe does not read old ones.
    pub written: String,
    /// Per-probe timeout.
    pub timeout_ms: u64,
}

impl Serialize for Probe {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v: Value = serde_json::from_str(&self.written).unwrap_or(Value::Null);
        v.serialize(s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ProbeKind {
    Http(HttpProbe),
    File(FileProbe),
    Command(CommandProbe),
}

/// `http: URL`: a GET, judged by status, body text, JSON and headers.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpProbe {
    /// May name facts: `{{ help_center_url }}/contact`.
    pub url: String,
    pub status: Vec<u16>,
    pub contains: Option<String>,
    pub matches: Option<String>,
    /// JSON pointer to the value expected there.
    pub json: Vec<(String, Value)>,
    /// Response header name (lower case) to text its value must contain.
    pub header: Vec<(String, String)>,
    /// Request headers; a value may name an allowed environment variable
    /// as `${NAME}` (a help-desk API token), never printed.
    pub headers: Vec<(String, String)>,
}

/// `file: PATH`: a path inside the project (a glob with `*`, `?`, `**`).
#[derive(Debug, Clone, PartialEq)]
pub struct FileProbe {
    pub path: String,
    pub contains: Option<String>,
    pub matches: Option<String>,
    /// At least this many files match the glob.
    pub count: Option<u64>,
    /// Changed within this age.
    pub younger_than: Option<MaxAge>,
}

/// `command: [program, args...]`: run without a shell, judged by its exit
/// code and output. Runs only from a trusted playbook.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandProbe {
    pub argv: Vec<String>,
    pub exit: i32,
    pub contains: Option<String>,
}

impl ProbeKind {
    pub fn name(&self) -> &'static str {
        match self {
            ProbeKind::Http(_) => "http",
            ProbeKind::File(_) => "file",
            ProbeKind::Command(_) => "command",
        }
    }
}

/// Reads a question's `probes:` value. `allow_command` is false for probes
/// written in the config, which may not run programs.
pub fn parse_list(value: &Value, allow_command: bool) -> Result<Vec<Probe>, String> {
    let list = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(list) => list,
        _ => return Err("`probes` must be a list of probes (`- http: URL`, `- file: PATH`, `- command: [PROGRAM, ARGS]`)".into()),
    };
    if list.len() > MAX_PROBES_PER_QUESTION {
        return Err(format!(
            "`probes` lists {} probes; at most {MAX_PROBES_PER_QUESTION} are allowed on a question",
            list.len()
        ));
    }
    list.iter()
        .enumerate()
        .map(|(i, v)| parse_one(v, allow_command).map_err(|e| format!("probe {}: {e}", i + 1)))
        .collect()
}

fn parse_one(value: &Value, allow_command: bool) -> Result<Probe, String> {
    let Value::Object(map) = value else {
        return Err("must be a mapping such as `http: URL`, `file: PATH` or `command: [PROGRAM, ARGS]`".into());
    };
    let kinds: Vec<&str> = ["http", "file", "command"]
        .into_iter()
        .filter(|k| map.contains_key(*k))
        .collect();
    let kind = match kinds.as_slice() {
        [one] => *one,
        [] => return Err("needs one of `http`, `file` or `command`".into()),
        _ => return Err(format!("has {}: a probe is one kind", kinds.join(" and "))),
    };
    let known: &[&str] = match kind {
        "http" => &[
            "http", "status", "contains", "matches", "json", "header", "headers", "timeout",
        ],
        "file" => &[
            "file",
            "contains",
            "matches",
            "count",
            "younger_than",
            "timeout",
        ],
        _ => &["command", "exit", "contains", "timeout"],
    };
    if let Some(key) = map.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(format!(
            "unknown key `{key}` on a {kind} probe (known: {})",
            known.join(", ")
        ));
    }
    let text = |k: &str| -> Result<Option<String>, String> {
        match map.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.chars().count() <= MAX_TEXT => Ok(Some(s.clone())),
            Some(Value::String(_)) => Err(format!("`{k}` is longer than {MAX_TEXT} characters")),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(format!("`{k}` must be text")),
        }
    };
    let matches = text("matches")?;
    if let Some(pattern) = &matches {
        pattern_of(pattern)?;
    }
    let contains = text("contains")?;
    let timeout_ms = match map.get("timeout") {
        None | Some(Value::Null) => DEFAULT_TIMEOUT_MS,
        Some(v) => duration_ms(v)?,
    };
    let kind = match kind {
        "http" => {
            let url = text("http")?.filter(|u| !u.trim().is_empty()).ok_or("`http` needs a URL")?;
            let url = url.trim().to_string();
            template_names(&url)?;
            if !url.starts_with("{{") && !url.starts_with("https://") && !url.starts_with("http://")
            {
                return Err(format!(
                    "`http: {url}` must start with https:// or http:// (or a fact such as `{{{{ help_center_url }}}}`)"
                ));
            }
            ProbeKind::Http(HttpProbe {
                url,
                status: status_of(map.get("status"))?,
                contains,
                matches,
                json: pairs(map.get("json"), "json", |k| {
                    if k.is_empty() || k.starts_with('/') {
                        Ok(())
                    } else {
                        Err(format!("`json` keys are JSON pointers such as `/status`; found `{k}`"))
                    }
                })?,
                header: pairs(map.get("header"), "header", header_name)?
                    .into_iter()
                    .map(|(k, v)| (k.to_ascii_lowercase(), text_of(&v)))
                    .collect(),
                headers: pairs(map.get("headers"), "headers", header_name)?
                    .into_iter()
                    .map(|(k, v)| (k, text_of(&v)))
                    .collect(),
            })
        }
        "file" => {
            let path = text("file")?.filter(|p| !p.trim().is_empty()).ok_or("`file` needs a path")?;
            let path = path.trim().to_string();
            template_names(&path)?;
            if !path.contains("{{") {
                relative_path(&path)?;
            }
            let count = match map.get("count") {
                None | Some(Value::Null) => None,
                Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
                Some(_) => return Err("`count` must be a whole number: the fewest files the glob must match".into()),
            };
            let younger_than = match text("younger_than")? {
                None => None,
                Some(t) => Some(MaxAge::parse(&t).map_err(|e| e.replace("max_age", "younger_than"))?),
            };
            ProbeKind::File(FileProbe {
                path,
                contains,
                matches,
                count,
                younger_than,
            })
        }
        _ => {
            if !allow_command {
                return Err("a command probe may only be declared in a playbook (which must be trusted with `supportcheck trust PATH`), not in supportcheck.yaml".into());
            }
            let argv: Vec<String> = match map.get("command") {
                Some(Value::Array(items)) if !items.is_empty() => items
                    .iter()
                    .map(|v| match v {
                        Value::String(s) if s.len() <= MAX_TEXT => Ok(s.clone()),
                        Value::Number(n) => Ok(n.to_string()),
                        _ => Err("`command` must be a list of words: the program, then its arguments".to_string()),
                    })
                    .collect::<Result<_, _>>()?,
                _ => return Err("`command` must be a list: the program, then its arguments (no shell runs it)".into()),
            };
            if argv[0].trim().is_empty() {
                return Err("`command` needs a program".into());
            }
            for a in &argv {
                template_names(a)?;
            }
            let exit = match map.get("exit") {
                None | Some(Value::Null) => 0,
                Some(Value::Number(n)) => n
                    .as_i64()
                    .and_then(|n| i32::try_from(n).ok())
                    .ok_or("`exit` must be a whole number")?,
                Some(_) => return Err("`exit` must be a whole number".into()),
            };
            ProbeKind::Command(CommandProbe {
                argv,
                exit,
                contains,
            })
        }
    };
    Ok(Probe {
        kind,
        written: serde_json::to_string(value).unwrap_or_default(),
        timeout_ms,
    })
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn header_name(k: &str) -> Result<(), String> {
    if !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        Ok(())
    } else {
        Err(format!("`{k}` is not a header name"))
    }
}

fn pairs(
    value: Option<&Value>,
    key: &str,
    check: impl Fn(&str) -> Result<(), String>,
) -> Result<Vec<(String, Value)>, String> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| {
                check(k)?;
                Ok((k.clone(), v.clone()))
            })
            .collect(),
        Some(_) => Err(format!("`{key}` must be a mapping")),
    }
}

/// `status: 200`, `status: [200, 204]`; 2xx when absent.
fn status_of(value: Option<&Value>) -> Result<Vec<u16>, String> {
    let one = |v: &Value| {
        v.as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .filter(|n| (100..=599).contains(n))
            .ok_or_else(|| "`status` must be an HTTP status such as 200, or a list of them".to_string())
    };
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(list)) if !list.is_empty() => list.iter().map(one).collect(),
        Some(v) => Ok(vec![one(v)?]),
    }
}

/// `timeout: 5s`, `500ms`, or a number of seconds.
fn duration_ms(v: &Value) -> Result<u64, String> {
    let err = || format!("`timeout` must be a duration such as `5s` or `500ms`, at most {}s", MAX_TIMEOUT_MS / 1000);
    let ms = match v {
        Value::Number(n) => n.as_f64().map(|s| (s * 1000.0) as u64),
        Value::String(s) => {
            let s = s.trim();
            if let Some(ms) = s.strip_suffix("ms") {
                ms.trim().parse::<u64>().ok()
            } else if let Some(secs) = s.strip_suffix('s') {
                secs.trim().parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0).map(|x| (x * 1000.0) as u64)
            } else {
                None
            }
        }
        _ => None,
    }
    .ok_or_else(err)?;
    if ms == 0 || ms > MAX_TIMEOUT_MS {
        return Err(err());
    }
    Ok(ms)
}

/// A `matches` pattern, compiled with a size limit.
pub fn pattern_of(pattern: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .map_err(|e| format!("`matches: {pattern}` is not a regular expression: {e}"))
}

/// A path written in a probe: relative, inside the project.
pub fn relative_path(path: &str) -> Result<(), String> {
    let p = path.replace('\\', "/");
    if p.starts_with('/') || p.chars().nth(1) == Some(':') {
        return Err(format!("`file: {path}` must be a path inside the project, relative to its root"));
    }
    if p.split('/').any(|c| c == "..") {
        return Err(format!("`file: {path}` may not leave the project (`..`)"));
    }
    Ok(())
}

/// The facts a text names with `{{ name }}`, in order; an error for a
/// `{{` without its `}}` or a name that is not a fact name.
pub fn template_names(text: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(format!("`{text}` has a `{{{{` without its `}}}}`"));
        };
        let name = after[..end].trim();
        if !valid_fact_name(name) {
            return Err(format!(
                "`{{{{ {name} }}}}` in `{text}` must name a fact: a word of letters, digits and `_`"
            ));
        }
        names.push(name.to_string());
        rest = &after[end + 2..];
    }
    Ok(names)
}

/// The text with each `{{ name }}` replaced by the fact's value; a fact
/// that is not set, or is not one piece of text, is an error.
pub fn fill(text: &str, facts: &Facts) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| format!("`{text}` has a `{{{{` without its `}}}}`"))?;
        let name = after[..end].trim();
        match facts.get(name) {
            Some(FactValue::One(v)) if v.trim().is_empty() => {
                return Err(format!("fact `{name}` is empty: the product has none, so this probe does not run"));
            }
            Some(FactValue::One(v)) => out.push_str(v.trim()),
            Some(_) => return Err(format!("fact `{name}` is not text, so it cannot go into `{text}`")),
            None => return Err(format!("fact `{name}` is not set in supportcheck.yaml (`supportcheck audit` asks for it)")),
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
            parts.push(format!("{n} file(s)"));
        }
        if let Some(m) = &self.matched {
            parts.push(format!("matched \"{m}\""));
        }
        if let Some(b) = self.bytes {
            parts.push(format!("{b} bytes{}", if self.truncated { " (cut at the cap)" } else { "" }));
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
    max_age: Option<MaxAge>,
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
            && age.last_valid_day(r.at.date_naive()).is_some_and(|last| today > last)
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
        note: Some(format!("verified by {} probe(s)", targets.len())),
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
