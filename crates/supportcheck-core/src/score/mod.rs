//! Scoring: answers against expectations, one pure function, the rules of docs/scoring.md.
//!
//! * credit: met 1, partial 0.5, unmet 0, unanswered 0; with criteria,
//!   credit = met criteria / all criteria and the status follows from it.
//! * `met` without evidence on an `evidence: required` question, or with an
//!   evidence path that does not exist, counts as partial: credit 0.5, or
//!   with criteria that of the best partial answer (all criteria but one).
//! * not-applicable (with a note giving the reason) leaves the denominator.
//! * score = 100 × Σ(weight × credit) / Σ(weight) over applicable questions,
//!   for a playbook, a section or the whole set alike, rounded to 0.1.
//! * stale: the answered MAJOR version differs (counts as unanswered);
//!   a MINOR difference is only a `review` finding.
//! * blocker: a critical question not met, unless waived until today or later.
//! * not applicable by condition: a question whose `applies_if` (or its
//!   playbook's) is false is skipped: out of the denominator, not missing.
//! * expired: an answer older than its `max_age` counts as unanswered (stale).
//! * level: blocked (any blocker), else ready (score ≥ min_score, nothing
//!   missing or stale), else not-ready.
//! * upcoming: a question before its `effective_from` date is shown and
//!   asked, never counted and never failing.
//! * maturity levels (`levels.rs`): the achieved level of each playbook and
//!   of everything, beside the score.

use crate::answers::{Answer, AnswersFile, Open, Status, is_url};
use crate::conditions::{self, Applies};
use crate::diagnostic::{Code, Finding, Location, Severity};
use crate::gate::{FailOn, Gate};
use crate::playbook::{Playbook, Question, Set};
use crate::probe::Verdict;
use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

pub mod levels;
pub use levels::LevelTally;

/// The version of these rules, carried by every report.
/// 2: questions skipped by a false `applies_if` leave the sums, and answers
/// older than `max_age` count as unanswered. 3: a critical question set
/// aside as not-applicable without approval counts as not met, an
/// `answered_at` in the future counts as stale, evidence counts only inside
/// the project root, and coverage is reported (docs/scoring.md).
pub const SCORING_VERSION: u32 = 3;

/// The orphaned answers that get a "did you mean" (the first ones, in id
/// order); the rest are reported without one.
pub const SUGGESTED_ORPHANS: usize = 20;

/// What scoring needs besides playbooks and answers.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub today: NaiveDate,
    /// The time now: an `answered_at` later than this (beyond
    /// [`CLOCK_SKEW_MINUTES`]) is a finding and counts as stale.
    pub now: DateTime<Utc>,
    pub gate: &'a Gate,
    /// Roles and their people (`owners:` in the config): who may approve
    /// setting a critical question aside.
    pub owners: &'a std::collections::BTreeMap<String, Vec<String>>,
    /// Evidence paths (as written in the answers) that do not count: they
    /// do not resolve to a file or non-empty folder inside the project root
    /// (the shell checks, the core only reads the result).
    pub missing_evidence: &'a BTreeSet<String>,
    /// Shown path of the answers file, for orphan findings.
    pub answers_path: &'a str,
    /// The project's facts (`supportcheck.yaml`), read by `applies_if`.
    pub facts: &'a crate::conditions::Facts,
    /// The last probe results (`readiness/probes.jsonl`);
    /// [`crate::probe::NO_RESULTS`] when none.
    pub probes: &'a crate::probe::Latest,
}

/// How far in the future an `answered_at` may be (clocks differ) before it
/// is a finding.
pub const CLOCK_SKEW_MINUTES: i64 = 5;

/// Where a question stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum State {
    Answered,
    Missing,
    Stale,
    // Not applicable by condition: its `applies_if` is false.
    Skipped,
    // Before its `effective_from` date: shown, never counted.
    Upcoming,
}

impl State {
    /// The state's one word, in every output (docs/scoring.md#words):
    /// `answered`, `missing`, `stale`, `skipped`, `upcoming`. It is also the
    /// JSON value and, for `missing` and `stale`, the gate category.
    pub fn word(self) -> &'static str {
        self.into()
    }

    /// [`State::word`] in sentence case, for headings and table cells.
    pub fn label(self) -> String {
        crate::words::sentence(self.word())
    }
}

/// Overall readiness.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::Display,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Level {
    Blocked,
    NotReady,
    Ready,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The level's one word: `ready`, `not ready`, `blocked`.
    pub fn word(self) -> &'static str {
        match self {
            Level::Blocked => "blocked",
            Level::NotReady => "not ready",
            Level::Ready => "ready",
        }
    }

    /// The level as a headline: `READY`, `NOT READY`, `BLOCKED`.
    pub fn headline(self) -> &'static str {
        match self {
            Level::Blocked => "BLOCKED",
            Level::NotReady => "NOT READY",
            Level::Ready => "READY",
        }
    }
}

/// One question's result.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionScore {
    pub id: String,
    pub state: State,
    /// The status scored (after criteria and evidence rules); `None` when
    /// missing or stale.
    pub status: Option<Status>,
    /// The status written in the answers file.
    pub answered_status: Option<Status>,
    pub weight: f64,
    /// 0..=1; `None` when not applicable.
    pub credit: Option<f64>,
    pub critical: bool,
    pub blocker: bool,
    /// An active waiver covers this question.
    pub waived: bool,
    pub expired_waiver: bool,
    /// Criteria judged met, of the question's criteria.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criteria: Option<(usize, usize)>,
    /// Why the question is skipped, when its condition is false.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// Skipped by a condition that reads other answers.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub skipped_by_answers: bool,
    pub findings: Vec<Finding>,
    /// When its probes last all passed, if the scored status is `met` and
    /// they did: the answer is verified, not only attested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The answer the probes gave, when nobody answered and they all passed.
    #[serde(skip)]
    pub probe_answer: Option<Answer>,
}

