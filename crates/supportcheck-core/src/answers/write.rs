//! Writes an answers file canonically: stable order (the playbooks' order,
//! then orphans by id), canonical values, and no key that was read is dropped.

use super::{Action, Answer, AnswersFile, Waiver};
use chrono::SecondsFormat;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

/// Renders the file. `order` lists the question ids of the loaded playbooks in
/// playbook order; answers not in it (orphans) follow, sorted by id. The
/// comments a person wrote come back above (or inside) the entry they
/// belonged to.
pub fn to_yaml(file: &AnswersFile, order: &[String]) -> String {
    let tool = ToolLines::header();
    let mut out = render(file, order, false, &tool, &BTreeMap::new());
    write_tail(&mut out, file, &tool, order);
    out
}

/// [`to_yaml`] for a merge: each question in `theirs` (the ones both sides
/// changed) is written twice, ours then theirs, between git's conflict
/// markers.
pub(super) fn to_yaml_merged(
    file: &AnswersFile,
    order: &[String],
    theirs: &BTreeMap<String, Answer>,
) -> String {
    let tool = ToolLines::header();
    let mut out = render(file, order, false, &tool, theirs);
    write_tail(&mut out, file, &tool, order);
    out
}

/// The lines the tool writes itself and writes again on every save: they
/// are not a person's comments, so they are not carried over.
pub(super) struct ToolLines(HashSet<String>);

impl ToolLines {
    pub(super) fn header() -> ToolLines {
        let lines: HashSet<String> = [HEADER, TEMPLATE_HELP]
            .iter()
            .flat_map(|t| t.lines())
            .map(|l| l.trim().to_string())
            .collect();
        ToolLines(lines)
    }

    /// The header and every question's fill-in block, as `init` writes them.
    fn template(set: &crate::playbook::Set) -> ToolLines {
        let mut tool = ToolLines::header();
        let mut blocks = String::new();
        write_blocks(&mut blocks, set, &|_| true);
        tool.0.extend(blocks.lines().map(|l| l.trim().to_string()));
        tool
    }

    pub(super) fn is_tool(&self, comment: &str) -> bool {
        // The schema line is written again from `schema_hint`.
        self.0.contains(comment.trim()) || comment.starts_with(HINT_PREFIX.trim())
    }
}

const HEADER: &str = "# supportcheck answers: edit by hand or with `supportcheck audit`.\n";
const TEMPLATE_HELP: &str = "# Answer a question by removing the `# ` in front of its block and filling in\n\
     # `status`: met, partial, unmet or not-applicable (not-applicable needs a `note`\n\
     # with the reason). `evidence` lists paths (relative to the project root) or URLs.\n\
     # Then run `supportcheck status`; `supportcheck audit` asks the same questions.\n";

/// A person's comments, one per line at `pad`.
fn write_comments(out: &mut String, pad: &str, list: Option<&Vec<String>>, tool: &ToolLines) {
    for c in list.into_iter().flatten().filter(|c| !tool.is_tool(c)) {
        let _ = writeln!(out, "{pad}{}", one_line(c));
    }
}

/// The comments that had no key left to sit by, and those after the last key.
/// `order` lists the ids written with a key line even when unanswered (the
/// placeholders of [`to_yaml`]); their comments were written with them.
fn write_tail(out: &mut String, file: &AnswersFile, tool: &ToolLines, order: &[String]) {
    let c = &file.comments;
    let placed: HashSet<&str> = order.iter().map(String::as_str).collect();
    let written = |id: &str| file.answers.contains_key(id) || placed.contains(id);
    let mut written_top: HashSet<&str> = ["format", "answers"].into();
    if file.product.is_some() {
        written_top.insert("product");
    }
    written_top.extend(file.extra.keys().map(String::as_str));
    let orphans = c
        .top
        .iter()
        .filter(|(k, _)| !written_top.contains(k.as_str()))
        .chain(c.above.iter().filter(|(id, _)| !written(id)))
        .chain(c.inside.iter().filter(|(id, _)| !written(id)))
        .map(|(_, list)| list);
    for list in orphans.chain(std::iter::once(&c.tail)) {
        write_comments(out, "", Some(list), tool);
    }
}

