//! Reads an answers file leniently: aliases, odd spacing and unknown keys are
//! accepted; every real problem becomes a finding with its line.

use super::comments::{Anchor, scan};
use super::{Action, Answer, AnswersFile, FORMAT, Status, Waiver};
use crate::diagnostic::{Code, Finding, Location, yaml_error};
use crate::playbook::parse::{Item, KeyText, yaml_options};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;
use std::fmt;

/// Parses answers-file text. Errors in the findings mean the file must not be
/// used to write (a save would lose what could not be read).
pub fn parse(text: &str, path: &str) -> (AnswersFile, Vec<Finding>) {
    let mut findings = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(conflict) = crate::diagnostic::merge_conflict(text, path) {
        return (AnswersFile::default(), vec![conflict]);
    }
    let schema_hint = schema_hint(text);
    if text.trim().is_empty() {
        return (AnswersFile::default(), findings);
    }
    let text = &*without_shadowed_placeholders(text);
    let raw: RawFile = match serde_saphyr::from_str_with_options(text, yaml_options()) {
        Ok(raw) => raw,
        Err(err) => {
            findings.push(crate::diagnostic::explain_yaml(
                text,
                yaml_error(path, 0, &err, "answers file"),
            ));
            return (AnswersFile::default(), findings);
        }
    };
    let at = |l: &serde_saphyr::Location| Location::at(path, l.line(), l.column());
    let mut file = AnswersFile {
        schema_hint,
        ..AnswersFile::default()
    };
    file.comments = scan(text, &anchors_of(&raw));
    // The header is the tool's, written afresh on every save.
    let header = super::write::ToolLines::header();
    file.comments.retain(|c| !header.is_tool(c));
    if let Some(kind) = raw.not_a_map {
        findings.push(Finding::error(
            Code::Schema,
            Location::at(path, 1, 1),
            format!(
                "an answers file is a mapping with `format`, `product` and `answers`; found {kind}"
            ),
        ));
        return (file, findings);
    }
    for (key, value) in raw.entries {
        let name = key.value.0.as_str();
        match name {
            "format" => match value.value.as_u64() {
                Some(FORMAT) => {}
                Some(n) => findings.push(Finding::error(
                    Code::Schema,
                    at(&value.referenced),
                    format!("answers format {n} is newer than this supportcheck understands ({FORMAT}); upgrade supportcheck"),
                )),
                None => findings.push(Finding::error(
                    Code::Schema,
                    at(&value.referenced),
                    "`format` must be a number (1)",
                )),
            },
            "product" if value.value.is_number() => {
                file.product = as_written(text, value.referenced.span())
                    .or_else(|| text_field(&value.value, "product", at(&value.referenced), &mut findings))
            }
            "product" => {
                file.product = text_field(&value.value, "product", at(&value.referenced), &mut findings)
            }
            _ => {
                findings.push(Finding::warning(
                    Code::UnknownKey,
                    at(&key.referenced),
                    format!(
                        "unknown key `{name}` in the answers file (kept as it is){}",
                        did_you_mean(name, &["format", "product", "answers"])
                    ),
                ));
                file.extra.insert(name.to_string(), value.value);
            }
        }
    }
    take_answers(raw.answers, text, path, &mut file, &mut findings);
    (file, findings)
}

/// The lines of the top-level keys and of each answer's id, for comments to
/// stay with.
fn anchors_of(raw: &RawFile) -> Vec<(usize, Anchor)> {
    let line = |l: &serde_saphyr::Location| l.line() as usize;
    let mut anchors: Vec<(usize, Anchor)> = raw
        .entries
        .iter()
        .map(|(k, _)| (line(&k.referenced), Anchor::Top(k.value.0.clone())))
        .collect();
    if let Some(l) = &raw.answers_key {
        anchors.push((line(l), Anchor::Top("answers".into())));
    }
    if let Some(Answers::Map(read)) = &raw.answers {
        anchors.extend(
            read.keys
                .iter()
                .map(|(id, at)| (line(at), Anchor::Answer(id.clone()))),
        );
    }
    anchors
}