impl QuestionScore {
    /// See [`passes`].
    pub fn passes(&self) -> bool {
        passes(self.state, self.status, self.waived)
    }
}

/// Met, or set aside as the gate allows (waived, not applicable, skipped
/// by condition, upcoming): what a maturity level or a campaign needs.
pub fn passes(state: State, status: Option<Status>, waived: bool) -> bool {
    match state {
        State::Skipped | State::Upcoming => true,
        State::Missing | State::Stale => false,
        State::Answered => waived || matches!(status, Some(Status::Met | Status::NotApplicable)),
    }
}

impl QuestionScore {
    pub fn applicable(&self) -> bool {
        self.credit.is_some()
    }
}

/// Sums for a group of questions (a playbook, a section, everything).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Σ weight × credit.
    pub earned: f64,
    /// Σ weight over applicable questions.
    pub possible: f64,
}

impl Tally {
    fn add(&mut self, q: &QuestionScore) {
        if let Some(credit) = q.credit {
            self.earned += q.weight * credit;
            self.possible += q.weight;
        }
    }

    /// 0–100, rounded to one decimal; 100 when nothing is applicable.
    /// Fails closed: sums that are not finite numbers (weights are bounded,
    /// so only a bug could make them) score 0, never NaN.
    pub fn score(&self) -> f64 {
        if !(self.earned.is_finite() && self.possible.is_finite()) {
            return 0.0;
        }
        if self.possible <= 0.0 {
            return 100.0;
        }
        let score = round1(100.0 * self.earned / self.possible);
        if score.is_finite() {
            score.clamp(0.0, 100.0)
        } else {
            0.0
        }
    }
}

pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A playbook's or section's result.
#[derive(Debug, Clone, Serialize)]
pub struct GroupScore {
    pub id: String,
    pub score: f64,
    pub tally: Tally,
    pub questions: usize,
    pub answered: usize,
    pub blockers: usize,
    /// Where the group stands on the maturity levels.
    pub standing: levels::Standing,
}

/// The counts every output shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    pub score: f64,
    pub level: Level,
    pub questions: usize,
    pub answered: usize,
    pub missing: usize,
    pub stale: usize,
    pub blockers: usize,
    pub waived: usize,
    pub expired_waivers: usize,
    pub orphaned: usize,
    pub met: usize,
    pub partial: usize,
    pub unmet: usize,
    pub not_applicable: usize,
    pub expiring_waivers: usize,
    pub evidence_missing: usize,
    pub review: usize,
    pub min_score: f64,
    /// Questions left out because their condition is false (rules 2).
    #[serde(default)]
    pub skipped: usize,
    /// Answers older than their `max_age` (counted in `stale` too).
    #[serde(default)]
    pub expired: usize,
    /// Answers that reach their `max_age` within `gate.warn_days`.
    #[serde(default)]
    pub expiring_answers: usize,
    /// Facts that conditions need and the config does not set.
    #[serde(default)]
    pub missing_facts: usize,
    /// Follow-up actions past their due date.
    #[serde(default)]
    pub overdue: usize,
    /// Roles in `gate.signoffs` without a current sign-off (set when the
    /// report is built, from the sign-offs file).
    #[serde(default)]
    pub signoffs_missing: usize,
    /// Share of applicable questions answered other than not-applicable,
    /// 0-100 (0 when none applies). Reports older than the rule read as 100.
    #[serde(default = "full_coverage")]
    pub coverage: f64,
    /// The gate's `min_coverage` when scored.
    #[serde(default)]
    pub min_coverage: f64,
    /// Questions before their `effective_from` date: not counted.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub upcoming: usize,
    /// The highest maturity level reached (absent: no levels declared, or
    /// not even the lowest reached; the report's `levels` tells which).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achieved_level: Option<String>,
    /// The level the gate asks for (`gate.level`, or from a fact).
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
    /// The achieved level is below the target level.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub below_target: bool,
    /// Each level's questions and how many of them are open, lowest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<LevelTally>,
    /// Questions whose `met` is verified by probes that all passed.
    #[serde(default)]
    pub verified: usize,
    /// The points of the score (0-100) that verified answers earn; the rest
    /// is attested by people.
    #[serde(default)]
    pub verified_score: f64,
    /// Questions whose probe failed on its last run.
    #[serde(default)]
    pub probe_failed: usize,
}

fn full_coverage() -> f64 {
    100.0
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    /// Sets the maturity fields from a group's standing.
    pub fn set_levels(&mut self, o: levels::Outcome) {
        self.achieved_level = o.achieved_level;
        self.target_level = o.target_level;
        self.next_level = o.next_level;
        self.missing_for_next = o.missing_for_next;
        self.missing_for_next_count = o.missing_for_next_count;
        self.below_target = o.below_target;
        self.levels = o.levels;
    }
}

/// Everything scoring produced, in the set's order.
#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub questions: Vec<QuestionScore>,
    pub playbooks: Vec<GroupScore>,
    pub sections: Vec<GroupScore>,
    pub summary: Summary,
    /// Answers whose question no longer exists, by id.
    pub orphaned: Vec<(String, Finding)>,
    /// Facts that conditions read and the config does not set, sorted.
    pub facts_missing: Vec<String>,
    /// The set's maturity levels, lowest first, and the target level.
    pub levels: Vec<String>,
    pub target_level: Option<String>,
}