/// The answers as YAML; a `template` (see [`to_template`]) also explains how
/// to fill it in, and leaves `answers:` open for the commented blocks.
/// Without the comments that follow the last key (see [`write_tail`]).
fn render(
    file: &AnswersFile,
    order: &[String],
    template: bool,
    tool: &ToolLines,
    conflicts: &BTreeMap<String, Answer>,
) -> String {
    let mut out = String::new();
    if let Some(schema) = &file.schema_hint {
        out.push_str(&hint_line(schema));
    }
    out.push_str(HEADER);
    if template {
        out.push_str(TEMPLATE_HELP);
    }
    let top = |key: &str| file.comments.top.get(key);
    write_comments(&mut out, "", top("format"), tool);
    let _ = writeln!(out, "format: {}", file.format);
    if let Some(product) = &file.product {
        write_comments(&mut out, "", top("product"), tool);
        let _ = writeln!(out, "product: {}", scalar(product));
    }
    for (key, value) in &file.extra {
        write_comments(&mut out, "", top(key), tool);
        write_entry(&mut out, "", key, &json_value(value));
    }
    write_comments(&mut out, "", top("answers"), tool);
    // Outside a template every loaded question keeps its key line, answered
    // or not, so that two people answering different questions change lines
    // under different keys and git merges them without a conflict.
    let placeholders = !template;
    if file.answers.is_empty() && (template || order.is_empty()) {
        // A template's commented blocks follow; `answers:` alone reads as none.
        out.push_str(if template {
            "answers:\n"
        } else {
            "answers: {}\n"
        });
        return out;
    }
    out.push_str("answers:\n");
    let listed = order
        .iter()
        .filter(|id| placeholders || file.answers.contains_key(*id));
    // A set, not `order.contains`: this runs on every audit save.
    let known: HashSet<&str> = order.iter().map(String::as_str).collect();
    let orphans = file
        .answers
        .keys()
        .filter(|id| !known.contains(id.as_str()) && !file.answers[*id].is_empty())
        .collect::<Vec<_>>();
    let empty = Answer::default();
    for id in listed.chain(orphans) {
        write_comments(&mut out, "  ", file.comments.above.get(id), tool);
        let ours = file.answers.get(id).unwrap_or(&empty);
        let inside = file.comments.inside.get(id);
        match conflicts.get(id) {
            Some(theirs) => {
                out.push_str("<<<<<<< ours\n");
                write_answer(&mut out, id, ours, inside, tool);
                out.push_str("=======\n");
                write_answer(&mut out, id, theirs, None, tool);
                out.push_str(">>>>>>> theirs\n");
            }
            None => write_answer(&mut out, id, ours, inside, tool),
        }
    }
    out
}

/// Checks that `text`, about to be saved, reads back as `file`: the last
/// guard before a write, so that a bug in the writer can never replace a
/// good answers file with one that loses answers or does not parse.
pub fn verify(text: &str, file: &AnswersFile) -> Result<(), RoundTripError> {
    let (back, findings) = super::parse(text, "answers.yaml");
    if let Some(error) = findings.iter().find(|f| f.is_error()) {
        return Err(RoundTripError::Unreadable(error.message.clone()));
    }
    if back.without_lines().without_empty() != file.clone().without_lines().without_empty() {
        return Err(RoundTripError::Differs);
    }
    Ok(())
}

/// The answers as they would be written would not be read back as they are:
/// caught before anything was written.
#[derive(Debug, thiserror::Error)]
pub enum RoundTripError {
    /// The reader would refuse the text (a list over its limit, say): what
    /// was asked cannot be saved as it is.
    #[error(
        "the answers as they would be written could not be read back ({0}), so nothing was written and the file on disk is unchanged"
    )]
    Unreadable(String),
    /// They read back as other answers: a bug in the writer.
    #[error(
        "internal error: the answers as they would be written do not read back the same, so nothing was written and the file on disk is unchanged"
    )]
    Differs,
}

/// The comment that points YAML editors (yaml-language-server) at a schema.
pub const HINT_PREFIX: &str = "# yaml-language-server: $schema=";

/// The hint line (with its newline) for a schema file name.
pub fn hint_line(schema_file: &str) -> String {
    format!("{HINT_PREFIX}{schema_file}\n")
}

