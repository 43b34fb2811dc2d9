//! `check`: the gate's verdict as text, JSON or GitHub annotations.

use super::{github, pct};
use crate::diagnostic::Finding;
use crate::gate::{self, FailOn};
use crate::report::Report;
use crate::score::State;
use schemars::JsonSchema;
use serde::Serialize;

/// Whether a finding is one of the reasons the gate failed: its category
/// is among the verdict's failed ones (so nothing shows as failing a gate
/// that passed).
pub fn fails_gate(r: &Report, f: &Finding) -> bool {
    gate::fails(&r.gate.failed, f)
}

/// The gate's reasons, one per failed category, in words.
pub fn reasons(r: &Report) -> Vec<String> {
    r.gate.failed.iter().map(|f| reason(r, *f)).collect()
}

/// Critical questions set aside, one line each (`- id: how (why)`), for
/// every summary: a critical question is never set aside silently.
pub fn set_aside_lines(r: &Report) -> Vec<String> {
    r.set_aside()
        .into_iter()
        .map(|(_, q, how)| {
            let detail = q.set_aside_detail();
            if detail.is_empty() {
                format!("{}: {}", q.id, how.words())
            } else {
                format!("{}: {} ({detail})", q.id, how.words())
            }
        })
        .collect()
}

fn verdict(r: &Report) -> String {
    let s = &r.summary;
    if r.gate.passed {
        format!(
            "supportcheck: gate passed: level {}, score {} (bar {}), {} of {} answered{}\n",
            s.level,
            pct(s.score),
            pct(s.min_score),
            s.answered,
            s.questions,
            skipped(r)
        )
    } else {
        let reasons = reasons(r);
        format!(
            "supportcheck: gate failed: {}{}\n",
            reasons.join("; "),
            skipped(r)
        )
    }
}

/// `, 3 skipped by condition` when questions were left out by `applies_if`.
fn skipped(r: &Report) -> String {
    match r.summary.skipped {
        0 => String::new(),
        n => format!(" ({n} skipped by condition)"),
    }
}

/// One failed category of the gate, in words: `7 missing`.
pub(super) fn reason(r: &Report, f: FailOn) -> String {
    let s = &r.summary;
    match f {
        FailOn::Missing if s.missing_facts > 0 => format!(
            "{} {}, {} not set in the config",
            s.missing,
            State::Missing.word(),
            super::count(s.missing_facts, "fact")
        ),
        FailOn::Missing => format!("{} {}", s.missing, State::Missing.word()),
        FailOn::Stale if s.expired > 0 => format!(
            "{} {} ({} past max_age)",
            s.stale,
            State::Stale.word(),
            s.expired
        ),
        FailOn::Stale => format!("{} {}", s.stale, State::Stale.word()),
        FailOn::Blocker => super::count(s.blockers, "blocker"),
        FailOn::ExpiredWaiver => super::count(s.expired_waivers, "expired waiver"),
        FailOn::BelowScore => format!("score {} is below {}", pct(s.score), pct(s.min_score)),
        FailOn::BelowCoverage => format!(
            "coverage {}% is below {}% (questions answered other than not-applicable)",
            pct(s.coverage),
            pct(s.min_coverage)
        ),
        FailOn::EvidenceMissing => format!(
            "{} not found",
            super::count(s.evidence_missing, "evidence path")
        ),
        FailOn::Orphaned => super::count(s.orphaned, "orphaned answer"),
        FailOn::Unmet => format!("{} unmet", s.unmet),
        FailOn::Overdue => super::count(s.overdue, "overdue action"),
        FailOn::Signoff => format!(
            "{} missing or outdated",
            super::count(s.signoffs_missing, "sign-off")
        ),
        FailOn::Level => format!(
            "maturity level {} is below the target {}{}",
            super::level_word(s.achieved_level.as_deref()),
            s.target_level.as_deref().unwrap_or("?"),
            match &s.next_level {
                Some(next) => format!(
                    " ({next} has {})",
                    super::missing_text(&s.missing_for_next, s.missing_for_next_count)
                ),
                None => String::new(),
            }
        ),
        FailOn::ProbeFailed => super::count(s.probe_failed, "probe failure"),
    }
}