impl Scores {
    pub fn question(&self, id: &str) -> Option<&QuestionScore> {
        self.questions.iter().find(|q| q.id == id)
    }
}

impl crate::gate::Outcome for Summary {
    fn trips(&self, c: FailOn) -> bool {
        Summary::trips(self, c)
    }
    fn comparable(&self) -> bool {
        self.score.is_finite() && self.min_score.is_finite()
    }
}

impl Summary {
    /// Whether this summary trips gate category `c`.
    pub fn trips(&self, c: FailOn) -> bool {
        let s = self;
        match c {
            FailOn::Missing => s.missing > 0 || s.missing_facts > 0,
            FailOn::Stale => s.stale > 0,
            FailOn::Blocker => s.blockers > 0,
            FailOn::ExpiredWaiver => s.expired_waivers > 0,
            // Fails closed: a NaN or an infinity on either side fails.
            FailOn::BelowScore => {
                !(s.score.is_finite() && s.min_score.is_finite()) || s.score < s.min_score
            }
            FailOn::BelowCoverage => {
                !(s.coverage.is_finite() && s.min_coverage.is_finite())
                    || s.coverage < s.min_coverage
            }
            FailOn::EvidenceMissing => s.evidence_missing > 0,
            FailOn::Orphaned => s.orphaned > 0,
            FailOn::Unmet => s.unmet > 0,
            FailOn::Overdue => s.overdue > 0,
            FailOn::Signoff => s.signoffs_missing > 0,
            FailOn::Level => s.below_target,
            FailOn::ProbeFailed => s.probe_failed > 0,
        }
    }
}

/// Scores every question of `set` against `answers`.
pub fn score(set: &Set, answers: &AnswersFile, ctx: &Context<'_>) -> Scores {
    let mut pass = Pass::new(set, answers, ctx);
    for playbook in &set.playbooks {
        pass.add_playbook(playbook);
    }
    let orphaned = orphans(set, answers, ctx);
    pass.finish(orphaned)
}

/// The summary before any question is counted.
fn empty_summary(gate: &Gate) -> Summary {
    Summary {
        score: 0.0,
        level: Level::NotReady,
        questions: 0,
        answered: 0,
        missing: 0,
        stale: 0,
        blockers: 0,
        waived: 0,
        expired_waivers: 0,
        orphaned: 0,
        met: 0,
        partial: 0,
        unmet: 0,
        not_applicable: 0,
        expiring_waivers: 0,
        evidence_missing: 0,
        review: 0,
        min_score: gate.min_score,
        skipped: 0,
        expired: 0,
        expiring_answers: 0,
        missing_facts: 0,
        overdue: 0,
        signoffs_missing: 0,
        coverage: 0.0,
        min_coverage: gate.min_coverage,
        upcoming: 0,
        achieved_level: None,
        target_level: None,
        next_level: None,
        missing_for_next: Vec::new(),
        missing_for_next_count: 0,
        below_target: false,
        levels: Vec::new(),
        verified: 0,
        verified_score: 0.0,
        probe_failed: 0,
    }
}

/// One scoring of a set: the questions scored so far, in the set's order,
/// and the sums they add to.
struct Pass<'a> {
    set: &'a Set,
    answers: &'a AnswersFile,
    ctx: &'a Context<'a>,
    conditions: conditions::Evaluator<'a>,
    questions: Vec<QuestionScore>,
    playbooks: Vec<GroupScore>,
    sections: Vec<(String, GroupScore)>,
    total: Tally,
    /// What verified answers earn.
    verified: Tally,
    summary: Summary,
    /// Where everything stands on the maturity levels.
    standing: levels::Standing,
    /// Questions whose condition needs facts that are not set, by position
    /// in `questions`, with the facts' names.
    needs_facts: Vec<(usize, Vec<String>)>,
    /// Applicable questions answered other than not-applicable.
    assessed: usize,
}

impl<'a> Pass<'a> {
    /// A pass that has counted nothing yet.
    fn new(set: &'a Set, answers: &'a AnswersFile, ctx: &'a Context<'a>) -> Self {
        Pass {
            set,
            answers,
            ctx,
            conditions: conditions::Evaluator::new(ctx.facts, answers),
            questions: Vec::with_capacity(set.question_count()),
            playbooks: Vec::with_capacity(set.playbooks.len()),
            sections: Vec::new(),
            total: Tally::default(),
            verified: Tally::default(),
            summary: empty_summary(ctx.gate),
            standing: levels::Standing::new(set.levels.len()),
            needs_facts: Vec::new(),
            assessed: 0,
        }
    }

    /// Scores a playbook's questions, and adds its score to its section's.
    fn add_playbook(&mut self, playbook: &Playbook) {
        let mut group = GroupScore {
            id: playbook.id.clone(),
            score: 0.0,
            tally: Tally::default(),
            questions: 0,
            answered: 0,
            blockers: 0,
            standing: levels::Standing::new(self.set.levels.len()),
        };
        for q in &playbook.questions {
            self.add_question(&mut group, playbook, q);
        }
        group.score = group.tally.score();
        if let Some(section) = &playbook.section {
            match self.sections.iter_mut().find(|(id, _)| id == section) {
                Some((_, s)) => merge(s, &group),
                None => self.sections.push((
                    section.clone(),
                    GroupScore {
                        id: section.clone(),
                        ..group.clone()
                    },
                )),
            }
        }
        self.playbooks.push(group);
    }

