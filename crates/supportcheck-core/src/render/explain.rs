//! `explain`: the scoring arithmetic written out, term by term.

use super::{num, pct};
use crate::diagnostic::Code;
use crate::report::{PlaybookReport, QuestionReport, Report};
use crate::score::State;

/// ` (Dana Lee, Priya Raman)` for a role with people.
fn r_people(role: &str, owners: &std::collections::BTreeMap<String, Vec<String>>) -> String {
    match owners.get(role) {
        Some(people) if !people.is_empty() => format!(" ({})", people.join(", ")),
        _ => String::new(),
    }
}

/// The arithmetic for one question.
pub fn question(
    p: &PlaybookReport,
    q: &QuestionReport,
    owners: &std::collections::BTreeMap<String, Vec<String>>,
) -> String {
    let mut out = format!(
        "{}  ({})\n  {}\n  expected: {}\n\n",
        q.id, p.title, q.question, q.expectation
    );
    if let Some(owner) = &q.owner {
        let people = r_people(owner, owners);
        out.push_str(&format!("  owner:    {owner}{people}\n"));
    }
    out.push_str(&format!("  answer:   {}\n", answer_words(q)));
    if let Some(level) = &q.level {
        out.push_str(&format!("  level:    {level}\n"));
    }
    if !q.criteria.is_empty() {
        let met = q.criteria.iter().filter(|c| c.met).count();
        out.push_str(&format!("  criteria: {met} of {} met\n", q.criteria.len()));
        for c in &q.criteria {
            out.push_str(&format!(
                "    [{}] {}  {}\n",
                if c.met { "x" } else { " " },
                c.id,
                c.text
            ));
        }
    }
    out.push_str(&format!(
        "  scored:   {}\n",
        q.status.map_or("—", |s| s.word())
    ));
    out.push_str(&format!("  weight:   {}\n", num(q.weight)));
    match q.credit {
        Some(c) => out.push_str(&format!(
            "  credit:   {}  → contributes {} × {} = {} of {}\n",
            num(c),
            num(q.weight),
            num(c),
            num(q.weight * c),
            num(q.weight)
        )),
        None if q.state == State::Skipped => out.push_str(&format!(
            "  credit:   skipped by condition (applies_if: {}): left out of the denominator\n",
            q.applies_if.as_deref().unwrap_or("the playbook's")
        )),
        None if q.state == State::Upcoming => {
            out.push_str("  credit:   upcoming: left out of the denominator until its date\n")
        }
        None => out.push_str("  credit:   not applicable: left out of the denominator\n"),
    }
    if q.critical {
        out.push_str(&format!(
            "  critical: {}\n",
            if q.blocker {
                "not met and not waived: BLOCKER"
            } else if q.waived {
                "not met, waived"
            } else {
                "met"
            }
        ));
    }
    for f in &q.findings {
        out.push_str(&format!(
            "  {}[{}]: {}\n",
            f.severity.as_str(),
            f.code,
            f.message
        ));
    }
    out
}

/// What the answer to `q` is, and why it counts as it does.
fn answer_words(q: &QuestionReport) -> String {
    let answered = q.answer.as_ref().and_then(|a| a.status);
    let expired = q
        .findings
        .iter()
        .find(|f| f.code == Code::Expired)
        .map(|f| {
            f.message
                .split_once(": ")
                .map_or(f.message.as_str(), |(_, m)| m)
        });
    match (q.state, answered) {
        (State::Missing, _) => format!("none ({}: credit 0)", q.standing()),
        (State::Skipped, a) => format!(
            "skipped: {}{}",
            q.skipped.as_deref().unwrap_or("its condition is false"),
            a.map(|s| format!(" (the answer, {}, is kept and not counted)", s.word()))
                .unwrap_or_default()
        ),
        (State::Stale, _) if expired.is_some() => {
            format!("expired: {} (stale: credit 0)", expired.unwrap_or_default())
        }
        (State::Stale, _) => format!(
            "stale: answered for {}, the question is {} (credit 0)",
            q.answer
                .as_ref()
                .and_then(|a| a.question_version.as_ref())
                .map(ToString::to_string)
                .unwrap_or_default(),
            q.version
        ),
        (State::Upcoming, a) => format!(
            "upcoming: counts from {}{}",
            q.effective_from.map(|d| d.to_string()).unwrap_or_default(),
            a.map(|s| format!(
                " (the answer, {}, is kept and not counted until then)",
                s.word()
            ))
            .unwrap_or_default()
        ),
        (State::Answered, Some(s)) => s.word().to_string(),
        (State::Answered, None) => format!("none ({}: credit 0)", q.standing()),
    }
}

