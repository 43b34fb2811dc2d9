//! A fast path for the plain YAML that frontmatter is written in.
//!
//! Playbook frontmatter is almost always the same few shapes: block
//! mappings, block sequences, one-line plain or quoted scalars and one-line
//! flow lists of words. This reader understands exactly those, line by line,
//! and builds the same [`Front`] that serde-saphyr's output gives (values,
//! types and positions alike). Anything else — anchors, aliases, tags,
//! block or multi-line scalars, escapes, flow mappings, comments after a
//! value, duplicate keys, tabs, unusual characters, a scalar that YAML could
//! read as something other than text, a number or `true`/`false`/`null` —
//! makes it return `None`, and the caller hands the text to serde-saphyr.
//! So it never decides anything the full parser would decide differently;
//! the tests in `yaml_agreement.rs` check that on many documents.
//!
//! It exists because YAML parsing was most of the cost of `lint` on a large
//! set: on 11,000 generated playbooks (benches/lint.sh) the full parser
//! alone took about three times as long as reading the files.

use super::keys;
use super::raw::{Front, Pos, RawChecklist, RawEntry, RawItem};
use serde_json::Value;

/// Deeper documents go to the full parser, which has its own budget.
const MAX_DEPTH: usize = 16;

/// One line that holds YAML content (blank and comment lines are dropped).
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    /// 1-based line number in the YAML text.
    no: u64,
    /// Leading spaces.
    indent: usize,
    /// The content: no indent, no trailing spaces.
    text: &'a str,
}

/// A parsed node, positioned as serde-saphyr positions it.
#[derive(Debug)]
struct Node {
    pos: Pos,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Scalar(Value),
    Seq(Vec<Node>),
    Map(Vec<(String, Pos, Node)>),
}

/// Reads `yaml` if it stays within the simple subset; `None` otherwise.
pub(crate) fn parse(yaml: &str) -> Option<Front> {
    if !plain_text(yaml.as_bytes()) {
        return None;
    }
    let mut lines = Vec::with_capacity(64);
    for (i, raw) in yaml.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = raw.trim_end_matches(' ');
        let text = trimmed.trim_start_matches(' ');
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        lines.push(Line {
            no: i as u64 + 1,
            indent: trimmed.len() - text.len(),
            text,
        });
    }
    if lines.first()?.indent != 0 || is_dash(lines[0].text) {
        return None;
    }
    let mut reader = Reader { lines, i: 0 };
    let root = reader.map(0, 0)?;
    if reader.i != reader.lines.len() {
        return None;
    }
    front(root)
}

/// The frontmatter keys of [`keys::PLAYBOOK`], picked as the serde-saphyr
/// visitor picks them.
fn front(root: Vec<(String, Pos, Node)>) -> Option<Front> {
    let mut out = Front::default();
    for (key, key_pos, node) in root {
        let lower = key.to_ascii_lowercase();
        let Some(known) = keys::front_key(&lower) else {
            continue;
        };
        match known.slot {
            Some(slot) => *slot(&mut out) = Some((node.pos, node.into_value())),
            None => out.checklist = Some((node.pos, checklist(node)?)),
        }
        if key != lower {
            out.miscased.push((key, key_pos));
        }
    }
    Some(out)
}