    /// Scores one question; one that counts is added to `group` and the sums.
    fn add_question(&mut self, group: &mut GroupScore, playbook: &Playbook, q: &Question) {
        let answer = self.answers.get(&q.id);
        if let Some(from) = q.effective_from
            && from > self.ctx.today
        {
            self.summary.upcoming += 1;
            self.questions.push(upcoming(playbook, q, answer, from));
            return;
        }
        let qs = match self.conditions.applies(playbook, q) {
            Applies::No(reason) => {
                self.summary.skipped += 1;
                self.questions.push(skipped(playbook, q, answer, reason));
                return;
            }
            Applies::NeedsFacts(names) => {
                let qs = needing_facts(playbook, q, answer, self.ctx, &names);
                self.needs_facts.push((self.questions.len(), names));
                qs
            }
            Applies::Yes => score_question(playbook, q, answer, self.ctx),
            Applies::Broken(message) => {
                let mut qs = score_question(playbook, q, answer, self.ctx);
                qs.findings.push(Finding::warning(
                    Code::Condition,
                    Location::at(&playbook.path, q.line, 0),
                    format!("{}: {message}", q.id),
                ));
                qs
            }
        };
        self.count(group, playbook, q, &qs);
        self.questions.push(qs);
    }

    /// Adds a counted question to its playbook's `group` and to the sums.
    fn count(
        &mut self,
        group: &mut GroupScore,
        playbook: &Playbook,
        q: &Question,
        qs: &QuestionScore,
    ) {
        group.tally.add(qs);
        self.total.add(qs);
        let level_names = &self.set.levels;
        if let Some(rank) = levels::rank(level_names, self.set.level_of(playbook, q)).checked_sub(1)
        {
            let passes = qs.passes();
            group.standing.add(rank, passes, &q.id);
            self.standing.add(rank, passes, &q.id);
        }
        if qs.verified.is_some() {
            self.summary.verified += 1;
            self.verified.add(qs);
        }
        group.questions += 1;
        self.summary.questions += 1;
        if qs.state == State::Answered {
            group.answered += 1;
            if qs.status != Some(Status::NotApplicable) {
                self.assessed += 1;
            }
        }
        if qs.blocker {
            group.blockers += 1;
        }
        count_in_summary(&mut self.summary, qs);
    }

    /// The scores, once every playbook is added and `orphaned` is known.
    fn finish(mut self, orphaned: Vec<(String, Finding)>) -> Scores {
        let ctx = self.ctx;
        let summary = &mut self.summary;
        summary.orphaned = orphaned.len();
        let (open_facts, facts_missing) =
            settle_missing_facts(&mut self.questions, &self.needs_facts);
        summary.missing_facts = open_facts;
        summary.coverage = if summary.questions == 0 {
            0.0
        } else {
            round1(100.0 * self.assessed as f64 / summary.questions as f64)
        };
        summary.score = if self.set.question_count() == 0 {
            0.0
        } else {
            self.total.score()
        };
        summary.verified_score = if self.total.possible > 0.0 && self.verified.earned.is_finite() {
            round1(100.0 * self.verified.earned / self.total.possible).clamp(0.0, summary.score)
        } else {
            0.0
        };
        summary.level = readiness(summary);
        let target_level = levels::target(ctx.gate, ctx.facts);
        summary.set_levels(
            self.standing
                .outcome(&self.set.levels, target_level.as_deref()),
        );
        Scores {
            questions: self.questions,
            playbooks: self.playbooks,
            sections: self
                .sections
                .into_iter()
                .map(|(_, mut s)| {
                    s.score = s.tally.score();
                    s
                })
                .collect(),
            summary: self.summary,
            orphaned,
            facts_missing,
            levels: self.set.levels.clone(),
            target_level,
        }
    }
}

/// A question whose condition needs facts that are not set: scored as if
/// it applies, with an error saying which facts to set.
fn needing_facts(
    playbook: &Playbook,
    q: &Question,
    answer: Option<&Answer>,
    ctx: &Context<'_>,
    names: &[String],
) -> QuestionScore {
    let mut qs = score_question(playbook, q, answer, ctx);
    qs.findings.push(Finding::error(
        Code::FactMissing,
        Location::at(&playbook.path, q.line, 0),
        format!(
            "{}: applies if `{}`, but supportcheck.yaml does not set {}; it is asked and counted until then (`supportcheck audit` asks for it)",
            q.id,
            condition_text(playbook, q),
            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        ),
    ));
    qs
}

/// Adds a counted question's state, status, blocker, waiver and findings
/// to the summary's counts.
fn count_in_summary(summary: &mut Summary, qs: &QuestionScore) {
    match qs.state {
        State::Answered => summary.answered += 1,
        State::Missing => summary.missing += 1,
        State::Stale => summary.stale += 1,
        State::Skipped | State::Upcoming => {}
    }
    match qs.status {
        Some(Status::Met) => summary.met += 1,
        Some(Status::Partial) => summary.partial += 1,
        Some(Status::Unmet) => summary.unmet += 1,
        Some(Status::NotApplicable) => summary.not_applicable += 1,
        None => {}
    }
    if qs.blocker {
        summary.blockers += 1;
    }
    summary.waived += usize::from(qs.waived);
    summary.expired_waivers += usize::from(qs.expired_waiver);
    for f in &qs.findings {
        match f.code {
            Code::WaiverExpiring => summary.expiring_waivers += 1,
            Code::EvidenceMissing => summary.evidence_missing += 1,
            Code::Review => summary.review += 1,
            Code::Expired => summary.expired += 1,
            Code::AnswerExpiring => summary.expiring_answers += 1,
            Code::Overdue => summary.overdue += 1,
            Code::ProbeFailed => summary.probe_failed += 1,
            _ => {}
        }
    }
}

