//! The front of the Word document: its styles and running footer, the
//! cover, and page one (the executive summary).

use super::{
    BAD, MUTED, OK, WARN, cell_text, clean, heading, logo_png, muted, para, png_size,
    prose_paragraphs, table, text,
};
use crate::render::client::{ExecutiveSummary, Gap, View};
use crate::report::Report;
use docx_rs::{
    AlignmentType, Docx, Footer, NumPages, PageNum, Paragraph, Pic, Run, Style, StyleType, TableRow,
};

/// A new document with the body font, the title style and the three heading
/// styles, in the accent colour `accent`.
pub(super) fn styled(accent: &str) -> Docx {
    let mut doc = Docx::new()
        .default_size(20)
        .default_line_spacing(docx_rs::LineSpacing::new().after(100))
        .default_fonts(docx_rs::RunFonts::new().ascii("Calibri").hi_ansi("Calibri"))
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .size(48)
                .bold()
                .color(accent),
        );
    for (level, size) in [(1, 32), (2, 26), (3, 22)] {
        doc = doc.add_style(heading_style(accent, level, size));
    }
    doc
}

/// Word's own style for headings of `level` (1 to 3), `size` in half points.
fn heading_style(accent: &str, level: usize, size: usize) -> Style {
    Style::new(format!("Heading{level}"), StyleType::Paragraph)
        .name(format!("heading {level}"))
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .outline_lvl(level - 1)
        .line_spacing(
            docx_rs::LineSpacing::new()
                .before(if level == 1 { 320 } else { 200 })
                .after(100),
        )
        .size(size)
        .bold()
        .color(if level == 1 {
            accent.to_string()
        } else {
            "1D2433".to_string()
        })
}

/// The running footer: who, what, which version, and the page.
pub(super) fn footer(doc: Docx, v: &View) -> Docx {
    // The page number on a line of its own, so that a long title line
    // never wraps between "Page" and its number.
    doc.footer(
        Footer::new()
            .add_paragraph(Paragraph::new().add_run(muted(&footer_text(v).join(" · "))))
            .add_paragraph(
                Paragraph::new()
                    .add_run(muted("Page "))
                    .add_page_num(PageNum::new())
                    .add_run(muted(" of "))
                    .add_num_pages(NumPages::new()),
            ),
    )
}

/// The footer's facts (title, client, product, version, date), each once.
fn footer_text(v: &View) -> Vec<String> {
    let footer_text: Vec<String> = [Some(v.title.clone()), v.client.clone(), v.product.clone()]
        .into_iter()
        .flatten()
        .chain(v.version.map(|n| format!("version {n}")))
        .chain([v.date.clone()])
        .collect();
    let mut seen = Vec::new();
    footer_text
        .into_iter()
        .filter(|t| {
            let fresh = !seen.contains(t);
            seen.push(t.clone());
            fresh
        })
        .collect()
}

/// The cover: the logo, the title, and who and what the report is for.
pub(super) fn cover(mut doc: Docx, v: &View) -> Docx {
    if let Some(png) = v.logo.as_deref().and_then(logo_png)
        && let Some((w, h)) = png_size(&png)
    {
        // At most 0.6 in high and 2.4 in wide (914,400 EMU an inch).
        let scale = (548_640.0 / h as f64).min(2_194_560.0 / w as f64);
        let pic = Pic::new_with_dimensions(png, w, h)
            .size((w as f64 * scale) as u32, (h as f64 * scale) as u32);
        doc = doc.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Right)
                .add_run(Run::new().add_image(pic)),
        );
    }
    doc = doc.add_paragraph(Paragraph::new().style("Title").add_run(text(&v.title)));
    for (label, value) in [
        ("Client", v.client.clone()),
        ("Product", v.product.clone()),
        ("Prepared by", v.prepared_by.clone()),
        ("Version", v.version.map(|n| n.to_string())),
        ("Date", Some(v.date.clone())),
    ] {
        if let Some(value) = value {
            doc = doc.add_paragraph(
                Paragraph::new()
                    .add_run(
                        Run::new()
                            .add_text(clean(format!("{label}: ")))
                            .color(MUTED),
                    )
                    .add_run(text(&value)),
            );
        }
    }
    doc
}

/// Page one: the assessor's words, the verdict, the blockers, the costliest
/// gaps and the sections at a glance.
pub(super) fn executive_summary(mut doc: Docx, r: &Report, v: &View, accent: &str) -> Docx {
    doc = doc.add_paragraph(heading(1, "Executive summary"));
    if let Some(a) = r.assessor.as_ref().filter(|a| !a.summary.trim().is_empty()) {
        for p in prose_paragraphs(&a.summary) {
            doc = doc.add_paragraph(p);
        }
        if let Some(by) = &v.prepared_by {
            doc = doc.add_paragraph(Paragraph::new().add_run(muted(&format!("— {by}"))));
        }
    }
    doc = verdict(doc, &v.summary);
    doc = blockers(doc, &v.summary);
    doc = top_gaps(doc, &v.summary);
    glance(doc, v, accent)
}