fn checklist(node: Node) -> Option<RawChecklist> {
    Some(match node.kind {
        Kind::Seq(items) => RawChecklist::Items(
            items
                .into_iter()
                .map(|item| match item.kind {
                    Kind::Map(entries) => Some((
                        item.pos,
                        RawItem::Entries(
                            entries
                                .into_iter()
                                .map(|(key, key_pos, v)| RawEntry {
                                    key,
                                    key_pos,
                                    value_pos: v.pos,
                                    value: v.into_value(),
                                })
                                .collect(),
                        ),
                    )),
                    // Odd items are rare: let the full parser describe them.
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?,
        ),
        Kind::Map(_) => RawChecklist::Other("a mapping"),
        Kind::Scalar(Value::Null) => RawChecklist::Null,
        Kind::Scalar(Value::String(_)) => RawChecklist::Other("text"),
        Kind::Scalar(Value::Bool(_)) => RawChecklist::Other("a true/false value"),
        Kind::Scalar(Value::Number(_)) => RawChecklist::Other("a number"),
        Kind::Scalar(_) => return None,
    })
}

impl Node {
    fn into_value(self) -> Value {
        match self.kind {
            Kind::Scalar(v) => v,
            Kind::Seq(items) => Value::Array(items.into_iter().map(Node::into_value).collect()),
            Kind::Map(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, _, v)| (k, v.into_value()))
                    .collect(),
            ),
        }
    }
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    i: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.i).copied()
    }

    /// After a one-line value: a deeper line next would continue it (or be
    /// an error), which is the full parser's business.
    fn ends_value(&self, indent: usize) -> bool {
        self.peek().is_none_or(|l| l.indent <= indent)
    }

    /// A block mapping whose keys sit at `indent`, from the current line.
    fn map(&mut self, indent: usize, depth: usize) -> Option<Vec<(String, Pos, Node)>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut entries: Vec<(String, Pos, Node)> = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let (key, rest) = split_key(line.text)?;
            if entries.iter().any(|(k, _, _)| k == key) {
                return None;
            }
            let key_pos = Pos {
                line: line.no,
                column: indent as u64 + 1,
            };
            self.i += 1;
            let node = if rest.is_empty() {
                let colon = Pos {
                    line: line.no,
                    column: (indent + key.len() + 1) as u64,
                };
                self.block_value(indent, colon, depth)?
            } else {
                let value = scalar(rest)?;
                if !self.ends_value(indent) {
                    return None;
                }
                Node {
                    pos: Pos {
                        line: line.no,
                        column: (indent + line.text.len() - rest.len()) as u64 + 1,
                    },
                    kind: Kind::Scalar(value),
                }
            };
            entries.push((key.to_string(), key_pos, node));
        }
        if entries.is_empty() {
            None
        } else {
            Some(entries)
        }
    }

    /// The value of `key:` with nothing after the colon: a nested block, an
    /// indentless sequence, or null (positioned at the colon).
    fn block_value(&mut self, indent: usize, colon: Pos, depth: usize) -> Option<Node> {
        let Some(next) = self.peek() else {
            return Some(Node {
                pos: colon,
                kind: Kind::Scalar(Value::Null),
            });
        };
        if next.indent > indent {
            if is_dash(next.text) {
                let items = self.seq(next.indent, depth + 1)?;
                // An indented sequence is positioned at its first dash.
                Some(Node {
                    pos: Pos {
                        line: next.no,
                        column: next.indent as u64 + 1,
                    },
                    kind: Kind::Seq(items),
                })
            } else {
                let entries = self.map(next.indent, depth + 1)?;
                Some(Node {
                    pos: entries[0].1,
                    kind: Kind::Map(entries),
                })
            }
        } else if next.indent == indent && is_dash(next.text) {
            // An indentless sequence is positioned at its first item's
            // content, except when the dash is alone on its line.
            if next.text == "-" {
                return None;
            }
            let items = self.seq(indent, depth + 1)?;
            Some(Node {
                pos: items[0].pos,
                kind: Kind::Seq(items),
            })
        } else {
            Some(Node {
                pos: colon,
                kind: Kind::Scalar(Value::Null),
            })
        }
    }

    /// A block sequence whose dashes sit at `indent`.
    fn seq(&mut self, indent: usize, depth: usize) -> Option<Vec<Node>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent || (line.indent == indent && !is_dash(line.text)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            if line.text == "-" {
                // The item is on the lines below, deeper than the dash.
                self.i += 1;
                let next = self.peek()?;
                if next.indent <= indent || is_dash(next.text) {
                    return None;
                }
                let entries = self.map(next.indent, depth + 1)?;
                items.push(Node {
                    pos: entries[0].1,
                    kind: Kind::Map(entries),
                });
                continue;
            }
            let rest = line.text[1..].trim_start_matches(' ');
            let column = indent + line.text.len() - rest.len();
            if is_dash(rest) {
                return None;
            }
            if split_key(rest).is_some() {
                // A mapping whose first key shares the dash's line: read
                // that line again as if it started at the key.
                self.lines[self.i] = Line {
                    no: line.no,
                    indent: column,
                    text: rest,
                };
                let entries = self.map(column, depth + 1)?;
                items.push(Node {
                    pos: entries[0].1,
                    kind: Kind::Map(entries),
                });
            } else {
                self.i += 1;
                let value = scalar(rest)?;
                if !self.ends_value(indent) {
                    return None;
                }
                items.push(Node {
                    pos: Pos {
                        line: line.no,
                        column: column as u64 + 1,
                    },
                    kind: Kind::Scalar(value),
                });
            }
        }
        if items.is_empty() { None } else { Some(items) }
    }
}