/// A finding for each answer whose question is not in `set`; the first
/// few say which question was perhaps meant.
fn orphans(set: &Set, answers: &AnswersFile, ctx: &Context<'_>) -> Vec<(String, Finding)> {
    let known: BTreeSet<&str> = set.questions().map(|(_, q)| q.id.as_str()).collect();
    answers
        .answers
        .iter()
        .filter(|(id, a)| !known.contains(id.as_str()) && !a.is_empty())
        .enumerate()
        .map(|(i, (id, a))| {
            // A suggestion costs a look at every question: only the first
            // few orphans get one, so many orphans stay linear.
            let hint = (i < SUGGESTED_ORPHANS)
                .then(|| crate::suggest::closest(id, set.questions().map(|(_, q)| q.id.as_str())))
                .flatten()
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            let finding = Finding::warning(
                Code::Orphaned,
                Location::at(ctx.answers_path, a.line, 3),
                format!(
                    "`{id}` answers a question that is not in the loaded playbooks (kept in the file){hint}"
                ),
            );
            (id.clone(), finding)
        })
        .collect()
}

/// How many facts are missing where they could change the verdict, and
/// every missing fact, sorted. A missing fact fails the gate only while a
/// question it decides is unanswered (or stale); when every one is
/// answered, its findings become warnings.
fn settle_missing_facts(
    questions: &mut [QuestionScore],
    needs_facts: &[(usize, Vec<String>)],
) -> (usize, Vec<String>) {
    let mut facts_needed: BTreeSet<String> = BTreeSet::new();
    let mut open_facts: BTreeSet<&str> = BTreeSet::new();
    for (i, names) in needs_facts {
        facts_needed.extend(names.iter().cloned());
        if questions[*i].state != State::Answered {
            open_facts.extend(names.iter().map(String::as_str));
        }
    }
    for (i, names) in needs_facts {
        if names.iter().any(|n| open_facts.contains(n.as_str())) {
            continue;
        }
        if let Some(f) = questions[*i]
            .findings
            .iter_mut()
            .find(|f| f.code == Code::FactMissing)
        {
            f.severity = Severity::Warning;
            f.message = format!(
                "{}; the question is answered, so the missing fact cannot change the verdict (a warning)",
                f.message
            );
        }
    }
    (open_facts.len(), facts_needed.into_iter().collect())
}

/// Blocked with any blocker; ready when the score reaches the bar with
/// nothing missing, stale or short of coverage; else not ready.
fn readiness(summary: &Summary) -> Level {
    if summary.blockers > 0 {
        Level::Blocked
    } else if summary.score >= summary.min_score
        && summary.score.is_finite()
        && summary.missing == 0
        && summary.stale == 0
        && summary.missing_facts == 0
        && !summary.trips(FailOn::BelowCoverage)
    {
        Level::Ready
    } else {
        Level::NotReady
    }
}

/// A question before its `effective_from` date: out of every sum, with a
/// note saying from when it counts; an answer it has is kept.
fn upcoming(
    playbook: &Playbook,
    q: &Question,
    answer: Option<&Answer>,
    from: NaiveDate,
) -> QuestionScore {
    QuestionScore {
        id: q.id.clone(),
        state: State::Upcoming,
        skipped_by_answers: false,
        verified: None,
        probe_answer: None,
        status: None,
        answered_status: answer.and_then(|a| a.status),
        weight: q.weight,
        credit: None,
        critical: q.critical,
        blocker: false,
        waived: false,
        expired_waiver: false,
        criteria: None,
        findings: vec![Finding::note(
            Code::Upcoming,
            Location::at(&playbook.path, q.line, 0),
            format!("{}: upcoming: counts from {from}", q.id),
        )],
        skipped: None,
    }
}

/// A question not applicable by condition: out of every sum, with a note
/// saying why; an answer it has is kept and shown as not counted.
fn skipped(
    playbook: &Playbook,
    q: &Question,
    answer: Option<&Answer>,
    reason: String,
) -> QuestionScore {
    let kept = answer
        .and_then(|a| a.status)
        .map(|s| format!(" (its answer, {s}, is kept and not counted)"))
        .unwrap_or_default();
    QuestionScore {
        id: q.id.clone(),
        state: State::Skipped,
        status: None,
        answered_status: answer.and_then(|a| a.status),
        weight: q.weight,
        credit: None,
        critical: q.critical,
        blocker: false,
        waived: false,
        expired_waiver: false,
        criteria: None,
        skipped_by_answers: [&playbook.applies_if, &q.applies_if]
            .into_iter()
            .flatten()
            .any(|c| c.names.iter().any(|n| n == "answers")),
        findings: vec![Finding::note(
            Code::Skipped,
            Location::at(&playbook.path, q.line, 0),
            format!("{}: skipped: {reason}{kept}", q.id),
        )],
        skipped: Some(reason),
        verified: None,
        probe_answer: None,
    }
}

/// The condition a question is under, as written: the playbook's and its own.
fn condition_text(playbook: &Playbook, q: &Question) -> String {
    [&playbook.applies_if, &q.applies_if]
        .into_iter()
        .flatten()
        .map(|c| c.shown())
        .collect::<Vec<_>>()
        .join("` and `")
}

/// Whether an answer is past its `max_age` (the question's, else the
/// playbook's, else the gate's): `Some(Err(message))` when expired,
/// `Some(Ok(message))` when it expires within `warn_days`.
fn age_check(
    playbook: &Playbook,
    q: &Question,
    answer: &Answer,
    ctx: &Context<'_>,
) -> Option<Result<String, String>> {
    let max_age = q.max_age.or(playbook.max_age).or(ctx.gate.max_age)?;
    let Some(at) = answer.answered_at else {
        return Some(Err(format!(
            "has no answered_at, so its age is unknown and max_age {max_age} cannot be met; counted as stale until re-confirmed (`supportcheck audit --stale`)"
        )));
    };
    let day = at.date_naive();
    let last = max_age.last_valid_day(day)?;
    if ctx.today > last {
        Some(Err(format!(
            "answered on {day}, more than max_age {max_age} ago (valid until {last}); counted as stale until re-confirmed (`supportcheck audit --stale`)"
        )))
    } else if (last - ctx.today).num_days() <= ctx.gate.warn_days {
        Some(Ok(format!(
            "answered on {day}: reaches max_age {max_age} on {last} ({} days); re-confirm it with `supportcheck audit --stale`",
            (last - ctx.today).num_days()
        )))
    } else {
        None
    }
}

