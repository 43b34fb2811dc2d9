//! `status`: a terminal summary of a report (table) and its JSON form.

use super::text::{Paint, level_line};
use super::{bar, pct};
use crate::report::Report;
use crate::report::plan::Plan;
use crate::score::State;
use comfy_table::{CellAlignment, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use schemars::JsonSchema;
use serde::Serialize;

/// How much of the score probes verify, when any question has probes:
/// `verified by probes: 3 questions, 21.4 of the 62.5 points (the rest attested)`.
pub fn verified_line(r: &Report) -> Option<String> {
    let probed = r.questions().filter(|(_, q)| q.probes > 0).count();
    if probed == 0 {
        return None;
    }
    let s = &r.summary;
    Some(format!(
        "verified by probes: {}, {} of the {} points; the rest is attested{}",
        super::count(s.verified, "question"),
        pct(s.verified_score),
        pct(s.score),
        if s.probe_failed > 0 {
            format!("; {}", super::count(s.probe_failed, "probe failure"))
        } else {
            String::new()
        }
    ))
}

/// `met → partial (evidence missing)`: why a question scores lower than
/// the status written in the answers file, when it does.
fn downgrade(q: &crate::report::QuestionReport) -> Option<String> {
    use crate::diagnostic::Code;
    let answered = q.answer.as_ref()?.status?;
    let scored = q.status?;
    if answered == scored {
        return None;
    }
    let has = |code: Code| q.findings.iter().any(|f| f.code == code);
    let why = if has(Code::ProbeFailed) {
        "probe failed"
    } else if has(Code::EvidenceMissing) {
        "evidence missing"
    } else if has(Code::EvidenceRequired) {
        "no evidence given"
    } else if !q.criteria.is_empty() {
        "criteria"
    } else {
        return None;
    };
    Some(format!("{answered} → {scored} ({why})"))
}

/// The audit's closing list: the first gaps of the plan, each with its
/// status, who acts and what good looks like. Empty when nothing is open.
pub fn top_gaps(r: &Report, plan: &Plan) -> String {
    if plan.gaps.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nTop gaps (heaviest first) and what good looks like:\n");
    for g in plan.top() {
        let q = g.question(r);
        out.push_str(&format!(
            "  {} {}{}\n      {}\n",
            q.id,
            q.status.map_or("missing".to_string(), |s| s.to_string()),
            g.owner(r)
                .map(|o| format!(" (owner {o})"))
                .unwrap_or_default(),
            q.expectation
        ));
    }
    out
}

pub fn table(r: &Report, width: usize, verbose: bool, paint: Paint) -> String {
    let mut out = String::new();
    if let Some(p) = &r.product {
        out.push_str(&format!("{}\n", paint.bold(p)));
    }
    let t = scores_table(r, width);
    out.push_str(&format!("{t}\n"));
    out.push_str(&level_line(r, paint));
    out.push('\n');
    if let Some(line) = verified_line(r) {
        out.push_str(&line);
        out.push('\n');
    }
    if let Some(line) = super::levels_line(r) {
        out.push_str(&line);
        out.push('\n');
    }

    let limit = if verbose { usize::MAX } else { 8 };
    question_lists(&mut out, r, limit);
    finding_lists(&mut out, r, limit);
    out.push_str(&super::team::status_text(r));
    out
}

/// The table of scores: one row per playbook, then the overall row.
fn scores_table(r: &Report, width: usize) -> Table {
    let has_sections = r.playbooks.iter().any(|p| p.section.is_some());
    let mut t = Table::new();
    t.force_no_tty(); // the core never asks the terminal; the shell passed the width
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width as u16);
    let mut header = vec!["Playbook", "Score", "", "Answered", "Blockers"];
    let has_levels = !r.levels.is_empty();
    if has_levels {
        header.push("Level");
    }
    if has_sections {
        header.insert(0, "Section");
    }
    t.set_header(header);
    for p in r.playbooks.iter() {
        let (score, bar) = match &p.skipped {
            Some(why) => ("—".to_string(), format!("skipped: {why}")),
            None => (pct(p.score), bar(p.score, 10)),
        };
        let mut row = vec![
            p.title.clone(),
            score,
            bar,
            format!("{}/{}", p.answered, p.applicable()),
            if p.blockers > 0 {
                p.blockers.to_string()
            } else {
                String::new()
            },
        ];
        if has_levels {
            row.push(super::level_word(p.achieved_level.as_deref()).to_string());
        }
        if has_sections {
            row.insert(0, p.section.clone().unwrap_or_default());
        }
        t.add_row(row);
    }
    let s = &r.summary;
    let mut total = vec![
        "Overall".to_string(),
        pct(s.score),
        bar(s.score, 10),
        format!("{}/{}", s.answered, s.questions),
        if s.blockers > 0 {
            s.blockers.to_string()
        } else {
            String::new()
        },
    ];
    if has_levels {
        total.push(super::level_word(s.achieved_level.as_deref()).to_string());
    }
    if has_sections {
        total.insert(0, String::new());
    }
    t.add_row(total);
    let first = usize::from(has_sections);
    for col in [first + 1, first + 3, first + 4] {
        if let Some(c) = t.column_mut(col) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// Adds a titled list of `ids` to `out`, at most `limit` of them, unless it
/// is empty.
fn push_list(out: &mut String, limit: usize, title: &str, ids: Vec<String>) {
    if ids.is_empty() {
        return;
    }
    out.push_str(&format!("\n{} ({}):\n", title, ids.len()));
    for id in ids.iter().take(limit) {
        out.push_str(&format!("  {id}\n"));
    }
    if ids.len() > limit {
        out.push_str(&format!(
            "  … and {} more (-v lists all)\n",
            ids.len() - limit
        ));
    }
}

/// The lists of questions to look at: blocked, stale, missing, scored
/// lower, skipped, facts to set, upcoming and waived.
fn question_lists(out: &mut String, r: &Report, limit: usize) {
    let mut list = |title: &str, ids: Vec<String>| push_list(out, limit, title, ids);
    let qs: Vec<_> = r.questions().collect();
    list(
        "Blocked",
        qs.iter()
            .filter(|(_, q)| q.blocker)
            .map(|(_, q)| format!("{}  {}", q.id, q.question))
            .collect(),
    );
    list(
        &State::Stale.label(),
        qs.iter()
            .filter(|(_, q)| q.state == State::Stale)
            .map(|(_, q)| q.id.clone())
            .collect(),
    );
    list(
        &State::Missing.label(),
        qs.iter()
            .filter(|(_, q)| q.state == State::Missing)
            .map(
                |(_, q)| match q.answer.as_ref().and_then(crate::answers::misspelt_status) {
                    Some(key) => {
                        format!("{}  (`{key}:` is not a key; did you mean `status:`?)", q.id)
                    }
                    None => q.id.clone(),
                },
            )
            .collect(),
    );
    list(
        "Scored lower than answered",
        qs.iter()
            .filter_map(|(_, q)| downgrade(q).map(|why| format!("{}  {why}", q.id)))
            .collect(),
    );
    list(
        "Skipped by condition",
        qs.iter()
            .filter(|(p, q)| q.state == State::Skipped && p.skipped.is_none())
            .map(|(_, q)| {
                let kept = q
                    .answer
                    .as_ref()
                    .and_then(|a| a.status)
                    .map(|s| format!(" (answer {} kept, not counted)", s.word()))
                    .unwrap_or_default();
                format!(
                    "{}  skipped: {}{kept}",
                    q.id,
                    q.skipped.as_deref().unwrap_or_default()
                )
            })
            .collect(),
    );
    list("Facts to set (supportcheck audit asks them)", fact_lines(r));
    list(
        &format!("Upcoming: counted within {} days", super::UPCOMING_DAYS),
        super::upcoming_lines(r),
    );
    list(
        "Waived",
        qs.iter()
            .filter(|(_, q)| q.waived)
            .map(|(_, q)| {
                let w = q.answer.as_ref().and_then(|a| a.waiver.as_ref());
                format!(
                    "{}  until {}",
                    q.id,
                    w.map(|w| w.expires.to_string()).unwrap_or_default()
                )
            })
            .collect(),
    );
}

/// The lists drawn from findings and probes: waivers and answers expiring,
/// probes, evidence not found, orphaned answers.
fn finding_lists(out: &mut String, r: &Report, limit: usize) {
    let mut list = |title: &str, ids: Vec<String>| push_list(out, limit, title, ids);
    let qs: Vec<_> = r.questions().collect();
    let codes = |code: crate::diagnostic::Code| -> Vec<String> {
        r.findings()
            .filter(|f| f.code == code)
            .map(|f| f.message.clone())
            .collect()
    };
    list(
        "Waivers expiring soon",
        codes(crate::diagnostic::Code::WaiverExpiring),
    );
    list(
        "Expired answers (max_age)",
        codes(crate::diagnostic::Code::Expired),
    );
    list(
        "Answers expiring soon (max_age)",
        codes(crate::diagnostic::Code::AnswerExpiring),
    );
    list(
        "Expired waivers",
        codes(crate::diagnostic::Code::ExpiredWaiver),
    );
    list("Probes failed", codes(crate::diagnostic::Code::ProbeFailed));
    list(
        "Verified by probes",
        qs.iter()
            .filter_map(|(_, q)| {
                let by = q.answer.as_ref().and_then(|a| a.answered_by.as_deref());
                let how = if by == Some(crate::probe::PROBE_AUTHOR) {
                    " (answered by its probes)"
                } else {
                    ""
                };
                Some(format!(
                    "{}  {}{how}",
                    q.id,
                    q.provenance().filter(|_| q.verified.is_some())?
                ))
            })
            .collect(),
    );
    list(
        "Evidence not found",
        codes(crate::diagnostic::Code::EvidenceMissing),
    );
    list(
        "Orphaned answers",
        r.orphaned
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let ids = r.questions().map(|(_, q)| q.id.as_str());
                // Only the lines shown are looked up.
                match (i < limit.min(crate::score::SUGGESTED_ORPHANS))
                    .then(|| crate::suggest::closest(&o.id, ids))
                    .flatten()
                {
                    Some(id) => format!("{}  (did you mean `{id}`?)", o.id),
                    None => o.id.clone(),
                }
            })
            .collect(),
    );
}