fn write_answer(
    out: &mut String,
    id: &str,
    a: &Answer,
    comments: Option<&Vec<String>>,
    tool: &ToolLines,
) {
    let key = scalar(id);
    if too_long_for_a_key(&key) {
        let _ = writeln!(out, "  ? {key}\n  :");
    } else {
        let _ = writeln!(out, "  {key}:");
    }
    let pad = "    ";
    write_comments(out, pad, comments, tool);
    if a.is_empty() {
        // The placeholder of an open question: the key alone (null).
        return;
    }
    let fields_start = out.len();
    if let Some(status) = a.status {
        let _ = writeln!(out, "{pad}status: {status}");
    }
    if let Some(note) = &a.note {
        write_text(out, pad, "note", note);
    }
    if !a.evidence.is_empty() {
        let _ = writeln!(out, "{pad}evidence: {}", flow_list(&a.evidence));
    }
    if let Some(criteria) = &a.criteria_met {
        let _ = writeln!(out, "{pad}criteria_met: {}", flow_list(criteria));
    }
    if let Some(v) = &a.question_version {
        let _ = writeln!(out, "{pad}question_version: {v}");
    }
    if let Some(by) = &a.answered_by {
        let _ = writeln!(out, "{pad}answered_by: {}", scalar(by));
    }
    if let Some(at) = &a.answered_at {
        let _ = writeln!(
            out,
            "{pad}answered_at: {}",
            at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
        );
    }
    if let Some(w) = &a.waiver {
        write_waiver(out, w);
    }
    if let Some(action) = &a.action {
        write_action(out, action);
    }
    for (key, value) in &a.extra {
        write_entry(out, pad, key, &json_value(value));
    }
    if out.len() == fields_start {
        // An entry with nothing in it still needs a value to stay a mapping.
        let _ = writeln!(out, "{pad}status: null");
    }
}

fn write_action(out: &mut String, a: &Action) {
    out.push_str("    action:\n");
    let pad = "      ";
    write_text(out, pad, "what", &a.what);
    if let Some(who) = &a.who {
        let _ = writeln!(out, "{pad}who: {}", scalar(who));
    }
    if let Some(due) = &a.due {
        let _ = writeln!(out, "{pad}due: {}", due.format("%Y-%m-%d"));
    }
    for (key, value) in &a.extra {
        write_entry(out, pad, key, &json_value(value));
    }
}

fn write_waiver(out: &mut String, w: &Waiver) {
    out.push_str("    waiver:\n");
    let pad = "      ";
    write_text(out, pad, "reason", &w.reason);
    let _ = writeln!(out, "{pad}expires: {}", w.expires.format("%Y-%m-%d"));
    if let Some(by) = &w.approved_by {
        let _ = writeln!(out, "{pad}approved_by: {}", scalar(by));
    }
    for (key, value) in &w.extra {
        write_entry(out, pad, key, &json_value(value));
    }
}

/// YAML reads a key written the usual way (`key: value`) only when it is at
/// most 1024 characters long; a longer key needs the explicit `? key` form.
/// A key we read can come out longer once quoted, so check what we write.
fn too_long_for_a_key(written: &str) -> bool {
    written.chars().count() > 1000
}

/// `key: value` at `pad`, in the explicit form when the key is long.
fn write_entry(out: &mut String, pad: &str, key: &str, value: &str) {
    let key = scalar(key);
    if too_long_for_a_key(&key) {
        let _ = writeln!(out, "{pad}? {key}\n{pad}: {value}");
    } else {
        let _ = writeln!(out, "{pad}{key}: {value}");
    }
}

/// A text value: plain or quoted on one line, or a literal block for
/// multi-line text that a block can hold exactly.
fn write_text(out: &mut String, pad: &str, key: &str, text: &str) {
    if text.contains('\n') && block_safe(text) {
        let (indicator, body) = match text.strip_suffix('\n') {
            Some(body) => ("|", body),
            None => ("|-", text),
        };
        let _ = writeln!(out, "{pad}{key}: {indicator}");
        for line in body.split('\n') {
            if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "{pad}  {line}");
            }
        }
    } else {
        let _ = writeln!(out, "{pad}{key}: {}", scalar(text));
    }
}

/// Whether a literal block scalar reproduces `text` exactly.
fn block_safe(text: &str) -> bool {
    let body = text.strip_suffix('\n').unwrap_or(text);
    !body.ends_with('\n')
        && !body.starts_with([' ', '\t', '\n'])
        && !text.contains('\r')
        && body
            .split('\n')
            .all(|l| !l.ends_with([' ', '\t']) && !l.chars().any(|c| c.is_control() && c != '\t'))
        && !body
            .split('\n')
            .any(|l| l.is_empty() && body.ends_with('\n'))
}