fn merge(into: &mut GroupScore, g: &GroupScore) {
    into.tally.earned += g.tally.earned;
    into.tally.possible += g.tally.possible;
    into.questions += g.questions;
    into.answered += g.answered;
    into.blockers += g.blockers;
}

/// Findings of one kind (say `evidence-missing`) one answer may produce
/// before the rest are counted in a single finding.
pub const MAX_FINDINGS_PER_KIND: usize = 10;

/// Scores question `q` of `playbook` against its answer (or, when nobody
/// answered, what its probes say).
fn score_question(
    playbook: &Playbook,
    q: &Question,
    answer: Option<&Answer>,
    ctx: &Context<'_>,
) -> QuestionScore {
    let mut judging = Judging {
        playbook,
        q,
        ctx,
        loc: Location::at(&playbook.path, q.line, 0),
        findings: Vec::new(),
    };
    // What the last probe results say; a question nobody answered whose
    // probes all passed is answered `met` by them, and scored like any answer.
    let verdict = crate::probe::verdict(
        &q.id,
        &q.probes,
        ctx.facts,
        ctx.probes,
        q.max_age.or(playbook.max_age).or(ctx.gate.max_age),
        ctx.today,
    );
    let probe_answer = match &verdict {
        Some(Verdict::Pass { at, targets }) if answer.is_none_or(|a| a.status.is_none()) => {
            Some(crate::probe::answer_for(q, *at, targets))
        }
        _ => None,
    };
    let answer = probe_answer.as_ref().or(answer);
    let probe_failed = matches!(verdict, Some(Verdict::Fail { .. }));
    let mut out = unscored(q, answer);
    if let Some(answer) = answer
        && let Some(status) = answer.status
    {
        judging.answered(&mut out, answer, status, probe_failed);
    }
    judging.probes(&mut out, &verdict, probe_answer.is_some());
    out.probe_answer = probe_answer.clone();
    judging.shortfall(&out, answer);
    judging.overdue(&out, answer);
    judging.waiver(&mut out, answer);
    out.findings = judging.findings;
    out
}

/// A question's score before its answer is judged: missing, no credit.
fn unscored(q: &Question, answer: Option<&Answer>) -> QuestionScore {
    QuestionScore {
        id: q.id.clone(),
        state: State::Missing,
        status: None,
        answered_status: answer.and_then(|a| a.status),
        weight: q.weight,
        credit: Some(0.0),
        critical: q.critical,
        blocker: false,
        waived: false,
        expired_waiver: false,
        criteria: None,
        skipped: None,
        skipped_by_answers: false,
        findings: Vec::new(),
        verified: None,
        probe_answer: None,
    }
}

/// One question being scored: what it is judged by, and its findings so far.
struct Judging<'a> {
    playbook: &'a Playbook,
    q: &'a Question,
    ctx: &'a Context<'a>,
    /// Where the findings point: the question in its playbook.
    loc: Location,
    findings: Vec<Finding>,
}

