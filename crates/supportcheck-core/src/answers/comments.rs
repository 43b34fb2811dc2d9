//! The comments a person wrote in a file the tool rewrites (the answers file,
//! supportcheck.yaml), found line by line and tied to the key they sit above,
//! so that every rewrite can put them back.

use std::collections::BTreeMap;

/// Full-line and end-of-line comments of an answers file, each kept as its
/// text from `#` on. The writer puts them back above (or inside) the entry
/// they belonged to; the indentation is the writer's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comments {
    /// Above a top-level key (`format`, `product`, `answers`, others), by key;
    /// an end-of-line comment on the key's own lines comes here too.
    pub top: BTreeMap<String, Vec<String>>,
    /// Above an answer, by question id.
    pub above: BTreeMap<String, Vec<String>>,
    /// Inside an answer (between or after its fields), by question id.
    pub inside: BTreeMap<String, Vec<String>>,
    /// After the last key of the file.
    pub tail: Vec<String>,
}

impl Comments {
    pub fn is_empty(&self) -> bool {
        self.top.is_empty()
            && self.above.is_empty()
            && self.inside.is_empty()
            && self.tail.is_empty()
    }

    /// Keeps only the comments `keep` accepts.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        for map in [&mut self.top, &mut self.above, &mut self.inside] {
            map.values_mut().for_each(|l| l.retain(|c| keep(c)));
            map.retain(|_, l| !l.is_empty());
        }
        self.tail.retain(|c| keep(c));
    }
}

/// A key whose line the parser reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    Top(String),
    Answer(String),
}

/// Finds the comments of `text`. `anchors` are the lines (1-based) of the
/// top-level keys and of the answers' ids, as the parser saw them.
///
/// A full-line comment belongs to the next line of YAML: above it when that
/// line is a key in `anchors`, otherwise inside the entry that line is part
/// of. Lines of a block scalar (`note: |`) are text, not comments, even when
/// they start with `#`.
pub fn scan(text: &str, anchors: &[(usize, Anchor)]) -> Comments {
    // Most answers files are written by the tool and hold no `#` at all:
    // nothing to walk line by line.
    if !text.contains('#') {
        return Comments::default();
    }
    // By line, first anchor of a line kept: lookups stay logarithmic on a
    // file with many thousands of answers.
    let mut by_line: BTreeMap<usize, &Anchor> = BTreeMap::new();
    for (line, anchor) in anchors {
        by_line.entry(*line).or_insert(anchor);
    }
    let at_line = |line: usize| by_line.get(&line).copied();
    let containing = |line: usize| by_line.range(..=line).next_back().map(|(_, a)| *a);
    let mut out = Comments::default();
    let mut pending: Vec<String> = Vec::new();
    let mut block: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = line.trim();
        if let Some(parent) = block {
            if trimmed.is_empty() || indent > parent {
                continue;
            }
            block = None;
        }
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('#') {
            pending.push(trimmed.to_string());
            continue;
        }
        // A line of YAML: the comments waiting for it are placed.
        if !pending.is_empty() {
            let list = match at_line(number) {
                Some(anchor) => slot_above(&mut out, anchor),
                None => match containing(number) {
                    Some(anchor) => slot_inside(&mut out, anchor),
                    None => &mut out.tail,
                },
            };
            list.append(&mut pending);
        }
        let (code, comment) = split_end_comment(line);
        if let Some(comment) = comment {
            let list = match containing(number) {
                Some(anchor) => slot_inside(&mut out, anchor),
                None => &mut out.tail,
            };
            list.push(comment.to_string());
        }
        if opens_block_scalar(code) {
            block = Some(indent);
        }
    }
    out.tail.append(&mut pending);
    out
}

/// `new`, the rewrite of a YAML file, with the comments a person wrote in
/// `old` put back above the same top-level keys; comments whose key is gone,
/// and those after the last key, go at the end. For files without answers
/// in them (`supportcheck.yaml`); `is_tool` names the tool's own lines.
pub fn carry(old: &str, new: &str, is_tool: &dyn Fn(&str) -> bool) -> String {
    let anchors: Vec<(usize, Anchor)> = old
        .lines()
        .enumerate()
        .filter_map(|(i, l)| top_key(l).map(|k| (i + 1, Anchor::Top(k.to_string()))))
        .collect();
    let mut comments = scan(old, &anchors);
    comments.retain(|c| !is_tool(c));
    let mut out = String::new();
    let mut placed = std::collections::BTreeSet::new();
    for line in new.lines() {
        if let Some(key) = top_key(line)
            && let Some(list) = comments.top.get(key)
            && placed.insert(key.to_string())
        {
            list.iter().for_each(|c| out.push_str(&format!("{c}\n")));
        }
        out.push_str(line);
        out.push('\n');
    }
    let left = comments
        .top
        .iter()
        .filter(|(k, _)| !placed.contains(*k))
        .flat_map(|(_, list)| list)
        .chain(&comments.tail);
    left.for_each(|c| out.push_str(&format!("{c}\n")));
    out
}

/// The key of a top-level `key: value` line.
fn top_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '#', '-', '?', '"', '\'']) {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    let key = key.trim();
    (!key.is_empty()).then_some(key)
}

