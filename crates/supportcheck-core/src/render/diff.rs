//! `diff --format markdown`: what changed, short enough for a pull-request
//! comment or a job summary. The 20 largest changes are shown; the rest sit
//! in collapsed `<details>` blocks, and past a cap only their count is given.

use super::list::md_escape as esc;
use super::pct;
use crate::report::changes::{AnswerChange, FieldChange};
use crate::report::diff::{Diff, StatusChange};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Rows shown before the rest is collapsed.
pub const TOP: usize = 20;
/// Rows listed at most, collapsed ones included; the rest are counted. Keeps
/// the text far below GitHub's 65,536-character limit for a comment.
pub const CAP: usize = 200;
/// Characters of a note or question shown in a row.
const TEXT: usize = 80;

/// A version for people: `v3`, or `now` for the answers evaluated now.
pub fn side_name(v: Option<u64>) -> String {
    v.map_or("now".into(), |v| format!("v{v}"))
}

pub fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{x:.1}")
    } else {
        format!("{x:.1}")
    }
}

/// `text` cut to `max` characters, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// An id as a Markdown code span inside a table cell: backslash escapes do
/// not work in code spans, so only what would end the span or the cell is
/// replaced.
fn code(id: &str) -> String {
    let inner: String = id
        .chars()
        .map(|c| match c {
            '`' => '\'',
            '\n' | '\r' => ' ',
            c => c,
        })
        .collect();
    format!("`{}`", inner.replace('|', "\\|"))
}

/// How much credit a standing is worth, to rank changes (not applicable
/// counts half: leaving the score's denominator is a real change).
fn credit(standing: &str) -> f64 {
    match standing {
        "met" => 1.0,
        "partial" | "not-applicable" => 0.5,
        _ => 0.0,
    }
}

/// One question in the table: its status change and its other changes.
struct Row<'a> {
    id: &'a str,
    question: &'a str,
    status: Option<&'a StatusChange>,
    fields: &'a [FieldChange],
}

impl Row<'_> {
    /// Larger is shown first: a status change by its swing in credit, then
    /// any other change.
    fn weight(&self) -> f64 {
        self.status
            .map_or(0.0, |s| 1.0 + (credit(&s.to) - credit(&s.from)).abs())
    }

    fn markdown(&self) -> String {
        let status = match self.status {
            Some(s) => format!("{} → **{}**", esc(&s.from), esc(&s.to)),
            None => "unchanged".into(),
        };
        let what: Vec<String> = self.fields.iter().map(field).collect();
        format!(
            "| {} {} | {} | {} |\n",
            code(self.id),
            esc(&clip(self.question, TEXT)),
            status,
            if what.is_empty() {
                "—".into()
            } else {
                what.join("<br>")
            }
        )
    }
}