/// The findings as `path:line: severity[code]: message` lines, then the
/// sign-offs and the verdict. A finding on a built-in playbook (inside the
/// binary, not on disk) points at the answer's line in `answers_path`.
pub fn text(r: &Report, verbose: bool, answers_path: &str) -> String {
    let mut out = String::new();
    for (f, owner) in located(r, answers_path) {
        let fails = fails_gate(r, &f);
        // An orphaned answer is most often a mistyped id: always named. So
        // are warnings of what expires soon, and why a question is skipped.
        let always = matches!(
            f.code,
            crate::diagnostic::Code::WaiverExpiring
                | crate::diagnostic::Code::Orphaned
                | crate::diagnostic::Code::AnswerExpiring
                | crate::diagnostic::Code::Skipped
                | crate::diagnostic::Code::Overdue
        );
        if fails || verbose || always {
            let f = super::team::with_owner(f, owner);
            out.push_str(&format!("{}\n", gate::judged(&f, fails)));
        }
    }
    out.push_str(super::team::signoffs_text(r).trim_start_matches('\n'));
    out.push_str(&set_aside_text(r));
    if let Some(line) = super::levels_line(r) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&verdict(r));
    out
}

/// The critical questions set aside, as a block before the verdict.
fn set_aside_text(r: &Report) -> String {
    let lines = set_aside_lines(r);
    if lines.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "{} set aside:\n",
        super::count(lines.len(), "critical question")
    );
    for l in lines {
        out.push_str(&format!("  - {}\n", crate::safe_text::one_line(&l)));
    }
    out
}

/// The wire form's id of `check --format json`.
pub const SCHEMA: &str = "supportcheck.check/1";

/// The JSON output of `check --format json`.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "supportcheck check")]
pub struct CheckJson<'a> {
    /// Always `supportcheck.check/1`.
    #[schemars(extend("const" = "supportcheck.check/1"))]
    schema: &'a str,
    scoring: u32,
    passed: bool,
    failed: &'a [FailOn],
    min_score: f64,
    fail_on: &'a [FailOn],
    summary: &'a crate::score::Summary,
    findings: Vec<JsonFinding<'a>>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    signoffs: &'a [crate::team::SignoffStatus],
}

#[derive(Serialize, JsonSchema)]
struct JsonFinding<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    fails_gate: bool,
}

pub fn json(r: &Report) -> String {
    let out = CheckJson {
        schema: SCHEMA,
        scoring: r.scoring,
        passed: r.gate.passed,
        failed: &r.gate.failed,
        min_score: r.gate.min_score,
        fail_on: &r.gate.fail_on,
        summary: &r.summary,
        findings: r
            .findings()
            .map(|f| JsonFinding {
                finding: f,
                fails_gate: fails_gate(r, f),
            })
            .collect(),
        signoffs: &r.signoffs,
    };
    let mut s = serde_json::to_string_pretty(&out).expect("check serialises");
    s.push('\n');
    s
}

/// GitHub shows at most ten error and ten warning annotations of a step;
/// the rest are dropped without a word. So at most this many of each are
/// findings, and one more says what was left out.
pub const MAX_ANNOTATIONS: usize = 9;

/// What `check --format github` prints, and what it adds to the job's step
/// summary.
#[derive(Debug)]
pub struct Github {
    /// The workflow commands and the verdict line.
    pub commands: String,
    /// Markdown: every gate failure and warning, for the step summary.
    pub summary: String,
}

