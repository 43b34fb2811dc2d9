//! The Word document (`report --format docx`): the client view as a
//! deliverable a consultant edits before it goes out. Headings use Word's
//! own heading styles (so the navigation pane and a table of contents see
//! them), tables are real tables, and the branding's accent colour and PNG
//! logo carry over. Pure: the view in, the file's bytes out.

use super::client::View;
use super::prose::{self, Kind};
use crate::report::Report;
use anyhow::Result;
use docx_rs::{
    AlignmentType, Docx, Footer, Hyperlink, HyperlinkType, NumPages, PageNum, Paragraph, Pic, Run,
    Shading, ShdType, Style, StyleType, Table, TableCell, TableLayoutType, TableRow, WidthType,
};

/// The text width of an A4 page with docx-rs's default margins, in twips.
const TEXT_WIDTH: usize = 9000;
const MUTED: &str = "5B6475";
const BAD: &str = "B42318";
const OK: &str = "1F7A4D";
const WARN: &str = "A86400";

/// `#abc` or `#aabbcc` as Word's `AABBCC`.
fn hex(colour: &str) -> String {
    let h = colour.trim_start_matches('#');
    if h.len() == 3 {
        h.chars()
            .flat_map(|c| [c, c])
            .collect::<String>()
            .to_uppercase()
    } else {
        h.to_uppercase()
    }
}

/// Text as Word may hold it: XML 1.0 has no place for control characters
/// (a file with one is refused), so they are written escaped, as
/// everywhere else text leaves the program.
fn clean(t: impl AsRef<str>) -> String {
    crate::safe_text::one_line(t.as_ref()).into_owned()
}

fn text(t: &str) -> Run {
    Run::new().add_text(clean(t))
}

fn para(t: &str) -> Paragraph {
    Paragraph::new().add_run(text(t))
}

fn muted(t: &str) -> Run {
    Run::new().add_text(clean(t)).color(MUTED).size(18)
}

fn heading(level: usize, t: &str) -> Paragraph {
    Paragraph::new()
        .add_run(text(t))
        .style(&format!("Heading{level}"))
}

/// A table with a header row shaded in the accent colour; `widths` in
/// parts of the text width that sum to 100.
fn table(accent: &str, widths: &[usize], header: &[&str], rows: Vec<TableRow>) -> Table {
    let grid: Vec<usize> = widths.iter().map(|w| TEXT_WIDTH * w / 100).collect();
    let head = TableRow::new(
        header
            .iter()
            .zip(&grid)
            .map(|(h, w)| {
                TableCell::new()
                    .width(*w, WidthType::Dxa)
                    .shading(Shading::new().shd_type(ShdType::Clear).fill(accent))
                    .add_paragraph(
                        Paragraph::new().add_run(
                            Run::new()
                                .add_text(clean(*h))
                                .bold()
                                .color("FFFFFF")
                                .size(18),
                        ),
                    )
            })
            .collect(),
    )
    .cant_split();
    let mut all = vec![head];
    all.extend(rows);
    Table::new(all)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// A cell of paragraphs.
fn cell(paragraphs: Vec<Paragraph>) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new(), |c, p| c.add_paragraph(p))
}

fn cell_text(t: &str) -> TableCell {
    cell(vec![Paragraph::new().add_run(text(t).size(18))])
}

/// A row that spans the whole table: an owner's name in the roadmap.
fn band(t: &str, role: Option<&str>, columns: usize) -> TableRow {
    let mut p = Paragraph::new().add_run(Run::new().add_text(clean(t)).bold().size(18));
    if let Some(role) = role {
        p = p.add_run(
            Run::new()
                .add_text(clean(format!("  {role}")))
                .color(MUTED)
                .size(15),
        );
    }
    TableRow::new(vec![
        TableCell::new()
            .grid_span(columns)
            .shading(Shading::new().shd_type(ShdType::Clear).fill("F3F5F8"))
            .add_paragraph(p),
    ])
    .cant_split()
}

/// The assessor's Markdown as paragraphs.
fn prose_paragraphs(markdown: &str) -> Vec<Paragraph> {
    prose::blocks(markdown)
        .into_iter()
        .map(|b| {
            let mut p = match b.kind {
                Kind::Heading => Paragraph::new().style("Heading3"),
                Kind::Item { depth, number } => {
                    let marker = number.map_or("•".to_string(), |n| format!("{n}."));
                    Paragraph::new()
                        .indent(Some(360 * (depth as i32 + 1)), None, None, None)
                        .add_run(text(&format!("{marker} ")))
                }
                Kind::Quote => Paragraph::new().indent(Some(480), None, None, None),
                Kind::Paragraph | Kind::Code => Paragraph::new(),
            };
            for s in &b.spans {
                let mut run = Run::new().add_text(clean(&s.text));
                if s.bold {
                    run = run.bold();
                }
                if s.italic || b.kind == Kind::Quote {
                    run = run.italic();
                }
                if s.code || b.kind == Kind::Code {
                    run = run.fonts(docx_rs::RunFonts::new().ascii("Courier New"));
                }
                p = match &s.href {
                    Some(url) => p.add_hyperlink(
                        Hyperlink::new(url, HyperlinkType::External)
                            .add_run(run.underline("single").color("1F4FB4")),
                    ),
                    None => p.add_run(run),
                };
            }
            p
        })
        .collect()
}