/// A field change in a few words.
fn field(f: &FieldChange) -> String {
    let text = |v: &Value| v.as_str().map(|s| esc(&clip(s, TEXT)));
    match (f.field, &f.from, &f.to) {
        (name, _, Value::Null) => format!("{name} removed"),
        ("evidence", from, to) => {
            let list = |v: &Value| -> Vec<String> {
                v.as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|e| e.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let (old, new) = (list(from), list(to));
            let added: Vec<String> = new
                .iter()
                .filter(|e| !old.contains(e))
                .map(|e| esc(&clip(e, TEXT)))
                .collect();
            let removed = old.iter().filter(|e| !new.contains(e)).count();
            let mut s = format!("evidence: {}", added.join(", "));
            if removed > 0 {
                s.push_str(&format!(" ({removed} removed)"));
            }
            s
        }
        ("waiver", Value::Null, to) => format!(
            "waiver added, expires {}",
            esc(to["expires"].as_str().unwrap_or("?"))
        ),
        ("waiver", _, to) => format!(
            "waiver changed, expires {}",
            esc(to["expires"].as_str().unwrap_or("?"))
        ),
        ("criteria", _, to) => format!("criteria met: {}", to.as_array().map_or(0, Vec::len)),
        (name, _, to) => match text(to) {
            Some(t) => format!("{name}: “{t}”"),
            None => format!("{name} changed"),
        },
    }
}

/// Rows of a table or list: the first [`TOP`] as they are, the next ones up
/// to [`CAP`] in a collapsed block, then only a count.
fn collapsed(out: &mut String, header: &str, rows: &[String], what: &str) {
    let (top, rest) = rows.split_at(rows.len().min(TOP));
    out.push_str(header);
    for r in top {
        out.push_str(r);
    }
    if rest.is_empty() {
        out.push('\n');
        return;
    }
    let (shown, hidden) = rest.split_at(rest.len().min(CAP - TOP));
    out.push_str(&format!(
        "\n<details><summary>{} more {what}</summary>\n\n{header}",
        rest.len()
    ));
    for r in shown {
        out.push_str(r);
    }
    if !hidden.is_empty() {
        out.push_str(&format!(
            "\n…and {} more: `supportcheck diff` lists them all.\n",
            hidden.len()
        ));
    }
    out.push_str("\n</details>\n\n");
}

/// `v1 → now` and `47.0 → 48.3 (+1.3), level a → b`, the first line of
/// every diff; `markdown` makes the scores bold and escapes the levels.
pub fn headline(d: &Diff, markdown: bool) -> (String, String) {
    let (b, level): (&str, fn(&str) -> String) = if markdown {
        ("**", esc)
    } else {
        ("", str::to_string)
    };
    (
        format!(
            "{} → {}",
            side_name(d.from.report_version),
            side_name(d.to.report_version)
        ),
        format!(
            "{b}{}{b} → {b}{}{b} ({}), level {} → {}",
            pct(d.from.score),
            pct(d.to.score),
            signed(d.score_change),
            level(&d.from.level),
            level(&d.to.level)
        ),
    )
}

pub fn markdown(d: &Diff) -> String {
    let (sides, change) = headline(d, true);
    let mut out = format!("## Readiness: {sides}\n\nScore {change}\n\n");
    if let Some(note) = d.rules_note() {
        out.push_str(&format!("{note}\n\n"));
    }

    let rows = question_rows(d);
    if !rows.is_empty() {
        let lines: Vec<String> = rows.iter().map(Row::markdown).collect();
        collapsed(
            &mut out,
            "| Question | Status | What changed |\n|---|---|---|\n",
            &lines,
            "questions",
        );
    }

    if !d.playbooks.is_empty() {
        let lines = playbook_lines(d);
        collapsed(
            &mut out,
            "| Playbook | Before | After | Change |\n|---|---:|---:|---:|\n",
            &lines,
            "playbooks",
        );
    }

    if !d.scored_lower.is_empty() {
        let lines = scored_lower_lines(d);
        collapsed(
            &mut out,
            "**Answers changed that still score the same:**\n\n",
            &lines,
            "questions",
        );
    }
    for (title, list) in [
        ("New questions", &d.added),
        ("Removed questions", &d.removed),
    ] {
        if !list.is_empty() {
            let lines: Vec<String> = list
                .iter()
                .map(|q| format!("- {} {}\n", code(&q.id), esc(&clip(&q.question, TEXT))))
                .collect();
            collapsed(&mut out, &format!("**{title}:**\n\n"), &lines, "questions");
        }
    }
    if !d.version_changes.is_empty() {
        let lines: Vec<String> = d
            .version_changes
            .iter()
            .map(|v| format!("- {} {} → {}\n", code(&v.id), esc(&v.from), esc(&v.to)))
            .collect();
        collapsed(
            &mut out,
            "**Question versions that changed:**\n\n",
            &lines,
            "questions",
        );
    }
    if rows.is_empty() && d.playbooks.is_empty() && d.added.is_empty() && d.removed.is_empty() {
        out.push_str("No answers or questions changed.\n");
    }
    out
}

/// One line per answer that changed but still scores the same, and why.
fn scored_lower_lines(d: &Diff) -> Vec<String> {
    d.scored_lower
        .iter()
        .map(|c| {
            format!(
                "- {} answered {} → {}, still scores **{}**: {}\n",
                code(&c.id),
                esc(&c.from),
                esc(&c.to),
                esc(&c.scored),
                esc(&c.why)
            )
        })
        .collect()
}

/// One row per question whose answer changed, status changes and other
/// answer changes merged, the heaviest first.
fn question_rows(d: &Diff) -> Vec<Row<'_>> {
    let fields: BTreeMap<&str, &AnswerChange> = d
        .answer_changes
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    let with_status: BTreeSet<&str> = d.status_changes.iter().map(|s| s.id.as_str()).collect();
    let mut rows: Vec<Row> = d
        .status_changes
        .iter()
        .map(|s| Row {
            id: &s.id,
            question: &s.question,
            status: Some(s),
            fields: fields.get(s.id.as_str()).map_or(&[][..], |a| &a.fields),
        })
        .collect();
    for a in &d.answer_changes {
        if !with_status.contains(a.id.as_str()) {
            rows.push(Row {
                id: &a.id,
                question: &a.question,
                status: None,
                fields: &a.fields,
            });
        }
    }
    rows.sort_by(|a, b| b.weight().total_cmp(&a.weight()));
    rows
}