/// Puts the `answers` mapping into `file`, with the findings met reading it
/// (now that the path is known) and numbers kept as written.
fn take_answers(
    answers: Option<Answers>,
    text: &str,
    path: &str,
    file: &mut AnswersFile,
    findings: &mut Vec<Finding>,
) {
    let at = |l: &serde_saphyr::Location| Location::at(path, l.line(), l.column());
    match answers {
        None => {}
        Some(Answers::Map(mut read)) => {
            // Read before the path was known (see `ReadAnswers`).
            for f in &mut read.findings {
                f.location.path = path.to_string();
            }
            findings.append(&mut read.findings);
            for (id, field, span) in std::mem::take(&mut read.numbers) {
                let (Some(answer), Some(written)) =
                    (read.answers.get_mut(&id), as_written(text, span))
                else {
                    continue;
                };
                match field {
                    "note" => answer.note = Some(written),
                    _ => answer.answered_by = Some(written),
                }
            }
            file.answers = read.answers;
        }
        Some(Answers::Other(kind, loc)) => findings.push(Finding::error(
            Code::Schema,
            at(&loc),
            format!("`answers` must be a mapping from question id to answer; found {kind}"),
        )),
    }
}

/// `  key:` or `  key: value` at the answers' indent: the key, and whether
/// nothing follows it on the line.
fn key_of(l: &str) -> Option<(&str, bool)> {
    let rest = l.strip_prefix("  ")?;
    if rest.starts_with([' ', '\t', '#', '-', '?']) {
        return None;
    }
    let body = rest.trim_end();
    match body.strip_suffix(':') {
        Some(key) if !key.contains(": ") => Some((key, true)),
        _ => body.split_once(": ").map(|(key, _)| (key, false)),
    }
}