fn flow_list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| flow_scalar(s)).collect();
    format!("[{}]", parts.join(", "))
}

/// A scalar for block context: plain when that reads back as the same text.
pub fn scalar(s: &str) -> String {
    if plain_safe(s, false) {
        s.to_string()
    } else {
        quoted(s)
    }
}

fn flow_scalar(s: &str) -> String {
    if plain_safe(s, true) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// A double-quoted scalar (JSON string syntax is valid YAML).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Conservative: only letters, digits and a few marks, not starting with an
/// indicator, and not something YAML would read as a number, bool or null.
fn plain_safe(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s != s.trim() || !(first.is_alphanumeric() || matches!(first, '.' | '/' | '_' | '(')) {
        return false;
    }
    let ok_char = |c: char| {
        c.is_alphanumeric()
            || matches!(
                c,
                ' ' | '-'
                    | '_'
                    | '.'
                    | '/'
                    | '('
                    | ')'
                    | '+'
                    | '='
                    | '@'
                    | '%'
                    | '&'
                    | ';'
                    | '~'
                    | '\''
                    | '?'
                    | '!'
                    | '$'
                    | '*'
            )
            || (!flow && c == ',')
    };
    if !s.chars().all(ok_char) {
        return false;
    }
    let lower = s.to_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    ) {
        return false;
    }
    // Anything number-like stays quoted (ints, floats, 1_000, 0x1f, 1e3, dates).
    let numberish = |c: char| {
        c.is_ascii_hexdigit() || matches!(c, '.' | '_' | '+' | '-' | 'x' | 'X' | 'o' | 'O')
    };
    if (first.is_ascii_digit() || first == '.') && s.chars().all(numberish) {
        return false;
    }
    !lower.starts_with(".inf") && !lower.starts_with(".nan")
}

/// Text for a comment line: a line break in it would end the comment.
fn one_line(text: &str) -> String {
    text.split(['\n', '\r']).collect::<Vec<_>>().join(" ")
}

/// A value we did not understand, written back as a JSON flow value.
fn json_value(v: &Value) -> String {
    match v {
        Value::String(s) => scalar(s),
        other => json_flow(other),
    }
}

/// JSON text, which is YAML flow syntax, except that a long mapping key
/// takes the explicit `? key` form.
fn json_flow(v: &Value) -> String {
    match v {
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(json_flow).collect();
            format!("[{}]", parts.join(","))
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    let key = quoted(k);
                    if too_long_for_a_key(&key) {
                        format!("? {key}: {}", json_flow(v))
                    } else {
                        format!("{key}:{}", json_flow(v))
                    }
                })
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        other => serde_json::to_string(other).unwrap_or_else(|_| "null".into()),
    }
}

/// The answers file with a commented, fillable block for every question that
/// has no answer yet: the question, the expectation and the allowed values.
/// The blocks are the tool's own and are written afresh each time; a
/// person's comments are kept, as in [`to_yaml`].
pub fn to_template(file: &AnswersFile, set: &crate::playbook::Set) -> String {
    let order: Vec<String> = set.questions().map(|(_, q)| q.id.clone()).collect();
    let tool = ToolLines::template(set);
    let mut out = render(file, &order, true, &tool, &BTreeMap::new());
    write_blocks(&mut out, set, &|id| !file.answers.contains_key(id));
    write_tail(&mut out, file, &tool, &[]);
    out
}

