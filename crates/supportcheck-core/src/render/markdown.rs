//! Markdown: the readiness report for pull requests and wikis, and the short
//! summary for CI job pages. Every user string is escaped.

use super::client::short;
use super::list::md_escape as esc;
use super::{num, pct};
use crate::report::plan::{Plan, PlanGap, person};
use crate::report::{PlaybookReport, QuestionReport, Report};
use crate::score::State;

/// [`QuestionReport::standing`], with why it is skipped or when it counts.
fn status_word(q: &QuestionReport) -> String {
    let word = q.standing();
    match (q.state, q.effective_from) {
        (State::Skipped, _) => format!("{word}: {}", esc(q.skipped.as_deref().unwrap_or_default())),
        (State::Upcoming, Some(day)) => format!("{word}: counts from {day}"),
        _ => word.to_string(),
    }
}

fn headline(r: &Report) -> String {
    let s = &r.summary;
    format!(
        "**{}** · score **{}** / 100 (bar {}) · {} of {} answered · {} missing · {} stale · {} · {} waived{}\n",
        s.level.headline(),
        pct(s.score),
        pct(s.min_score),
        s.answered,
        s.questions,
        s.missing,
        s.stale,
        super::count(s.blockers, "blocker"),
        s.waived,
        if s.skipped > 0 {
            format!(" · {} skipped by condition", s.skipped)
        } else {
            String::new()
        }
    )
}

fn playbook_table(out: &mut String, playbooks: &[&PlaybookReport], levels: bool) {
    if levels {
        out.push_str(
            "| Playbook | Score | Answered | Blockers | Level |\n|---|---:|---:|---:|---|\n",
        );
    } else {
        out.push_str("| Playbook | Score | Answered | Blockers |\n|---|---:|---:|---:|\n");
    }
    for p in playbooks {
        let score = match &p.skipped {
            Some(why) => format!("skipped: {}", esc(why)),
            None => pct(p.score),
        };
        let level = if levels {
            format!(" {} |", esc(super::level_word(p.achieved_level.as_deref())))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "| {} | {} | {}/{} | {} |{level}\n",
            esc(&p.title),
            score,
            p.answered,
            p.applicable(),
            p.blockers
        ));
    }
}

/// The gate's verdict and its reasons, as `check` decided them.
fn gate_line(r: &Report) -> String {
    if r.gate.passed {
        "Gate: **passed**\n\n".to_string()
    } else {
        format!(
            "Gate: **failed**: {}\n\n",
            esc(&super::check::reasons(r).join("; "))
        )
    }
}

/// The critical questions set aside (waived, not applicable, skipped by a
/// condition): on the first page, so that none is set aside silently.
fn set_aside(r: &Report) -> String {
    let all = r.set_aside();
    if all.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "**Critical questions set aside ({})**: not met, and not counted as blockers.\n\n",
        all.len()
    );
    for (_, q, how) in all {
        let detail = q.set_aside_detail();
        out.push_str(&format!(
            "- **{}** {} — {}{}\n",
            esc(&q.id),
            esc(&q.question),
            how.words(),
            if detail.is_empty() {
                String::new()
            } else {
                format!(": {}", esc(&detail))
            }
        ));
    }
    out.push('\n');
    out
}