/// One line per fact that conditions need and the config does not set,
/// with how many questions wait for it.
fn fact_lines(r: &Report) -> Vec<String> {
    r.facts_missing
        .iter()
        .map(|name| {
            let quoted = format!("`{name}`");
            let waiting = r
                .findings()
                .filter(|f| {
                    f.code == crate::diagnostic::Code::FactMissing && f.message.contains(&quoted)
                })
                .count();
            format!(
                "{name}  ({} counted until it is set)",
                super::count(waiting, "question")
            )
        })
        .collect()
}

/// The wire form's id of `status --format json`.
pub const SCHEMA: &str = "supportcheck.status/1";

/// The JSON output of `status --format json`.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "supportcheck status")]
pub struct StatusJson<'a> {
    /// Always `supportcheck.status/1`.
    #[schemars(extend("const" = "supportcheck.status/1"))]
    schema: &'a str,
    scoring: u32,
    product: Option<&'a str>,
    summary: &'a crate::score::Summary,
    gate: &'a crate::report::GateReport,
    sections: &'a [crate::report::GroupReport],
    playbooks: Vec<PlaybookLine<'a>>,
    missing: Vec<&'a str>,
    stale: Vec<&'a str>,
    blockers: Vec<&'a str>,
    waived: Vec<&'a str>,
    orphaned: Vec<&'a str>,
    skipped: Vec<&'a str>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    signoffs: &'a [crate::team::SignoffStatus],
    /// The maturity levels, lowest first.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    levels: &'a [String],
    /// Upcoming questions that count within 30 days, soonest first.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    upcoming: Vec<UpcomingLine<'a>>,
}