impl Judging<'_> {
    /// Adds a finding about the question.
    fn finding(&mut self, severity: Severity, code: Code, message: String) {
        self.findings.push(Finding {
            location: self.loc.clone(),
            severity,
            code,
            message: format!("{}: {message}", self.q.id),
        });
    }

    /// Judges an answer with a status: stale, expired or without a reason
    /// for not-applicable, or answered and credited.
    fn answered(
        &mut self,
        out: &mut QuestionScore,
        answer: &Answer,
        status: Status,
        probe_failed: bool,
    ) {
        let q = self.q;
        let age = self.age(answer);
        if let Some(Ok(message)) = &age {
            self.finding(Severity::Warning, Code::AnswerExpiring, message.clone());
        }
        // The same rule as `audit` asks by (`answers::open`), after max_age.
        let open = crate::answers::open(Some(answer), &q.version);
        if let Some(Err(message)) = age {
            out.state = State::Stale;
            self.finding(Severity::Error, Code::Expired, message);
        } else if open == Some(Open::Stale) {
            out.state = State::Stale;
            self.finding(
                Severity::Error,
                Code::Stale,
                format!(
                    "answered for version {}, the question is now {}; answer it again (`supportcheck audit --stale`)",
                    answer.question_version.as_ref().map(ToString::to_string).unwrap_or_default(),
                    q.version
                ),
            );
        } else if open == Some(Open::NoReason) {
            self.finding(
                Severity::Error,
                Code::NaReason,
                "not-applicable needs a note giving the reason; counted as missing".into(),
            );
        } else {
            out.state = State::Answered;
            self.credit(out, answer, status, probe_failed);
        }
    }

    /// How old the answer is: `Some(Err(message))` when in the future or
    /// expired, `Some(Ok(message))` when it expires soon (see [`age_check`]).
    fn age(&self, answer: &Answer) -> Option<Result<String, String>> {
        let ctx = self.ctx;
        let future = answer.answered_at.filter(|at| {
            at.with_timezone(&Utc) > ctx.now + chrono::TimeDelta::minutes(CLOCK_SKEW_MINUTES)
        });
        match future {
            Some(at) => Some(Err(format!(
                "answered_at {} is in the future, so its age is unknown; counted as stale until re-confirmed (`supportcheck audit --stale`)",
                at.to_rfc3339()
            ))),
            None => age_check(self.playbook, self.q, answer, ctx),
        }
    }

    /// The status and credit of an answer that counts, with a warning when
    /// it was given for an older minor version of the question.
    fn credit(
        &mut self,
        out: &mut QuestionScore,
        answer: &Answer,
        status: Status,
        probe_failed: bool,
    ) {
        let (q, ctx) = (self.q, self.ctx);
        if let Some(v) = &answer.question_version
            && v.minor != q.version.minor
        {
            self.finding(
                Severity::Warning,
                Code::Review,
                format!(
                    "answered for version {v}, the question is now {}: review the answer",
                    q.version
                ),
            );
        }
        // At most MAX_FINDINGS_PER_KIND findings of a kind, then one
        // that counts the rest: output stays bounded by what it says.
        let mut per_code: std::collections::BTreeMap<Code, usize> = Default::default();
        let (effective, credit) = credit_of(
            q,
            answer,
            status,
            &mut |code, msg| {
                let n = per_code.entry(code).or_default();
                *n += 1;
                if *n <= MAX_FINDINGS_PER_KIND {
                    self.finding(Severity::Warning, code, msg);
                }
            },
            ctx,
            &mut out.criteria,
            probe_failed,
        );
        for (code, n) in per_code {
            if n > MAX_FINDINGS_PER_KIND {
                self.finding(
                    Severity::Warning,
                    code,
                    format!(
                        "and {} more like the above",
                        crate::diagnostic::thousands(n - MAX_FINDINGS_PER_KIND)
                    ),
                );
            }
        }
        out.status = Some(effective);
        out.credit = credit;
    }

    /// What the probes' last run says about the question: verified, failed
    /// (a met answer counts as partial), or could not tell.
    fn probes(&mut self, out: &mut QuestionScore, verdict: &Option<Verdict>, by_probes: bool) {
        match verdict {
            Some(Verdict::Pass { at, .. }) if out.status == Some(Status::Met) => {
                out.verified = Some(*at);
                let message = if by_probes {
                    format!(
                        "answered met by its probes, which all passed on {}",
                        at.date_naive()
                    )
                } else {
                    format!("verified: its probes all passed on {}", at.date_naive())
                };
                self.finding(Severity::Note, Code::Verified, message);
            }
            Some(Verdict::Pass { at, .. }) => self.finding(
                Severity::Note,
                Code::Verified,
                format!(
                    "its probes all passed on {}; the answer stays as given",
                    at.date_naive()
                ),
            ),
            Some(Verdict::Fail {
                at,
                target,
                reason,
                seen,
            }) => {
                let effect =
                    if out.answered_status == Some(Status::Met) && out.state == State::Answered {
                        "; the met answer counts as partial"
                    } else {
                        ""
                    };
                self.finding(
                    Severity::Warning,
                    Code::ProbeFailed,
                    format!(
                        "probe failed on {}: {target}: {reason} (seen: {seen}){effect}",
                        at.date_naive()
                    ),
                );
            }
            Some(Verdict::Unknown { reason }) => self.finding(
                Severity::Note,
                Code::ProbeError,
                format!("{reason}; this changes nothing"),
            ),
            None => {}
        }
    }

    /// An error when the question is not answered, a warning when it is
    /// unmet or partly met.
    fn shortfall(&mut self, out: &QuestionScore, answer: Option<&Answer>) {
        if out.state == State::Missing && !self.findings.iter().any(|f| f.code == Code::NaReason) {
            let message = match answer.and_then(crate::answers::misspelt_status) {
                Some(key) => format!(
                    "not answered: the answer has `{key}` but no `status`; did you mean `status`?"
                ),
                None => "not answered".into(),
            };
            self.finding(Severity::Error, Code::Missing, message);
        }
        let expectation = &self.q.expectation;
        match out.status {
            Some(Status::Unmet) => self.finding(
                Severity::Warning,
                Code::Unmet,
                format!("unmet; expected: {expectation}"),
            ),
            Some(Status::Partial) => self.finding(
                Severity::Warning,
                Code::Partial,
                format!("partially met; expected: {expectation}"),
            ),
            _ => {}
        }
    }

    /// A warning when the follow-up action of a gap is past its due date.
    fn overdue(&mut self, out: &QuestionScore, answer: Option<&Answer>) {
        if let Some(action) = answer.and_then(|a| a.action.as_ref())
            && let Some(due) = action.due
            && due < self.ctx.today
            && matches!(out.status, Some(Status::Partial | Status::Unmet))
        {
            // The owner is named by every finding; `who` only when it is someone else.
            self.finding(
                Severity::Warning,
                Code::Overdue,
                format!(
                    "action overdue since {due}{}: {}",
                    action
                        .who
                        .as_deref()
                        .map(|w| format!(" ({w})"))
                        .unwrap_or_default(),
                    action.what
                ),
            );
        }
    }

    /// What the answer's waiver does: waives a gap while active, and a
    /// critical question not met (or set aside without approval) blocks.
    fn waiver(&mut self, out: &mut QuestionScore, answer: Option<&Answer>) {
        let (q, today) = (self.q, self.ctx.today);
        let waiver = answer.and_then(|a| a.waiver.as_ref());
        let active = waiver.is_some_and(|w| w.expires >= today);
        let unapproved_na = self.unapproved_na(out, waiver.filter(|_| active).map(|w| &**w));
        let not_met = out.credit.is_some() && out.status != Some(Status::Met);
        if let Some(w) = waiver {
            self.waiver_expiry(out, w);
        }
        if unapproved_na {
            out.blocker = true;
        } else if not_met && active {
            out.waived = true;
        }
        if q.critical && not_met && !active && !unapproved_na {
            out.blocker = true;
            self.finding(
                Severity::Error,
                Code::Blocker,
                "critical question not met: this blocks the launch until it is met or waived"
                    .into(),
            );
        }
    }

    /// Whether a critical question is set aside as not applicable without
    /// the approval it needs: what a waiver gives (an active waiver with a
    /// reason) approved by a person in the question's owner role. Without
    /// it, it counts as not met.
    fn unapproved_na(
        &mut self,
        out: &mut QuestionScore,
        active_waiver: Option<&crate::answers::Waiver>,
    ) -> bool {
        if !(self.q.critical && out.status == Some(Status::NotApplicable)) {
            return false;
        }
        let why = na_approval(self.q, active_waiver, self.ctx);
        if let Some(why) = &why {
            out.credit = Some(0.0);
            self.finding(
                Severity::Error,
                Code::Blocker,
                format!(
                    "critical question marked not-applicable without approval ({why}); it counts as not met and blocks the launch until it is met or approved"
                ),
            );
        }
        why.is_some()
    }

    /// An error when the waiver has expired, a warning when it expires
    /// within `warn_days`.
    fn waiver_expiry(&mut self, out: &mut QuestionScore, w: &crate::answers::Waiver) {
        let ctx = self.ctx;
        if w.expires < ctx.today {
            out.expired_waiver = true;
            self.finding(
                Severity::Error,
                Code::ExpiredWaiver,
                format!(
                    "waiver expired on {}; it no longer waives anything",
                    w.expires
                ),
            );
        } else if (w.expires - ctx.today).num_days() <= ctx.gate.warn_days {
            self.finding(
                Severity::Warning,
                Code::WaiverExpiring,
                format!(
                    "waiver expires on {} ({} days)",
                    w.expires,
                    (w.expires - ctx.today).num_days()
                ),
            );
        }
    }
}

