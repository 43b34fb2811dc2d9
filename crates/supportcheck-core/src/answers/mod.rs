//! Answers: the model of the answers file, read leniently with line numbers and written canonically.

pub mod comments;
pub mod merge;
mod read;
mod three_way;
mod write;

use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

pub use comments::Comments;
pub use read::{keys, parse};
pub use three_way::merge_texts;
pub use write::{
    HINT_PREFIX, RoundTripError, hint_line, scalar as write_scalar, to_template, to_yaml, verify,
};

/// The answers file format this version writes.
pub const FORMAT: u64 = 1;

/// How a question was answered.
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
pub enum Status {
    Met,
    Partial,
    Unmet,
    NotApplicable,
}

impl Status {
    /// The status that `met` of `all` criteria give (docs/scoring.md): all met,
    /// none unmet, anything between partial.
    pub fn from_criteria(met: usize, all: usize) -> Status {
        if met == all {
            Status::Met
        } else if met == 0 {
            Status::Unmet
        } else {
            Status::Partial
        }
    }

    pub const ALL: [Status; 4] = [
        Status::Met,
        Status::Partial,
        Status::Unmet,
        Status::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The status's one word, in every output (docs/scoring.md#words):
    /// `met`, `partial`, `unmet`, `not applicable`. The answers file and the
    /// JSON spell the last `not-applicable`.
    pub fn word(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Partial => "partial",
            Status::Unmet => "unmet",
            Status::NotApplicable => "not applicable",
        }
    }

    /// [`Status::word`] in sentence case, for headings and table cells.
    pub fn label(self) -> String {
        crate::words::sentence(self.word())
    }

    /// Reads a status and its accepted aliases (`yes`, `no`, `na`, `n/a`, ...).
    pub fn from_text(text: &str) -> Option<Status> {
        let t = text.trim().to_lowercase().replace(['_', ' '], "-");
        Some(match t.as_str() {
            "met" | "yes" | "y" | "true" | "done" => Status::Met,
            "partial" | "partly" | "partially" => Status::Partial,
            "unmet" | "no" | "n" | "false" | "not-met" => Status::Unmet,
            "not-applicable" | "na" | "n/a" | "n-a" => Status::NotApplicable,
            _ => return None,
        })
    }
}

/// Accepted risk on a question: it stops a blocker until it expires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Waiver {
    pub reason: String,
    /// Last day on which the waiver holds.
    pub expires: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// Keys we do not know, kept as they were.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, Value>,
}

/// A follow-up on a partial or unmet answer: what will be done, by whom
/// (the question's owner when absent) and by when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Action {
    pub what: String,
    /// A person or a role; the question's owner when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    /// The day by which it is done; after it the action is overdue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// Keys we do not know, kept as they were.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, Value>,
}

/// One answer, as the team gave it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Answer {
    /// `None` when the entry exists without a status (not answered yet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Ids of the criteria judged met; `None` when the key is absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criteria_met: Option<Vec<String>>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_opt_version",
        deserialize_with = "deserialize_opt_version"
    )]
    #[schemars(with = "Option<String>")]
    pub question_version: Option<semver::Version>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<DateTime<FixedOffset>>,
    // Boxed, like `action`: most answers have neither, and an answer is
    // held once per question (at 50,000 questions, tens of MB less).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Box<Waiver>>,
    /// The follow-up promised on a partial or unmet answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Box<Action>>,
    /// Keys we do not know, kept as they were.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, Value>,
    /// Line of the entry in the answers file (0 when not read from a file).
    #[serde(skip)]
    pub line: u64,
}

impl Answer {
    /// Nothing written in it: the placeholder `id:` the file keeps for an
    /// open question (see [`to_yaml`]).
    pub fn is_empty(&self) -> bool {
        *self
            == Answer {
                line: self.line,
                ..Answer::default()
            }
    }

    /// Given against another major version of the question than `current`
    /// (docs/scoring.md: stale, counts as unanswered).
    pub fn is_stale_against(&self, current: &semver::Version) -> bool {
        self.question_version
            .as_ref()
            .is_some_and(|v| v.major != current.major)
    }
}

