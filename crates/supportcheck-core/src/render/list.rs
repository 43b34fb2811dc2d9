//! `list`: the loaded playbooks and their questions as a table, JSON or Markdown.

use crate::playbook::{Playbook, Question, Set};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use schemars::JsonSchema;
use serde::Serialize;

/// The questions of a playbook that carry `tag` (all when `None`).
fn selected<'a>(p: &'a Playbook, tag: Option<&'a str>) -> impl Iterator<Item = &'a Question> {
    p.questions
        .iter()
        .filter(move |q| tag.is_none_or(|t| q.tags.iter().any(|x| x == t)))
}

pub fn table(set: &Set, tag: Option<&str>, width: usize) -> String {
    let mut t = Table::new();
    t.force_no_tty(); // the core never asks the terminal; the shell passed the width
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width as u16)
        .set_header(vec!["Id", "Question", "Owner", "Flags"]);
    let mut shown = 0;
    for p in &set.playbooks {
        let qs: Vec<&Question> = selected(p, tag).collect();
        if qs.is_empty() {
            continue;
        }
        for q in qs {
            shown += 1;
            t.add_row(vec![
                q.id.clone(),
                q.question.clone(),
                q.owner.clone().unwrap_or_default(),
                flags(q),
            ]);
        }
    }
    format!(
        "{t}\n{} playbooks, {shown} questions\n",
        set.playbooks
            .iter()
            .filter(|p| selected(p, tag).next().is_some())
            .count()
    )
}

fn flags(q: &Question) -> String {
    q.flags().join(", ")
}

/// The wire form's id of `list --format json`.
pub const SCHEMA: &str = "supportcheck.list/1";

/// The JSON output of `list --format json`.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "supportcheck list")]
pub struct ListJson<'a> {
    /// Always `supportcheck.list/1`.
    #[schemars(extend("const" = "supportcheck.list/1"))]
    schema: &'a str,
    /// The maturity levels, lowest first; each question's `level` is one.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    levels: &'a [String],
    playbooks: Vec<PlaybookJson<'a>>,
}

#[derive(Serialize, JsonSchema)]
struct PlaybookJson<'a> {
    id: &'a str,
    title: &'a str,
    path: &'a str,
    section: Option<&'a str>,
    /// The playbook's own condition and the facts it declares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    applies_if: Option<&'a crate::playbook::facts::Condition>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    facts: &'a [crate::playbook::facts::FactDecl],
    questions: Vec<&'a Question>,
}

pub fn json(set: &Set, tag: Option<&str>) -> String {
    let list = ListJson {
        schema: SCHEMA,
        levels: &set.levels,
        playbooks: set
            .playbooks
            .iter()
            .map(|p| PlaybookJson {
                id: &p.id,
                title: &p.title,
                path: &p.path,
                section: p.section.as_deref(),
                applies_if: p.applies_if.as_ref(),
                facts: &p.facts,
                questions: selected(p, tag).collect(),
            })
            .filter(|p| tag.is_none() || !p.questions.is_empty())
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&list).expect("list serialises");
    s.push('\n');
    s
}

pub fn markdown(set: &Set, tag: Option<&str>) -> String {
    let mut out = String::new();
    for p in &set.playbooks {
        let qs: Vec<&Question> = selected(p, tag).collect();
        if qs.is_empty() {
            continue;
        }
        out.push_str(&format!("## {} (`{}`)\n\n", md_escape(&p.title), p.id));
        out.push_str("| Id | Question | Expectation | Owner | Flags |\n|---|---|---|---|---|\n");
        for q in qs {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                q.id,
                md_escape(&q.question),
                md_escape(&q.expectation),
                md_escape(q.owner.as_deref().unwrap_or("")),
                flags(q)
            ));
        }
        out.push('\n');
    }
    out
}

/// Escapes text for a Markdown table cell: pipes, HTML, line breaks.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' => out.push_str("\\\\"),
            '`' => out.push_str("\\`"),
            '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}
