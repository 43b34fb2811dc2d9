//! The report model: playbooks, answers, scores and gate settings in one
//! value. Every output (status, check, report files) renders it, and its
//! JSON form is the stored report that `diff` and `history` read back.

pub mod assessor;
pub mod chain;
pub mod changes;
pub mod diff;
pub mod plan;
pub mod risk;
pub mod roadmap;
pub mod team;

use crate::answers::{Answer, AnswersFile, Status, Waiver};
use crate::config::{FailOn, Gate};
use crate::diagnostic::{Code, Finding};
use crate::playbook::Set;
use crate::score::{SCORING_VERSION, Scores, State, Summary};
use crate::team::{SignoffState, SignoffStatus};
use chrono::{DateTime, SecondsFormat, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::FactValue;

/// The JSON report's schema id.
pub const SCHEMA: &str = "supportcheck.report/1";

/// The report: the one model every output is rendered from, and the JSON
/// wire form `supportcheck.report/1` (written by `report`, read back by
/// `diff`, `history` and trends, described by `supportcheck schema report`).
/// A change to its fields is a change to that contract: docs/report-schema.md.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "supportcheck report")]
pub struct Report {
    /// The wire form's id, `supportcheck.report/1`.
    #[schemars(extend("const" = "supportcheck.report/1"))]
    pub schema: String,
    /// The version of the scoring rules.
    pub scoring: u32,
    /// Set when the report is written as a numbered version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_version: Option<u64>,
    /// The previous version's number and the sha256 of its JSON. Near the
    /// top, so that `history --verify` finds it without parsing the questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Previous>,
    /// The sha256 of each other file of this version (Markdown, HTML,
    /// template output) by file name, so that the JSON's own digest covers them.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub companions: std::collections::BTreeMap<String, String>,
    #[schemars(with = "DateTime<chrono::FixedOffset>")]
    pub generated_at: String,
    pub tool_version: String,
    pub product: Option<String>,
    pub summary: Summary,
    pub gate: GateReport,
    pub sections: Vec<GroupReport>,
    // Shared with the client view, which makes the HTML's rows from it one
    // at a time instead of copying every question's text.
    pub playbooks: Arc<Vec<PlaybookReport>>,
    pub orphaned: Vec<OrphanReport>,
    /// The facts the project declared (`supportcheck.yaml`), which decided
    /// the questions that apply.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub facts: BTreeMap<String, FactValue>,
    /// Facts that conditions read and the config does not set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts_missing: Vec<String>,
    /// Earlier versions' summaries, oldest first (for trend charts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trend: Vec<TrendPoint>,
    /// Roles and their people (`owners:` in the config).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub owners: BTreeMap<String, Vec<String>>,
    /// Each role's sign-off: required ones (`gate.signoffs`) first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signoffs: Vec<SignoffStatus>,
    /// The assessor's summary and section notes (`readiness/summary.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessor: Option<assessor::AssessorNotes>,
    /// The maturity levels, lowest first (absent: the set declares none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<String>,
    /// The sha256 of the file with this value zeroed. Written as the last
    /// key by `report::chain::write_json`, never by serde.
    #[serde(default, skip_serializing)]
    #[schemars(regex(pattern = "^[0-9a-f]{64}$"))]
    pub content_sha256: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Previous {
    pub report_version: u64,
    #[schemars(regex(pattern = "^[0-9a-f]{64}$"))]
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct TrendPoint {
    pub report_version: u64,
    pub generated_at: String,
    pub score: f64,
    pub level: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct GateReport {
    pub min_score: f64,
    pub fail_on: Vec<FailOn>,
    pub warn_days: i64,
    /// Categories that failed.
    pub failed: Vec<FailOn>,
    pub passed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct GroupReport {
    pub id: String,
    /// The section's human title, from its index page's frontmatter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub score: f64,
    pub questions: usize,
    pub answered: usize,
    pub blockers: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PlaybookReport {
    pub id: String,
    pub title: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    pub sha256: String,
    pub score: f64,
    pub answered: usize,
    pub blockers: usize,
    pub questions: Vec<QuestionReport>,
    /// Why the whole playbook is skipped, when its `applies_if` is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// The highest maturity level this playbook reaches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achieved_level: Option<String>,
    /// The level the gate asks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_level: Option<String>,
    /// The level above the achieved one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_level: Option<String>,
    /// Questions that keep the next level out of reach (the first ten).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_for_next: Vec<String>,
    /// How many questions keep the next level out of reach.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub missing_for_next_count: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct QuestionReport {
    pub id: String,
    pub order: u64,
    pub question: String,
    pub expectation: String,
    pub version: String,
    pub weight: f64,
    pub critical: bool,
    pub evidence_required: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The role that owns the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionReport>,
    pub line: u64,
    pub state: State,
    /// The status scored (`null` when missing or stale).
    pub status: Option<Status>,
    /// 0-1, `null` when not applicable.
    #[schemars(range(min = 0, max = 1))]
    pub credit: Option<f64>,
    pub blocker: bool,
    pub waived: bool,
    pub answer: Option<Answer>,
    pub findings: Vec<Finding>,
    /// Why the question is not applicable by condition (`state: skipped`);
    /// its answer, if any, is kept in `answer` and not counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// The condition it is under, as written (`applies_if`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_if: Option<String>,
    /// Skipped by a condition that reads other answers (`answers[...]`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skipped_by_answers: bool,
    /// The maturity level it counts toward.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// The day it starts to count; before it the question is upcoming.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub effective_from: Option<chrono::NaiveDate>,
    /// When its probes last all passed, for a `met` they verify; absent, a
    /// status is attested by the person who gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DateTime<chrono::FixedOffset>>")]
    pub verified: Option<String>,
    /// How many probes the question declares.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub probes: usize,
}

impl QuestionReport {
    /// Where the question stands, in one word (docs/scoring.md#words): its
    /// status's word when answered, else its state's (`missing`, `stale`,
    /// `skipped`, `upcoming`).
    pub fn standing(&self) -> &'static str {
        match (self.state, self.status) {
            (State::Answered, Some(s)) => s.word(),
            (State::Answered, None) => State::Missing.word(),
            (state, _) => state.word(),
        }
    }

    /// `verified` (with the day) or `attested`, for an answered question;
    /// `None` when it has no status.
    pub fn provenance(&self) -> Option<String> {
        self.status?;
        Some(match &self.verified {
            Some(at) => format!("verified {}", at.get(..10).unwrap_or(at)),
            None => "attested".to_string(),
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CriterionReport {
    pub id: String,
    pub text: String,
    pub met: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct OrphanReport {
    pub id: String,
    pub answer: Answer,
    pub finding: Finding,
}

/// What the report is built from. The set, answers and scores are moved
/// in: their text moves into the report's rows rather than being copied
/// (at 50,000 questions a copy is tens of MB).
#[derive(Debug)]
pub struct Inputs<'a> {
    pub set: Set,
    pub answers: AnswersFile,
    pub scores: Scores,
    pub gate: &'a Gate,
    pub product: Option<String>,
    pub now: DateTime<Utc>,
    /// The project's facts, recorded in the report.
    pub facts: &'a BTreeMap<String, FactValue>,
    /// Roles and their people.
    pub owners: BTreeMap<String, Vec<String>>,
    /// The sign-offs, already judged against the current snapshot.
    pub signoffs: Vec<SignoffStatus>,
}

/// Whether two reports say the same: equal but for what each version has of
/// its own (its number, the link to the one before, its files' digests, the
/// time it was made, the trend and the tool's version). `report` takes no
/// new version for a report that says the same as the last one.
pub fn same_content(a: &Report, b: &Report) -> bool {
    fn content(r: &Report) -> Option<serde_json::Value> {
        let mut r = r.clone();
        r.report_version = None;
        r.previous = None;
        r.companions.clear();
        r.generated_at.clear();
        r.tool_version.clear();
        r.trend.clear();
        serde_json::to_value(&r).ok()
    }
    match (content(a), content(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Builds the model. Pure: the caller supplies the clock and the scores.
pub fn build(input: Inputs<'_>) -> Report {
    let Inputs {
        set,
        mut answers,
        scores,
        gate,
        product,
        now,
        facts,
        owners,
        signoffs,
    } = input;
    let Scores {
        questions: question_scores,
        playbooks: playbook_scores,
        sections: section_scores,
        mut summary,
        orphaned,
        facts_missing,
        levels,
        target_level,
    } = scores;
    let Set {
        playbooks: set_playbooks,
        section_titles,
        ..
    } = set;
    let mut qscores = question_scores.into_iter();
    let playbooks = set_playbooks
        .into_iter()
        .zip(playbook_scores)
        .map(|(p, g)| {
            let levels = Levels {
                names: &levels,
                target: target_level.as_deref(),
            };
            playbook_report(p, g, &mut qscores, &mut answers, levels)
        })
        .collect();
    summary.signoffs_missing = signoffs
        .iter()
        .filter(|s| s.required && s.state != SignoffState::Signed)
        .count();
    let verdict = crate::gate::verdict(gate, &summary);
    Report {
        schema: SCHEMA.to_string(),
        scoring: SCORING_VERSION,
        report_version: None,
        generated_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        product: product.or_else(|| answers.product.clone()),
        summary,
        gate: GateReport {
            min_score: gate.min_score,
            fail_on: verdict.fail_on,
            warn_days: gate.warn_days,
            passed: verdict.passed,
            failed: verdict.failed,
        },
        sections: section_reports(section_scores, &section_titles),
        playbooks: Arc::new(playbooks),
        orphaned: orphan_reports(orphaned, &mut answers),
        facts: facts.clone(),
        facts_missing,
        trend: Vec::new(),
        owners,
        signoffs,
        assessor: None,
        levels,
        previous: None,
        companions: Default::default(),
        content_sha256: None,
    }
}

/// The set's maturity levels, lowest first, and the level the gate asks for.
#[derive(Clone, Copy)]
struct Levels<'a> {
    names: &'a [String],
    target: Option<&'a str>,
}

/// A playbook's part of the report: its questions, each with the next of
/// `qscores` and its answer (taken out of `answers`), and its score `g`.
fn playbook_report(
    p: crate::playbook::Playbook,
    g: crate::score::GroupScore,
    qscores: &mut impl Iterator<Item = crate::score::QuestionScore>,
    answers: &mut AnswersFile,
    levels: Levels<'_>,
) -> PlaybookReport {
    let sha256 = p.sha256().to_string();
    let conditional = p.applies_if.is_some();
    let questions: Vec<QuestionReport> = p
        .questions
        .into_iter()
        .map(|q| {
            let s = qscores.next().expect("one score per question");
            question_report(q, s, answers, levels.names)
        })
        .collect();
    let o = g.standing.outcome(levels.names, levels.target);
    PlaybookReport {
        achieved_level: o.achieved_level,
        target_level: o.target_level,
        next_level: o.next_level,
        missing_for_next: o.missing_for_next,
        missing_for_next_count: o.missing_for_next_count,
        skipped: conditional.then(|| shared_reason(&questions)).flatten(),
        id: p.id,
        title: p.title,
        path: p.path,
        section: p.section,
        sha256,
        score: g.score,
        answered: g.answered,
        blockers: g.blockers,
        questions,
    }
}

/// A question's row of the report: the question `q`, its score `s`, and
/// its answer (the probes' when they gave one), taken out of `answers`.
fn question_report(
    q: crate::playbook::Question,
    s: crate::score::QuestionScore,
    answers: &mut AnswersFile,
    levels: &[String],
) -> QuestionReport {
    let answer = match s.probe_answer {
        Some(by_probe) => {
            answers.answers.remove(&q.id);
            Some(by_probe)
        }
        None => answers.answers.remove(&q.id),
    };
    let met_ids = answer
        .as_ref()
        .and_then(|a| a.criteria_met.as_deref())
        .unwrap_or_default();
    let criteria = q
        .criteria
        .into_iter()
        .map(|c| CriterionReport {
            met: met_ids.contains(&c.id),
            id: c.id,
            text: c.text,
        })
        .collect();
    QuestionReport {
        id: q.id,
        order: q.order,
        question: q.question,
        expectation: q.expectation,
        version: q.version.to_string(),
        weight: q.weight,
        critical: q.critical,
        evidence_required: q.evidence_required,
        tags: q.tags,
        owner: q.owner,
        criteria,
        line: q.line,
        state: s.state,
        status: s.status,
        credit: s.credit,
        blocker: s.blocker,
        waived: s.waived,
        answer,
        findings: s.findings,
        skipped: s.skipped,
        skipped_by_answers: s.skipped_by_answers,
        applies_if: q.applies_if.map(|c| c.source),
        level: q.level.filter(|_| !levels.is_empty()),
        effective_from: q.effective_from,
        verified: s
            .verified
            .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true)),
        probes: q.probes.len(),
    }
}

/// The sections' part of the report, each with its title from the set.
fn section_reports(
    section_scores: Vec<crate::score::GroupScore>,
    section_titles: &BTreeMap<String, String>,
) -> Vec<GroupReport> {
    section_scores
        .into_iter()
        .map(|s| GroupReport {
            title: section_titles.get(&s.id).cloned(),
            id: s.id,
            score: s.score,
            questions: s.questions,
            answered: s.answered,
            blockers: s.blockers,
        })
        .collect()
}

/// The orphaned answers, each taken out of `answers` with its finding.
fn orphan_reports(
    orphaned: Vec<(String, Finding)>,
    answers: &mut AnswersFile,
) -> Vec<OrphanReport> {
    orphaned
        .into_iter()
        .filter_map(|(id, finding)| {
            Some(OrphanReport {
                answer: answers.answers.remove(&id)?,
                id,
                finding,
            })
        })
        .collect()
}

/// The reason shared by every question of a playbook skipped as a whole
/// (its `applies_if` is false), if they all share one.
fn shared_reason(questions: &[QuestionReport]) -> Option<String> {
    let mut reasons = questions.iter().map(|q| q.skipped.as_ref());
    let first = reasons.next()??;
    reasons.all(|r| r == Some(first)).then(|| first.clone())
}

impl PlaybookReport {
    /// Questions that apply: all but those skipped by condition.
    pub fn applicable(&self) -> usize {
        self.questions
            .iter()
            .filter(|q| q.state != State::Skipped)
            .count()
    }
}

/// How a critical question was set aside instead of being met.
#[derive(Debug, Clone, PartialEq)]
pub enum SetAside {
    /// An active waiver covers it.
    Waived,
    /// Answered not-applicable (with an approved waiver).
    NotApplicable,
    /// Its condition is false; `by_answers` when the condition reads answers.
    Skipped { by_answers: bool },
}

impl SetAside {
    /// Words for the kind, as the reports show it.
    pub fn words(&self) -> &'static str {
        match self {
            SetAside::Waived => "waived",
            SetAside::NotApplicable => "not applicable",
            SetAside::Skipped { by_answers: true } => "skipped by a condition on other answers",
            SetAside::Skipped { by_answers: false } => "skipped by condition",
        }
    }
}

impl QuestionReport {
    /// How this question is set aside, when it is critical and is neither
    /// met nor a blocker: waived, not applicable or skipped by condition.
    pub fn set_aside(&self) -> Option<SetAside> {
        if !self.critical || self.blocker {
            return None;
        }
        if self.state == State::Skipped {
            Some(SetAside::Skipped {
                by_answers: self.skipped_by_answers,
            })
        } else if self.waived {
            Some(SetAside::Waived)
        } else if self.state == State::Answered && self.status == Some(Status::NotApplicable) {
            Some(SetAside::NotApplicable)
        } else {
            None
        }
    }

    /// Why it is set aside, in words: the waiver's or skip's reason, and
    /// who approved.
    pub fn set_aside_detail(&self) -> String {
        let waiver = self.answer.as_ref().and_then(|a| a.waiver.as_ref());
        match self.set_aside() {
            Some(SetAside::Skipped { .. }) => self.skipped.clone().unwrap_or_default(),
            Some(_) => {
                let note = self.answer.as_ref().and_then(|a| a.note.clone());
                let mut parts: Vec<String> = Vec::new();
                if let Some(w) = waiver {
                    parts.push(w.reason.clone());
                    parts.push(format!("until {}", w.expires));
                    if let Some(by) = &w.approved_by {
                        parts.push(format!("approved by {by}"));
                    }
                } else if let Some(n) = note {
                    parts.push(n);
                }
                parts.join(" · ")
            }
            None => String::new(),
        }
    }
}

impl Report {
    /// Critical questions set aside (waived, not applicable, skipped by a
    /// condition), in question order: every report lists them on page one.
    pub fn set_aside(&self) -> Vec<(&PlaybookReport, &QuestionReport, SetAside)> {
        self.questions()
            .filter_map(|(p, q)| q.set_aside().map(|k| (p, q, k)))
            .collect()
    }

    /// Whether any question declares probes: then every answer is marked
    /// verified or attested.
    pub fn uses_probes(&self) -> bool {
        self.questions().any(|(_, q)| q.probes > 0)
    }

    pub fn questions(&self) -> impl Iterator<Item = (&PlaybookReport, &QuestionReport)> {
        self.playbooks
            .iter()
            .flat_map(|p| p.questions.iter().map(move |q| (p, q)))
    }

    /// Every finding: per question, then orphans, then sign-offs.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.questions()
            .flat_map(|(_, q)| q.findings.iter())
            .chain(self.orphaned.iter().map(|o| &o.finding))
            .chain(self.signoffs.iter().filter_map(|s| s.finding.as_ref()))
    }

    /// Upcoming questions that start to count within `days` of the
    /// report's date, soonest first: the bar about to move.
    pub fn upcoming_within(&self, days: i64) -> Vec<(&QuestionReport, chrono::NaiveDate)> {
        let Ok(today) = DateTime::parse_from_rfc3339(&self.generated_at).map(|t| t.date_naive())
        else {
            return Vec::new();
        };
        let mut out: Vec<_> = self
            .questions()
            .filter(|(_, q)| q.state == State::Upcoming)
            .filter_map(|(_, q)| Some((q, q.effective_from?)))
            .filter(|(_, d)| (*d - today).num_days() <= days)
            .collect();
        out.sort_by_key(|(_, d)| *d);
        out
    }

    /// Every waiver, in question order, with whether it has expired.
    pub fn waivers(&self) -> Vec<(&QuestionReport, &Waiver, bool)> {
        self.questions()
            .filter_map(|(_, q)| {
                let w = q.answer.as_ref()?.waiver.as_deref()?;
                let expired = q.findings.iter().any(|f| f.code == Code::ExpiredWaiver);
                Some((q, w, expired))
            })
            .collect()
    }
}
