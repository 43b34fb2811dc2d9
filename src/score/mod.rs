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

use crate::answers::{Answer, AnswersFile, Open, Status, is_url};
use crate::conditions::{self, Applies};
use crate::diagnostic::{Code, Finding, Location, Severity};
use crate::gate::{self, FailOn, Gate};
use crate::playbook::{Playbook, Question, Set};
use crate::probe::Verdict;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The version of these rules, carried by every report.
/// 2: questions skipped by a false `applies_if` leave the sums, and answers
/// older than `max_age` count as unanswered (docs/scoring.md).
pub const SCORING_VERSION: u32 = 2;

/// What scoring needs besides playbooks and answers.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub today: NaiveDate,
    pub gate: &'a Gate,
    /// Evidence paths (as written in the answers) that do not exist.
    pub missing_evidence: &'a BTreeSet<String>,
    /// Shown path of the answers file, for orphan findings.
    pub answers_path: &'a str,
    /// The project's facts (`supportcheck.yaml`), read by `applies_if`.
    pub facts: &'a crate::conditions::Facts,
    /// The last probe results (`readiness/probes.jsonl`);
    /// [`crate::probe::NO_RESULTS`] when none.
    pub probes: &'a crate::probe::Latest,
}

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
}

impl Scores {
    pub fn question(&self, id: &str) -> Option<&QuestionScore> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Gate categories that fail under `fail_on`. A score that is not a
    /// finite number fails the gate as `below-score` even when that category
    /// is not asked for: no gate passes on a number it cannot compare.
    pub fn failed(&self, fail_on: &[FailOn]) -> Vec<FailOn> {
        let mut asked = fail_on.to_vec();
        if !(self.summary.score.is_finite() && self.summary.min_score.is_finite()) {
            asked.push(FailOn::BelowScore);
        }
        gate::failed(&asked, |c| self.summary.trips(c))
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
            FailOn::EvidenceMissing => s.evidence_missing > 0,
            FailOn::Orphaned => s.orphaned > 0,
            FailOn::Unmet => s.unmet > 0,
            FailOn::Overdue => s.overdue > 0,
            FailOn::Signoff => s.signoffs_missing > 0,
            FailOn::ProbeFailed => s.probe_failed > 0,
        }
    }
}

