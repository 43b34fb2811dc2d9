//! The HTML report: one self-contained file (inline CSS and SVG, no scripts,
//! nothing fetched), rendered by minijinja with HTML auto-escaping.

use crate::answers::Status;
use crate::diagnostic::Finding;
use crate::report::{CriterionReport, PlaybookReport, QuestionReport, Report, TrendPoint};
use crate::score::State;
use anyhow::Result;
use chrono::{DateTime, FixedOffset};
use minijinja::{Environment, Value, context};
use serde::Serialize;

const TEMPLATE: &str = include_str!("templates/report.html.j2");
const PARTS: &str = include_str!("templates/report-parts.html.j2");

#[derive(Serialize)]
struct WaiverRow<'a> {
    id: &'a str,
    reason: &'a str,
    expires: String,
    approved_by: Option<&'a str>,
    expired: bool,
}

/// What the page template sees of the report: everything but the questions,
/// whose rows are rendered one by one (see [`render`]).
#[derive(Serialize)]
struct Head<'a> {
    tool_version: &'a str,
    product: Option<&'a str>,
    report_version: Option<u64>,
    generated_at: &'a str,
    scoring: u32,
    summary: &'a crate::score::Summary,
    playbooks: Vec<PlaybookHead<'a>>,
    orphaned: &'a [crate::report::OrphanReport],
}

/// What a blocker or improvement-plan row shows of a question.
#[derive(Serialize)]
struct RowView<'a> {
    id: &'a str,
    question: &'a str,
    expectation: &'a str,
    critical: bool,
    weight: f64,
    status: Option<Status>,
    state: State,
    owner: Option<&'a str>,
}

impl<'a> RowView<'a> {
    fn of(q: &'a QuestionReport) -> Self {
        RowView {
            owner: q.owner.as_deref(),
            id: &q.id,
            question: &q.question,
            expectation: &q.expectation,
            critical: q.critical,
            weight: q.weight,
            status: q.status,
            state: q.state,
        }
    }
}

/// What a playbook's table shows: only these fields are turned into
/// template values, not the whole question and answer.
#[derive(Serialize)]
struct TableView<'a> {
    title: &'a str,
    score: f64,
    section: Option<&'a str>,
    questions: Vec<QuestionView<'a>>,
}

#[derive(Serialize)]
struct QuestionView<'a> {
    order: u64,
    question: &'a str,
    critical: bool,
    criteria: &'a [CriterionReport],
    findings: &'a [Finding],
    status: Option<Status>,
    state: State,
    credit: Option<f64>,
    answer: Option<AnswerView<'a>>,
}

#[derive(Serialize)]
struct AnswerView<'a> {
    note: Option<&'a str>,
    evidence: &'a [String],
    answered_by: Option<&'a str>,
    answered_at: Option<&'a DateTime<FixedOffset>>,
}

impl<'a> TableView<'a> {
    fn of(p: &'a PlaybookReport) -> Self {
        TableView {
            title: &p.title,
            score: p.score,
            section: p.section.as_deref(),
            questions: p
                .questions
                .iter()
                .map(|q| QuestionView {
                    order: q.order,
                    question: &q.question,
                    critical: q.critical,
                    criteria: &q.criteria,
                    findings: &q.findings,
                    status: q.status,
                    state: q.state,
                    credit: q.credit,
                    answer: q.answer.as_ref().map(|a| AnswerView {
                        note: a.note.as_deref(),
                        evidence: &a.evidence,
                        answered_by: a.answered_by.as_deref(),
                        answered_at: a.answered_at.as_ref(),
                    }),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct PlaybookHead<'a> {
    id: &'a str,
    title: &'a str,
    score: f64,
    blockers: usize,
}

/// The HTML report as a string.
pub fn render(r: &Report) -> Result<String> {
    let mut out = Vec::new();
    render_to(r, &mut out)?;
    Ok(String::from_utf8(out)?)
}

/// Where the playbook tables go in the page template.
const TABLES_MARK: &str = "<!--supportcheck:playbook-tables-->";

/// Writes the HTML report. The page is one template; the rows of the
/// blockers, the improvement plan and each playbook's table are macros
/// called once per question or playbook, so that only one of them at a time
/// is turned into template values, and the playbook tables (most of the
/// page) are written as they are made (at 50,000 questions the whole report
/// as template values, or the page as one string, costs more memory than the
/// report itself).
pub fn render_to(r: &Report, out: &mut dyn std::io::Write) -> Result<()> {
    let mut env = Environment::new();
    env.add_template("report.html", TEMPLATE)?;
    env.add_template("report-parts.html", PARTS)?;
    let parts = env.get_template("report-parts.html")?;
    let parts = parts.render_captured(())?;
    let parts = parts.state();
    let rows = |name: &str, items: &mut dyn Iterator<Item = Value>| -> Result<String> {
        let mut out = String::new();
        for item in items {
            out.push_str(&parts.call_macro(name, &[item])?);
            out.push('\n');
        }
        Ok(out)
    };
    let blocker_rows = rows(
        "blocker_row",
        &mut r
            .questions()
            .filter(|(_, q)| q.blocker)
            .map(|(_, q)| Value::from_serialize(RowView::of(q))),
    )?;
    let gap_rows = rows(
        "gap_row",
        &mut r
            .gaps()
            .into_iter()
            .map(|(_, q)| Value::from_serialize(RowView::of(q))),
    )?;
    let mut trend: Vec<TrendPoint> = r.trend.clone();
    trend.push(TrendPoint {
        report_version: r.report_version.unwrap_or(0),
        generated_at: r.generated_at.clone(),
        score: r.summary.score,
        level: r.summary.level.as_str().to_string(),
    });
    let waivers: Vec<WaiverRow> = r
        .waivers()
        .into_iter()
        .map(|(q, w, expired)| WaiverRow {
            id: &q.id,
            reason: &w.reason,
            expires: w.expires.to_string(),
            approved_by: w.approved_by.as_deref(),
            expired,
        })
        .collect();
    let head = Head {
        tool_version: &r.tool_version,
        product: r.product.as_deref(),
        report_version: r.report_version,
        generated_at: &r.generated_at,
        scoring: r.scoring,
        summary: &r.summary,
        playbooks: r
            .playbooks
            .iter()
            .map(|p| PlaybookHead {
                id: &p.id,
                title: &p.title,
                score: p.score,
                blockers: p.blockers,
            })
            .collect(),
        orphaned: &r.orphaned,
    };
    let level_word = r.summary.level.headline();
    let page = env.get_template("report.html")?.render(context! {
        r => head,
        trend => trend,
        blocker_rows => Value::from_safe_string(blocker_rows),
        gap_rows => Value::from_safe_string(gap_rows),
        waivers => waivers,
        actions => r.actions(),
        signoffs => &r.signoffs,
        level_word => level_word,
    })?;
    let (before, after) = page
        .split_once(TABLES_MARK)
        .expect("the page template marks where the tables go");
    out.write_all(before.as_bytes())?;
    for p in &r.playbooks {
        let table =
            parts.call_macro("playbook_table", &[Value::from_serialize(TableView::of(p))])?;
        out.write_all(table.as_bytes())?;
    }
    out.write_all(after.as_bytes())?;
    Ok(())
}