/// The text with each placeholder (an open question's `  id:` alone) blanked
/// when the same id has an entry elsewhere in the file: a person who writes
/// the answer further down (at the end, say) rather than under the
/// placeholder makes no duplicate key. Lines keep their numbers.
fn without_shadowed_placeholders(text: &str) -> std::borrow::Cow<'_, str> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for l in &lines {
        if let Some((key, _)) = key_of(l) {
            *counts.entry(key).or_default() += 1;
        }
    }
    if counts.values().all(|&n| n < 2) {
        return std::borrow::Cow::Borrowed(text);
    }
    let deeper = |l: &str| l.starts_with("   ") || l.starts_with("  \t");
    let mut out = String::with_capacity(text.len());
    for (i, l) in lines.iter().enumerate() {
        let next = lines[i + 1..]
            .iter()
            .find(|n| !n.trim().is_empty() && !n.trim_start().starts_with('#'));
        let placeholder = matches!(key_of(l), Some((key, true)) if counts[key] > 1)
            && next.is_none_or(|n| !deeper(n));
        if placeholder {
            out.push_str(if l.ends_with('\n') { "\n" } else { "" });
        } else {
            out.push_str(l);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Every key under `answers`, placeholders of open questions included, in
/// file order; empty when the text does not parse (the merge driver's order).
pub fn keys(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = &*without_shadowed_placeholders(text);
    match serde_saphyr::from_str_with_options::<RawFile>(text, yaml_options()) {
        Ok(RawFile {
            answers: Some(Answers::Map(read)),
            ..
        }) => read.keys.into_iter().map(|(id, _)| id).collect(),
        _ => Vec::new(),
    }
}

/// A plain scalar as it is written in `text` at `span` (`007`, `1.50`):
/// the text of a field that YAML read as a number.
fn as_written(text: &str, span: serde_saphyr::Span) -> Option<String> {
    let start = usize::try_from(span.byte_offset()?).ok()?;
    let len = usize::try_from(span.byte_len()?).ok()?;
    let written = text.get(start..start.checked_add(len)?)?.trim();
    let plain = !written.is_empty()
        && !written.contains(['\n', '#', '"', '\''])
        && !written.starts_with(['&', '*', '!', '[', '{']);
    plain.then(|| written.to_string())
}

/// `; did you mean `status`?` after a message, or nothing.
fn did_you_mean(key: &str, known: &[&str]) -> String {
    crate::suggest::closest(key, known.iter().copied())
        .map(|k| format!("; did you mean `{k}`?"))
        .unwrap_or_default()
}

/// The schema named by a `# yaml-language-server: $schema=...` comment among
/// the file's leading comment lines.
fn schema_hint(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .take_while(|l| l.is_empty() || l.starts_with('#'))
        .find_map(|l| {
            let (_, schema) = l.split_once("yaml-language-server: $schema=")?;
            let schema = schema.trim();
            (!schema.is_empty()).then(|| schema.to_string())
        })
}

fn answer_from(
    item: Item,
    loc: &Location,
    at: &dyn Fn(&serde_saphyr::Location) -> Location,
    findings: &mut Vec<Finding>,
    numbers: &mut Vec<(&'static str, serde_saphyr::Span)>,
) -> Answer {
    let mut answer = Answer::default();
    let entries = match item {
        Item::Entries(entries) => entries,
        // `id:` with nothing after it: the placeholder of an open question.
        Item::Other("an empty item") => return answer,
        Item::Other(kind) => {
            findings.push(Finding::error(
                Code::Schema,
                loc.clone(),
                format!("an answer must be a mapping with at least `status`; found {kind}"),
            ));
            return answer;
        }
    };
    let mut seen: Vec<String> = Vec::new();
    for (key, value) in entries {
        let name = key.value.0.trim().to_lowercase();
        if KNOWN.contains(&name.as_str()) {
            // `Note:` and `note:` in one answer: a save would keep one.
            if seen.contains(&name) {
                findings.push(Finding::error(
                    Code::Schema,
                    at(&key.referenced),
                    format!("`{name}` is given twice in this answer; keep one"),
                ));
                continue;
            }
            seen.push(name.clone());
        }
        if name != key.value.0 && KNOWN.contains(&name.as_str()) {
            findings.push(Finding::warning(
                Code::KeyCase,
                at(&key.referenced),
                format!("key `{}` should be written `{name}`", key.value.0),
            ));
        }
        set_field(&mut answer, &name, key, value, at, findings, numbers);
    }
    answer
}

/// Reads one known key of an answer into `answer`; an unknown key is kept in
/// its extras, with a warning.
fn set_field(
    answer: &mut Answer,
    name: &str,
    key: Spanned<KeyText>,
    value: Spanned<Value>,
    at: &dyn Fn(&serde_saphyr::Location) -> Location,
    findings: &mut Vec<Finding>,
    numbers: &mut Vec<(&'static str, serde_saphyr::Span)>,
) {
    let vloc = at(&value.referenced);
    match name {
        "status" => {
            answer.status = status_from(&value.value, vloc, findings);
        }
        "note" => {
            if value.value.is_number() {
                numbers.push(("note", value.referenced.span()));
            }
            answer.note = text_field(&value.value, "note", vloc, findings)
        }
        "evidence" | "criteria_met" if too_long(&value.value) => {
            findings.push(Finding::error(
                Code::Schema,
                vloc,
                format!(
                    "`{name}` lists {} entries; an answer may list at most {MAX_LIST}",
                    crate::diagnostic::thousands(list_len(&value.value))
                ),
            ));
        }
        "evidence" => match strings_of(&value.value) {
            Some(list) => answer.evidence = list,
            None => findings.push(Finding::error(
                Code::Schema,
                vloc,
                "`evidence` must be a list of paths or URLs",
            )),
        },
        "criteria_met" => match strings_of(&value.value) {
            Some(list) => answer.criteria_met = Some(list),
            None => findings.push(Finding::error(
                Code::Schema,
                vloc,
                "`criteria_met` must be a list of criterion ids",
            )),
        },
        "question_version" => {
            if let Some(v) = version_from(&value.value, vloc, findings) {
                answer.question_version = Some(v);
            }
        }
        "answered_by" => {
            if value.value.is_number() {
                numbers.push(("answered_by", value.referenced.span()));
            }
            answer.answered_by = text_field(&value.value, "answered_by", vloc, findings)
        }
        "answered_at" => {
            if let Some(t) = time_from(&value.value, vloc, findings) {
                answer.answered_at = Some(t);
            }
        }
        "waiver" => answer.waiver = waiver_from(value, at, findings).map(Box::new),
        "action" => answer.action = action_from(value, at, findings).map(Box::new),
        _ => {
            findings.push(Finding::warning(
                Code::UnknownKey,
                at(&key.referenced),
                format!(
                    "unknown key `{}` on an answer (kept as it is){}",
                    key.value.0,
                    did_you_mean(&key.value.0, KNOWN)
                ),
            ));
            answer.extra.insert(key.value.0, value.value);
        }
    }
}

/// The status an answer gives, or none (with a finding when it is not one).
fn status_from(value: &Value, vloc: Location, findings: &mut Vec<Finding>) -> Option<Status> {
    match value {
        Value::Null => None,
        Value::Bool(true) => Some(Status::Met),
        Value::Bool(false) => Some(Status::Unmet),
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => match Status::from_text(s) {
            Some(status) => Some(status),
            None => {
                findings.push(Finding::error(
                    Code::Status,
                    vloc,
                    format!("unknown status `{s}`: use met, partial, unmet or not-applicable"),
                ));
                None
            }
        },
        other => {
            findings.push(Finding::error(
                Code::Status,
                vloc,
                format!("status must be met, partial, unmet or not-applicable, found {other}"),
            ));
            None
        }
    }
}

/// The `question_version` an answer gives, if it is MAJOR.MINOR.PATCH (else
/// a finding).
fn version_from(
    value: &Value,
    vloc: Location,
    findings: &mut Vec<Finding>,
) -> Option<semver::Version> {
    match value {
        Value::Null => None,
        Value::String(s) => match semver::Version::parse(s.trim()) {
            Ok(v) => Some(v),
            Err(_) => {
                findings.push(Finding::error(
                    Code::Semver,
                    vloc,
                    format!("question_version `{s}` is not MAJOR.MINOR.PATCH"),
                ));
                None
            }
        },
        other => {
            findings.push(Finding::error(
                Code::Semver,
                vloc,
                format!("question_version must be text like `1.0.0`, found {other}"),
            ));
            None
        }
    }
}

/// The `answered_at` an answer gives, if it is a date-time (else a finding).
fn time_from(
    value: &Value,
    vloc: Location,
    findings: &mut Vec<Finding>,
) -> Option<DateTime<FixedOffset>> {
    match value {
        Value::Null => None,
        Value::String(s) => match parse_timestamp(s) {
            Some(t) => Some(t),
            None => {
                findings.push(Finding::error(
                    Code::Date,
                    vloc,
                    format!("answered_at `{s}` is not a date-time like 2026-11-20T10:03:00Z"),
                ));
                None
            }
        },
        other => {
            findings.push(Finding::error(
                Code::Date,
                vloc,
                format!("answered_at must be a date-time like 2026-11-20T10:03:00Z, found {other}"),
            ));
            None
        }
    }
}

/// The keys of an answer.
pub(super) const KNOWN: &[&str] = &[
    "status",
    "note",
    "evidence",
    "criteria_met",
    "question_version",
    "answered_by",
    "answered_at",
    "waiver",
    "action",
];

/// The mapping a nested key (`waiver`, `action`) holds: `None` for null,
/// and `None` with an error saying what was `expected` for anything else.
fn mapping(
    value: Value,
    code: Code,
    loc: &Location,
    expected: &str,
    findings: &mut Vec<Finding>,
) -> Option<serde_json::Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map),
        Value::Null => None,
        _ => {
            findings.push(Finding::error(code, loc.clone(), expected));
            None
        }
    }
}

fn action_from(
    value: Spanned<Value>,
    at: &dyn Fn(&serde_saphyr::Location) -> Location,
    findings: &mut Vec<Finding>,
) -> Option<Action> {
    let loc = at(&value.referenced);
    let mut map = mapping(
        value.value,
        Code::Action,
        &loc,
        "an action is a mapping with `what`, and optionally `who` and `due` (YYYY-MM-DD)",
        findings,
    )?;
    let what = map.remove("what");
    let what = what
        .as_ref()
        .and_then(|v| text_field(v, "action.what", loc.clone(), findings));
    let who = map.remove("who");
    let who = who
        .as_ref()
        .and_then(|v| text_field(v, "action.who", loc.clone(), findings));
    let Some(what) = what else {
        findings.push(Finding::error(
            Code::Action,
            loc,
            "an action needs `what`: what will be done",
        ));
        return None;
    };
    let due = match map.remove("due") {
        None | Some(Value::Null) => None,
        Some(v) => Some(date_of(&v, "action due", "2026-12-15", &loc, findings)?),
    };
    Some(Action {
        what,
        who,
        due,
        extra: map.into_iter().collect(),
    })
}

fn waiver_from(
    value: Spanned<Value>,
    at: &dyn Fn(&serde_saphyr::Location) -> Location,
    findings: &mut Vec<Finding>,
) -> Option<Waiver> {
    let loc = at(&value.referenced);
    let mut map = mapping(
        value.value,
        Code::Waiver,
        &loc,
        "a waiver is a mapping with `reason`, `expires` (YYYY-MM-DD) and `approved_by`",
        findings,
    )?;
    let reason = map.remove("reason");
    let reason = reason
        .as_ref()
        .and_then(|v| text_field(v, "waiver.reason", loc.clone(), findings));
    let expires = map.remove("expires");
    let approved_by = map.remove("approved_by");
    let approved_by = approved_by
        .as_ref()
        .and_then(|v| text_field(v, "waiver.approved_by", loc.clone(), findings));
    let Some(reason) = reason else {
        findings.push(Finding::error(
            Code::Waiver,
            loc,
            "a waiver needs a `reason`: the risk accepted and why",
        ));
        return None;
    };
    let Some(expires) = expires else {
        findings.push(Finding::error(
            Code::Waiver,
            loc,
            "a waiver needs `expires` (YYYY-MM-DD): waivers without an end date are not accepted",
        ));
        return None;
    };
    let expires = date_of(&expires, "waiver expires", "2027-01-31", &loc, findings)?;
    Some(Waiver {
        reason,
        expires,
        approved_by,
        extra: map.into_iter().collect(),
    })
}

/// A `YYYY-MM-DD` date; anything else is a `date` finding (and `None`).
fn date_of(
    v: &Value,
    what: &str,
    example: &str,
    loc: &Location,
    findings: &mut Vec<Finding>,
) -> Option<NaiveDate> {
    let message = match v {
        Value::String(s) => match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
            Ok(d) => return Some(d),
            Err(_) => format!("{what} `{s}` is not a date like {example}"),
        },
        other => format!("{what} must be a date like {example}, found {other}"),
    };
    findings.push(Finding::error(Code::Date, loc.clone(), message));
    None
}