fn slot_above<'a>(out: &'a mut Comments, anchor: &Anchor) -> &'a mut Vec<String> {
    match anchor {
        Anchor::Top(key) => out.top.entry(key.clone()).or_default(),
        Anchor::Answer(id) => out.above.entry(id.clone()).or_default(),
    }
}

fn slot_inside<'a>(out: &'a mut Comments, anchor: &Anchor) -> &'a mut Vec<String> {
    match anchor {
        Anchor::Top(key) => out.top.entry(key.clone()).or_default(),
        Anchor::Answer(id) => out.inside.entry(id.clone()).or_default(),
    }
}

/// Splits `status: met  # checked` into the YAML and the comment. A `#`
/// starts a comment only after a space or tab and outside quotes.
fn split_end_comment(line: &str) -> (&str, Option<&str>) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut prev = ' ';
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            // `''` inside single quotes is a quote, not the end.
            Some('\'') if c == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && (prev.is_whitespace() || "[{,:".contains(prev)) => {
                quote = Some(c)
            }
            None if c == '#' && (prev == ' ' || prev == '\t') => {
                return (line[..i].trim_end(), Some(line[i..].trim_end()));
            }
            None => {}
        }
        prev = c;
    }
    (line, None)
}

/// `note: |`, `note: >-`, `- |2`: the lines that follow are a block scalar.
fn opens_block_scalar(code: &str) -> bool {
    let code = code.trim_end();
    let Some((head, indicator)) = code.rsplit_once([' ', '\t']) else {
        return false;
    };
    let mut chars = indicator.chars();
    let is_indicator = matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| c.is_ascii_digit() || c == '+' || c == '-');
    let head = head.trim_end();
    is_indicator && (head.ends_with(':') || head.trim_start() == "-" || head.ends_with(" -"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchors(list: &[(usize, &str)]) -> Vec<(usize, Anchor)> {
        list.iter()
            .map(|(l, k)| {
                let anchor = match k.strip_prefix('@') {
                    Some(id) => Anchor::Answer(id.to_string()),
                    None => Anchor::Top(k.to_string()),
                };
                (*l, anchor)
            })
            .collect()
    }

    #[test]
    fn comments_are_tied_to_the_key_below_them() {
        let text = "# team note\nformat: 1\n# about the answers\nanswers:\n  # TODO ask Sam\n  a/q1:\n    status: met  # checked twice\n    # find the doc\n    evidence: []\n  a/q2:\n    status: unmet\n# the end\n";
        let c = scan(
            text,
            &anchors(&[(2, "format"), (4, "answers"), (6, "@a/q1"), (10, "@a/q2")]),
        );
        assert_eq!(c.top["format"], ["# team note"]);
        assert_eq!(c.top["answers"], ["# about the answers"]);
        assert_eq!(c.above["a/q1"], ["# TODO ask Sam"]);
        assert_eq!(c.inside["a/q1"], ["# checked twice", "# find the doc"]);
        assert!(!c.above.contains_key("a/q2"));
        assert_eq!(c.tail, ["# the end"]);
    }

    #[test]
    fn a_hash_in_a_block_scalar_or_in_quotes_is_text() {
        let text = "answers:\n  a/q1:\n    note: |\n      # not a comment\n      second\n    evidence: [\"x #1\", 'y #2']\n";
        let c = scan(text, &anchors(&[(1, "answers"), (2, "@a/q1")]));
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn end_of_line_comments_are_found_outside_quotes_only() {
        assert_eq!(split_end_comment("a: b # c"), ("a: b", Some("# c")));
        assert_eq!(split_end_comment("a: \"b # c\""), ("a: \"b # c\"", None));
        assert_eq!(
            split_end_comment("a: \"b\\\" # c\""),
            ("a: \"b\\\" # c\"", None)
        );
        assert_eq!(split_end_comment("a: b#c"), ("a: b#c", None));
        assert_eq!(split_end_comment("a: it's # x"), ("a: it's", Some("# x")));
        assert_eq!(
            split_end_comment("a: ['it''s # in', b]"),
            ("a: ['it''s # in', b]", None)
        );
        assert_eq!(split_end_comment("a: 'x''' # c"), ("a: 'x'''", Some("# c")));
    }

    #[test]
    fn block_scalar_openers() {
        assert!(opens_block_scalar("    note: |"));
        assert!(opens_block_scalar("    note: >-"));
        assert!(opens_block_scalar("  - |2"));
        assert!(!opens_block_scalar("    note: a | b"));
        assert!(!opens_block_scalar("    note: x|"));
    }

    #[test]
    fn carry_puts_comments_back_above_the_same_keys() {
        let old = "# tool line\n# Team: support\nproduct: Acme\ngate:\n  # raised after Q3\n  min_score: 80  # agreed\n  warn_days: 14\n# old key\nlegacy: 1\n# the end\n";
        let new = "# tool line\nproduct: Acme\ngate:\n  min_score: 80\n  warn_days: 14\n";
        let out = carry(old, new, &|c| c == "# tool line");
        assert_eq!(
            out,
            "# tool line\n# Team: support\nproduct: Acme\n# raised after Q3\n# agreed\ngate:\n  min_score: 80\n  warn_days: 14\n# old key\n# the end\n"
        );
    }
}
