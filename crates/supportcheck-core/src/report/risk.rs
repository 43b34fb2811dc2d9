//! Risk accepted, in one place: every waiver, every critical question
//! marked not applicable, and every question a condition left out, with
//! who approved it and until when; and what the score would be if none of
//! them were accepted. Made once here for every output.

use super::{QuestionReport, Report};
use crate::answers::Status;
use crate::diagnostic::Code;
use crate::score::{State, round1};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskKind {
    /// A gap waived until a date.
    Waiver,
    /// A critical question answered "not applicable".
    CriticalNotApplicable,
    /// A question whose `applies_if` condition is false.
    Skipped,
}

impl RiskKind {
    pub fn words(self) -> &'static str {
        match self {
            RiskKind::Waiver => "Waived",
            RiskKind::CriticalNotApplicable => "Critical, marked not applicable",
            RiskKind::Skipped => "Left out by a condition",
        }
    }
}

/// One accepted risk.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptedRisk {
    /// (playbook, question) position in the report.
    pub at: (usize, usize),
    pub kind: RiskKind,
    /// The waiver's reason, the answer's note, or the condition's reason.
    pub reason: Option<String>,
    /// Who approved it: the waiver's approver, else who answered.
    pub approved_by: Option<String>,
    /// The last day a waiver holds.
    pub until: Option<NaiveDate>,
    /// A waiver that has run out.
    pub expired: bool,
}

impl AcceptedRisk {
    /// The risk of `kind` that question `q`, at `at`, accepts: who approved
    /// it, why, and until when.
    fn of(kind: RiskKind, q: &QuestionReport, at: (usize, usize)) -> AcceptedRisk {
        let a = q.answer.as_ref();
        let (reason, approved_by, until) = match kind {
            RiskKind::Waiver => {
                let w = a.and_then(|a| a.waiver.as_deref()).expect("a waiver");
                (
                    Some(w.reason.clone()),
                    w.approved_by.clone(),
                    Some(w.expires),
                )
            }
            RiskKind::CriticalNotApplicable => (
                a.and_then(|a| a.note.clone()),
                a.and_then(|a| a.answered_by.clone()),
                None,
            ),
            RiskKind::Skipped => (q.skipped.clone(), None, None),
        };
        AcceptedRisk {
            at,
            kind,
            reason,
            approved_by,
            until,
            expired: q.findings.iter().any(|f| f.code == Code::ExpiredWaiver),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RiskAccepted {
    pub items: Vec<AcceptedRisk>,
    /// The overall score if every accepted risk were a gap: waived
    /// questions earn nothing, and critical not-applicable and skipped
    /// questions come back into the sums earning nothing.
    pub score_if_gaps: f64,
    /// Critical questions among them: blockers if nothing were accepted.
    pub critical: usize,
}

impl Report {
    /// Every accepted risk, in question order, and the score without them.
    pub fn risk_accepted(&self) -> RiskAccepted {
        let mut items = Vec::new();
        let (mut earned, mut possible) = (0.0_f64, 0.0_f64);
        let mut critical = 0;
        for (pi, p) in self.playbooks.iter().enumerate() {
            for (qi, q) in p.questions.iter().enumerate() {
                let a = q.answer.as_ref();
                let waiver = a.and_then(|a| a.waiver.as_deref());
                let kind = if q.state == State::Skipped {
                    Some(RiskKind::Skipped)
                } else if waiver.is_some() && q.status != Some(Status::Met) {
                    Some(RiskKind::Waiver)
                } else if q.critical && q.status == Some(Status::NotApplicable) {
                    Some(RiskKind::CriticalNotApplicable)
                } else {
                    None
                };
                match kind {
                    Some(kind) => {
                        possible += q.weight;
                        critical += usize::from(q.critical);
                        items.push(AcceptedRisk::of(kind, q, (pi, qi)));
                    }
                    None => {
                        if let Some(c) = q.credit {
                            earned += q.weight * c;
                            possible += q.weight;
                        }
                    }
                }
            }
        }
        let score_if_gaps = if possible > 0.0 && earned.is_finite() && possible.is_finite() {
            round1(100.0 * earned / possible).clamp(0.0, 100.0)
        } else {
            self.summary.score
        };
        RiskAccepted {
            items,
            score_if_gaps,
            critical,
        }
    }
}
