//! The body of the Word document: the scores by playbook, the roadmap of
//! gaps, the risk accepted and the sign-offs.

use super::{BAD, band, cell, cell_text, clean, heading, muted, para, table, text};
use crate::render::client::{Bar, Gap, RiskRow, SignoffView, View};
use docx_rs::{Docx, Paragraph, Run, TableCell, TableRow};

/// The scores, each with its standing in words (the chart's colours).
pub(super) fn scores(doc: Docx, v: &View, accent: &str) -> Docx {
    let doc = doc.add_paragraph(heading(1, "Scores by playbook").page_break_before(true));
    let rows = v.bars.iter().map(score_row).collect();
    doc.add_table(table(
        accent,
        &[56, 16, 28],
        &["Playbook", "Score", "Standing"],
        rows,
    ))
}

/// A playbook's row of the scores: its title, score and standing.
fn score_row(b: &Bar) -> TableRow {
    let standing = match b.class {
        "blocked" => "has a blocker",
        "below" => "below the bar",
        "above" => "at or above the bar",
        _ => "not assessed",
    };
    TableRow::new(vec![
        cell_text(&b.title),
        cell_text(&if b.assessed {
            crate::render::pct(b.score)
        } else {
            "not assessed".to_string()
        }),
        cell_text(standing),
    ])
    .cant_split()
}

/// The roadmap: every gap, by when its action is due and who acts on it.
pub(super) fn roadmap(mut doc: Docx, v: &View, accent: &str) -> Docx {
    if v.roadmap.is_empty() {
        return doc;
    }
    doc = doc.add_paragraph(heading(1, "Roadmap")).add_paragraph(para(
        "Every gap, by when its follow-up action is due and who acts on it. The points are what closing the gap adds to the score; the full expectation is in appendix A.",
    ));
    for h in &v.roadmap {
        doc = doc.add_paragraph(heading(
            2,
            &format!(
                "{} · {} gap{}",
                h.title,
                h.count,
                if h.count == 1 { "" } else { "s" }
            ),
        ));
        let mut rows = Vec::new();
        for o in &h.owners {
            rows.push(band(
                o.owner.as_deref().unwrap_or("No owner yet"),
                o.role.as_deref(),
                4,
            ));
            rows.extend(o.gaps.iter().map(|g| gap_row(&g, v.show_ids)));
        }
        doc = doc.add_table(table(
            accent,
            &[36, 15, 8, 41],
            &["Gap", "Status", "Points", "Action and note"],
            rows,
        ));
    }
    doc
}

/// A gap's row of the roadmap: the gap, its status, its points, its action.
fn gap_row(g: &Gap, show_ids: bool) -> TableRow {
    let mut gap = vec![
        Paragraph::new().add_run(
            Run::new()
                .add_text(clean(format!(
                    "{}{}",
                    g.question,
                    if g.critical { " (critical)" } else { "" }
                )))
                .bold()
                .size(18),
        ),
        Paragraph::new().add_run(muted(&g.expectation_short)),
    ];
    if show_ids {
        gap.insert(0, Paragraph::new().add_run(muted(&g.id)));
    }
    // docx-rs numbers paragraphs (w14:paraId) in the order they are made:
    // the status and action first, the row's one-line cell last.
    let status = status_cell(&g.status, g.waived_until.as_deref());
    let action = cell(action_paragraphs(g));
    TableRow::new(vec![cell(gap), status, cell_text(&g.points), action]).cant_split()
}

/// A status, and until when it is waived if it is.
pub(super) fn status_cell(status: &str, waived_until: Option<&str>) -> TableCell {
    let mut paragraphs = vec![Paragraph::new().add_run(text(status).size(18))];
    if let Some(until) = waived_until {
        paragraphs.push(Paragraph::new().add_run(muted(&format!("waived until {until}"))));
    }
    cell(paragraphs)
}

