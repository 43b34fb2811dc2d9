//! The team's view of a report: each role's questions, score and gaps, and
//! the follow-up actions with who and when.

use super::{QuestionReport, Report};
use crate::answers::Status;
use crate::diagnostic::Code;
use crate::score::{State, round1};
use schemars::JsonSchema;
use serde::Serialize;

/// One role's share of the questions.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OwnerLine {
    /// The role; `None` for questions nobody owns.
    pub role: Option<String>,
    pub people: Vec<String>,
    pub questions: usize,
    pub answered: usize,
    /// Over the role's applicable questions, by the rules of docs/scoring.md.
    pub score: f64,
    /// Missing, stale, partial and unmet questions, by id.
    pub gaps: Vec<String>,
    pub overdue: usize,
}

/// One follow-up action, for the improvement plan.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ActionLine {
    pub question: String,
    pub owner: Option<String>,
    pub what: String,
    /// `who` on the action, else the question's owner.
    pub who: Option<String>,
    pub due: Option<String>,
    pub overdue: bool,
}

impl Report {
    /// Every role that owns a question, in the order of `owners:` then of
    /// first appearance, and last the questions without an owner (if any).
    pub fn by_owner(&self) -> Vec<OwnerLine> {
        let mut roles: Vec<Option<String>> = self.owners.keys().cloned().map(Some).collect();
        for (_, q) in self.questions() {
            if !roles.contains(&q.owner) && q.owner.is_some() {
                roles.push(q.owner.clone());
            }
        }
        if self.questions().any(|(_, q)| q.owner.is_none()) {
            roles.push(None);
        }
        roles
            .into_iter()
            .map(|role| {
                let qs: Vec<&QuestionReport> = self
                    .questions()
                    .map(|(_, q)| q)
                    .filter(|q| q.owner == role)
                    .collect();
                let (earned, possible) = qs.iter().fold((0.0, 0.0), |(e, p), q| match q.credit {
                    Some(c) => (e + q.weight * c, p + q.weight),
                    None => (e, p),
                });
                OwnerLine {
                    people: role
                        .as_ref()
                        .and_then(|r| self.owners.get(r).cloned())
                        .unwrap_or_default(),
                    questions: qs.len(),
                    answered: qs.iter().filter(|q| q.state == State::Answered).count(),
                    score: if possible > 0.0 {
                        round1(100.0 * earned / possible)
                    } else if qs.iter().all(|q| q.credit.is_none()) && !qs.is_empty() {
                        100.0
                    } else {
                        0.0
                    },
                    gaps: qs
                        .iter()
                        .filter(|q| is_gap(q))
                        .map(|q| q.id.clone())
                        .collect(),
                    overdue: qs
                        .iter()
                        .filter(|q| q.findings.iter().any(|f| f.code == Code::Overdue))
                        .count(),
                    role,
                }
            })
            .filter(|l| l.questions > 0 || l.role.is_some())
            .collect()
    }

    /// Every finding (as [`Report::findings`]) with the owner of its
    /// question, for the outputs that name who is to act.
    pub fn owned_findings(
        &self,
    ) -> impl Iterator<Item = (&crate::diagnostic::Finding, Option<&str>)> {
        self.questions()
            .flat_map(|(_, q)| q.findings.iter().map(move |f| (f, q.owner.as_deref())))
            .chain(self.orphaned.iter().map(|o| (&o.finding, None)))
            .chain(
                self.signoffs
                    .iter()
                    .filter_map(|s| s.finding.as_ref())
                    .map(|f| (f, None)),
            )
    }

    /// Follow-up actions on partial and unmet answers, in question order.
    pub fn actions(&self) -> Vec<ActionLine> {
        self.questions()
            .filter_map(|(_, q)| {
                let a = q.answer.as_ref()?.action.as_ref()?;
                Some(ActionLine {
                    question: q.id.clone(),
                    owner: q.owner.clone(),
                    what: a.what.clone(),
                    who: a.who.clone().or_else(|| q.owner.clone()),
                    due: a.due.map(|d| d.to_string()),
                    overdue: q.findings.iter().any(|f| f.code == Code::Overdue),
                })
            })
            .collect()
    }
}

/// A question still to work on: unanswered, stale, partial or unmet.
pub fn is_gap(q: &QuestionReport) -> bool {
    q.state != State::Answered || matches!(q.status, Some(Status::Unmet | Status::Partial))
}
