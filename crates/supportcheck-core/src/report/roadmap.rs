//! The improvement plan as a roadmap: the gaps grouped by when their
//! follow-up action is due (overdue, within 30, 60 or 90 days, later, no
//! date), and within that by who acts. Part of the plan (`plan.rs`).

use super::plan::PlanGap;
use super::{QuestionReport, Report};
use crate::diagnostic::Code;
use chrono::{DateTime, NaiveDate};
use serde::Serialize;

/// When a gap's follow-up action is due, relative to the report's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Horizon {
    Overdue,
    Within30,
    Within60,
    Within90,
    Later,
    NoDate,
}

impl Horizon {
    /// The group's heading.
    pub fn title(self) -> &'static str {
        match self {
            Horizon::Overdue => "Overdue",
            Horizon::Within30 => "Next 30 days",
            Horizon::Within60 => "In 31 to 60 days",
            Horizon::Within90 => "In 61 to 90 days",
            Horizon::Later => "Later than 90 days",
            Horizon::NoDate => "No date yet",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Horizon::Overdue => "overdue",
            Horizon::Within30 => "within-30",
            Horizon::Within60 => "within-60",
            Horizon::Within90 => "within-90",
            Horizon::Later => "later",
            Horizon::NoDate => "no-date",
        }
    }
}

/// One owner's gaps within a horizon, as indices into the plan's gaps, in
/// plan order (costliest first).
#[derive(Debug, Clone, PartialEq)]
pub struct OwnerGaps {
    /// The follow-up action's person, else the question's owner role.
    pub owner: Option<String>,
    pub gaps: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoadmapGroup {
    pub horizon: Horizon,
    pub owners: Vec<OwnerGaps>,
}

impl QuestionReport {
    /// Who acts on the question when it is a gap: the follow-up action's
    /// person, else the question's owner role.
    pub fn acting_owner(&self) -> Option<&str> {
        self.answer
            .as_ref()
            .and_then(|a| a.action.as_ref()?.who.as_deref())
            .or(self.owner.as_deref())
    }
}

impl Report {
    /// The report's date (UTC), against which due dates are placed.
    pub fn date(&self) -> Option<NaiveDate> {
        DateTime::parse_from_rfc3339(&self.generated_at)
            .ok()
            .map(|t| t.date_naive())
    }

    /// The horizon of the gap at `(p, q)`.
    pub fn horizon(&self, p: usize, q: usize) -> Horizon {
        let question = &self.playbooks[p].questions[q];
        if question.findings.iter().any(|f| f.code == Code::Overdue) {
            return Horizon::Overdue;
        }
        let due = question
            .answer
            .as_ref()
            .and_then(|a| a.action.as_ref()?.due);
        match (due, self.date()) {
            (None, _) => Horizon::NoDate,
            (Some(_), None) => Horizon::Later,
            (Some(due), Some(today)) => match (due - today).num_days() {
                ..0 => Horizon::Overdue,
                0..=30 => Horizon::Within30,
                31..=60 => Horizon::Within60,
                61..=90 => Horizon::Within90,
                _ => Horizon::Later,
            },
        }
    }
}

/// The plan's gaps grouped by horizon, then by owner (by name; gaps
/// without an owner last). Empty groups are left out.
pub(super) fn group(r: &Report, gaps: &[PlanGap]) -> Vec<RoadmapGroup> {
    let mut groups: Vec<RoadmapGroup> = Vec::new();
    let mut placed: Vec<(Horizon, Option<&str>, usize)> = gaps
        .iter()
        .enumerate()
        .map(|(i, g)| (g.horizon, g.owner(r), i))
        .collect();
    // A stable sort keeps plan order within each owner.
    placed.sort_by(|a, b| {
        (a.0, a.1.is_none(), a.1.map(str::to_lowercase)).cmp(&(
            b.0,
            b.1.is_none(),
            b.1.map(str::to_lowercase),
        ))
    });
    for (horizon, owner, at) in placed {
        if groups.last().is_none_or(|g| g.horizon != horizon) {
            groups.push(RoadmapGroup {
                horizon,
                owners: Vec::new(),
            });
        }
        let group = groups.last_mut().expect("pushed above");
        match group.owners.last_mut() {
            Some(o) if o.owner.as_deref() == owner => o.gaps.push(at),
            _ => group.owners.push(OwnerGaps {
                owner: owner.map(str::to_string),
                gaps: vec![at],
            }),
        }
    }
    groups
}