/// The level's colour: green when ready, red when blocked, amber otherwise.
fn level_colour(level: &str) -> &'static str {
    match level {
        "ready" => OK,
        "blocked" => BAD,
        _ => WARN,
    }
}

/// The verdict and score in large type, the facts behind them, and the
/// verdict in a sentence.
fn verdict(doc: Docx, s: &ExecutiveSummary) -> Docx {
    let doc = doc.add_paragraph(
        Paragraph::new()
            .add_run(
                Run::new()
                    .add_text(clean(&s.verdict))
                    .bold()
                    .size(36)
                    .color(level_colour(&s.level)),
            )
            .add_run(
                Run::new()
                    .add_text(clean(format!("   {} / 100", s.score)))
                    .bold()
                    .size(36),
            ),
    );
    let mut facts = format!(
        "The bar is {} · {} of {} answered",
        s.bar, s.answered, s.questions
    );
    if let Some(t) = &s.trend {
        facts.push_str(&format!(
            " · {} since version {} ({})",
            t.delta, t.previous_version, t.previous_score
        ));
    }
    let doc = doc
        .add_paragraph(Paragraph::new().add_run(muted(&facts)))
        .add_paragraph(para(&s.verdict_sentence));
    match &s.gate_line {
        Some(line) => doc.add_paragraph(para(line)),
        None => doc,
    }
}

/// ` · owner NAME (ROLE)`, or nothing without an owner.
fn who(owner: &Option<String>, role: &Option<String>) -> String {
    match (owner, role) {
        (Some(o), Some(r)) => format!(" · owner {o} ({r})"),
        (Some(o), None) => format!(" · owner {o}"),
        _ => String::new(),
    }
}

/// The blockers, one bulleted line each, and how many more the roadmap has.
fn blockers(mut doc: Docx, s: &ExecutiveSummary) -> Docx {
    if s.blockers.is_empty() {
        return doc;
    }
    doc = doc.add_paragraph(heading(3, "Blockers"));
    for g in &s.blockers {
        doc = doc.add_paragraph(blocker_line(g));
    }
    if s.more_blockers > 0 {
        doc = doc.add_paragraph(para(&format!(
            "and {} more, in the roadmap",
            s.more_blockers
        )));
    }
    doc
}

/// One blocker: its question in bold, then its playbook, owner and due date.
fn blocker_line(g: &Gap) -> Paragraph {
    Paragraph::new()
        .indent(Some(360), None, None, None)
        .add_run(
            Run::new()
                .add_text(clean(format!("• {}", g.question)))
                .bold(),
        )
        .add_run(muted(&format!(
            " ({}{}{})",
            g.playbook,
            who(&g.owner, &g.owner_role),
            g.due
                .as_ref()
                .map(|d| format!(" · due {d}"))
                .unwrap_or_default()
        )))
}

/// The gaps that cost the most points, numbered.
fn top_gaps(mut doc: Docx, s: &ExecutiveSummary) -> Docx {
    if s.top_gaps.is_empty() {
        return doc;
    }
    doc = doc.add_paragraph(heading(
        3,
        &format!("The {} gaps that cost the most", s.top_gaps.len()),
    ));
    for (i, g) in s.top_gaps.iter().enumerate() {
        doc = doc.add_paragraph(
            Paragraph::new()
                .indent(Some(360), None, None, None)
                .add_run(text(&format!("{}. {}", i + 1, g.question)))
                .add_run(muted(&format!(
                    " — {} points · {}{}",
                    g.points,
                    g.status,
                    who(&g.owner, &g.owner_role)
                ))),
        );
    }
    doc
}

/// The sections at a glance: score, answered and blockers of each.
fn glance(doc: Docx, v: &View, accent: &str) -> Docx {
    if v.glance.is_empty() {
        return doc;
    }
    let rows = v
        .glance
        .iter()
        .map(|g| {
            TableRow::new(vec![
                cell_text(&g.title),
                cell_text(g.score.as_deref().unwrap_or("not assessed")),
                cell_text(&format!("{} of {}", g.answered, g.questions)),
                cell_text(&g.blockers.to_string()),
            ])
            .cant_split()
        })
        .collect();
    doc.add_paragraph(heading(3, "At a glance"))
        .add_table(table(
            accent,
            &[52, 16, 18, 14],
            &["Section", "Score", "Answered", "Blockers"],
            rows,
        ))
}
