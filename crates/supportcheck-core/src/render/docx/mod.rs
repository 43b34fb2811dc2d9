//! The Word document (`report --format docx`): the client view as a
//! deliverable a consultant edits before it goes out. Headings use Word's
//! own heading styles (so the navigation pane and a table of contents see
//! them), tables are real tables, and the branding's accent colour and PNG
//! logo carry over. Pure: the view in, the file's bytes out.

mod appendix;
mod front;
mod plan;

use super::client::View;
use super::prose::{self, Kind};
use crate::report::Report;
use anyhow::Result;
use docx_rs::{
    Hyperlink, HyperlinkType, Paragraph, Run, Shading, ShdType, Table, TableCell, TableLayoutType,
    TableRow, WidthType,
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

/// Body text.
fn text(t: &str) -> Run {
    Run::new().add_text(clean(t))
}

/// A paragraph of body text.
fn para(t: &str) -> Paragraph {
    Paragraph::new().add_run(text(t))
}

/// Small grey text: labels, dates, asides.
fn muted(t: &str) -> Run {
    Run::new().add_text(clean(t)).color(MUTED).size(18)
}

/// A heading in Word's own style for `level`.
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

/// A cell of one line of small text.
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

/// The Word document of the view `v` of `r`.
pub fn render(r: &Report, v: &View) -> Result<Vec<u8>> {
    let accent = hex(&v.accent);
    let mut doc = front::styled(&accent);
    doc = front::footer(doc, v);
    doc = front::cover(doc, v);
    doc = front::executive_summary(doc, r, v, &accent);
    doc = plan::scores(doc, v, &accent);
    doc = plan::roadmap(doc, v, &accent);
    doc = plan::risk(doc, v, &accent);
    doc = plan::signoffs(doc, v, &accent);
    doc = appendix::questions(doc, r, v, &accent);
    doc = appendix::method(doc, v, &accent);

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
