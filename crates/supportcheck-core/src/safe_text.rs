//! Text made safe to print: control characters from playbooks, answers and
//! config are shown escaped, never sent raw to a terminal, a CI log or a
//! file, and no line of output can begin a CI workflow command.
//!
//! Two rules, applied where text leaves the program:
//! - control characters (C0 but newline and tab, DEL, C1, the Unicode bidi
//!   overrides and line separators) become a visible `\u{1b}`-style escape;
//!   a terminal sees our own colour codes (SGR) and nothing else: the codes
//!   the tool styles its text with are marked by [`ours`] with a mark only
//!   this process knows, and every other escape sequence, an SGR in user
//!   text (`ESC[8m` conceal, `ESC[5m` blink) included, is escaped;
//! - a line that starts, after blanks, with `::` or `##[` (GitHub Actions'
//!   workflow commands: `::error`, `::add-mask`, ...) gets a `\` in front,
//!   except in `check --format github`, whose commands are our own.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters that must not reach an output raw.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// The same test as [`is_unsafe`] over UTF-8 bytes, without decoding
/// characters: a control byte, a C1 control (`C2 80`..`C2 9F`), or one of the
/// line separators and bidi controls (`E2 80 A8`..`E2 80 AE`,
/// `E2 81 A6`..`E2 81 A9`).
fn has_unsafe(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'\n' | b'\t' => false,
        0..0x20 | 0x7f => true,
        0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        0xe2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0xa8..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    })
}

