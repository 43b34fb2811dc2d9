//! A person's Markdown (the assessor's summary and section notes) as a
//! small set of blocks: headings, paragraphs, list items, quotes and code,
//! made of plain text spans. Raw HTML is kept as the text it is, and only
//! http, https and mailto links stay links, so the HTML written from these
//! blocks is safe by construction; the Word document uses the same blocks.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    /// Set for http, https and mailto links only.
    pub href: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Heading,
    Paragraph,
    /// A list item at a depth (0 for the outer list), numbered or not.
    Item {
        depth: usize,
        number: Option<u64>,
    },
    Quote,
    Code,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: Kind,
    pub spans: Vec<Span>,
}

impl Block {
    /// The block's text without styling.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

fn safe_href(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let ok = ["https://", "http://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
        && !url
            .trim()
            .chars()
            .any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| url.trim().to_string())
}

/// The blocks of `markdown`.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut current: Option<Block> = None;
    let (mut bold, mut italic) = (0usize, 0usize);
    let mut quote = 0usize;
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut links: Vec<Option<String>> = Vec::new();
    let mut item_open = false;
    for event in Parser::new(markdown) {
        let href = links.iter().rev().flatten().next().cloned();
        match event {
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut out, &mut current);
                current = Some(empty(Kind::Heading));
            }
            Event::Start(Tag::Paragraph) => {
                if item_open {
                    // The first paragraph of a list item is the item.
                    item_open = false;
                } else {
                    flush(&mut out, &mut current);
                    let kind = if quote > 0 {
                        Kind::Quote
                    } else {
                        Kind::Paragraph
                    };
                    current = Some(empty(kind));
                }
            }
            Event::Start(Tag::BlockQuote(_)) => quote += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote = quote.saturating_sub(1),
            Event::Start(Tag::List(start)) => {
                flush(&mut out, &mut current);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut out, &mut current);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut out, &mut current);
                current = Some(item_block(&mut lists));
                item_open = true;
            }
            Event::End(TagEnd::Item) => {
                item_open = false;
                flush(&mut out, &mut current);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut out, &mut current);
                current = Some(empty(Kind::Code));
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::CodeBlock) => {
                flush(&mut out, &mut current);
            }
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(safe_href(&dest_url)),
            // An image is its alt text: nothing is fetched.
            Event::Start(Tag::Image { .. }) => links.push(None),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                links.pop();
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                let code = matches!(current.as_ref().map(|b| b.kind), Some(Kind::Code));
                push_span(&mut current, &t, code, bold > 0, italic > 0, href);
            }
            Event::Code(t) => push_span(&mut current, &t, true, bold > 0, italic > 0, href),
            Event::SoftBreak => push_span(&mut current, " ", false, false, false, None),
            Event::HardBreak => push_span(&mut current, "\n", false, false, false, None),
            _ => {}
        }
    }
    flush(&mut out, &mut current);
    out
}

/// A block of `kind` with no text yet.
fn empty(kind: Kind) -> Block {
    Block {
        kind,
        spans: Vec::new(),
    }
}

/// Ends the block being built, keeping it unless it has no text.
fn flush(out: &mut Vec<Block>, current: &mut Option<Block>) {
    if let Some(b) = current.take()
        && !b.text().trim().is_empty()
    {
        out.push(b);
    }
}

/// Adds a span to the block being built, opening a paragraph if none is.
fn push_span(
    current: &mut Option<Block>,
    text: &str,
    code: bool,
    b: bool,
    i: bool,
    href: Option<String>,
) {
    let block = current.get_or_insert(Block {
        kind: Kind::Paragraph,
        spans: Vec::new(),
    });
    block.spans.push(Span {
        text: text.to_string(),
        bold: b,
        italic: i,
        code,
        href,
    });
}

/// A new list item at the depth of `lists`, numbered (and the count moved
/// on) when its list is ordered.
fn item_block(lists: &mut [Option<u64>]) -> Block {
    let depth = lists.len().saturating_sub(1);
    let number = match lists.last_mut() {
        Some(Some(n)) => {
            let this = *n;
            *n += 1;
            Some(this)
        }
        _ => None,
    };
    Block {
        kind: Kind::Item { depth, number },
        spans: Vec::new(),
    }
}

fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            '\n' => s.push_str("<br>"),
            c => s.push(c),
        }
    }
    s
}