/// Scores every question of `set` against `answers`.
pub fn score(set: &Set, answers: &AnswersFile, ctx: &Context<'_>) -> Scores {
    let mut questions = Vec::with_capacity(set.question_count());
    let mut playbooks = Vec::with_capacity(set.playbooks.len());
    let mut sections: Vec<(String, GroupScore)> = Vec::new();
    let mut total = Tally::default();
    let mut summary = Summary {
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
        min_score: ctx.gate.min_score,
        skipped: 0,
        expired: 0,
        expiring_answers: 0,
        missing_facts: 0,
        overdue: 0,
        signoffs_missing: 0,
        verified: 0,
        verified_score: 0.0,
        probe_failed: 0,
    };
    let mut verified = Tally::default();
    let mut facts_needed: BTreeSet<String> = BTreeSet::new();
    let conditions = conditions::Evaluator::new(ctx.facts, answers);

    for playbook in &set.playbooks {
        let mut group = GroupScore {
            id: playbook.id.clone(),
            score: 0.0,
            tally: Tally::default(),
            questions: 0,
            answered: 0,
            blockers: 0,
        };
        for q in &playbook.questions {
            let qs = match conditions.applies(playbook, q) {
                Applies::No(reason) => {
                    summary.skipped += 1;
                    questions.push(skipped(playbook, q, answers.get(&q.id), reason));
                    continue;
                }
                Applies::Yes => score_question(playbook, q, answers.get(&q.id), ctx),
                Applies::NeedsFacts(names) => {
                    let mut qs = score_question(playbook, q, answers.get(&q.id), ctx);
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
                    facts_needed.extend(names);
                    qs
                }
                Applies::Broken(message) => {
                    let mut qs = score_question(playbook, q, answers.get(&q.id), ctx);
                    qs.findings.push(Finding::warning(
                        Code::Condition,
                        Location::at(&playbook.path, q.line, 0),
                        format!("{}: {message}", q.id),
                    ));
                    qs
                }
            };
            group.tally.add(&qs);
            total.add(&qs);
            if qs.verified.is_some() {
                summary.verified += 1;
                verified.add(&qs);
            }
            group.questions += 1;
            summary.questions += 1;
            match qs.state {
                State::Answered => {
                    group.answered += 1;
                    summary.answered += 1;
                }
                State::Missing => summary.missing += 1,
                State::Stale => summary.stale += 1,
                State::Skipped => {}
            }
            match qs.status {
                Some(Status::Met) => summary.met += 1,
                Some(Status::Partial) => summary.partial += 1,
                Some(Status::Unmet) => summary.unmet += 1,
                Some(Status::NotApplicable) => summary.not_applicable += 1,
                None => {}
            }
            if qs.blocker {
                group.blockers += 1;
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
            questions.push(qs);
        }
        group.score = group.tally.score();
        if let Some(section) = &playbook.section {
            match sections.iter_mut().find(|(id, _)| id == section) {
                Some((_, s)) => merge(s, &group),
                None => sections.push((
                    section.clone(),
                    GroupScore {
                        id: section.clone(),
                        ..group.clone()
                    },
                )),
            }
        }
        playbooks.push(group);
    }

    let known: BTreeSet<&str> = set.questions().map(|(_, q)| q.id.as_str()).collect();
    let orphaned: Vec<(String, Finding)> = answers
        .answers
        .iter()
        .filter(|(id, a)| !known.contains(id.as_str()) && !a.is_empty())
        .map(|(id, a)| {
            let finding = Finding::warning(
                Code::Orphaned,
                Location::at(ctx.answers_path, a.line, 3),
                format!(
                    "`{id}` answers a question that is not in the loaded playbooks (kept in the file){}",
                    crate::suggest::closest(id, set.questions().map(|(_, q)| q.id.as_str()))
                        .map(|c| format!("; did you mean `{c}`?"))
                        .unwrap_or_default()
                ),
            );
            (id.clone(), finding)
        })
        .collect();
    summary.orphaned = orphaned.len();
    summary.missing_facts = facts_needed.len();
    let facts_missing: Vec<String> = facts_needed.into_iter().collect();
    summary.score = if set.question_count() == 0 {
        0.0
    } else {
        total.score()
    };
    summary.verified_score = if total.possible > 0.0 && verified.earned.is_finite() {
        round1(100.0 * verified.earned / total.possible).clamp(0.0, summary.score)
    } else {
        0.0
    };
    summary.level = if summary.blockers > 0 {
        Level::Blocked
    } else if summary.score >= summary.min_score
        && summary.score.is_finite()
        && summary.missing == 0
        && summary.stale == 0
        && summary.missing_facts == 0
    {
        Level::Ready
    } else {
        Level::NotReady
    };

    Scores {
        questions,
        playbooks,
        sections: sections
            .into_iter()
            .map(|(_, mut s)| {
                s.score = s.tally.score();
                s
            })
            .collect(),
        summary,
        orphaned,
        facts_missing,
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
            "has no answered_at, so its age is unknown and max_age {max_age} cannot be met; counted as unanswered until re-confirmed (`supportcheck audit --stale`)"
        )));
    };
    let day = at.date_naive();
    let last = max_age.last_valid_day(day)?;
    if ctx.today > last {
        Some(Err(format!(
            "answered on {day}, more than max_age {max_age} ago (valid until {last}); counted as unanswered until re-confirmed (`supportcheck audit --stale`)"
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

fn score_question(
    playbook: &Playbook,
    q: &Question,
    answer: Option<&Answer>,
    ctx: &Context<'_>,
) -> QuestionScore {
    let loc = Location::at(&playbook.path, q.line, 0);
    let mut findings = Vec::new();
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
    let finding = |severity: Severity, code: Code, message: String| Finding {
        location: loc.clone(),
        severity,
        code,
        message: format!("{}: {message}", q.id),
    };
    let mut out = QuestionScore {
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
        findings: Vec::new(),
        verified: None,
        probe_answer: None,
    };

    if let Some(answer) = answer
        && let Some(status) = answer.status
    {
        let age = age_check(playbook, q, answer, ctx);
        if let Some(Ok(message)) = &age {
            findings.push(finding(
                Severity::Warning,
                Code::AnswerExpiring,
                message.clone(),
            ));
        }
        // The same rule as `audit` asks by (`answers::open`), after max_age.
        let open = crate::answers::open(Some(answer), &q.version);
        if let Some(Err(message)) = age {
            out.state = State::Stale;
            findings.push(finding(Severity::Error, Code::Expired, message));
        } else if open == Some(Open::Stale) {
            out.state = State::Stale;
            findings.push(finding(
                Severity::Error,
                Code::Stale,
                format!(
                    "answered for version {}, the question is now {}; answer it again (`supportcheck audit --stale`)",
                    answer.question_version.as_ref().map(ToString::to_string).unwrap_or_default(),
                    q.version
                ),
            ));
        } else if open == Some(Open::NoReason) {
            findings.push(finding(
                Severity::Error,
                Code::NaReason,
                "not-applicable needs a note giving the reason; counted as unanswered".into(),
            ));
        } else {
            out.state = State::Answered;
            if let Some(v) = &answer.question_version
                && v.minor != q.version.minor
            {
                findings.push(finding(
                    Severity::Warning,
                    Code::Review,
                    format!(
                        "answered for version {v}, the question is now {}: review the answer",
                        q.version
                    ),
                ));
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
                        findings.push(finding(Severity::Warning, code, msg));
                    }
                },
                ctx,
                &mut out.criteria,
                probe_failed,
            );
            for (code, n) in per_code {
                if n > MAX_FINDINGS_PER_KIND {
                    findings.push(finding(
                        Severity::Warning,
                        code,
                        format!(
                            "and {} more like the above",
                            crate::diagnostic::thousands(n - MAX_FINDINGS_PER_KIND)
                        ),
                    ));
                }
            }
            out.status = Some(effective);
            out.credit = credit;
        }
    }

    match &verdict {
        Some(Verdict::Pass { at, .. }) if out.status == Some(Status::Met) => {
            out.verified = Some(*at);
            findings.push(finding(
                Severity::Note,
                Code::Verified,
                if probe_answer.is_some() {
                    format!(
                        "answered met by its probes, which all passed on {}",
                        at.date_naive()
                    )
                } else {
                    format!("verified: its probes all passed on {}", at.date_naive())
                },
            ));
        }
        Some(Verdict::Pass { at, .. }) => findings.push(finding(
            Severity::Note,
            Code::Verified,
            format!(
                "its probes all passed on {}; the answer stays as given",
                at.date_naive()
            ),
        )),
        Some(Verdict::Fail {
            at,
            target,
            reason,
            seen,
        }) => {
            let effect = if out.answered_status == Some(Status::Met) && out.state == State::Answered
            {
                "; the met answer counts as partial"
            } else {
                ""
            };
            findings.push(finding(
                Severity::Warning,
                Code::ProbeFailed,
                format!(
                    "probe failed on {}: {target}: {reason} (seen: {seen}){effect}",
                    at.date_naive()
                ),
            ));
        }
        Some(Verdict::Unknown { reason }) => findings.push(finding(
            Severity::Note,
            Code::ProbeError,
            format!("{reason}; this changes nothing"),
        )),
        None => {}
    }
    out.probe_answer = probe_answer.clone();

    if out.state == State::Missing && !findings.iter().any(|f| f.code == Code::NaReason) {
        let message = match answer.and_then(crate::answers::misspelt_status) {
            Some(key) => format!(
                "not answered: the answer has `{key}` but no `status`; did you mean `status`?"
            ),
            None => "not answered".into(),
        };
        findings.push(finding(Severity::Error, Code::Missing, message));
    }
    match out.status {
        Some(Status::Unmet) => findings.push(finding(
            Severity::Warning,
            Code::Unmet,
            format!("unmet; expected: {}", q.expectation),
        )),
        Some(Status::Partial) => findings.push(finding(
            Severity::Warning,
            Code::Partial,
            format!("partially met; expected: {}", q.expectation),
        )),
        _ => {}
    }

    if let Some(action) = answer.and_then(|a| a.action.as_ref())
        && let Some(due) = action.due
        && due < ctx.today
        && matches!(out.status, Some(Status::Partial | Status::Unmet))
    {
        // The owner is named by every finding; `who` only when it is someone else.
        findings.push(finding(
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
        ));
    }

    let not_met = out.credit.is_some() && out.status != Some(Status::Met);
    let waiver = answer.and_then(|a| a.waiver.as_ref());
    let active = waiver.is_some_and(|w| w.expires >= ctx.today);
    if let Some(w) = waiver {
        if w.expires < ctx.today {
            out.expired_waiver = true;
            findings.push(finding(
                Severity::Error,
                Code::ExpiredWaiver,
                format!(
                    "waiver expired on {}; it no longer waives anything",
                    w.expires
                ),
            ));
        } else if (w.expires - ctx.today).num_days() <= ctx.gate.warn_days {
            findings.push(finding(
                Severity::Warning,
                Code::WaiverExpiring,
                format!(
                    "waiver expires on {} ({} days)",
                    w.expires,
                    (w.expires - ctx.today).num_days()
                ),
            ));
        }
    }
    if not_met && active {
        out.waived = true;
    }
    if q.critical && not_met && !active {
        out.blocker = true;
        findings.push(finding(
            Severity::Error,
            Code::Blocker,
            "critical question not met: this blocks the launch until it is met or waived".into(),
        ));
    }
    out.findings = findings;
    out
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
            format!("evidence `{path}` does not exist"),
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