/// One table line per playbook whose score changed.
fn playbook_lines(d: &Diff) -> Vec<String> {
    d.playbooks
        .iter()
        .map(|p| {
            let show = |x: Option<f64>| x.map_or("—".into(), pct);
            let change = match (p.from, p.to) {
                (Some(a), Some(b)) => signed(crate::score::round1(b - a)),
                (None, _) => "new".into(),
                (_, None) => "removed".into(),
            };
            format!(
                "| {} | {} | {} | {} |\n",
                esc(&clip(&p.title, TEXT)),
                show(p.from),
                show(p.to),
                change
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::diff::{QuestionRef, Side};
    use serde_json::json;

    fn side(v: Option<u64>, score: f64) -> Side {
        Side {
            report_version: v,
            generated_at: "2026-11-23T12:00:00Z".into(),
            score,
            level: "not-ready".into(),
            scoring: 2,
        }
    }

    fn diff(n: usize) -> Diff {
        Diff {
            from: side(Some(3), 40.0),
            to: side(None, 45.5),
            score_change: 5.5,
            playbooks: Vec::new(),
            status_changes: (0..n)
                .map(|i| StatusChange {
                    id: format!("p/q{i}"),
                    question: format!("Question {i} | with a pipe?"),
                    from: "missing".into(),
                    // Every fifth one swings the most, so it ranks first.
                    to: if i % 5 == 0 { "met" } else { "partial" }.into(),
                })
                .collect(),
            added: vec![QuestionRef {
                id: "p/new".into(),
                question: "<b>New</b>?".into(),
            }],
            removed: Vec::new(),
            version_changes: Vec::new(),
            scored_lower: Vec::new(),
            answer_changes: vec![AnswerChange {
                id: "p/q1".into(),
                question: "Question 1".into(),
                fields: vec![FieldChange {
                    field: "note",
                    from: Value::Null,
                    to: json!("a note ".repeat(40)),
                }],
            }],
        }
    }

    #[test]
    fn shows_the_top_twenty_and_collapses_the_rest() {
        let md = markdown(&diff(30));
        assert!(md.starts_with("## Readiness: v3 → now\n"), "{md}");
        let (top, rest) = md
            .split_once("<details><summary>10 more questions</summary>")
            .unwrap();
        assert_eq!(top.matches("| `p/q").count(), 20, "{top}");
        assert_eq!(rest.matches("| `p/q").count(), 10, "{rest}");
        // The largest swings (missing → met) come first.
        let first = top.lines().find(|l| l.starts_with("| `p/q")).unwrap();
        assert!(first.starts_with("| `p/q0`"), "{first}");
        assert!(md.contains("Question 1 \\| with a pipe?"), "{md}");
        assert!(md.contains("&lt;b&gt;New&lt;/b&gt;?"), "{md}");
        // A long note is clipped.
        let note = md.lines().find(|l| l.contains("note: “")).unwrap();
        assert!(note.contains("…”"), "{note}");
    }

    #[test]
    fn stays_short_for_thousands_of_changes() {
        let md = markdown(&diff(5000));
        assert!(md.len() < 60_000, "{} characters", md.len());
        assert!(md.contains("…and 4800 more"), "{md}");
    }

    #[test]
    fn ids_stay_whole_code_spans_in_table_cells() {
        assert_eq!(code("help_desk/q1"), "`help_desk/q1`");
        assert_eq!(code("a`b|c\nd"), "`a'b\\|c d`");
    }

    #[test]
    fn says_so_when_nothing_changed() {
        let mut d = diff(0);
        d.added.clear();
        d.answer_changes.clear();
        assert!(markdown(&d).contains("No answers or questions changed."));
    }
}