/// Why a playbook (or everything) is at its maturity level: the first
/// question that keeps it from the next level, and why.
fn level_reason(
    levels: &[String],
    achieved: Option<&str>,
    next: Option<&str>,
    missing: &[String],
    count: usize,
    question: &dyn Fn(&str) -> Option<String>,
) -> String {
    if levels.is_empty() {
        return String::new();
    }
    let word = super::level_word(achieved);
    let reached = match achieved {
        Some(a) => format!("every question of {a} and below passes"),
        None => format!("not every {} question passes", levels[0]),
    };
    let mut out = format!("  maturity level = {word}: {reached}");
    match (next, missing.first()) {
        (Some(next), Some(first)) => {
            out.push_str(&format!(
                "; {next} is held back by {first}{}",
                question(first)
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default()
            ));
            if count > 1 {
                out.push_str(&format!(" and {} more", count - 1));
            }
            out.push('\n');
        }
        _ => out.push_str("; it is the highest level\n"),
    }
    out
}

/// A question's state in a few words, for [`level_reason`].
fn why_open(q: &QuestionReport) -> String {
    q.standing().to_string()
}

/// The sum for one playbook, and why it is at its maturity level.
pub fn playbook(p: &PlaybookReport, levels: &[String]) -> String {
    let mut out = playbook_sum(p);
    out.push_str(&level_reason(
        levels,
        p.achieved_level.as_deref(),
        p.next_level.as_deref(),
        &p.missing_for_next,
        p.missing_for_next_count,
        &|id| p.questions.iter().find(|q| q.id == id).map(why_open),
    ));
    out
}

fn playbook_sum(p: &PlaybookReport) -> String {
    let mut out = format!("{} ({})\n", p.title, p.id);
    let (mut earned, mut possible) = (0.0, 0.0);
    for q in &p.questions {
        match q.credit {
            Some(c) => {
                earned += q.weight * c;
                possible += q.weight;
                out.push_str(&format!(
                    "  {:<28} {:<15} weight {:>3} × credit {:<5} = {}\n",
                    q.id,
                    q.standing(),
                    num(q.weight),
                    num(c),
                    num(q.weight * c)
                ));
            }
            None if q.state == State::Skipped => out.push_str(&format!(
                "  {:<28} skipped: {}  (left out)\n",
                q.id,
                q.skipped.as_deref().unwrap_or_default()
            )),
            None if q.state == State::Upcoming => out.push_str(&format!(
                "  {:<28} upcoming: counts from {}  (left out)\n",
                q.id,
                q.effective_from.map(|d| d.to_string()).unwrap_or_default()
            )),
            None => out.push_str(&format!("  {:<28} {}  (left out)\n", q.id, q.standing())),
        }
    }
    out.push_str(&sum_line(earned, possible, p.score));
    out
}

fn sum_line(earned: f64, possible: f64, score: f64) -> String {
    if possible > 0.0 {
        format!(
            "  score = 100 × {} / {} = {}\n",
            num(earned),
            num(possible),
            pct(score)
        )
    } else {
        "  score = 100 (nothing applicable)\n".to_string()
    }
}

/// The whole set: each playbook's terms, then the overall sum (every
/// question weighted the same way, not an average of playbook scores).
pub fn all(r: &Report) -> String {
    let mut out = String::new();
    let (mut earned, mut possible) = (0.0, 0.0);
    for p in r.playbooks.iter() {
        out.push_str(&playbook(p, &r.levels));
        out.push('\n');
        for q in &p.questions {
            if let Some(c) = q.credit {
                earned += q.weight * c;
                possible += q.weight;
            }
        }
    }
    out.push_str("Overall (every question weighted, not an average of averages)\n");
    out.push_str(&sum_line(earned, possible, r.summary.score));
    let s = &r.summary;
    out.push_str(&format!(
        "  level = {}: {}\n",
        s.level,
        match s.level {
            crate::score::Level::Blocked => super::count(s.blockers, "blocker"),
            crate::score::Level::Ready => format!(
                "no blockers, score {} ≥ {}, nothing missing or stale",
                pct(s.score),
                pct(s.min_score)
            ),
            crate::score::Level::NotReady => format!(
                "no blockers, but score {} vs bar {}, {} missing, {} stale",
                pct(s.score),
                pct(s.min_score),
                s.missing,
                s.stale
            ),
        }
    ));
    out.push_str(&level_reason(
        &r.levels,
        s.achieved_level.as_deref(),
        s.next_level.as_deref(),
        &s.missing_for_next,
        s.missing_for_next_count,
        &|id| {
            r.questions()
                .find(|(_, q)| q.id == id)
                .map(|(_, q)| why_open(q))
        },
    ));
    out
}