/// Why a critical question's not-applicable is not approved, or `None`
/// when it is: `waiver` (active) must give a reason and be approved by a
/// person in the question's owner role (any named approver when the
/// question has no owner role).
fn na_approval(
    q: &Question,
    waiver: Option<&crate::answers::Waiver>,
    ctx: &Context<'_>,
) -> Option<String> {
    let Some(w) = waiver else {
        return Some("no active waiver with a reason and an approver".into());
    };
    if w.reason.trim().is_empty() {
        return Some("the waiver gives no reason".into());
    }
    let Some(by) = w
        .approved_by
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
    else {
        return Some("the waiver has no `approved_by`".into());
    };
    // Without an owner role, any named approver approves.
    let role = q.owner.as_deref()?;
    let people = ctx.owners.get(role).map(Vec::as_slice).unwrap_or_default();
    if people.iter().any(|p| p.trim().eq_ignore_ascii_case(by)) {
        None
    } else {
        Some(format!("`{by}` is not a person of its owner role `{role}`"))
    }
}

/// The scored status and credit of an answered question.
fn credit_of(
    q: &Question,
    answer: &Answer,
    status: Status,
    note: &mut dyn FnMut(Code, String),
    ctx: &Context<'_>,
    criteria_out: &mut Option<(usize, usize)>,
    probe_failed: bool,
) -> (Status, Option<f64>) {
    if status == Status::NotApplicable {
        return (Status::NotApplicable, None);
    }
    let (mut status, mut credit) = if q.criteria.is_empty() {
        (status, base_credit(status))
    } else {
        let listed = answer.criteria_met.clone().unwrap_or_default();
        for id in &listed {
            if !q.criteria.iter().any(|c| &c.id == id) {
                note(
                    Code::Criteria,
                    format!("criteria_met names `{id}`, which is not a criterion of this question"),
                );
            }
        }
        let met = q.criteria.iter().filter(|c| listed.contains(&c.id)).count();
        let all = q.criteria.len();
        *criteria_out = Some((met, all));
        let derived = Status::from_criteria(met, all);
        if derived != status {
            note(
                Code::Criteria,
                format!(
                    "status says {status} but {met} of {all} criteria are met; scored as {derived}"
                ),
            );
        }
        (derived, met as f64 / all as f64)
    };
    // "Counted as partial" earns what the best partial answer earns: 0.5, or
    // with criteria all but one of them, so that meeting one more criterion
    // never lowers the credit.
    let partial_cap = match q.criteria.len() {
        n if n >= 2 => ((n - 1) as f64 / n as f64).max(0.5),
        _ => 0.5,
    };
    if status == Status::Met && q.evidence_required && answer.evidence.is_empty() {
        note(
            Code::EvidenceRequired,
            "met without evidence on a question that requires it; counted as partial".into(),
        );
        status = Status::Partial;
        credit = credit.min(partial_cap);
    }
    let missing: Vec<&String> = answer
        .evidence
        .iter()
        .filter(|e| !is_url(e) && ctx.missing_evidence.contains(*e))
        .collect();
    for path in &missing {
        note(
            Code::EvidenceMissing,
            format!("evidence `{path}` is not a file or non-empty folder inside the project"),
        );
    }
    if status == Status::Met && (!missing.is_empty() || probe_failed) {
        status = Status::Partial;
        credit = credit.min(partial_cap);
    }
    (status, Some(credit))
}

fn base_credit(status: Status) -> f64 {
    match status {
        Status::Met => 1.0,
        Status::Partial => 0.5,
        Status::Unmet | Status::NotApplicable => 0.0,
    }
}

#[cfg(test)]
mod tests;