/// Reads `2026-11-20T10:03:00Z` (any RFC 3339 offset), `2026-11-20 10:03:00`
/// or a bare date (midnight UTC).
pub(crate) fn parse_timestamp(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)) {
        return Some(t);
    }
    let utc = FixedOffset::east_opt(0)?;
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S") {
        return t.and_local_timezone(utc).single();
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    d.and_time(NaiveTime::MIN).and_local_timezone(utc).single()
}

/// A text field (`note`, `answered_by`, `product`, ...): text, or a number
/// or true/false read as text; empty or null is none. A list or a mapping
/// is an error at its line rather than "none": read as none, the next save
/// would delete it.
fn text_field(v: &Value, name: &str, loc: Location, findings: &mut Vec<Finding>) -> Option<String> {
    let kind = match v {
        Value::String(s) if !s.trim().is_empty() => return Some(s.clone()),
        Value::Number(n) => return Some(n.to_string()),
        Value::Bool(b) => return Some(b.to_string()),
        Value::String(_) | Value::Null => return None,
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    };
    findings.push(Finding::error(
        Code::Schema,
        loc,
        format!(
            "`{name}` must be text, found {kind}; write it as one text (a `|` block for several lines)"
        ),
    ));
    None
}

/// The longest `evidence` or `criteria_met` list an answer may have. A
/// longer one is an error (the file is not used, so nothing is dropped from
/// it by a save), and the cost of an answer stays bounded by what it means.
pub(crate) const MAX_LIST: usize = 1000;

