//! What changed between two stored report versions.

use super::changes::AnswerChange;
use super::{QuestionReport, Report};
use crate::score::State;
use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Diff {
    pub from: Side,
    pub to: Side,
    pub score_change: f64,
    pub playbooks: Vec<PlaybookChange>,
    pub status_changes: Vec<StatusChange>,
    pub added: Vec<QuestionRef>,
    pub removed: Vec<QuestionRef>,
    pub version_changes: Vec<VersionChange>,
    /// Notes, evidence, criteria, sign-offs and waivers that changed.
    pub answer_changes: Vec<AnswerChange>,
    /// Answers whose status changed while the score stayed (a partial made
    /// met without the evidence it needs still scores partial), with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scored_lower: Vec<ScoredLower>,
}

/// An answer whose recorded status changed but whose scored standing did
/// not, because scoring counts it lower than answered.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScoredLower {
    pub id: String,
    pub question: String,
    /// The recorded status before and after.
    pub from: String,
    pub to: String,
    /// The standing it scores, on both sides.
    pub scored: String,
    /// Why it scores lower than answered, as the scoring finding says.
    pub why: String,
}

/// Why a question scores lower than its recorded status, when it does.
fn why_lower(q: &QuestionReport) -> Option<String> {
    use crate::diagnostic::Code;
    let recorded = q.answer.as_ref()?.status?;
    if q.state != State::Answered || q.status == Some(recorded) {
        return None;
    }
    let why = q
        .findings
        .iter()
        .find(|f| {
            matches!(
                f.code,
                Code::EvidenceRequired | Code::EvidenceMissing | Code::Criteria
            )
        })
        .map_or_else(
            || "scored lower than answered".to_string(),
            |f| f.message.clone(),
        );
    Some(why)
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Side {
    /// `None` for the answers evaluated now (`diff --live`).
    pub report_version: Option<u64>,
    pub generated_at: String,
    pub score: f64,
    pub level: String,
    /// The version of the scoring rules the report was made under.
    pub scoring: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PlaybookChange {
    pub id: String,
    pub title: String,
    /// `None` when the playbook is new or gone.
    pub from: Option<f64>,
    pub to: Option<f64>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusChange {
    pub id: String,
    pub question: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QuestionRef {
    pub id: String,
    pub question: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VersionChange {
    pub id: String,
    pub from: String,
    pub to: String,
}

fn side(s: &Report) -> Side {
    Side {
        report_version: s.report_version,
        generated_at: s.generated_at.clone(),
        score: s.summary.score,
        level: s.summary.level.to_string(),
        scoring: s.scoring,
    }
}

/// The word for a question's standing: its status, or missing/stale.
fn standing(q: &QuestionReport) -> String {
    if q.state != State::Answered {
        return <&str>::from(q.state).to_string();
    }
    q.status
        .map_or_else(|| "answered".into(), |s| s.to_string())
}

impl Diff {
    /// A warning when the two sides were scored under different rules.
    pub fn rules_note(&self) -> Option<String> {
        (self.from.scoring != self.to.scoring).then(|| {
            format!(
                "note: the two reports were scored under different rules ({} and {}, docs/scoring.md); part of the score change may come from the rules",
                self.from.scoring, self.to.scoring
            )
        })
    }
}

/// Compares `a` (older) with `b` (newer).
pub fn diff(a: &Report, b: &Report) -> Diff {
    let questions = |s: &Report| -> Vec<QuestionReport> {
        s.playbooks
            .iter()
            .flat_map(|p| p.questions.iter().cloned())
            .collect()
    };
    let qa = questions(a);
    let qb = questions(b);
    let index_a: std::collections::BTreeMap<&str, &QuestionReport> =
        qa.iter().map(|q| (q.id.as_str(), q)).collect();
    let index_b: std::collections::BTreeMap<&str, &QuestionReport> =
        qb.iter().map(|q| (q.id.as_str(), q)).collect();

    let playbooks = playbook_changes(a, b);

    let mut status_changes = Vec::new();
    let mut scored_lower = Vec::new();
    let mut version_changes = Vec::new();
    let mut added = Vec::new();
    for q in &qb {
        match index_a.get(q.id.as_str()) {
            Some(old) => {
                let (from, to) = (standing(old), standing(q));
                let recorded = |q: &QuestionReport| q.answer.as_ref().and_then(|a| a.status);
                if from != to {
                    status_changes.push(StatusChange {
                        id: q.id.clone(),
                        question: q.question.clone(),
                        from,
                        to,
                    });
                } else if recorded(old) != recorded(q)
                    && let (Some(was), Some(now), Some(why)) =
                        (recorded(old), recorded(q), why_lower(q))
                {
                    scored_lower.push(ScoredLower {
                        id: q.id.clone(),
                        question: q.question.clone(),
                        from: was.to_string(),
                        to: now.to_string(),
                        scored: to,
                        why,
                    });
                }
                if old.version != q.version {
                    version_changes.push(VersionChange {
                        id: q.id.clone(),
                        from: old.version.clone(),
                        to: q.version.clone(),
                    });
                }
            }
            None => added.push(QuestionRef {
                id: q.id.clone(),
                question: q.question.clone(),
            }),
        }
    }
    let removed = removed_questions(&qa, &index_b);
    Diff {
        from: side(a),
        to: side(b),
        score_change: crate::score::round1(b.summary.score - a.summary.score),
        playbooks,
        status_changes,
        added,
        removed,
        version_changes,
        answer_changes: super::changes::between(a, b),
        scored_lower,
    }
}

/// The playbooks whose score changed, then those `b` no longer has.
fn playbook_changes(a: &Report, b: &Report) -> Vec<PlaybookChange> {
    let mut playbooks = Vec::new();
    for pb in b.playbooks.iter() {
        let old = a.playbooks.iter().find(|p| p.id == pb.id);
        if old.is_none_or(|o| (o.score - pb.score).abs() > f64::EPSILON) {
            playbooks.push(PlaybookChange {
                id: pb.id.clone(),
                title: pb.title.clone(),
                from: old.map(|o| o.score),
                to: Some(pb.score),
            });
        }
    }
    for pa in a.playbooks.iter() {
        if !b.playbooks.iter().any(|p| p.id == pa.id) {
            playbooks.push(PlaybookChange {
                id: pa.id.clone(),
                title: pa.title.clone(),
                from: Some(pa.score),
                to: None,
            });
        }
    }
    playbooks
}

/// The questions of `qa` that `index_b` (the newer report) no longer has.
fn removed_questions(
    qa: &[QuestionReport],
    index_b: &std::collections::BTreeMap<&str, &QuestionReport>,
) -> Vec<QuestionRef> {
    qa.iter()
        .filter(|q| !index_b.contains_key(q.id.as_str()))
        .map(|q| QuestionRef {
            id: q.id.clone(),
            question: q.question.clone(),
        })
        .collect()
}
