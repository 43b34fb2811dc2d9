//! `diff` and `history`: text and JSON views of stored versions (the
//! Markdown diff is in `diff.rs`).

use super::pct;
use crate::report::chain::ChainProblem;
use crate::report::chain::IndexEntry;
use crate::report::diff::Diff;
use comfy_table::{CellAlignment, Table, presets::UTF8_FULL_CONDENSED};
use schemars::JsonSchema;
use serde::Serialize;

use super::diff::signed;

fn score_or_dash(x: Option<f64>) -> String {
    x.map_or("—".into(), pct)
}

pub fn diff_text(d: &Diff) -> String {
    let (sides, change) = super::diff::headline(d, false);
    let mut out = format!("{sides}: score {change}\n");
    if let Some(note) = d.rules_note() {
        out.push_str(&format!("{note}\n"));
    }
    if !d.playbooks.is_empty() {
        out.push_str("\nPlaybooks:\n");
        for p in &d.playbooks {
            let delta = match (p.from, p.to) {
                (Some(a), Some(b)) => signed(crate::score::round1(b - a)),
                (None, _) => "new".into(),
                (_, None) => "removed".into(),
            };
            out.push_str(&format!(
                "  {:<32} {:>6} → {:<6} {}\n",
                p.id,
                score_or_dash(p.from),
                score_or_dash(p.to),
                delta
            ));
        }
    }
    if !d.status_changes.is_empty() {
        out.push_str("\nAnswers that changed:\n");
        for c in &d.status_changes {
            out.push_str(&format!("  {:<32} {} → {}\n", c.id, c.from, c.to));
        }
    }
    if !d.scored_lower.is_empty() {
        out.push_str("\nAnswers changed that still score the same:\n");
        for c in &d.scored_lower {
            out.push_str(&format!(
                "  {:<32} answered {} → {}, still scores {}: {}\n",
                c.id, c.from, c.to, c.scored, c.why
            ));
        }
    }
    for (title, list) in [
        ("New questions", &d.added),
        ("Removed questions", &d.removed),
    ] {
        if !list.is_empty() {
            out.push_str(&format!("\n{title}:\n"));
            for q in list {
                out.push_str(&format!("  {:<32} {}\n", q.id, q.question));
            }
        }
    }
    if !d.answer_changes.is_empty() {
        out.push_str("\nNotes, evidence or sign-offs that changed:\n");
        for a in &d.answer_changes {
            let fields: Vec<&str> = a.fields.iter().map(|f| f.field).collect();
            out.push_str(&format!("  {:<32} {}\n", a.id, fields.join(", ")));
        }
    }
    if !d.version_changes.is_empty() {
        out.push_str("\nQuestion versions that changed:\n");
        for v in &d.version_changes {
            out.push_str(&format!("  {:<32} {} → {}\n", v.id, v.from, v.to));
        }
    }
    if d.playbooks.is_empty()
        && d.status_changes.is_empty()
        && d.scored_lower.is_empty()
        && d.answer_changes.is_empty()
        && d.added.is_empty()
        && d.removed.is_empty()
    {
        out.push_str("No answers or questions changed.\n");
    }
    out
}

/// The wire form's id of `diff --format json`.
pub const DIFF_SCHEMA: &str = "supportcheck.diff/1";

/// The JSON output of `diff --format json`: the [`Diff`] under its id.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "supportcheck diff")]
pub struct DiffJson<'a> {
    /// Always `supportcheck.diff/1`.
    #[schemars(extend("const" = "supportcheck.diff/1"))]
    schema: &'a str,
    #[serde(flatten)]
    diff: &'a Diff,
}

pub fn diff_json(d: &Diff) -> String {
    let out = DiffJson {
        schema: DIFF_SCHEMA,
        diff: d,
    };
    let mut s = serde_json::to_string_pretty(&out).expect("diff serialises");
    s.push('\n');
    s
}

/// A sparkline of scores (0-100).
pub fn sparkline(scores: &[f64]) -> String {
    const TICKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    scores
        .iter()
        .map(|s| TICKS[((s.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize])
        .collect()
}

pub fn history_table(versions: &[IndexEntry], width: usize) -> String {
    if versions.is_empty() {
        return "No reports yet. `supportcheck report` writes the first one.\n".into();
    }
    let mut t = Table::new();
    t.force_no_tty(); // the core never asks the terminal; the shell passed the width
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_width(width as u16)
        .set_header(vec![
            "Version",
            "Generated",
            "Score",
            "Change",
            "Level",
            "Answered",
            "Blockers",
        ]);
    let mut prev: Option<f64> = None;
    for s in versions {
        let n = s.version;
        t.add_row(vec![
            format!("v{n}"),
            s.generated_at.clone(),
            pct(s.score),
            prev.map_or(String::new(), |p| signed(crate::score::round1(s.score - p))),
            s.level.clone(),
            format!("{}/{}", s.answered, s.questions),
            s.blockers.to_string(),
        ]);
        prev = Some(s.score);
    }
    for col in [2, 3, 5, 6] {
        if let Some(c) = t.column_mut(col) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    let scores: Vec<f64> = versions.iter().map(|s| s.score).collect();
    format!(
        "{t}\nTrend: {}  ({} → {})\n",
        sparkline(&scores),
        pct(scores[0]),
        pct(*scores.last().unwrap())
    )
}

/// The wire form's id of `history --format json`.
pub const HISTORY_SCHEMA: &str = "supportcheck.history/1";

/// The JSON output of `history --format json`.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "supportcheck history")]
pub struct HistoryJson<'a> {
    /// Always `supportcheck.history/1`.
    #[schemars(extend("const" = "supportcheck.history/1"))]
    schema: &'a str,
    versions: Vec<VersionJson<'a>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verify: Option<&'a [ChainProblem]>,
}

#[derive(Serialize, JsonSchema)]
struct VersionJson<'a> {
    report_version: u64,
    generated_at: &'a str,
    score: f64,
    level: &'a str,
    questions: usize,
    answered: usize,
    blockers: usize,
    change: Option<f64>,
}

pub fn history_json(versions: &[IndexEntry], verify: Option<&[ChainProblem]>) -> String {
    let mut prev: Option<f64> = None;
    let out = HistoryJson {
        schema: HISTORY_SCHEMA,
        versions: versions
            .iter()
            .map(|s| {
                let n = &s.version;
                let change = prev.map(|p| crate::score::round1(s.score - p));
                prev = Some(s.score);
                VersionJson {
                    report_version: *n,
                    generated_at: &s.generated_at,
                    score: s.score,
                    level: s.level.as_str(),
                    questions: s.questions,
                    answered: s.answered,
                    blockers: s.blockers,
                    change,
                }
            })
            .collect(),
        verify,
    };
    let mut s = serde_json::to_string_pretty(&out).expect("history serialises");
    s.push('\n');
    s
}