/// The maturity line and the questions about to count, when there are any.
fn levels_block(r: &Report) -> String {
    let mut out = String::new();
    if let Some(line) = super::maturity_words(r) {
        out.push_str(&esc(&line));
        out.push_str("\n\n");
    }
    let upcoming = super::upcoming_lines(r);
    if !upcoming.is_empty() {
        out.push_str(&format!(
            "Upcoming: counted within {} days:\n\n",
            super::UPCOMING_DAYS
        ));
        for line in upcoming {
            out.push_str(&format!("- {}\n", esc(&line)));
        }
        out.push('\n');
    }
    out
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The improvement plan as a roadmap: a heading per horizon (overdue, the
/// next 30, 60 and 90 days, later, no date), a subheading per owner, and a
/// row per gap with its status, points, short expectation, action and note.
fn plan(r: &Report, plan: &Plan) -> String {
    if plan.gaps.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "## Improvement plan\n\nEvery gap, by when its follow-up action is due and who acts on it; costliest first within each owner. The points are what closing the gap adds to the score; the full expectation is under Question by question.\n\n",
    );
    for h in &plan.roadmap {
        let count: usize = h.owners.iter().map(|o| o.gaps.len()).sum();
        out.push_str(&format!(
            "### {} · {}\n\n",
            h.horizon.title(),
            super::count(count, "gap")
        ));
        for o in &h.owners {
            let who = match o.owner.as_deref().map(|name| person(&r.owners, name)) {
                Some((people, Some(role))) => format!("{} ({})", esc(&people), esc(&role)),
                Some((name, None)) => esc(&name),
                None => "No owner yet".to_string(),
            };
            out.push_str(&format!(
                "#### {who}\n\n| Question | Status | Points | What good looks like | Action | Note |\n|---|---|---:|---|---|---|\n"
            ));
            for g in o.gaps.iter().map(|&i| &plan.gaps[i]) {
                out.push_str(&plan_row(r, g));
            }
            out.push('\n');
        }
    }
    out
}

/// One gap of the plan as a table row.
fn plan_row(r: &Report, g: &PlanGap) -> String {
    let q = g.question(r);
    let waived = q
        .answer
        .as_ref()
        .and_then(|a| a.waiver.as_ref())
        .filter(|_| q.waived)
        .map(|w| format!(" (waived until {})", w.expires))
        .unwrap_or_default();
    let action = match g.action(r) {
        Some(a) => format!(
            "{}{}",
            esc(&a.what),
            a.due
                .map(|d| format!(" — due {d}{}", if g.overdue { ", overdue" } else { "" }))
                .unwrap_or_default()
        ),
        None => "—".to_string(),
    };
    format!(
        "| `{}`{} {} | {}{waived} | {} | {} | {action} | {} |\n",
        q.id,
        if q.critical { " **critical**" } else { "" },
        esc(&q.question),
        status_word(q),
        pct(g.points),
        esc(&short(&q.expectation, 100)),
        esc(g.note(r).unwrap_or(""))
    )
}

/// A short summary for a CI job page.
pub fn summary(r: &Report) -> String {
    let mut out = format!(
        "## Support readiness{}\n\n{}\n",
        r.product
            .as_deref()
            .map(|p| format!(": {}", esc(p)))
            .unwrap_or_default(),
        headline(r)
    );
    if let Some(line) = super::status::verified_line(r) {
        out.push_str(&format!("{}\n\n", esc(&capitalised(&line))));
    }
    out.push_str(&gate_line(r));
    out.push_str(&set_aside(r));
    out.push_str(&levels_block(r));
    let all: Vec<&PlaybookReport> = r.playbooks.iter().collect();
    playbook_table(&mut out, &all, !r.levels.is_empty());
    out.push('\n');
    out.push_str(&super::team::summary_markdown(r));
    out
}

/// The full report.
pub fn report(r: &Report) -> String {
    let mut out = Vec::new();
    report_to(r, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("the report is text")
}

/// [`report`] written to `w` a playbook at a time, so that a report of
/// 50,000 questions is never held as one string.
pub fn report_to(r: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = String::new();
    out.push_str(&format!(
        "# Support readiness report{}\n\n",
        r.product
            .as_deref()
            .map(|p| format!(": {}", esc(p)))
            .unwrap_or_default()
    ));
    out.push_str(&format!(
        "{}generated {} · supportcheck {} · scoring rules v{}\n\n",
        r.report_version
            .map(|v| format!("Version {v} · "))
            .unwrap_or_default(),
        r.generated_at,
        r.tool_version,
        r.scoring
    ));
    out.push_str(&headline(r));
    out.push('\n');
    if let Some(line) = super::status::verified_line(r) {
        out.push_str(&format!("{}\n\n", esc(&capitalised(&line))));
    }
    out.push_str(&gate_line(r));
    out.push_str(&set_aside(r));
    if let Some(a) = r.assessor.as_ref().filter(|a| !a.summary.trim().is_empty()) {
        out.push_str("## Assessor's summary\n\n");
        out.push_str(&super::prose::to_markdown(&super::prose::blocks(
            &a.summary,
        )));
        out.push('\n');
    }
    out.push_str(&levels_block(r));
    facts(&mut out, r);

    scores(&mut out, r);
    out.push_str(&format!("**Overall: {}**\n\n", pct(r.summary.score)));

    blockers(&mut out, r);

    out.push_str(&plan(r, &r.plan()));
    out.push_str(&super::team::markdown(r));

    waivers(&mut out, r);

    let probes = r.uses_probes();
    out.push_str("## Question by question\n\n");
    for p in r.playbooks.iter() {
        w.write_all(out.as_bytes())?;
        out.clear();
        match &p.skipped {
            Some(why) => out.push_str(&format!(
                "### {} — skipped: {}\n\n",
                esc(&p.title),
                esc(why)
            )),
            None => out.push_str(&format!("### {} — {}\n\n", esc(&p.title), pct(p.score))),
        }
        out.push_str(
            "| # | Question | What good looks like | Status | Credit | Note | Evidence |\n|---:|---|---|---|---:|---|---|\n",
        );
        question_rows(&mut out, p, probes);
        out.push('\n');
    }
    if !r.orphaned.is_empty() {
        out.push_str("## Orphaned answers\n\nAnswers to questions that are no longer in the playbooks (kept in the answers file):\n\n");
        for o in &r.orphaned {
            out.push_str(&format!("- `{}`\n", esc(&o.id)));
        }
        out.push('\n');
    }
    w.write_all(out.as_bytes())
}

/// The facts the report was made with, on one line.
fn facts(out: &mut String, r: &Report) {
    if !r.facts.is_empty() {
        let facts: Vec<String> = r
            .facts
            .iter()
            .map(|(k, v)| format!("{}: {}", esc(k), esc(&v.words())))
            .collect();
        out.push_str(&format!("Facts: {}\n\n", facts.join(" · ")));
    }
}

/// The score of each playbook, grouped by section, with the assessor's note
/// on each section.
fn scores(out: &mut String, r: &Report) {
    out.push_str("## Scores\n\n");
    let mut sections: Vec<Option<&str>> = Vec::new();
    for p in r.playbooks.iter() {
        if !sections.contains(&p.section.as_deref()) {
            sections.push(p.section.as_deref());
        }
    }
    for section in sections {
        let group: Vec<&PlaybookReport> = r
            .playbooks
            .iter()
            .filter(|p| p.section.as_deref() == section)
            .collect();
        if let Some(name) = section {
            let score = r.sections.iter().find(|s| s.id == name).map(|s| s.score);
            out.push_str(&format!(
                "### {}{}\n\n",
                esc(name),
                score.map(|s| format!(" — {}", pct(s))).unwrap_or_default()
            ));
        }
        if let Some(note) = section.and_then(|id| r.assessor.as_ref()?.sections.get(id)) {
            out.push_str(&super::prose::to_markdown(&super::prose::blocks(note)));
            out.push('\n');
        }
        playbook_table(out, &group, !r.levels.is_empty());
        out.push('\n');
    }
}

/// The critical questions not met and not waived.
fn blockers(out: &mut String, r: &Report) {
    let blockers: Vec<_> = r.questions().filter(|(_, q)| q.blocker).collect();
    if !blockers.is_empty() {
        out.push_str("## Blockers\n\nCritical questions that are not met and not waived: each blocks the launch.\n\n");
        for (_, q) in &blockers {
            out.push_str(&format!(
                "- **{}** {} — expected: {}\n",
                esc(&q.id),
                esc(&q.question),
                esc(&q.expectation)
            ));
        }
        out.push('\n');
    }
}

/// The waivers, then the risk accepted by setting questions aside.
fn waivers(out: &mut String, r: &Report) {
    let waivers = r.waivers();
    if !waivers.is_empty() {
        out.push_str("## Waivers (accepted risks)\n\n| Question | Reason | Expires | Approved by |\n|---|---|---|---|\n");
        for (q, w, expired) in waivers {
            out.push_str(&format!(
                "| `{}` | {} | {}{} | {} |\n",
                q.id,
                esc(&w.reason),
                w.expires,
                if expired { " (expired)" } else { "" },
                esc(w.approved_by.as_deref().unwrap_or("—"))
            ));
        }
        out.push('\n');
    }
    let risk = r.risk_accepted();
    if !risk.items.is_empty() {
        out.push_str(&format!(
            "Risk accepted: {} set aside (waived, critical not-applicable or condition-skipped); if each were a gap, the score would be {} instead of {}.\n\n",
            super::count(risk.items.len(), "question"),
            pct(risk.score_if_gaps),
            pct(r.summary.score)
        ));
    }
}

/// One table row per question of playbook `p`, its status with how it was
/// found when the report uses probes.
fn question_rows(out: &mut String, p: &PlaybookReport, probes: bool) {
    for q in &p.questions {
        let a = q.answer.as_ref();
        let status = match q.provenance().filter(|_| probes) {
            Some(how) => format!("{} ({how})", status_word(q)),
            None => status_word(q),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            q.order,
            esc(&q.question),
            esc(&q.expectation),
            status,
            q.credit.map_or("n/a".into(), num),
            esc(a.and_then(|a| a.note.as_deref()).unwrap_or("")),
            a.map(|a| a
                .evidence
                .iter()
                .map(|e| esc(e))
                .collect::<Vec<_>>()
                .join(", "))
                .unwrap_or_default()
        ));
    }
}
