//! The `## Why` and `## How` guidance of a playbook body, and a Markdown-to-terminal-text renderer for it.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Guidance sections as Markdown source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guidance {
    pub why: Option<String>,
    pub how: Option<String>,
}

/// Finds the `## Why` and `## How` sections: each runs from the end of its
/// H2 heading to the next H1 or H2.
pub fn extract(body: &str) -> Guidance {
    let mut out = Guidance::default();
    let mut current: Option<(String, usize)> = None;
    let mut in_heading: Option<(HeadingLevel, String)> = None;
    let mut sections: Vec<(String, usize, usize)> = Vec::new();
    for (event, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. })
                if matches!(level, HeadingLevel::H1 | HeadingLevel::H2) =>
            {
                if let Some((name, start)) = current.take() {
                    sections.push((name, start, range.start));
                }
                in_heading = Some((level, String::new()));
            }
            Event::Text(t) | Event::Code(t) if in_heading.is_some() => {
                if let Some((_, name)) = in_heading.as_mut() {
                    name.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((l, name)) = in_heading.take()
                    && l == level
                    && level == HeadingLevel::H2
                {
                    current = Some((name.trim().to_lowercase(), range.end));
                }
            }
            _ => {}
        }
    }
    if let Some((name, start)) = current {
        sections.push((name, start, body.len()));
    }
    for (name, start, end) in sections {
        let text = body[start..end].trim().to_string();
        if text.is_empty() {
            continue;
        }
        match name.as_str() {
            "why" if out.why.is_none() => out.why = Some(text),
            "how" if out.how.is_none() => out.how = Some(text),
            _ => {}
        }
    }
    out
}

/// Renders Markdown as plain terminal text wrapped to `width`: headings on
/// their own line, list items with bullets or numbers, links as `text (url)`.
pub fn to_terminal_text(markdown: &str, width: usize) -> String {
    let width = width.clamp(20, 120);
    wrap_blocks(terminal_blocks(markdown), width)
}

/// The blocks of `markdown` as plain text, each with its indent prefix.
fn terminal_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks: Vec<(String, String)> = Vec::new(); // (indent prefix, text)
    let mut text = String::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut prefix = String::new();
    let mut link: Option<String> = None;
    let flush = |blocks: &mut Vec<(String, String)>, prefix: &mut String, text: &mut String| {
        let t = text.trim();
        if !t.is_empty() {
            blocks.push((std::mem::take(prefix), t.to_string()));
        }
        text.clear();
    };
    for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Heading { .. }) | Event::Start(Tag::Paragraph)
                if !text.trim().is_empty() =>
            {
                flush(&mut blocks, &mut prefix, &mut text);
            }
            Event::End(TagEnd::Heading(_)) => {
                text = text.trim().to_uppercase();
                flush(&mut blocks, &mut prefix, &mut text);
            }
            Event::End(TagEnd::Paragraph) => flush(&mut blocks, &mut prefix, &mut text),
            Event::Start(Tag::List(start)) => {
                if !text.trim().is_empty() {
                    flush(&mut blocks, &mut prefix, &mut text);
                }
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                if !text.trim().is_empty() {
                    flush(&mut blocks, &mut prefix, &mut text);
                }
                let depth = lists.len().saturating_sub(1);
                let marker = match lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "- ".to_string(),
                };
                prefix = format!("{}{marker}", "  ".repeat(depth + 1));
            }
            Event::End(TagEnd::Item) => flush(&mut blocks, &mut prefix, &mut text),
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take() {
                    text.push_str(&format!(" ({url})"));
                }
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::Start(Tag::CodeBlock(_)) if !text.trim().is_empty() => {
                flush(&mut blocks, &mut prefix, &mut text);
            }
            Event::End(TagEnd::CodeBlock) => {
                let code = std::mem::take(&mut text);
                for line in code.lines() {
                    blocks.push(("    ".into(), line.to_string()));
                }
            }
            _ => {}
        }
    }
    flush(&mut blocks, &mut prefix, &mut text);
    blocks
}

/// The blocks wrapped to `width`, their prefixes hanging, a blank line after
/// each paragraph.
fn wrap_blocks(blocks: Vec<(String, String)>, width: usize) -> String {
    let mut out = String::new();
    for (prefix, text) in blocks {
        let rest = " ".repeat(prefix.chars().count());
        let options = textwrap::Options::new(width)
            .initial_indent(&prefix)
            .subsequent_indent(&rest);
        for line in textwrap::wrap(&text, options) {
            out.push_str(&line);
            out.push('\n');
        }
        if prefix.trim().is_empty() && !prefix.starts_with("    ") {
            out.push('\n');
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_why_and_how_until_the_next_h2() {
        let g = extract(
            "intro\n## Why\nBecause.\n\n### Detail\nmore\n## How\n- one\n- two\n## Notes\nx\n",
        );
        assert_eq!(g.why.as_deref(), Some("Because.\n\n### Detail\nmore"));
        assert_eq!(g.how.as_deref(), Some("- one\n- two"));
    }

    #[test]
    fn headings_are_matched_case_insensitively_and_may_be_missing() {
        let g = extract("## how\nDo it.\n");
        assert_eq!(g.why, None);
        assert_eq!(g.how.as_deref(), Some("Do it."));
        assert_eq!(extract("no headings"), Guidance::default());
    }

    #[test]
    fn an_h1_ends_a_section() {
        let g = extract("## Why\nA\n# Next\nB\n");
        assert_eq!(g.why.as_deref(), Some("A"));
    }

    #[test]
    fn terminal_text_has_no_markdown_syntax() {
        let t = to_terminal_text(
            "Some **bold** and [a link](https://x.test).\n\n1. first\n2. second\n\n- bullet `code`\n",
            80,
        );
        assert!(t.contains("Some bold and a link (https://x.test)."), "{t}");
        assert!(t.contains("  1. first"), "{t}");
        assert!(t.contains("  2. second"), "{t}");
        assert!(t.contains("  - bullet code"), "{t}");
        assert!(!t.contains("**"));
    }

    #[test]
    fn terminal_text_wraps_to_width() {
        let t = to_terminal_text(&"word ".repeat(60), 40);
        assert!(t.lines().all(|l| l.chars().count() <= 40), "{t}");
    }
}
