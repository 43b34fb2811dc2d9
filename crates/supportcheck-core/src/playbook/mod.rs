//! Playbooks: the typed model of a checklist file, parsed from bytes, and its checks.

pub mod builtin;
pub mod expression;
pub mod facts;
pub mod frontmatter;
pub mod guidance;
pub(crate) mod keys;
pub mod parse;
pub mod probes;
mod raw;
pub(crate) mod simple_yaml;
#[cfg(test)]
mod yaml_agreement;

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// One checklist file, validated.
#[derive(Debug, Clone)]
pub struct Playbook {
    /// Stable id: `id:` in the frontmatter, else the file stem without a `NN-` prefix.
    pub id: String,
    pub title: String,
    /// One-line summary from the frontmatter, when present.
    pub summary: Option<String>,
    /// The role that owns the playbook's questions (`owner:` in the frontmatter).
    pub owner: Option<String>,
    /// Path as shown to users: relative to the project root, or `builtin/...`.
    pub path: String,
    /// First directory level below the set's root, e.g. `6-optimize`.
    pub section: Option<String>,
    pub questions: Vec<Question>,
    /// Facts this playbook depends on, declared so they can be asked for.
    pub facts: Vec<facts::FactDecl>,
    /// The playbook applies only when this holds.
    pub applies_if: Option<facts::Condition>,
    /// How long answers to its questions stay valid (a question's own wins).
    pub max_age: Option<crate::duration::Duration>,
    /// The maturity level its questions belong to, unless one says otherwise.
    pub level: Option<String>,
    /// The whole file text (BOM removed); the body starts at `body_offset`.
    source: String,
    body_offset: usize,
    /// The file started with a UTF-8 byte order mark (removed from `source`).
    bom: bool,
    /// sha256 of the file's bytes as read, computed when first asked for:
    /// `lint` and `list` never need it.
    sha256: std::sync::OnceLock<String>,
}

impl Playbook {
    /// The Markdown below the frontmatter.
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }

    /// The `## Why` and `## How` guidance, parsed on demand.
    pub fn guidance(&self) -> guidance::Guidance {
        guidance::extract(self.body())
    }

    /// Hex sha256 of the file's bytes.
    pub fn sha256(&self) -> &str {
        self.sha256.get_or_init(|| {
            let mut hasher = Sha256::new();
            if self.bom {
                hasher.update("\u{feff}".as_bytes());
            }
            hasher.update(self.source.as_bytes());
            hex(&hasher.finalize())
        })
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// One checklist item.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Question {
    /// `<playbook-id>/<question-id>`.
    pub id: String,
    /// The id within the playbook: `id:` or `q<order>`.
    pub local_id: String,
    pub order: u64,
    pub question: String,
    pub expectation: String,
    #[serde(serialize_with = "serialize_version")]
    #[schemars(with = "String")]
    pub version: semver::Version,
    pub weight: f64,
    pub critical: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<Criterion>,
    pub evidence_required: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The question applies only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_if: Option<facts::Condition>,
    /// How long an answer stays valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<crate::duration::Duration>,
    /// The role that owns the question: `owner:` on the item when read;
    /// once the set is loaded, the role the ownership rules give it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The maturity level it belongs to (`level:` on the item, else the
    /// playbook's); none: the set's highest level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Before this day the question is upcoming: shown and asked, never
    /// counted and never failing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<chrono::NaiveDate>,
    /// Checks that verify an answer (`probes:`), see docs/probes.md.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<probes::Probe>,
    /// Line of the item in its file (its first key).
    pub line: u64,
}

impl Question {
    /// What sets this question apart, in words: `critical`, `weight 3`,
    /// `4 criteria`, `evidence required`, `if 'phone' in channels`, `valid 90d`.
    pub fn flags(&self) -> Vec<String> {
        let mut flags = Vec::new();
        if self.critical {
            flags.push("critical".to_string());
        }
        if self.weight != 1.0 {
            flags.push(if self.weight.fract() == 0.0 {
                format!("weight {}", self.weight as i64)
            } else {
                format!("weight {}", self.weight)
            });
        }
        if !self.criteria.is_empty() {
            flags.push(format!("{} criteria", self.criteria.len()));
        }
        if self.evidence_required {
            flags.push("evidence required".to_string());
        }
        if let Some(c) = &self.applies_if {
            flags.push(format!("if {}", c.shown()));
        }
        if let Some(age) = self.max_age {
            flags.push(format!("valid {age}"));
        }
        if let Some(day) = self.effective_from {
            flags.push(format!("from {day}"));
        }
        if !self.probes.is_empty() {
            flags.push(crate::words::count(self.probes.len(), "probe"));
        }
        flags
    }
}

fn serialize_version<S: serde::Serializer>(v: &semver::Version, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// One checkable part of an expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Criterion {
    pub id: String,
    pub text: String,
}