/// Why a question counts as not answered yet, by the one rule that `check`
/// counts and a plain `audit` asks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// No entry, or an entry without a status.
    Missing,
    /// Answered for another major version of the question.
    Stale,
    /// `not-applicable` without a note giving the reason.
    NoReason,
}

/// `None` when `answer` counts as an answer to a question at `version`.
pub fn open(answer: Option<&Answer>, version: &semver::Version) -> Option<Open> {
    let Some(answer) = answer.filter(|a| a.status.is_some()) else {
        return Some(Open::Missing);
    };
    if answer.is_stale_against(version) {
        Some(Open::Stale)
    } else if answer.status == Some(Status::NotApplicable)
        && answer.note.as_deref().is_none_or(|n| n.trim().is_empty())
    {
        Some(Open::NoReason)
    } else {
        None
    }
}

/// The unknown key of an answer without a status that looks like a
/// misspelt `status` (`stauts:`), if there is one.
pub fn misspelt_status(answer: &Answer) -> Option<&str> {
    if answer.status.is_some() {
        return None;
    }
    answer
        .extra
        .keys()
        .map(String::as_str)
        .find(|k| crate::suggest::closest(k, read::KNOWN.iter().copied()) == Some("status"))
}

fn serialize_opt_version<S: serde::Serializer>(
    v: &Option<semver::Version>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

fn deserialize_opt_version<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<semver::Version>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|v| v.parse().map_err(serde::de::Error::custom))
        .transpose()
}

/// The whole answers file.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswersFile {
    pub format: u64,
    pub product: Option<String>,
    /// Answers by full question id.
    pub answers: BTreeMap<String, Answer>,
    /// Top-level keys we do not know, kept as they were.
    pub extra: BTreeMap<String, Value>,
    /// The schema named by a leading `# yaml-language-server: $schema=...`
    /// comment, kept so that saves do not drop it.
    pub schema_hint: Option<String>,
    /// The comments a person wrote, put back on every save.
    pub comments: Comments,
}

impl Default for AnswersFile {
    fn default() -> Self {
        AnswersFile {
            format: FORMAT,
            product: None,
            answers: BTreeMap::new(),
            extra: BTreeMap::new(),
            schema_hint: None,
            comments: Comments::default(),
        }
    }
}

impl AnswersFile {
    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.answers.get(id)
    }

    /// The same answers with every `line` set to 0 and no comments: what a
    /// file says, apart from where it says it and the remarks around it, for
    /// comparing a file with a re-read.
    pub fn without_lines(mut self) -> AnswersFile {
        self.answers.values_mut().for_each(|a| a.line = 0);
        self.comments = Comments::default();
        self
    }

    /// The same answers without the empty placeholder entries of open
    /// questions, which read the same as no entry at all.
    pub fn without_empty(mut self) -> AnswersFile {
        self.answers.retain(|_, a| !a.is_empty());
        self
    }
}

/// True when an evidence entry is a URL rather than a path.
pub fn is_url(entry: &str) -> bool {
    let e = entry.trim();
    e.split_once("://").is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && !rest.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    }) || e.starts_with("mailto:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_aliases_are_read() {
        assert_eq!(Status::from_text("yes"), Some(Status::Met));
        assert_eq!(Status::from_text("No"), Some(Status::Unmet));
        assert_eq!(Status::from_text("n/a"), Some(Status::NotApplicable));
        assert_eq!(Status::from_text("na"), Some(Status::NotApplicable));
        assert_eq!(
            Status::from_text("not applicable"),
            Some(Status::NotApplicable)
        );
        assert_eq!(Status::from_text("maybe"), None);
    }

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("https://example.com/dash/42"));
        assert!(is_url("mailto:support@example.com"));
        assert!(!is_url("docs/support/csat-q3.md"));
        assert!(!is_url("C:/docs/x.md"));
    }
}