/// The commented fill-in blocks of the questions `open` selects.
fn write_blocks(out: &mut String, set: &crate::playbook::Set, open: &dyn Fn(&str) -> bool) {
    let wrap_with = |prefix: &str, rest: &str, text: &str| -> String {
        let opts = textwrap::Options::new(78)
            .initial_indent(prefix)
            .subsequent_indent(rest);
        // YAML ends a line at a lone CR too; every line must stay a comment.
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        textwrap::wrap(&text, opts).join("\n") + "\n"
    };
    let wrap = |prefix: &str, text: &str| wrap_with(prefix, "  #   ", text);
    for p in &set.playbooks {
        let open: Vec<_> = p.questions.iter().filter(|q| open(&q.id)).collect();
        if open.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n  # ── {} ({}) ──",
            one_line(&p.title),
            one_line(&p.path)
        );
        for q in open {
            let flags = q.flags();
            let flags = if flags.is_empty() {
                String::new()
            } else {
                format!(" [{}]", flags.join(", "))
            };
            let id = one_line(&q.id);
            let _ = writeln!(out, "  #\n  # {id}{flags}");
            out.push_str(&wrap("  #   Q: ", &q.question));
            out.push_str(&wrap("  #   Expected: ", &q.expectation));
            let _ = writeln!(out, "  # {}:", scalar(&q.id));
            out.push_str("  #   status:            # met | partial | unmet | not-applicable\n");
            out.push_str("  #   note: \n");
            out.push_str("  #   evidence: []\n");
            if !q.criteria.is_empty() {
                // The criteria are listed as comments inside the block, so
                // that un-commenting the block leaves them comments.
                out.push_str("  #   criteria_met: []   # ids of the criteria that hold:\n");
                for c in &q.criteria {
                    out.push_str(&wrap_with(
                        &format!("  #   #   {}: ", c.id),
                        "  #   #     ",
                        &c.text,
                    ));
                }
            }
            let _ = writeln!(out, "  #   question_version: {}", q.version);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Status, parse};
    use super::*;

    fn roundtrip(file: &AnswersFile) -> AnswersFile {
        let order: Vec<String> = file.answers.keys().cloned().collect();
        let text = to_yaml(file, &order);
        let (back, findings) = parse(&text, "t.yaml");
        assert!(
            findings.iter().all(|f| !f.is_error()),
            "{findings:?}\n{text}"
        );
        back
    }

    #[test]
    fn tricky_text_round_trips() {
        let notes = [
            "plain note",
            "yes",
            "87",
            "1.0",
            "a: b # c",
            "- dash",
            "two\nlines",
            "ends with newline\n",
            "  leading spaces\nx",
            "quote \" and ' marks",
            "tab\there",
            "trailing \n",
            "#hash",
            "null",
            "0x1f",
            "@at",
            "1e3",
            "2027-01-31",
            "ünïcödé, ✓",
            "x\n\n\ny\n\n",
        ];
        for note in notes {
            let mut file = AnswersFile::default();
            file.answers.insert(
                "a/q1".into(),
                Answer {
                    status: Some(Status::Met),
                    note: Some(note.into()),
                    evidence: vec![note.trim().to_string(), "https://x.test/a,b".into()],
                    ..Answer::default()
                },
            );
            let back = roundtrip(&file).without_lines();
            assert_eq!(
                back.answers["a/q1"].note.as_deref(),
                Some(note),
                "note {note:?}"
            );
            assert_eq!(back.answers["a/q1"].evidence, file.answers["a/q1"].evidence);
        }
    }

    /// Found by the answers fuzz target: a key YAML read as a plain scalar
    /// came out longer than 1024 characters once quoted, and the file we
    /// wrote did not read back.
    #[test]
    fn keys_longer_than_yaml_allows_inline_round_trip() {
        let long = "k\t".repeat(400); // 800 characters, 1200 once quoted
        let mut file = AnswersFile::default();
        file.extra.insert(long.clone(), Value::from(1));
        file.extra.insert(
            "nested".into(),
            serde_json::json!({ long.clone(): [1, { long.clone(): "x" }], "short": true }),
        );
        let mut answer = Answer {
            status: Some(Status::Met),
            ..Answer::default()
        };
        answer.extra.insert(long.clone(), Value::from("v"));
        answer.waiver = Some(Box::new(Waiver {
            reason: "r".into(),
            expires: chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            approved_by: None,
            extra: [(long.clone(), Value::from(2))].into_iter().collect(),
        }));
        file.answers.insert(long.clone(), answer);
        let back = roundtrip(&file).without_lines();
        assert_eq!(back, file);
        let order: Vec<String> = file.answers.keys().cloned().collect();
        assert!(to_yaml(&file, &order).contains("\n  ? \""));
    }

    #[test]
    fn verify_refuses_text_that_would_lose_or_change_an_answer() {
        let mut file = AnswersFile::default();
        file.answers.insert(
            "a/q1".into(),
            Answer {
                status: Some(Status::Met),
                note: Some("kept".into()),
                ..Answer::default()
            },
        );
        let good = to_yaml(&file, &[]);
        assert!(verify(&good, &file).is_ok());
        for bad in [
            good.replace("note: kept", "note: changed"),
            good.replace("  a/q1:\n", "  a/q2:\n"),
            good.replace("answers:", "answers: ["),
            "format: 1\nanswers: {}\n".to_string(),
        ] {
            let err = verify(&bad, &file).unwrap_err().to_string();
            assert!(err.contains("nothing was written"), "{err}");
        }
    }

    /// `to_template` used to turn every `answers: {}` in the text into
    /// `answers:`, so an unknown key holding an empty map became null.
    #[test]
    fn a_template_keeps_unknown_keys_that_look_like_the_answers_line() {
        let mut file = AnswersFile::default();
        file.extra
            .insert("old_answers".into(), serde_json::json!({}));
        let text = to_template(&file, &crate::playbook::Set::default());
        assert!(text.contains("old_answers: {}\n"), "{text}");
        assert!(text.contains("\nanswers:\n"), "{text}");
        assert!(verify(&text, &file).is_ok(), "{text}");
    }

    #[test]
    fn nested_values_keep_the_compact_json_form() {
        let mut file = AnswersFile::default();
        file.extra.insert(
            "x".into(),
            serde_json::json!({"a": [1, 2.5, null], "b": {"c": "d"}}),
        );
        assert!(to_yaml(&file, &[]).contains("x: {\"a\":[1,2.5,null],\"b\":{\"c\":\"d\"}}\n"));
    }

    #[test]
    fn orphans_follow_the_playbook_order() {
        let mut file = AnswersFile::default();
        for id in ["z/q1", "b/q2", "b/q1", "a/old"] {
            file.answers.insert(
                id.into(),
                Answer {
                    status: Some(Status::Met),
                    ..Answer::default()
                },
            );
        }
        let text = to_yaml(&file, &["b/q1".into(), "b/q2".into(), "z/q1".into()]);
        let pos = |s: &str| text.find(s).unwrap();
        assert!(pos("b/q1:") < pos("b/q2:"));
        assert!(pos("b/q2:") < pos("z/q1:"));
        assert!(pos("z/q1:") < pos("a/old:"));
    }

    #[test]
    fn comments_are_written_back_where_they_were_and_stay_there() {
        let text = "# team note\nformat: 1\nproduct: Acme  # the product\n# about the answers\nanswers:\n  # TODO ask Sam\n  a/q1:\n    status: met  # checked twice\n    note: |\n      # a heading in the note\n      more\n  a/q2:\n    # still open\n    status: unmet\n# the end\n";
        let (file, findings) = parse(text, "t.yaml");
        assert!(findings.is_empty(), "{findings:?}");
        let order = vec!["a/q1".to_string(), "a/q2".to_string()];
        let once = to_yaml(&file, &order);
        for kept in [
            "# team note\nformat: 1\n",
            "# the product\nproduct: Acme\n",
            "# about the answers\nanswers:\n",
            "  # TODO ask Sam\n  a/q1:\n    # checked twice\n    status: met\n",
            "  a/q2:\n    # still open\n    status: unmet\n",
        ] {
            assert!(once.contains(kept), "{kept:?} not in\n{once}");
        }
        assert!(once.ends_with("# the end\n"), "{once}");
        assert_eq!(once.matches("# a heading in the note").count(), 1, "{once}");
        let (back, _) = parse(&once, "t.yaml");
        assert_eq!(back.comments, file.comments);
        assert_eq!(to_yaml(&back, &order), once);
    }

    #[test]
    fn comments_of_an_answer_that_is_gone_are_kept_at_the_end() {
        let (mut file, _) = parse(
            "answers:\n  # about q1\n  a/q1:\n    status: met\n",
            "t.yaml",
        );
        file.answers.clear();
        let text = to_yaml(&file, &[]);
        assert!(text.ends_with("answers: {}\n# about q1\n"), "{text}");
    }

    #[test]
    fn the_tools_own_header_is_not_carried_as_a_comment() {
        let file = AnswersFile {
            schema_hint: Some("answers.schema.json".into()),
            ..AnswersFile::default()
        };
        let once = to_yaml(&file, &[]);
        let (back, _) = parse(&once, "t.yaml");
        assert_eq!(to_yaml(&back, &[]), once);
        assert_eq!(once.matches("yaml-language-server").count(), 1, "{once}");
    }
}
