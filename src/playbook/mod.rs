//! Playbooks: the typed model of a checklist file, and how sets of them are loaded and linted.

pub mod builtin;
pub mod frontmatter;
pub mod guidance;
pub mod load;
pub mod parse;

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use load::{LoadOutcome, Source, load_sources};

/// One checklist file, validated.
#[derive(Debug, Clone)]
pub struct Playbook {
    /// Stable id: `id:` in the frontmatter, else the file stem without a `NN-` prefix.
    pub id: String,
    pub title: String,
    /// One-line summary from the frontmatter, when present.
    pub summary: Option<String>,
    /// Path as shown to users: relative to the project root, or `builtin/...`.
    pub path: String,
    /// First directory level below the set's root, e.g. `6-optimize`.
    pub section: Option<String>,
    pub questions: Vec<Question>,
    /// The whole file text (BOM removed); the body starts at `body_offset`.
    source: String,
    body_offset: usize,
    /// sha256 of the file's bytes as read.
    sha256: String,
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
        &self.sha256
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// One checklist item.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// `<playbook-id>/<question-id>`.
    pub id: String,
    /// The id within the playbook: `id:` or `q<order>`.
    pub local_id: String,
    pub order: u64,
    pub question: String,
    pub expectation: String,
    #[serde(serialize_with = "serialize_version")]
    pub version: semver::Version,
    pub weight: f64,
    pub critical: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<Criterion>,
    pub evidence_required: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Line of the item in its file (its first key).
    pub line: u64,
}

fn serialize_version<S: serde::Serializer>(v: &semver::Version, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// One checkable part of an expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion {
    pub id: String,
    pub text: String,
}

/// Hex sha256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// All loaded playbooks, in load order.
#[derive(Debug, Clone, Default)]
pub struct Set {
    pub playbooks: Vec<Playbook>,
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
        let playbook = self.playbooks.iter().find(|p| p.id == pb)?;
        let question = playbook.questions.iter().find(|q| q.id == full_id)?;
        Some((playbook, question))
    }

    pub fn playbook(&self, id: &str) -> Option<&Playbook> {
        self.playbooks.iter().find(|p| p.id == id)
    }
}
