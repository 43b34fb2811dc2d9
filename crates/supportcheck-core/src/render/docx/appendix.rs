//! The appendices of the Word document: every question in full, and how
//! the score was computed.

use super::plan::status_cell;
use super::{BAD, cell, cell_text, clean, heading, muted, para, prose_paragraphs, table, text};
use crate::render::client::{Evidence, Row, View};
use crate::report::Report;
use docx_rs::{Docx, Hyperlink, HyperlinkType, Paragraph, Run, TableRow};

/// Appendix A: every question in full, section by section, with the
/// assessor's note on each section.
pub(super) fn questions(mut doc: Docx, r: &Report, v: &View, accent: &str) -> Docx {
    doc = doc.add_paragraph(heading(1, "Appendix A: Question by question").page_break_before(true));
    for sec in &v.sections {
        if let Some(title) = &sec.title {
            doc = doc.add_paragraph(heading(
                2,
                &match &sec.score {
                    Some(sc) => format!("{title} — {sc}"),
                    None => title.clone(),
                },
            ));
            if let Some(note) = sec
                .id
                .as_ref()
                .and_then(|id| r.assessor.as_ref()?.sections.get(id))
            {
                for p in prose_paragraphs(note) {
                    doc = doc.add_paragraph(p);
                }
            }
        }
        for p in &sec.playbooks {
            doc = doc.add_paragraph(heading(3, &format!("{} — {}", p.title, p.score)));
            let rows = p.rows.iter().map(|q| question_row(&q, v)).collect();
            doc = doc.add_table(table(
                accent,
                &[6, 46, 16, 32],
                &["#", "Question", "Status", "Note and evidence"],
                rows,
            ));
        }
    }
    doc
}

/// A question's row: its number, the question, its status, and the note
/// and evidence.
fn question_row(q: &Row, v: &View) -> TableRow {
    let mut question = vec![
        Paragraph::new().add_run(
            text(&format!(
                "{}{}",
                q.question,
                if q.critical { " (critical)" } else { "" }
            ))
            .size(18),
        ),
        Paragraph::new().add_run(muted(&q.expectation)),
    ];
    for n in &q.notices {
        question.push(
            Paragraph::new().add_run(Run::new().add_text(clean(&n.text)).size(16).color(BAD)),
        );
    }
    // docx-rs numbers paragraphs (w14:paraId) in the order they are made:
    // the status and notes first, the row's one-line cells last.
    let status = status_cell(&q.status, q.waived_until.as_deref());
    let notes = cell(notes(q, v));
    TableRow::new(vec![
        cell_text(&q.order.to_string()),
        cell(question),
        status,
        notes,
    ])
    .cant_split()
}

/// What the answer says besides its status: the note, the evidence, the
/// owner and due date, and who answered when (an empty paragraph if none).
fn notes(q: &Row, v: &View) -> Vec<Paragraph> {
    let mut notes = Vec::new();
    if let Some(n) = &q.note {
        notes.push(Paragraph::new().add_run(text(n).size(18)));
    }
    if !q.evidence.is_empty() {
        notes.push(evidence(&q.evidence, v.product.as_deref()));
    }
    if q.owner.is_some() || q.due.is_some() {
        notes.push(Paragraph::new().add_run(muted(&owner_line(q))));
    }
    if let Some(by) = &q.answered_by {
        notes.push(Paragraph::new().add_run(muted(&format!(
            "— {by}{}",
            q.answered_on
                .as_ref()
                .map(|d| format!(", {d}"))
                .unwrap_or_default()
        ))));
    }
    if notes.is_empty() {
        notes.push(Paragraph::new());
    }
    notes
}

/// `Evidence: ` and each piece of it: a link for a URL, a file of the
/// `product`'s project said to be one.
fn evidence(evidence: &[Evidence], product: Option<&str>) -> Paragraph {
    let mut p = Paragraph::new().add_run(muted("Evidence: "));
    for (i, e) in evidence.iter().enumerate() {
        if i > 0 {
            p = p.add_run(muted(", "));
        }
        p = match &e.href {
            Some(url) => p.add_hyperlink(
                Hyperlink::new(url, HyperlinkType::External).add_run(
                    Run::new()
                        .add_text(clean(&e.text))
                        .size(18)
                        .underline("single")
                        .color("1F4FB4"),
                ),
            ),
            None if e.local => p.add_run(text(&e.text).size(18)).add_run(muted(&format!(
                " (a file in the {} project)",
                product.unwrap_or("product")
            ))),
            None => p.add_run(text(&e.text).size(18)),
        };
    }
    p
}

/// `Owner: NAME (ROLE) · due DATE`, each part when set.
fn owner_line(q: &Row) -> String {
    let mut line = String::new();
    if let Some(o) = &q.owner {
        line.push_str(&format!("Owner: {o}"));
        if let Some(role) = &q.owner_role {
            line.push_str(&format!(" ({role})"));
        }
    }
    if let Some(d) = &q.due {
        if !line.is_empty() {
            line.push_str(" · ");
        }
        line.push_str(&format!("due {d}"));
    }
    line
}

/// Appendix B: the scoring rules in words, the playbooks' digests, the
/// orphaned answers and the time zone of the dates.
pub(super) fn method(mut doc: Docx, v: &View, accent: &str) -> Docx {
    let m = &v.method;
    doc = doc
        .add_paragraph(heading(1, "Appendix B: How this score was computed"))
        .add_paragraph(para(
            "Each question that applies to the product earns credit: 1 when met, 0.5 when partly met, 0 when not met or not yet answered. When a question lists criteria, its credit is the share of criteria met. A question marked not applicable, or left out because a condition says it does not apply, is not counted either way.",
        ))
        .add_paragraph(para(
            "score = 100 × Σ(weight × credit) ÷ Σ(weight), over the questions that apply, rounded to one decimal.",
        ))
        .add_paragraph(para(&format!(
            "A critical question that is not met blocks the launch unless a waiver covers it. The report is ready when nothing blocks it, every question is answered and the score reaches the bar of {}. These are version {} of supportcheck's scoring rules; this report was made with supportcheck {}.",
            m.min_score, m.scoring, m.tool_version
        )));
    let rows = m
        .digests
        .iter()
        .map(|d| {
            TableRow::new(vec![
                cell_text(&d.title),
                cell_text(&d.path),
                cell(vec![
                    Paragraph::new().add_run(
                        Run::new()
                            .add_text(clean(&d.sha256))
                            .size(14)
                            .fonts(docx_rs::RunFonts::new().ascii("Courier New")),
                    ),
                ]),
            ])
        })
        .collect();
    doc = doc.add_table(table(
        accent,
        &[30, 28, 42],
        &["Playbook", "File", "sha256"],
        rows,
    ));
    if !v.orphaned.is_empty() {
        doc = doc
            .add_paragraph(heading(2, "Orphaned answers"))
            .add_paragraph(para(&format!(
                "Answers to questions that are no longer in the playbooks, kept in the answers file: {}.",
                v.orphaned.join(", ")
            )));
    }
    doc.add_paragraph(Paragraph::new().add_run(muted(&format!("Dates are in {}.", v.timezone))))
}
