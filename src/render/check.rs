//! `check`: the gate's verdict as text, JSON or GitHub annotations.

use super::{github, pct};
use crate::diagnostic::Finding;
use crate::gate::{self, FailOn};
use crate::report::Report;
use serde::Serialize;

/// Whether a finding makes the gate fail under the report's `fail_on`.
pub fn fails_gate(r: &Report, f: &Finding) -> bool {
    gate::fails(&r.gate.fail_on, f)
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
        let reasons: Vec<String> = r.gate.failed.iter().map(|f| reason(r, *f)).collect();
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

fn reason(r: &Report, f: FailOn) -> String {
    let s = &r.summary;
    match f {
        FailOn::Missing if s.missing_facts > 0 => format!(
            "{} unanswered, {} fact(s) not set in the config",
            s.missing, s.missing_facts
        ),
        FailOn::Missing => format!("{} unanswered", s.missing),
        FailOn::Stale if s.expired > 0 => format!("{} stale ({} past max_age)", s.stale, s.expired),
        FailOn::Stale => format!("{} stale", s.stale),
        FailOn::Blocker => format!("{} blocker(s)", s.blockers),
        FailOn::ExpiredWaiver => format!("{} expired waiver(s)", s.expired_waivers),
        FailOn::BelowScore => format!("score {} is below {}", pct(s.score), pct(s.min_score)),
        FailOn::EvidenceMissing => format!("{} evidence path(s) not found", s.evidence_missing),
        FailOn::Orphaned => format!("{} orphaned answer(s)", s.orphaned),
        FailOn::Unmet => format!("{} unmet", s.unmet),
        FailOn::Overdue => format!("{} overdue action(s)", s.overdue),
        FailOn::Signoff => format!("{} sign-off(s) missing or outdated", s.signoffs_missing),
        FailOn::ProbeFailed => format!("{} probe failure(s)", s.probe_failed),
    }
}

pub fn text(r: &Report, verbose: bool) -> String {
    let mut out = String::new();
    for (f, owner) in r.owned_findings() {
        let fails = fails_gate(r, f);
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
            let f = super::team::with_owner(std::borrow::Cow::Borrowed(f), owner);
            out.push_str(&format!("{}\n", gate::judged(&f, fails)));
        }
    }
    out.push_str(super::team::signoffs_text(r).trim_start_matches('\n'));
    out.push_str(&verdict(r));
    out
}

#[derive(Serialize)]
struct CheckJson<'a> {
    scoring: u32,
    passed: bool,
    failed: &'a [FailOn],
    min_score: f64,
    fail_on: &'a [FailOn],
    summary: &'a crate::score::Summary,
    findings: Vec<JsonFinding<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    signoffs: &'a [crate::team::SignoffStatus],
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    fails_gate: bool,
}

pub fn json(r: &Report) -> String {
    let out = CheckJson {
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

/// Annotations: gate failures as `::error`, other findings as `::warning`
/// (partial and unmet answers stay out unless they fail the gate, to keep
/// the pull request readable), then the verdict. Every annotation points at a
/// file in the repository: a finding on a built-in playbook (which is inside
/// the binary) points at the answer's line in `answers_path` instead, or at
/// the answers file itself when the question has no answer.
pub fn github(r: &Report, answers_path: &str) -> String {
    let mut out = String::new();
    let located = r
        .questions()
        .flat_map(|(_, q)| {
            q.findings.iter().map(move |f| {
                super::team::with_owner(in_the_repository(f, q, answers_path), q.owner.as_deref())
            })
        })
        .chain(
            r.orphaned
                .iter()
                .map(|o| std::borrow::Cow::Borrowed(&o.finding)),
        )
        .chain(
            r.signoffs
                .iter()
                .filter_map(|s| s.finding.as_ref())
                .map(std::borrow::Cow::Borrowed),
        );
    for f in located {
        let fails = fails_gate(r, &f);
        let noisy = matches!(
            f.code,
            crate::diagnostic::Code::Partial
                | crate::diagnostic::Code::Unmet
                | crate::diagnostic::Code::Skipped
        );
        if fails || !noisy {
            out.push_str(&github::annotation(&f, fails));
        }
    }
    out.push_str(&verdict(r));
    out
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