/// A PNG's width and height from its header.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.len() < 24 {
        return None;
    }
    let w = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
    let h = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
    (w > 0 && h > 0).then_some((w, h))
}

/// The logo's PNG bytes, from the view's data URI. Word documents made
/// here carry PNG logos only; another format is left out.
pub fn logo_png(data_uri: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let b64 = data_uri.strip_prefix("data:image/png;base64,")?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    png_size(&bytes).map(|_| bytes)
}

fn level_colour(level: &str) -> &'static str {
    match level {
        "ready" => OK,
        "blocked" => BAD,
        _ => WARN,
    }
}

/// The Word document of the view `v` of `r`.
pub fn render(r: &Report, v: &View) -> Result<Vec<u8>> {
    let accent = hex(&v.accent);
    let mut doc = Docx::new()
        .default_size(20)
        .default_line_spacing(docx_rs::LineSpacing::new().after(100))
        .default_fonts(docx_rs::RunFonts::new().ascii("Calibri").hi_ansi("Calibri"))
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .size(48)
                .bold()
                .color(&accent),
        );
    for (level, size) in [(1, 32), (2, 26), (3, 22)] {
        doc = doc.add_style(
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
                    accent.clone()
                } else {
                    "1D2433".to_string()
                }),
        );
    }
    // The running footer: who, what, which version, and the page.
    let footer_text: Vec<String> = [Some(v.title.clone()), v.client.clone(), v.product.clone()]
        .into_iter()
        .flatten()
        .chain(v.version.map(|n| format!("version {n}")))
        .chain([v.date.clone()])
        .collect();
    let mut seen = Vec::new();
    let footer_text: Vec<String> = footer_text
        .into_iter()
        .filter(|t| {
            let fresh = !seen.contains(t);
            seen.push(t.clone());
            fresh
        })
        .collect();
    // The page number on a line of its own, so that a long title line
    // never wraps between "Page" and its number.
    doc = doc.footer(
        Footer::new()
            .add_paragraph(Paragraph::new().add_run(muted(&footer_text.join(" · "))))
            .add_paragraph(
                Paragraph::new()
                    .add_run(muted("Page "))
                    .add_page_num(PageNum::new())
                    .add_run(muted(" of "))
                    .add_num_pages(NumPages::new()),
            ),
    );

    // The cover.
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

    // Page one: the assessor's words, the verdict, the sections at a glance.
    let s = &v.summary;
    doc = doc.add_paragraph(heading(1, "Executive summary"));
    if let Some(a) = r.assessor.as_ref().filter(|a| !a.summary.trim().is_empty()) {
        for p in prose_paragraphs(&a.summary) {
            doc = doc.add_paragraph(p);
        }
        if let Some(by) = &v.prepared_by {
            doc = doc.add_paragraph(Paragraph::new().add_run(muted(&format!("— {by}"))));
        }
    }
    doc = doc.add_paragraph(
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
    doc = doc
        .add_paragraph(Paragraph::new().add_run(muted(&facts)))
        .add_paragraph(para(&s.verdict_sentence));
    if let Some(line) = &s.gate_line {
        doc = doc.add_paragraph(para(line));
    }
    let who = |owner: &Option<String>, role: &Option<String>| match (owner, role) {
        (Some(o), Some(r)) => format!(" · owner {o} ({r})"),
        (Some(o), None) => format!(" · owner {o}"),
        _ => String::new(),
    };
    if !s.blockers.is_empty() {
        doc = doc.add_paragraph(heading(3, "Blockers"));
        for g in &s.blockers {
            doc = doc.add_paragraph(
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
                    ))),
            );
        }
        if s.more_blockers > 0 {
            doc = doc.add_paragraph(para(&format!(
                "and {} more, in the roadmap",
                s.more_blockers
            )));
        }
    }
    if !s.top_gaps.is_empty() {
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
    }
    if !v.glance.is_empty() {
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
        doc = doc
            .add_paragraph(heading(3, "At a glance"))
            .add_table(table(
                &accent,
                &[52, 16, 18, 14],
                &["Section", "Score", "Answered", "Blockers"],
                rows,
            ));
    }

    // The scores, each with its standing in words (the chart's colours).
    doc = doc.add_paragraph(heading(1, "Scores by playbook").page_break_before(true));
    let rows = v
        .bars
        .iter()
        .map(|b| {
            let standing = match b.class {
                "blocked" => "has a blocker",
                "below" => "below the bar",
                "above" => "at or above the bar",
                _ => "not assessed",
            };
            TableRow::new(vec![
                cell_text(&b.title),
                cell_text(&if b.assessed {
                    super::pct(b.score)
                } else {
                    "not assessed".to_string()
                }),
                cell_text(standing),
            ])
            .cant_split()
        })
        .collect();
    doc = doc.add_table(table(
        &accent,
        &[56, 16, 28],
        &["Playbook", "Score", "Standing"],
        rows,
    ));

    // The roadmap.
    if !v.roadmap.is_empty() {
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
                for g in o.gaps.iter() {
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
                    if v.show_ids {
                        gap.insert(0, Paragraph::new().add_run(muted(&g.id)));
                    }
                    let mut status = vec![Paragraph::new().add_run(text(&g.status).size(18))];
                    if let Some(until) = &g.waived_until {
                        status.push(
                            Paragraph::new().add_run(muted(&format!("waived until {until}"))),
                        );
                    }
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
                    rows.push(
                        TableRow::new(vec![
                            cell(gap),
                            cell(status),
                            cell_text(&g.points),
                            cell(action),
                        ])
                        .cant_split(),
                    );
                }
            }
            doc = doc.add_table(table(
                &accent,
                &[36, 15, 8, 41],
                &["Gap", "Status", "Points", "Action and note"],
                rows,
            ));
        }
    }

    // Risk accepted.
    let k = &v.risk;
    if !k.items.is_empty() {
        doc = doc.add_paragraph(heading(1, "Risk accepted")).add_paragraph(para(&format!(
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
        let rows = k
            .items
            .iter()
            .map(|w| {
                let mut approved = vec![
                    Paragraph::new()
                        .add_run(text(w.approved_by.as_deref().unwrap_or("—")).size(18)),
                ];
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
            })
            .collect();
        doc = doc.add_table(table(
            &accent,
            &[34, 17, 27, 22],
            &["Question", "Accepted as", "Why", "Approved, until"],
            rows,
        ));
    }

    // Sign-offs.
    if !v.signoffs.is_empty() {
        let rows = v
            .signoffs
            .iter()
            .map(|s| {
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
            })
            .collect();
        doc = doc.add_paragraph(heading(1, "Sign-offs")).add_table(table(
            &accent,
            &[28, 22, 25, 25],
            &["Who", "State", "Signed by", "Note"],
            rows,
        ));
    }

    // Appendix A: every question in full.
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
            let rows = p
                .rows
                .iter()
                .map(|q| {
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
                            Paragraph::new()
                                .add_run(Run::new().add_text(clean(&n.text)).size(16).color(BAD)),
                        );
                    }
                    let mut status = vec![Paragraph::new().add_run(text(&q.status).size(18))];
                    if let Some(until) = &q.waived_until {
                        status.push(
                            Paragraph::new().add_run(muted(&format!("waived until {until}"))),
                        );
                    }
                    let mut notes = Vec::new();
                    if let Some(n) = &q.note {
                        notes.push(Paragraph::new().add_run(text(n).size(18)));
                    }
                    if !q.evidence.is_empty() {
                        let mut p = Paragraph::new().add_run(muted("Evidence: "));
                        for (i, e) in q.evidence.iter().enumerate() {
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
                                None if e.local => {
                                    p.add_run(text(&e.text).size(18)).add_run(muted(&format!(
                                        " (a file in the {} project)",
                                        v.product.as_deref().unwrap_or("product")
                                    )))
                                }
                                None => p.add_run(text(&e.text).size(18)),
                            };
                        }
                        notes.push(p);
                    }
                    if q.owner.is_some() || q.due.is_some() {
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
                        notes.push(Paragraph::new().add_run(muted(&line)));
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
                    TableRow::new(vec![
                        cell_text(&q.order.to_string()),
                        cell(question),
                        cell(status),
                        cell(notes),
                    ])
                    .cant_split()
                })
                .collect();
            doc = doc.add_table(table(
                &accent,
                &[6, 46, 16, 32],
                &["#", "Question", "Status", "Note and evidence"],
                rows,
            ));
        }
    }

    // Appendix B: the method.
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
        &accent,
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
    doc = doc
        .add_paragraph(Paragraph::new().add_run(muted(&format!("Dates are in {}.", v.timezone))));

    let mut out = std::io::Cursor::new(Vec::new());
    doc.pack(&mut out)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::client::{Options, view};
    use crate::render::tests::sample;
    use std::io::Read;

    fn document_xml(bytes: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    #[test]
    fn control_characters_are_written_escaped_and_headings_use_word_styles() {
        let mut r = sample();
        let q = &mut std::sync::Arc::make_mut(&mut r.playbooks)[0].questions[0];
        q.question = "Red \u{1b}[31malert\u{7} here?".into();
        let v = view(&r, &Options::default());
        let xml = document_xml(&render(&r, &v).unwrap());
        assert!(
            !xml.chars().any(|c| c.is_control() && c != '\n'),
            "a raw control character"
        );
        assert!(xml.contains("Red \\u{1b}[31malert\\u{7} here?"));
        assert!(xml.contains("w:val=\"Heading1\""));
        assert!(xml.contains("Executive summary") && xml.contains("NOT READY"));
    }
}