fn escape(c: char, out: &mut String) {
    match c {
        '\r' => out.push_str("\\r"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// Text for one line (a table cell, a finding, a heading): newlines and tabs
/// become spaces, other control characters are escaped.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || is_unsafe(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(' '),
            c if is_unsafe(c) => escape(c, &mut out),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The first characters that make a spreadsheet take a cell for a
/// formula: `=`, `+`, `-`, `@`, and a TAB or CR before them.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The one guard for every spreadsheet cell the tool writes (the register
/// and plan as .xlsx and CSV, the portfolio CSV): a text a spreadsheet
/// would run as a formula gets a leading `'`, which `import` takes off.
/// A cell that already starts with `'` before one of those (or before
/// another `'`) gets one too, so that taking one `'` off on import gives
/// back exactly the text that was written.
pub fn sheet_cell(cell: &str) -> Cow<'_, str> {
    let quoted = cell
        .strip_prefix('\'')
        .is_some_and(|rest| rest.starts_with(FORMULA_STARTS) || rest.starts_with('\''));
    if cell.starts_with(FORMULA_STARTS) || quoted {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The mark [`ours`] puts after the ESC of the tool's own colour codes: 16
/// hex digits drawn once per process, so no text written in advance (a
/// playbook, an answer) can carry it.
fn mark() -> &'static str {
    static MARK: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MARK.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        // RandomState's keys are drawn from the system's random source.
        let h = std::collections::hash_map::RandomState::new().build_hasher();
        format!("{:016x}", h.finish())
    })
}

/// Marks every SGR sequence (`ESC [ … m`) of `styled` as the tool's own,
/// for [`printable`] to keep when colour is on. Only for text the tool
/// styled itself, whose user parts were escaped before styling.
pub fn ours(styled: &str) -> String {
    let mut out = String::with_capacity(styled.len() + 32);
    let mut rest = styled;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match sgr_len(rest) {
            Some(len) => {
                out.push('\u{1b}');
                out.push_str(mark());
                out.push_str(&rest[1..len]);
                rest = &rest[len..];
            }
            None => {
                out.push('\u{1b}');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The length of a marked SGR sequence at the start of `s`, and where its
/// `[` starts.
fn marked_len(s: &str) -> Option<(usize, usize)> {
    let body = s.strip_prefix('\u{1b}')?.strip_prefix(mark())?;
    let at = 1 + mark().len();
    let params = body
        .strip_prefix('[')?
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(1 + params) == Some(&b'm')).then_some((at + 1 + params + 1, at))
}

/// How [`printable`] treats escape sequences and workflow commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Keep SGR sequences (`ESC [ … m`, colours we styled the text with).
    pub keep_colour: bool,
    /// Keep lines that are workflow commands (only `check --format github`).
    pub keep_commands: bool,
}

/// For files and plain output: nothing kept.
pub const PLAIN: Policy = Policy {
    keep_colour: false,
    keep_commands: false,
};

/// Whole output text (many lines): keeps newlines and tabs, escapes every
/// other control character and guards lines that would be workflow commands.
pub fn printable(text: &str, policy: Policy) -> Cow<'_, str> {
    let needs_escape = has_unsafe(text.as_bytes());
    // (A marked colour code holds an ESC, so it is found here too.)
    let needs_guard = !policy.keep_commands && text.lines().any(is_command);
    if !needs_escape && !needs_guard {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !policy.keep_commands && is_command(&strip_sgr(line)) {
            out.push('\\');
        }
        let mut rest = line;
        while let Some(c) = rest.chars().next() {
            if c == '\u{1b}'
                && let Some((len, at)) = marked_len(rest)
            {
                // The tool's own colour: kept when colour is on, else dropped.
                if policy.keep_colour {
                    out.push('\u{1b}');
                    out.push_str(&rest[at..len]);
                }
                rest = &rest[len..];
                continue;
            }
            if is_unsafe(c) {
                escape(c, &mut out);
            } else {
                out.push(c);
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    Cow::Owned(out)
}

/// A writer that applies [`printable`] with [`PLAIN`] to everything written
/// through it, a line at a time, so that a large output is made safe
/// without being held whole. Call [`SafeWriter::finish`] at the end.
pub struct SafeWriter<W: std::io::Write> {
    out: W,
    pending: Vec<u8>,
}

impl<W: std::io::Write> SafeWriter<W> {
    pub fn new(out: W) -> Self {
        SafeWriter {
            out,
            pending: Vec::new(),
        }
    }

    fn emit(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(bytes);
        self.out.write_all(printable(&text, PLAIN).as_bytes())
    }

    /// Writes what is left of the last line and returns the inner writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        let rest = std::mem::take(&mut self.pending);
        self.emit(&rest)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: std::io::Write> std::io::Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Whole lines only: a newline byte is never inside a UTF-8 character.
        let Some(end) = buf.iter().rposition(|&b| b == b'\n') else {
            self.pending.extend_from_slice(buf);
            return Ok(buf.len());
        };
        let (lines, rest) = buf.split_at(end + 1);
        if self.pending.is_empty() {
            self.emit(lines)?;
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(lines);
            self.emit(&joined)?;
        }
        self.pending.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// A line GitHub Actions would run as a workflow command.
fn is_command(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("::") || t.starts_with("##[")
}

/// The length of an SGR sequence (`ESC [ digits ; … m`) at the start of `s`.
fn sgr_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\u{1b}[")?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

/// A line without its colour codes, to see how it starts.
fn strip_sgr(line: &str) -> Cow<'_, str> {
    if !line.contains('\u{1b}') {
        return Cow::Borrowed(line);
    }
    let mut out = String::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if let Some(len) = sgr_len(rest).or_else(|| marked_len(rest).map(|(len, _)| len)) {
            rest = &rest[len..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEEP: Policy = Policy {
        keep_colour: true,
        keep_commands: false,
    };

    #[test]
    fn control_characters_are_escaped_and_ours_kept() {
        let text = "a\u{1b}]0;pwned\u{7}b\u{1b}[2Jc\0d\re\u{9b}f\u{202e}g\n\tok";
        assert_eq!(
            printable(text, PLAIN),
            "a\\u{1b}]0;pwned\\u{7}b\\u{1b}[2Jc\\u{0}d\\re\\u{9b}f\\u{202e}g\n\tok"
        );
        // Only the colour codes marked as the tool's own are kept.
        let coloured = ours("\u{1b}[1;31merror:\u{1b}[0m x") + "\u{1b}[2J\u{1b}[8m";
        assert_eq!(
            printable(&coloured, KEEP),
            "\u{1b}[1;31merror:\u{1b}[0m x\\u{1b}[2J\\u{1b}[8m"
        );
        assert_eq!(printable(&coloured, PLAIN), "error: x\\u{1b}[2J\\u{1b}[8m");
    }

    #[test]
    fn no_line_can_start_a_workflow_command() {
        let text = "ok\n::add-mask::secret\n  ::error file=x::y\n##[error]z\nnot ::this";
        assert_eq!(
            printable(text, PLAIN),
            "ok\n\\::add-mask::secret\n\\  ::error file=x::y\n\\##[error]z\nnot ::this"
        );
        let github = Policy {
            keep_colour: false,
            keep_commands: true,
        };
        assert_eq!(printable("::error::x", github), "::error::x");
        assert_eq!(
            printable(&ours("\u{1b}[2m::error::x"), KEEP),
            "\\\u{1b}[2m::error::x"
        );
    }

    #[test]
    fn the_writer_gives_what_printable_gives_whatever_the_chunks() {
        use std::io::Write;
        let text = "a\u{1b}[2Jb\n::error::x\nmiddle\u{7}\n  ##[warning]y\nlast ä\u{0}";
        let want = printable(text, PLAIN).into_owned();
        for chunk in [1, 2, 3, 7, 100] {
            let mut w = SafeWriter::new(Vec::new());
            for piece in text.as_bytes().chunks(chunk) {
                w.write_all(piece).unwrap();
            }
            assert_eq!(
                String::from_utf8(w.finish().unwrap()).unwrap(),
                want,
                "{chunk}"
            );
        }
    }

    #[test]
    fn the_byte_test_agrees_with_the_character_test() {
        let mut all = String::new();
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let one = c.to_string();
            assert_eq!(has_unsafe(one.as_bytes()), is_unsafe(c), "{:x}", c as u32);
            all.push(c);
        }
        assert!(has_unsafe(all.as_bytes()));
    }

    #[test]
    fn one_line_text_has_no_line_breaks() {
        assert_eq!(one_line("a\nb\r\nc\u{2028}d\te"), "a b\\r c\\u{2028}d e");
        assert!(matches!(one_line("plain"), Cow::Borrowed(_)));
    }
}
