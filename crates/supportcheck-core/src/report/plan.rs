//! The improvement plan, made once for every output: every gap ranked by
//! what it costs, with who acts, the follow-up action, the note and when it
//! is due; the same gaps grouped as a roadmap; and the critical questions
//! set aside instead of met. Markdown, the client view (HTML, PDF, Word,
//! templates), the spreadsheet and the audit's closing list all read it.

use super::roadmap::{self, Horizon, RoadmapGroup};
use super::{PlaybookReport, QuestionReport, Report, SetAside};
use crate::answers::{Action, Status};
use crate::diagnostic::Code;
use crate::score::State;
use std::collections::BTreeMap;

/// How many gaps a summary names: the first of the plan.
pub const TOP_GAPS: usize = 5;

/// The plan of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Every gap, in the one ranking ([`rank`]): costliest first.
    pub gaps: Vec<PlanGap>,
    /// The same gaps by when and by who; each owner's gaps are indices into
    /// [`Plan::gaps`], in plan order.
    pub roadmap: Vec<RoadmapGroup>,
    /// Critical questions set aside (waived, not applicable, skipped by a
    /// condition), in question order.
    pub set_aside: Vec<SetAsideItem>,
    /// The weight of every question that counts: what points divide by.
    pub weight: f64,
}

/// One gap of the plan. Its text (question, note, action) stays in the
/// report and is read through [`PlanGap::question`] and its neighbours, so
/// the plan of 50,000 questions copies no text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanGap {
    /// (playbook, question) position in the report.
    pub at: (usize, usize),
    /// Weight not earned.
    pub cost: f64,
    /// Score points closing the gap adds: 100 × cost / counted weight.
    pub points: f64,
    pub horizon: Horizon,
    /// The follow-up action's due date has passed.
    pub overdue: bool,
}

/// A critical question set aside, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct SetAsideItem {
    pub at: (usize, usize),
    pub how: SetAside,
}

/// Weight a question does not earn: what it costs the score before
/// dividing by the counted weight. Nothing for a question that does not count.
pub fn cost(q: &QuestionReport) -> f64 {
    q.credit.map_or(0.0, |c| q.weight * (1.0 - c))
}

/// Whether the question belongs in the plan: not met (unmet, partly met,
/// unanswered, or answered for an older wording), or blocking the launch.
pub fn is_gap(q: &QuestionReport) -> bool {
    matches!(q.status, Some(Status::Unmet | Status::Partial))
        || matches!(q.state, State::Missing | State::Stale)
        || q.blocker
}

/// The one ranking of gaps: costliest first; at equal cost a blocker,
/// then a critical question, first; then question order.
pub fn rank(a: &QuestionReport, b: &QuestionReport) -> std::cmp::Ordering {
    cost(b)
        .total_cmp(&cost(a))
        .then(b.blocker.cmp(&a.blocker))
        .then(b.critical.cmp(&a.critical))
}

/// An owner as a client reads it: a role's people, with the role, or the
/// name as written when it is not a role with people.
pub fn person(owners: &BTreeMap<String, Vec<String>>, owner: &str) -> (String, Option<String>) {
    match owners.get(owner) {
        Some(people) if !people.is_empty() => (people.join(", "), Some(owner.to_string())),
        _ => (owner.to_string(), None),
    }
}

impl Report {
    /// The plan. Made from the report each time: callers make it once.
    pub fn plan(&self) -> Plan {
        let weight: f64 = self
            .questions()
            .filter(|(_, q)| q.credit.is_some())
            .map(|(_, q)| q.weight)
            .sum();
        let mut positions: Vec<(usize, usize)> = Vec::new();
        for (pi, p) in self.playbooks.iter().enumerate() {
            for (qi, q) in p.questions.iter().enumerate() {
                if is_gap(q) {
                    positions.push((pi, qi));
                }
            }
        }
        // A stable sort: equal gaps stay in question order.
        positions.sort_by(|&(ap, aq), &(bp, bq)| {
            rank(
                &self.playbooks[ap].questions[aq],
                &self.playbooks[bp].questions[bq],
            )
        });
        let gaps: Vec<PlanGap> = positions
            .into_iter()
            .map(|(p, q)| {
                let question = &self.playbooks[p].questions[q];
                PlanGap {
                    at: (p, q),
                    cost: cost(question),
                    points: points(cost(question), weight),
                    horizon: self.horizon(p, q),
                    overdue: question.findings.iter().any(|f| f.code == Code::Overdue),
                }
            })
            .collect();
        let roadmap = roadmap::group(self, &gaps);
        let set_aside = self
            .questions_at()
            .filter_map(|(at, q)| {
                Some(SetAsideItem {
                    at,
                    how: q.set_aside()?,
                })
            })
            .collect();
        Plan {
            gaps,
            roadmap,
            set_aside,
            weight,
        }
    }