#[derive(Serialize, JsonSchema)]
struct UpcomingLine<'a> {
    id: &'a str,
    effective_from: chrono::NaiveDate,
}

#[derive(Serialize, JsonSchema)]
struct PlaybookLine<'a> {
    id: &'a str,
    title: &'a str,
    section: Option<&'a str>,
    score: f64,
    questions: usize,
    answered: usize,
    blockers: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    achieved_level: Option<&'a str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_level: Option<&'a str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next_level: Option<&'a str>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    missing_for_next: &'a [String],
}

pub fn json(r: &Report) -> String {
    let qs: Vec<_> = r.questions().collect();
    let ids = |pred: &dyn Fn(&crate::report::QuestionReport) -> bool| -> Vec<&str> {
        qs.iter()
            .filter(|(_, q)| pred(q))
            .map(|(_, q)| q.id.as_str())
            .collect()
    };
    let out = StatusJson {
        schema: SCHEMA,
        scoring: r.scoring,
        product: r.product.as_deref(),
        summary: &r.summary,
        gate: &r.gate,
        sections: &r.sections,
        playbooks: r
            .playbooks
            .iter()
            .map(|p| PlaybookLine {
                id: &p.id,
                title: &p.title,
                section: p.section.as_deref(),
                score: p.score,
                questions: p.applicable(),
                answered: p.answered,
                blockers: p.blockers,
                achieved_level: p.achieved_level.as_deref(),
                target_level: p.target_level.as_deref(),
                next_level: p.next_level.as_deref(),
                missing_for_next: &p.missing_for_next,
            })
            .collect(),
        missing: ids(&|q| q.state == State::Missing),
        stale: ids(&|q| q.state == State::Stale),
        blockers: ids(&|q| q.blocker),
        waived: ids(&|q| q.waived),
        orphaned: r.orphaned.iter().map(|o| o.id.as_str()).collect(),
        skipped: ids(&|q| q.state == State::Skipped),
        signoffs: &r.signoffs,
        levels: &r.levels,
        upcoming: r
            .upcoming_within(super::UPCOMING_DAYS)
            .into_iter()
            .map(|(q, d)| UpcomingLine {
                id: &q.id,
                effective_from: d,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&out).expect("status serialises");
    s.push('\n');
    s
}