fn spans_html(spans: &[Span]) -> String {
    let mut s = String::new();
    for span in spans {
        let mut t = escape(&span.text);
        if span.code {
            t = format!("<code>{t}</code>");
        }
        if span.italic {
            t = format!("<em>{t}</em>");
        }
        if span.bold {
            t = format!("<strong>{t}</strong>");
        }
        if let Some(href) = &span.href {
            t = format!("<a href=\"{}\">{t}</a>", escape(href));
        }
        s.push_str(&t);
    }
    s
}

/// The blocks as HTML. Every character of the person's text is escaped;
/// the only markup is ours. Headings are `h4`, below the report's own.
pub fn to_html(blocks: &[Block]) -> String {
    let mut s = String::new();
    let mut open: Vec<&str> = Vec::new();
    for b in blocks {
        let want = match b.kind {
            Kind::Item { depth, number } => Some((depth, number.is_some())),
            _ => None,
        };
        let depth = want.map_or(0, |(d, _)| d + 1);
        while open.len() > depth {
            s.push_str(&format!("</{}>", open.pop().expect("open")));
        }
        while let Some((_, numbered)) = want
            && open.len() < depth
        {
            let tag = if numbered { "ol" } else { "ul" };
            s.push_str(&format!("<{tag}>"));
            open.push(tag);
        }
        let inner = spans_html(&b.spans);
        match b.kind {
            Kind::Heading => s.push_str(&format!("<h4>{inner}</h4>")),
            Kind::Paragraph => s.push_str(&format!("<p>{inner}</p>")),
            Kind::Item { .. } => s.push_str(&format!("<li>{inner}</li>")),
            Kind::Quote => s.push_str(&format!("<blockquote>{inner}</blockquote>")),
            Kind::Code => s.push_str(&format!("<pre>{}</pre>", escape(&b.text()))),
        }
    }
    while let Some(tag) = open.pop() {
        s.push_str(&format!("</{tag}>"));
    }
    s
}

/// Markdown for the readiness report: the same blocks, every character of
/// the person's text escaped as Markdown text.
pub fn to_markdown(blocks: &[Block]) -> String {
    use super::list::md_escape as esc;
    let spans = |spans: &[Span]| -> String {
        spans
            .iter()
            .map(|s| {
                let mut t = esc(&s.text);
                if s.bold {
                    t = format!("**{t}**");
                }
                if s.italic {
                    t = format!("*{t}*");
                }
                match &s.href {
                    Some(h) => format!("[{t}](<{}>)", h.replace(['<', '>'], "")),
                    None => t,
                }
            })
            .collect()
    };
    let mut s = String::new();
    for b in blocks {
        match b.kind {
            Kind::Heading => s.push_str(&format!("**{}**\n\n", spans(&b.spans))),
            Kind::Paragraph => s.push_str(&format!("{}\n\n", spans(&b.spans))),
            Kind::Item { depth, number } => {
                let marker = number.map_or("-".to_string(), |n| format!("{n}."));
                s.push_str(&format!(
                    "{}{marker} {}\n",
                    "  ".repeat(depth),
                    spans(&b.spans)
                ));
            }
            Kind::Quote => s.push_str(&format!("> {}\n\n", spans(&b.spans))),
            Kind::Code => {
                for line in b.text().lines() {
                    s.push_str(&format!("    {line}\n"));
                }
                s.push('\n');
            }
        }
    }
    s.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_safe_html() {
        let md = "We are **nearly** ready.\n\n<script>alert(1)</script>\n\n- one [site](https://acme.test/a?b=1&c)\n- two [bad](javascript:alert(1))\n  1. nested\n\n> quoted\n\n![logo](http://evil.test/x.png)\n";
        let html = to_html(&blocks(md));
        assert!(
            html.contains("<p>We are <strong>nearly</strong> ready.</p>"),
            "{html}"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("<a href=\"https://acme.test/a?b=1&amp;c\">site</a>"),
            "{html}"
        );
        assert!(!html.contains("javascript:alert(1)\""), "{html}");
        assert!(html.contains("<ul><li>one"), "{html}");
        assert!(html.contains("<ol><li>nested</li></ol></ul>"), "{html}");
        assert!(html.contains("<blockquote>quoted</blockquote>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        let md_out = to_markdown(&blocks(md));
        assert!(
            md_out.contains("- one [site](<https://acme.test/a?b=1&c>)"),
            "{md_out}"
        );
        assert!(
            md_out.contains("\\<script\\>") || md_out.contains("&lt;script"),
            "{md_out}"
        );
    }
}