/// Annotations: gate failures as `::error`, other findings as `::warning`
/// (partial and unmet answers stay out unless they fail the gate, to keep
/// the pull request readable), then the verdict. Every annotation points at a
/// file in the repository: a finding on a built-in playbook (which is inside
/// the binary) points at the answer's line in `answers_path` instead, or at
/// the answers file itself when the question has no answer.
///
/// At most [`MAX_ANNOTATIONS`] of each kind: the gate's weightiest reasons
/// first (blockers, expired answers and waivers, missing evidence, ... then
/// unanswered questions), those with a line before those without; one more
/// annotation counts the rest, which the step summary lists.
pub fn github(r: &Report, answers_path: &str) -> Github {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (f, owner) in located(r, answers_path) {
        let fails = fails_gate(r, &f);
        let noisy = matches!(
            f.code,
            crate::diagnostic::Code::Partial
                | crate::diagnostic::Code::Unmet
                | crate::diagnostic::Code::Skipped
        );
        if fails {
            errors.push(super::team::with_owner(f, owner));
        } else if !noisy {
            warnings.push(super::team::with_owner(f, owner));
        }
    }
    // Stable: the report's order within a rank.
    errors.sort_by_key(|f| (rank(f.code), f.location.line.is_none()));
    warnings.sort_by_key(|f| f.location.line.is_none());
    let mut commands = String::new();
    let mut summary = String::new();
    for (list, error, kind) in [
        (&errors, true, "gate failure"),
        (&warnings, false, "warning"),
    ] {
        for f in list.iter().take(MAX_ANNOTATIONS) {
            commands.push_str(&github::annotation(f, error));
        }
        let rest = list.len().saturating_sub(MAX_ANNOTATIONS);
        if rest > 0 {
            let kinds = by_code(&list[MAX_ANNOTATIONS..]);
            let what = if error { "error" } else { "warning" };
            commands.push_str(&format!(
                "::{what} file={},title={}::{}\n",
                github::property(answers_path),
                github::property(&format!("supportcheck: {} not annotated", super::count(rest, kind))),
                github::data(&format!(
                    "{} more not annotated here ({kinds}); the job summary lists them all, `supportcheck check` prints them",
                    super::count(rest, kind)
                ))
            ));
        }
        if !list.is_empty() {
            let title = if error { "Gate failures" } else { "Warnings" };
            summary.push_str(&format!("\n### {title} ({})\n\n", list.len()));
            for f in list.iter() {
                summary.push_str(&format!(
                    "- `{}`: {}\n",
                    f.location,
                    super::list::md_escape(&f.message)
                ));
            }
        }
    }
    commands.push_str(&set_aside_text(r));
    commands.push_str(&verdict(r));
    Github { commands, summary }
}

/// How much a gate failure weighs for the annotations: what blocks a launch
/// first, unanswered questions (often many) last.
fn rank(code: crate::diagnostic::Code) -> u8 {
    use crate::diagnostic::Code as C;
    match code {
        C::Blocker => 0,
        C::MergeConflict
        | C::Status
        | C::Date
        | C::Waiver
        | C::Criteria
        | C::Action
        | C::NaReason => 1,
        C::Expired | C::ExpiredWaiver | C::Stale => 2,
        C::EvidenceMissing | C::EvidenceRequired => 3,
        C::Overdue | C::Signoff | C::Orphaned => 4,
        C::Unmet | C::Partial => 5,
        C::Missing | C::FactMissing => 7,
        _ => 6,
    }
}

/// `40 missing, 2 stale`: how many of each code, most first.
fn by_code(list: &[std::borrow::Cow<'_, Finding>]) -> String {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for f in list {
        *counts.entry(f.code.to_string()).or_default() += 1;
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
        .into_iter()
        .map(|(code, n)| format!("{n} {code}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every finding of the report with its question's owner, each pointing at a
/// file in the repository (see [`in_the_repository`]).
fn located<'a>(
    r: &'a Report,
    answers_path: &'a str,
) -> impl Iterator<Item = (std::borrow::Cow<'a, Finding>, Option<&'a str>)> {
    r.questions()
        .flat_map(move |(_, q)| {
            q.findings
                .iter()
                .map(move |f| (in_the_repository(f, q, answers_path), q.owner.as_deref()))
        })
        .chain(
            r.orphaned
                .iter()
                .map(|o| (std::borrow::Cow::Borrowed(&o.finding), None)),
        )
        .chain(
            r.signoffs
                .iter()
                .filter_map(|s| s.finding.as_ref())
                .map(|f| (std::borrow::Cow::Borrowed(f), None)),
        )
}

/// `f`, moved from a built-in playbook to the answers file.
fn in_the_repository<'a>(
    f: &'a Finding,
    q: &crate::report::QuestionReport,
    answers_path: &str,
) -> std::borrow::Cow<'a, Finding> {
    if !f
        .location
        .path
        .starts_with(crate::playbook::builtin::PATH_PREFIX)
    {
        return std::borrow::Cow::Borrowed(f);
    }
    let line = q.answer.as_ref().map_or(0, |a| a.line);
    let mut moved = f.clone();
    moved.location = crate::diagnostic::Location::at(answers_path, line, 0);
    std::borrow::Cow::Owned(moved)
}