fn list_len(v: &Value) -> usize {
    v.as_array().map_or(0, Vec::len)
}

fn too_long(v: &Value) -> bool {
    list_len(v) > MAX_LIST
}

fn strings_of(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Null => Some(Vec::new()),
        Value::String(s) if s.trim().is_empty() => Some(Vec::new()),
        Value::String(s) => Some(vec![s.trim().to_string()]),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

// --- raw shape ----------------------------------------------------------------

#[derive(Default)]
struct RawFile {
    entries: Vec<(Spanned<KeyText>, Spanned<Value>)>,
    answers: Option<Answers>,
    /// Where the `answers` key is.
    answers_key: Option<serde_saphyr::Location>,
    not_a_map: Option<&'static str>,
}

enum Answers {
    Map(ReadAnswers),
    Other(&'static str, serde_saphyr::Location),
}

/// The `answers` mapping, each entry made into an [`Answer`] as soon as it
/// is read, so that the raw YAML of the whole mapping is never held at once
/// (on a file of 50,000 answers that raw form is several times the file's
/// size). Its findings name no file yet: the deserializer cannot be told the
/// path, so [`parse`] fills it in.
#[derive(Default)]
struct ReadAnswers {
    /// Every key in file order, placeholders included, and where it is.
    keys: Vec<(String, serde_saphyr::Location)>,
    answers: std::collections::BTreeMap<String, Answer>,
    findings: Vec<Finding>,
    /// Text fields written as a number (`answered_by: 007`), by id and
    /// field, with where the number is: [`parse`] puts back the text as
    /// written, which the number alone would lose (`7`).
    numbers: Vec<(String, &'static str, serde_saphyr::Span)>,
}

impl ReadAnswers {
    fn add(&mut self, id: Spanned<KeyText>, item: Spanned<Item>) {
        let at = |l: &serde_saphyr::Location| Location::at("", l.line(), l.column());
        let mut numbers = Vec::new();
        let mut answer = answer_from(
            item.value,
            &at(&item.referenced),
            &at,
            &mut self.findings,
            &mut numbers,
        );
        // The id's line: findings about an answer point at its key.
        answer.line = id.referenced.line();
        let id_at = id.referenced;
        let id = id.value.0;
        self.keys.push((id.clone(), id_at));
        self.numbers.extend(
            numbers
                .into_iter()
                .map(|(field, span)| (id.clone(), field, span)),
        );
        // An empty entry (`id:` alone) is the placeholder of an open
        // question: the same as no entry, so it clashes with nothing.
        if answer.is_empty() {
            return;
        }
        if self.answers.contains_key(&id) {
            self.findings.push(Finding::error(
                Code::Schema,
                at(&id_at),
                format!("`{id}` is answered twice"),
            ));
        }
        self.answers.insert(id, answer);
    }
}

impl<'de> Deserialize<'de> for RawFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an answers file")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFile, A::Error> {
                let mut out = RawFile::default();
                while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
                    if key.value.0 == "answers" {
                        out.answers_key = Some(key.referenced);
                        let v: Spanned<AnswersMap> = map.next_value()?;
                        out.answers = match v.value {
                            AnswersMap::Map(read) => Some(Answers::Map(read)),
                            AnswersMap::Null => None,
                            AnswersMap::Other(kind) => Some(Answers::Other(kind, v.referenced)),
                        };
                    } else {
                        out.entries.push((key, map.next_value()?));
                    }
                }
                Ok(out)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawFile, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(RawFile {
                    not_a_map: Some("a list"),
                    ..RawFile::default()
                })
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<RawFile, E> {
                Ok(RawFile {
                    not_a_map: Some("text"),
                    ..RawFile::default()
                })
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawFile, E> {
                Ok(RawFile::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<RawFile, E> {
                Ok(RawFile {
                    not_a_map: Some("a true/false value"),
                    ..RawFile::default()
                })
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawFile, E> {
                Ok(RawFile {
                    not_a_map: Some("a number"),
                    ..RawFile::default()
                })
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawFile, E> {
                Ok(RawFile {
                    not_a_map: Some("a number"),
                    ..RawFile::default()
                })
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawFile, E> {
                Ok(RawFile {
                    not_a_map: Some("a number"),
                    ..RawFile::default()
                })
            }
        }
        d.deserialize_any(V)
    }
}

enum AnswersMap {
    Map(ReadAnswers),
    Null,
    Other(&'static str),
}

impl<'de> Deserialize<'de> for AnswersMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AnswersMap;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of answers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnswersMap, A::Error> {
                let mut read = ReadAnswers::default();
                while let Some((id, item)) = map.next_entry()? {
                    read.add(id, item);
                }
                Ok(AnswersMap::Map(read))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<AnswersMap, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(AnswersMap::Other("a list"))
            }
            fn visit_unit<E: de::Error>(self) -> Result<AnswersMap, E> {
                Ok(AnswersMap::Null)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<AnswersMap, E> {
                Ok(AnswersMap::Other("text"))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<AnswersMap, E> {
                Ok(AnswersMap::Other("a true/false value"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<AnswersMap, E> {
                Ok(AnswersMap::Other("a number"))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<AnswersMap, E> {
                Ok(AnswersMap::Other("a number"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<AnswersMap, E> {
                Ok(AnswersMap::Other("a number"))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_aliases_comments_and_odd_spacing() {
        let text = "# team answers\nformat: 1\nproduct:   Acme\nanswers:\n  a/q1:   { status: yes, note: fine }   # inline\n  a/q2:\n      status: n/a\n      note: no phone line\n  a/q3:\n    status: no\n";
        let (file, findings) = parse(text, "answers.yaml");
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(file.product.as_deref(), Some("Acme"));
        assert_eq!(file.answers["a/q1"].status, Some(Status::Met));
        assert_eq!(file.answers["a/q2"].status, Some(Status::NotApplicable));
        assert_eq!(file.answers["a/q3"].status, Some(Status::Unmet));
        assert_eq!(file.answers["a/q2"].line, 6);
    }

    #[test]
    fn a_bad_status_is_an_error_on_its_line() {
        let (_, findings) = parse("answers:\n  a/q1:\n    status: done-ish\n", "f.yaml");
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, Code::Status);
        assert_eq!(findings[0].location.line, Some(3));
    }

    #[test]
    fn bad_dates_and_malformed_waivers_are_errors() {
        let text = "answers:\n  a/q1:\n    status: met\n    answered_at: yesterday\n  a/q2:\n    status: unmet\n    waiver:\n      reason: later\n      expires: next year\n  a/q3:\n    status: unmet\n    waiver: soon\n";
        let (_, findings) = parse(text, "f.yaml");
        let codes: Vec<_> = findings.iter().map(|f| (f.code, f.location.line)).collect();
        assert!(codes.contains(&(Code::Date, Some(4))), "{codes:?}");
        assert!(codes.contains(&(Code::Date, Some(8))), "{codes:?}");
        assert!(codes.contains(&(Code::Waiver, Some(12))), "{codes:?}");
    }

    #[test]
    fn yes_and_no_in_text_fields_stay_text() {
        let (file, findings) = parse(
            "answers:\n  a/q1:\n    status: yes\n    note: yes\n    answered_by: No\n  a/q2:\n    status: no\n    note: on\n",
            "f.yaml",
        );
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(file.answers["a/q1"].status, Some(Status::Met));
        assert_eq!(file.answers["a/q1"].note.as_deref(), Some("yes"));
        assert_eq!(file.answers["a/q1"].answered_by.as_deref(), Some("No"));
        assert_eq!(file.answers["a/q2"].status, Some(Status::Unmet));
        assert_eq!(file.answers["a/q2"].note.as_deref(), Some("on"));
    }

    #[test]
    fn unknown_keys_are_kept_with_a_warning() {
        let (file, findings) = parse(
            "answers:\n  a/q1:\n    status: met\n    owner: Sam\n",
            "f.yaml",
        );
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, Code::UnknownKey);
        assert_eq!(
            file.answers["a/q1"].extra["owner"],
            Value::String("Sam".into())
        );
    }

    #[test]
    fn a_text_field_written_as_a_list_or_mapping_is_an_error_at_its_line() {
        let text = "product: [a, b]\nanswers:\n  a/q1:\n    status: met\n    note:\n      - first\n      - second\n    answered_by: {name: Sam}\n  a/q2:\n    status: unmet\n    action:\n      what: call\n      who: [Sam, Kim]\n  a/q3:\n    status: met\n    Note: one\n    note: two\n";
        let (_, findings) = parse(text, "f.yaml");
        let errors: Vec<_> = findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| (f.location.line, f.message.clone()))
            .collect();
        let at = |line: u64, needle: &str| {
            assert!(
                errors
                    .iter()
                    .any(|(l, m)| *l == Some(line) && m.contains(needle)),
                "{needle} at {line}: {errors:?}"
            )
        };
        at(1, "`product` must be text, found a list");
        at(6, "`note` must be text, found a list");
        at(8, "`answered_by` must be text, found a mapping");
        at(12, "`action.who` must be text, found a list");
        at(17, "`note` is given twice");
    }

    #[test]
    fn a_number_in_a_text_field_keeps_the_digits_written() {
        let text = "product: 0042\nanswers:\n  a/q1:\n    status: met\n    note: 1.50\n    answered_by: 007\n  a/q2:\n    status: met\n    note: 12 # a comment\n";
        let (file, findings) = parse(text, "f.yaml");
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(file.product.as_deref(), Some("0042"));
        assert_eq!(file.answers["a/q1"].note.as_deref(), Some("1.50"));
        assert_eq!(file.answers["a/q1"].answered_by.as_deref(), Some("007"));
        assert_eq!(file.answers["a/q2"].note.as_deref(), Some("12"));
    }

    #[test]
    fn timestamps_in_several_forms() {
        assert!(parse_timestamp("2026-11-20T10:03:00Z").is_some());
        assert!(parse_timestamp("2026-11-20T10:03:00+02:00").is_some());
        assert!(parse_timestamp("2026-11-20 10:03:00").is_some());
        assert!(parse_timestamp("2026-11-20").is_some());
        assert!(parse_timestamp("20 Nov").is_none());
    }

    #[test]
    fn an_answer_written_below_its_placeholder_is_read_without_a_duplicate_key() {
        let text = "format: 1\nanswers:\n  a/q1:\n  a/q2:\n    status: met\n  a/q1:\n    status: unmet\n    note: added at the end\n";
        let (file, findings) = parse(text, "a.yaml");
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(file.answers["a/q1"].status, Some(Status::Unmet));
        assert_eq!(file.answers["a/q1"].line, 6);
        assert_eq!(keys(text), ["a/q2", "a/q1"]);
        // Two real answers to one question stay an error.
        let (_, findings) = parse(
            "answers:\n  a/q1:\n    status: met\n  a/q1:\n    status: unmet\n",
            "a.yaml",
        );
        assert!(findings.iter().any(|f| f.is_error()), "{findings:?}");
    }
}
