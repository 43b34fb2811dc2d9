//! Findings: one located message with a stable code, shared by every stage.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a finding is. Renderers map this to their own words.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, never a problem (e.g. a skipped index page).
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Stable finding codes. Their spelling is part of the contract (docs/file-formats.md, docs/scoring.md).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Code {
    // playbooks
    Yaml,
    Schema,
    DuplicateOrder,
    DuplicateId,
    Semver,
    Weight,
    EmptyText,
    NotAPlaybook,
    TooLarge,
    Encoding,
    KeyCase,
    UnknownKey,
    Io,
    // facts and conditions
    // An `applies_if` that does not compile or cannot be evaluated.
    Condition,
    // A condition names a fact nobody declares or sets.
    UnknownFact,
    // A fact declaration, or a fact's value in the config, that is wrong.
    Fact,
    // A fact a condition needs is not set in the config.
    FactMissing,
    // A question left out because its condition is false.
    Skipped,
    // answers
    Status,
    Date,
    Waiver,
    Orphaned,
    EvidenceMissing,
    EvidenceRequired,
    NaReason,
    Criteria,
    Action,
    MergeConflict,
    // config
    Config,
    // scoring and the gate
    Missing,
    Stale,
    // An answer older than its `max_age`.
    Expired,
    // An answer that expires within `gate.warn_days`.
    AnswerExpiring,
    Review,
    Blocker,
    ExpiredWaiver,
    WaiverExpiring,
    Unmet,
    Partial,
    BelowScore,
    // owners, actions, sign-offs
    UnknownRole,
    NoPerson,
    NoOwner,
    Overdue,
    Signoff,
    // maturity levels (issue 27)
    // A level name that is not declared, or a target level that is not one.
    Level,
    // A question that counts only from its `effective_from` date.
    Upcoming,
    // probes
    // A `probes:` entry that cannot be read, or a config's probes setting.
    Probe,
    // A `met` answer whose probe failed: counted as partial.
    ProbeFailed,
    // A probe that could not run, was never run or whose result expired:
    // nothing changes.
    ProbeError,
    // Every probe of the question passed: the answer is verified.
    Verified,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A place in a file. Line and column are 1-based; either may be unknown.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct Location {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
}

impl Location {
    pub fn file(path: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(path: impl Into<String>, line: u64, column: u64) -> Self {
        Location {
            path: path.into(),
            line: (line > 0).then_some(line),
            column: (column > 0).then_some(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// One problem found in a file, the answers or the scores.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    #[serde(flatten)]
    pub location: Location,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
}

impl Finding {
    pub fn error(code: Code, location: Location, message: impl Into<String>) -> Self {
        Finding {
            location,
            severity: Severity::Error,
            code,
            message: message.into(),
        }
    }

    pub fn warning(code: Code, location: Location, message: impl Into<String>) -> Self {
        Finding {
            location,
            severity: Severity::Warning,
            code,
            message: message.into(),
        }
    }

    pub fn note(code: Code, location: Location, message: impl Into<String>) -> Self {
        Finding {
            location,
            severity: Severity::Note,
            code,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `path:line:col: error[code]: message`, the form editors and CI annotators parse.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}[{}]: {}",
            crate::safe_text::one_line(&self.location.to_string()),
            self.severity.as_str(),
            self.code,
            crate::safe_text::one_line(&self.message)
        )
    }
}

/// A YAML syntax error in a file people edit by hand (the answers file, the
/// config), said so that they can fix it: which question (or key) it is in,
/// and for a plain value holding `: ` (`note: Weekend cover: by contractor`,
/// which YAML reads as a second key) the line written with the value quoted.
pub fn explain_yaml(text: &str, mut f: Finding) -> Finding {
    let Some(line) = f.location.line else {
        return f;
    };
    let lines: Vec<&str> = text.lines().collect();
    let at = (line as usize).saturating_sub(1);
    if at >= lines.len() {
        return f;
    }
    // The parser names the line where it gave up: the value's own line, or
    // the one after it.
    let fix = [at, at.saturating_sub(1)]
        .into_iter()
        .find_map(|i| quoted_line(lines[i]).map(|q| (i, q)));
    let target = fix.as_ref().map_or(at, |(i, _)| *i);
    let mut message = f.message.clone();
    if let Some(place) = key_path(&lines, target) {
        message.push_str(&format!(" (in {place})"));
    }
    if let Some((i, q)) = fix {
        message.push_str(&format!(
            "; quote the text: {q}{}",
            if i + 1 == line as usize {
                String::new()
            } else {
                format!(" on line {}", i + 1)
            }
        ));
    }
    f.message = message;
    f
}

/// `key: "value"` for a line `key: value` whose plain value holds `: ` or
/// ends in `:`, which YAML does not read as text.
fn quoted_line(line: &str) -> Option<String> {
    let body = line.trim_start();
    let body = body.strip_prefix("- ").unwrap_or(body);
    let (key, value) = body.split_once(": ")?;
    let value = value.trim();
    let plain_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '.'));
    let plain_value = !value.is_empty()
        && !value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!', '#']);
    if plain_key && plain_value && (value.contains(": ") || value.ends_with(':')) {
        let quoted = serde_json::to_string(value).ok()?;
        Some(format!("{key}: {quoted}"))
    } else {
        None
    }
}

/// Where line `at` is, by the keys above it: `question support-channels/q1`
/// in an answers file, `key report.footer` elsewhere.
fn key_path(lines: &[&str], at: usize) -> Option<String> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let key_of = |l: &str| {
        let t = l.trim_start();
        let t = t.strip_prefix("- ").unwrap_or(t);
        if t.starts_with('#') {
            return None;
        }
        let (k, _) = t.split_once(':')?;
        let k = k.trim().trim_matches(['"', '\'']);
        (!k.is_empty() && !k.contains(' ')).then(|| k.to_string())
    };
    let mut keys = Vec::new();
    let mut level = indent(lines[at]);
    if let Some(k) = key_of(lines[at]) {
        keys.push(k);
    }
    for l in lines[..at].iter().rev() {
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        if indent(l) < level {
            if let Some(k) = key_of(l) {
                keys.push(k);
            }
            level = indent(l);
            if level == 0 {
                break;
            }
        }
    }
    keys.reverse();
    if let Some(id) = keys.iter().find(|k| k.contains('/')) {
        return Some(format!("question {id}"));
    }
    (!keys.is_empty()).then(|| format!("key {}", keys.join(".")))
}

/// The first unresolved git merge conflict in a text, as an error on the
/// line of its `<<<<<<<` marker (or of a stray `>>>>>>>`), naming the first
/// key inside it (for an answers file, the question both sides changed).
/// Checked before parsing, so that a conflict reads as one and not as a
/// YAML syntax error somewhere below it.
pub fn merge_conflict(text: &str, path: &str) -> Option<Finding> {
    let is_marker = |l: &str, m: &str| {
        l.strip_prefix(m)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r']))
    };
    if !text.contains("<<<<<<<") && !text.contains(">>>>>>>") {
        return None;
    }
    let mut lines = text.lines().enumerate();
    let (at, line) = lines.find(|(_, l)| is_marker(l, "<<<<<<<") || is_marker(l, ">>>>>>>"))?;
    let key = text
        .lines()
        .skip(at + 1)
        .take_while(|l| !is_marker(l, "=======") && !is_marker(l, ">>>>>>>"))
        .find_map(|l| {
            let l = l.trim();
            let key = l.strip_suffix(':')?.trim_start_matches(['?', ' ']);
            (!key.is_empty() && !key.contains(' ') && !l.starts_with('#')).then(|| key.to_string())
        });
    let what = match key {
        Some(key) if line.starts_with('<') => format!(" on `{key}`"),
        _ => String::new(),
    };
    Some(Finding::error(
        Code::MergeConflict,
        Location::at(path, at as u64 + 1, 1),
        format!(
            "unresolved merge conflict{what}: keep one side (or combine them) and delete the `<<<<<<<`, `=======` and `>>>>>>>` lines"
        ),
    ))
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Turns a serde-saphyr error into a one-line message and a location,
/// shifting lines by `line_offset` (the frontmatter starts below its `---`).
/// `kind` names the file in the message (`playbook`, `answers file`, ...).
pub fn yaml_error(path: &str, line_offset: u64, err: &serde_saphyr::Error, kind: &str) -> Finding {
    let raw = err.without_snippet().to_string();
    let mut message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    if let Some(i) = message.find(", set DuplicateKeyPolicy") {
        message.truncate(i);
    }
    if let Some(rest) = message.strip_prefix("budget breached: ") {
        // `RecordedAnchorEvents { recorded_anchor_events: 100001 }` → `recorded anchor events`
        let name = rest.split([' ', '{', ':']).next().unwrap_or_default();
        let mut words = String::new();
        for c in name.chars() {
            if c.is_uppercase() && !words.is_empty() {
                words.push(' ');
            }
            words.extend(c.to_lowercase());
        }
        message = format!(
            "the YAML goes over the parser's limit on {words}: no {kind} needs that much expansion or nesting (a YAML bomb?)"
        );
    } else if message.contains("recursion limit") {
        message = format!("the YAML is nested too deeply to be a {kind} (a YAML bomb?)");
    }
    let location = match err.location() {
        Some(loc) => Location::at(path, loc.line() + line_offset, loc.column()),
        None => Location::file(path),
    };
    Finding::error(Code::Yaml, location, message)
}

#[cfg(test)]
mod yaml_help_tests {
    use super::*;

    #[test]
    fn a_yaml_error_names_the_question_and_says_how_to_quote() {
        let text = "format: 1\nanswers:\n  rota/q1:\n    status: met\n    note: Weekend cover staffed: by contractor\n";
        let f = Finding::error(
            Code::Yaml,
            Location::at("a.yaml", 5, 32),
            "mapping values are not allowed in this context",
        );
        let f = explain_yaml(text, f);
        assert_eq!(
            f.message,
            "mapping values are not allowed in this context (in question rota/q1); quote the text: note: \"Weekend cover staffed: by contractor\""
        );
    }

    #[test]
    fn a_config_error_names_the_key() {
        let text = "product: Acme\nreport:\n  footer: Prepared: by us\n";
        let f = Finding::error(Code::Yaml, Location::at("c.yaml", 3, 19), "mapping values");
        assert_eq!(
            explain_yaml(text, f).message,
            "mapping values (in key report.footer); quote the text: footer: \"Prepared: by us\""
        );
    }
}