    /// Every question with its (playbook, question) position.
    fn questions_at(&self) -> impl Iterator<Item = ((usize, usize), &QuestionReport)> {
        self.playbooks.iter().enumerate().flat_map(|(pi, p)| {
            p.questions
                .iter()
                .enumerate()
                .map(move |(qi, q)| ((pi, qi), q))
        })
    }
}

fn points(cost: f64, weight: f64) -> f64 {
    if weight > 0.0 {
        100.0 * cost / weight
    } else {
        0.0
    }
}

impl Plan {
    /// The first gaps of the plan: what a summary names.
    pub fn top(&self) -> &[PlanGap] {
        &self.gaps[..self.gaps.len().min(TOP_GAPS)]
    }

    /// Score points `q` costs (for a question outside the plan, such as a
    /// blocker named on page one).
    pub fn points_of(&self, q: &QuestionReport) -> f64 {
        points(cost(q), self.weight)
    }
}

impl PlanGap {
    pub fn playbook<'r>(&self, r: &'r Report) -> &'r PlaybookReport {
        &r.playbooks[self.at.0]
    }

    pub fn question<'r>(&self, r: &'r Report) -> &'r QuestionReport {
        &r.playbooks[self.at.0].questions[self.at.1]
    }

    /// Who acts: the follow-up action's person, else the question's owner role.
    pub fn owner<'r>(&self, r: &'r Report) -> Option<&'r str> {
        self.question(r).acting_owner()
    }

    /// [`PlanGap::owner`] as a client reads it: the people, and the role
    /// when the owner is a role with people.
    pub fn person(&self, r: &Report) -> Option<(String, Option<String>)> {
        self.owner(r).map(|o| person(&r.owners, o))
    }

    /// The follow-up action (what, who, due).
    pub fn action<'r>(&self, r: &'r Report) -> Option<&'r Action> {
        self.question(r).answer.as_ref()?.action.as_deref()
    }

    /// The assessor's note on the answer, when it says something.
    pub fn note<'r>(&self, r: &'r Report) -> Option<&'r str> {
        let note = self.question(r).answer.as_ref()?.note.as_deref()?;
        (!note.trim().is_empty()).then_some(note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample;
    use std::sync::Arc;

    #[test]
    fn gaps_are_ranked_costliest_first_with_blockers_first_at_equal_cost() {
        let mut r = sample();
        for q in Arc::make_mut(&mut r.playbooks)
            .iter_mut()
            .flat_map(|p| &mut p.questions)
        {
            q.state = State::Missing;
            q.status = None;
            q.credit = Some(0.0);
            q.weight = 1.0;
            q.blocker = false;
        }
        let last = Arc::make_mut(&mut r.playbooks)
            .last_mut()
            .and_then(|p| p.questions.last_mut())
            .unwrap();
        last.blocker = true;
        let last_id = last.id.clone();
        Arc::make_mut(&mut r.playbooks)[0].questions[0].weight = 3.0;
        let plan = r.plan();
        let ids: Vec<&str> = plan
            .gaps
            .iter()
            .map(|g| g.question(&r).id.as_str())
            .collect();
        assert_eq!(ids[0], r.playbooks[0].questions[0].id);
        assert_eq!(ids[1], last_id);
        let points: Vec<f64> = plan.gaps.iter().map(|g| g.points).collect();
        assert!(points.windows(2).all(|w| w[0] >= w[1]), "{points:?}");
        assert_eq!(plan.top().len(), TOP_GAPS.min(plan.gaps.len()));
    }

    #[test]
    fn a_blocker_not_marked_unmet_is_still_in_the_plan() {
        let mut r = sample();
        let q = Arc::make_mut(&mut r.playbooks)
            .iter_mut()
            .flat_map(|p| &mut p.questions)
            .find(|q| q.status == Some(Status::Met))
            .unwrap();
        q.status = Some(Status::NotApplicable);
        q.critical = true;
        q.blocker = true;
        q.credit = Some(0.0);
        let id = q.id.clone();
        let plan = r.plan();
        assert!(plan.gaps.iter().any(|g| g.question(&r).id == id));
    }

    #[test]
    fn every_roadmap_gap_is_a_plan_gap_once_in_plan_order_per_owner() {
        let r = sample();
        let plan = r.plan();
        let mut seen: Vec<usize> = plan
            .roadmap
            .iter()
            .flat_map(|h| &h.owners)
            .flat_map(|o| {
                assert!(o.gaps.windows(2).all(|w| w[0] < w[1]), "{o:?}");
                o.gaps.iter().copied()
            })
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..plan.gaps.len()).collect::<Vec<_>>());
    }

    /// Ids of the plan's gaps in the order of `order`.
    fn ids(r: &Report, plan: &Plan, order: impl Iterator<Item = usize>) -> Vec<String> {
        order.map(|i| plan.gaps[i].question(r).id.clone()).collect()
    }

    #[test]
    fn markdown_the_client_view_the_sheet_and_the_audit_follow_the_one_ranking() {
        let mut r = sample();
        let q = Arc::make_mut(&mut r.playbooks)
            .iter_mut()
            .flat_map(|p| &mut p.questions)
            .find(|q| q.id == "channels/q3")
            .unwrap();
        // A blocker that costs less than the other gaps: a ranking that
        // put blockers first would list it first, one by cost last.
        (q.critical, q.blocker) = (true, true);
        q.answer.get_or_insert_with(Default::default).action = Some(Box::new(Action {
            what: "Write the rationale".into(),
            who: Some("Kim Park".into()),
            due: chrono::NaiveDate::from_ymd_opt(2026, 12, 1),
            extra: Default::default(),
        }));
        let plan = r.plan();
        let ranked = ids(&r, &plan, 0..plan.gaps.len());
        let by_roadmap = ids(
            &r,
            &plan,
            plan.roadmap
                .iter()
                .flat_map(|h| &h.owners)
                .flat_map(|o| o.gaps.iter().copied()),
        );
        assert_eq!(plan.roadmap.len(), 2, "{:?}", plan.roadmap);
        assert_ne!(
            ranked, by_roadmap,
            "the test needs a roadmap out of rank order"
        );
        assert_eq!(ranked.last().map(String::as_str), Some("channels/q3"));

        let v = crate::render::client::view(&r, &Default::default());
        let view_plan: Vec<String> = v.plan.iter().map(|g| g.id).collect();
        assert_eq!(view_plan, ranked);
        let top: Vec<&str> = v.summary.top_gaps.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(top, ranked[..plan.top().len()]);
        let view_roadmap: Vec<String> = v
            .roadmap
            .iter()
            .flat_map(|h| &h.owners)
            .flat_map(|o| o.gaps.iter().map(|g| g.id))
            .collect();
        assert_eq!(view_roadmap, by_roadmap);

        let sheets = crate::sheet::export(&r);
        let sheet_plan: Vec<&str> = sheets[1].rows.iter().map(|row| row[0].as_str()).collect();
        assert_eq!(sheet_plan, ranked);

        let md = crate::render::markdown::report(&r);
        let md_plan: Vec<&str> = md
            .split("## Improvement plan")
            .nth(1)
            .unwrap()
            .split("\n## ")
            .next()
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("| `")?.split('`').next())
            .collect();
        assert_eq!(md_plan, by_roadmap);

        let audit = crate::render::status::top_gaps(&r, &plan);
        let audit_ids: Vec<&str> = audit
            .lines()
            .filter_map(|l| l.strip_prefix("  ")?.split(' ').next())
            .filter(|id| id.contains('/'))
            .collect();
        assert_eq!(audit_ids, ranked[..plan.top().len()]);
    }
}