fn is_dash(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// `key: rest` or `key:` with a plain word key; `rest` without its leading spaces.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let end = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))?;
    if bytes[end] != b':' {
        return None;
    }
    let after = &text[end + 1..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    let key = &text[..end];
    if special_word(key) {
        return None;
    }
    Some((key, after.trim_start_matches(' ')))
}

/// Words that some YAML reading gives a type other than text.
fn special_word(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "inf", "nan",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// A one-line scalar or flow list, as the text after `key: ` or `- `.
fn scalar(text: &str) -> Option<Value> {
    match text.as_bytes()[0] {
        b'"' => {
            let inner = &text[1..];
            let end = inner.find('"')?;
            let (content, after) = (&inner[..end], &inner[end + 1..]);
            (!content.contains('\\') && after.is_empty()).then(|| Value::String(content.into()))
        }
        b'\'' => {
            let mut out = String::new();
            let mut rest = &text[1..];
            loop {
                let q = rest.find('\'')?;
                out.push_str(&rest[..q]);
                rest = &rest[q + 1..];
                match rest.strip_prefix('\'') {
                    Some(r) => {
                        out.push('\'');
                        rest = r;
                    }
                    None => break,
                }
            }
            rest.is_empty().then_some(Value::String(out))
        }
        b'[' => {
            let inner = text.strip_suffix(']')?[1..].trim_matches(' ');
            if inner.is_empty() {
                return Some(Value::Array(Vec::new()));
            }
            inner
                .split(',')
                .map(|part| {
                    let part = part.trim_matches(' ');
                    if part.is_empty() || part.contains([':', '#', '"', '\'', '[', ']', '{', '}']) {
                        None
                    } else {
                        plain(part)
                    }
                })
                .collect::<Option<Vec<_>>>()
                .map(Value::Array)
        }
        _ => plain(text),
    }
}

/// A plain scalar that is clearly text, a whole number, `true`/`false` or `null`.
fn plain(text: &str) -> Option<Value> {
    let first = text.as_bytes()[0];
    if b"-?:,[]{}#&*!|>'\"%@`~".contains(&first)
        || text.contains(": ")
        || text.ends_with(':')
        || text.contains(" #")
        || text.contains(['[', ']', '{', '}'])
    {
        return None;
    }
    if first.is_ascii_digit() || first == b'+' || first == b'.' {
        if text.bytes().all(|b| b.is_ascii_digit()) && (text == "0" || first != b'0') {
            return text.parse::<u64>().ok().map(Value::from);
        }
        // `1.0.0`: two dots make it neither an integer nor a float.
        if first.is_ascii_digit() && text.bytes().filter(|&b| b == b'.').count() >= 2 {
            return Some(Value::String(text.into()));
        }
        return None;
    }
    if first.is_ascii_alphabetic() {
        return Some(match text {
            "true" | "True" | "TRUE" => Value::Bool(true),
            "false" | "False" | "FALSE" => Value::Bool(false),
            "null" | "Null" | "NULL" => Value::Null,
            _ => Value::String(text.into()),
        });
    }
    (first >= 0x80).then(|| Value::String(text.into()))
}

/// No tabs, control characters, lone carriage returns, byte order marks or
/// Unicode line breaks: those are for the full parser.
fn plain_text(bytes: &[u8]) -> bool {
    // Most frontmatter is printable ASCII and newlines: check that in
    // branch-free blocks first.
    let unusual = |b: u8| (b < 0x20 && b != b'\n') | (b >= 0x7f);
    if bytes
        .chunks(64)
        .all(|chunk| !chunk.iter().fold(false, |acc, &b| acc | unusual(b)))
    {
        return true;
    }
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\n' => {}
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {}
            0..=0x1f | 0x7f => return false,
            // C1 controls, NEL
            0xc2 if bytes.get(i + 1).is_some_and(|c| (0x80..=0x9f).contains(c)) => return false,
            // LINE and PARAGRAPH SEPARATOR
            0xe2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
            {
                return false;
            }
            // BOM, U+FFFE, U+FFFF
            0xef if matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
            ) =>
            {
                return false;
            }
            _ => {}
        }
    }
    true
}