/// Hex sha256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

/// All loaded playbooks, in load order.
#[derive(Debug, Clone, Default)]
pub struct Set {
    pub playbooks: Vec<Playbook>,
    /// Human titles of sections, from the frontmatter `title` of a section
    /// index page (a file in the section's folder with no `checklist`).
    pub section_titles: BTreeMap<String, String>,
    /// The maturity levels, lowest first: `levels:` in `supportcheck.yaml`,
    /// else the set's root index page; empty when neither declares any.
    pub levels: Vec<String>,
}

impl Set {
    pub fn questions(&self) -> impl Iterator<Item = (&Playbook, &Question)> {
        self.playbooks
            .iter()
            .flat_map(|p| p.questions.iter().map(move |q| (p, q)))
    }

    pub fn question_count(&self) -> usize {
        self.playbooks.iter().map(|p| p.questions.len()).sum()
    }

    pub fn find(&self, full_id: &str) -> Option<(&Playbook, &Question)> {
        let (pb, _) = full_id.split_once('/')?;
        let playbook = self.playbook(pb)?;
        Some((playbook, playbook.question(full_id)?))
    }

    /// The level a question counts toward: its own, its playbook's, else
    /// the highest declared; `None` when the set declares no levels.
    pub fn level_of<'a>(&'a self, playbook: &'a Playbook, q: &'a Question) -> Option<&'a str> {
        let last = self.levels.last()?;
        Some(
            q.level
                .as_deref()
                .or(playbook.level.as_deref())
                .unwrap_or(last),
        )
    }

    pub fn playbook(&self, id: &str) -> Option<&Playbook> {
        self.playbooks.iter().find(|p| p.id == id)
    }

    /// Every playbook id and full question id.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.playbooks
            .iter()
            .map(|p| p.id.as_str())
            .chain(self.questions().map(|(_, q)| q.id.as_str()))
    }

    /// `id` names nothing in the set: says so, with the closest id (exit 2).
    pub fn require_id(&self, flag: &str, id: &str) -> Result<(), SelectError> {
        if self.playbook(id).is_some() || self.find(id).is_some() {
            return Ok(());
        }
        Err(SelectError::NoSuchId {
            flag: flag.to_string(),
            id: id.to_string(),
            closest: crate::suggest::did_you_mean(id, self.ids()),
        })
    }

    /// A `--tag` that no question has is an error, not an empty selection.
    pub fn require_tag(&self, tag: Option<&str>) -> Result<(), SelectError> {
        let Some(tag) = tag else {
            return Ok(());
        };
        let tags: std::collections::BTreeSet<&str> = self
            .questions()
            .flat_map(|(_, q)| q.tags.iter().map(String::as_str))
            .collect();
        if tags.contains(tag) {
            return Ok(());
        }
        Err(SelectError::NoSuchTag {
            tag: tag.to_string(),
            closest: crate::suggest::did_you_mean(tag, tags.iter().copied()),
            tags: tags.into_iter().map(str::to_string).collect(),
        })
    }
}

/// A selection (`--only`, `--tag`, an `explain` id) that matches nothing in
/// the set. The binary prints [`SelectError::hint`] under the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error("{flag}{id}: no such playbook or question")]
    NoSuchId {
        flag: String,
        id: String,
        closest: Option<String>,
    },
    #[error("--tag {tag}: no question has this tag")]
    NoSuchTag {
        tag: String,
        closest: Option<String>,
        tags: Vec<String>,
    },
}

impl SelectError {
    /// What to do instead: the closest name, then where the names are.
    pub fn hint(&self) -> String {
        let (closest, then) = match self {
            SelectError::NoSuchId { closest, .. } => {
                (closest, "`supportcheck list` shows every id".to_string())
            }
            SelectError::NoSuchTag { closest, tags, .. } => {
                (closest, format!("the tags in use: {}", tags.join(", ")))
            }
        };
        match closest {
            Some(c) => format!("{c}\n{then}"),
            None => then,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse::{FileInfo, Parsed, parse};

    #[test]
    fn sha256_is_of_the_file_bytes_bom_included() {
        let mut bytes = b"\xef\xbb\xbf".to_vec();
        bytes.extend_from_slice(b"---\r\ntitle: x\r\nchecklist:\r\n  - order: 1\r\n    question: q\r\n    expectation: e\r\n    version: 1.0.0\r\n---\r\nbody\r\n");
        let info = FileInfo {
            path: "x.md".into(),
            section: None,
            stem: "x".into(),
        };
        let Parsed::Playbook(playbook, _) = parse(bytes.clone(), &info) else {
            panic!("not a playbook");
        };
        assert_eq!(playbook.sha256(), super::sha256_hex(&bytes));
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