/// A gap's follow-up: the action (or that none is set), its due date
/// (red when overdue) and the note.
fn action_paragraphs(g: &Gap) -> Vec<Paragraph> {
    let mut action = vec![Paragraph::new().add_run(match &g.action {
        Some(a) => text(&format!("Action: {a}")).size(18),
        None => muted("No action set yet."),
    })];
    if let Some(due) = &g.due {
        action.push(
            Paragraph::new().add_run(
                Run::new()
                    .add_text(clean(format!(
                        "due {due}{}",
                        if g.overdue { " (overdue)" } else { "" }
                    )))
                    .size(18)
                    .color(if g.overdue { BAD } else { "1D2433" }),
            ),
        );
    }
    if let Some(note) = &g.note {
        action.push(Paragraph::new().add_run(muted(&format!("Note: {note}"))));
    }
    action
}

/// Risk accepted: what was set aside, and the score had it counted as gaps.
pub(super) fn risk(doc: Docx, v: &View, accent: &str) -> Docx {
    let k = &v.risk;
    if k.items.is_empty() {
        return doc;
    }
    let doc = doc.add_paragraph(heading(1, "Risk accepted")).add_paragraph(para(&format!(
        "Waived gaps, critical questions marked not applicable, and questions left out because a condition says they do not apply. If none of these were accepted and each counted as a gap, the score would be {} instead of {}{}.",
        k.score_if_gaps,
        k.score,
        if k.critical > 0 {
            format!(
                ", and {} critical question{} would block the launch",
                k.critical,
                if k.critical == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        }
    )));
    let rows = k.items.iter().map(risk_row).collect();
    doc.add_table(table(
        accent,
        &[34, 17, 27, 22],
        &["Question", "Accepted as", "Why", "Approved, until"],
        rows,
    ))
}

/// A risk's row: the question, how it was accepted, why, and by whom until when.
fn risk_row(w: &RiskRow) -> TableRow {
    let mut approved =
        vec![Paragraph::new().add_run(text(w.approved_by.as_deref().unwrap_or("—")).size(18))];
    if let Some(until) = &w.until {
        approved.push(Paragraph::new().add_run(muted(&format!(
            "until {until}{}",
            if w.expired { " (expired)" } else { "" }
        ))));
    }
    TableRow::new(vec![
        cell(vec![
            Paragraph::new().add_run(text(&w.question).size(18)),
            Paragraph::new().add_run(muted(&w.playbook)),
        ]),
        cell_text(&w.kind_words),
        cell_text(w.reason.as_deref().unwrap_or("—")),
        cell(approved),
    ])
    .cant_split()
}

/// The sign-offs: who, in what state, signed by whom, with what note.
pub(super) fn signoffs(doc: Docx, v: &View, accent: &str) -> Docx {
    if v.signoffs.is_empty() {
        return doc;
    }
    let rows = v.signoffs.iter().map(signoff_row).collect();
    doc.add_paragraph(heading(1, "Sign-offs")).add_table(table(
        accent,
        &[28, 22, 25, 25],
        &["Who", "State", "Signed by", "Note"],
        rows,
    ))
}

/// A sign-off's row.
fn signoff_row(s: &SignoffView) -> TableRow {
    let st = &s.status;
    TableRow::new(vec![
        cell(vec![
            Paragraph::new()
                .add_run(text(s.people.as_deref().unwrap_or(&st.role)).size(18))
                .add_run(muted(&if s.people.is_some() {
                    format!("  {}", st.role)
                } else {
                    String::new()
                })),
        ]),
        cell_text(&format!(
            "{}{}",
            <&str>::from(st.state),
            if st.required { " (required)" } else { "" }
        )),
        cell_text(&format!(
            "{}{}",
            st.name.as_deref().unwrap_or("—"),
            st.at.as_ref().map(|a| format!(", {a}")).unwrap_or_default()
        )),
        cell_text(st.note.as_deref().unwrap_or("")),
    ])
}
