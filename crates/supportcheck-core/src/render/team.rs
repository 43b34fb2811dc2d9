//! The team's outputs: `status --by owner` (table and JSON), and the owners,
//! follow-up actions and sign-offs shown by `status` and written in reports.

use super::list::md_escape as esc;
use super::text::Paint;
use super::{bar, pct};
use crate::report::Report;
use crate::report::team::{ActionLine, OwnerLine};
use crate::team::{SignoffState, SignoffStatus};
use comfy_table::{CellAlignment, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use schemars::JsonSchema;
use serde::Serialize;

const NO_OWNER: &str = "(no owner)";

/// A question's finding with its owner named at the end of the message:
/// `... not answered (owner: legal)`.
pub fn with_owner<'a>(
    f: std::borrow::Cow<'a, crate::diagnostic::Finding>,
    owner: Option<&str>,
) -> std::borrow::Cow<'a, crate::diagnostic::Finding> {
    match owner {
        None => f,
        Some(o) => {
            let mut f = f.into_owned();
            f.message.push_str(&format!(" (owner: {o})"));
            std::borrow::Cow::Owned(f)
        }
    }
}

fn role_name(l: &OwnerLine) -> &str {
    l.role.as_deref().unwrap_or(NO_OWNER)
}

/// The lines of `status --by owner`, or of one role with `--owner`.
fn lines(r: &Report, only: Option<&str>) -> Vec<OwnerLine> {
    r.by_owner()
        .into_iter()
        .filter(|l| only.is_none_or(|o| l.role.as_deref() == Some(o)))
        .collect()
}

/// Each role's questions, answered count, score and gaps; with `only`,
/// one role and every one of its gaps.
pub fn owners_table(r: &Report, width: usize, only: Option<&str>, paint: Paint) -> String {
    let mut out = String::new();
    if let Some(p) = &r.product {
        out.push_str(&format!("{}\n", paint.bold(p)));
    }
    let lines = lines(r, only);
    let mut t = Table::new();
    t.force_no_tty(); // the core never asks the terminal; the shell passed the width
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width as u16)
        .set_header([
            "Owner", "People", "Score", "", "Answered", "Gaps", "Overdue",
        ]);
    for l in &lines {
        t.add_row([
            role_name(l).to_string(),
            l.people.join(", "),
            pct(l.score),
            bar(l.score, 10),
            format!("{}/{}", l.answered, l.questions),
            l.gaps.len().to_string(),
            if l.overdue > 0 {
                l.overdue.to_string()
            } else {
                String::new()
            },
        ]);
    }
    for col in [2, 4, 5, 6] {
        if let Some(c) = t.column_mut(col) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    out.push_str(&format!("{t}\n"));
    out.push_str(&super::text::level_line(r, paint));
    out.push('\n');
    if only.is_some() {
        for l in &lines {
            if !l.gaps.is_empty() {
                out.push_str(&format!("\nGaps of {} ({}):\n", role_name(l), l.gaps.len()));
                for id in &l.gaps {
                    out.push_str(&format!("  {id}\n"));
                }
            }
        }
        let actions: Vec<ActionLine> = r
            .actions()
            .into_iter()
            .filter(|a| a.owner.as_deref() == only)
            .collect();
        out.push_str(&actions_text(&actions));
    }
    out
}

/// The wire form's id of `status --by owner --format json`.
pub const SCHEMA: &str = "supportcheck.owners/1";

/// The JSON output of `status --by owner --format json`.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "supportcheck owners")]
pub struct OwnersJson<'a> {
    /// Always `supportcheck.owners/1`.
    #[schemars(extend("const" = "supportcheck.owners/1"))]
    schema: &'a str,
    scoring: u32,
    product: Option<&'a str>,
    summary: &'a crate::score::Summary,
    owners: Vec<OwnerLine>,
    actions: Vec<ActionLine>,
    signoffs: &'a [SignoffStatus],
}

/// `status --by owner --format json`.
pub fn owners_json(r: &Report, only: Option<&str>) -> String {
    let out = OwnersJson {
        schema: SCHEMA,
        scoring: r.scoring,
        product: r.product.as_deref(),
        summary: &r.summary,
        owners: lines(r, only),
        actions: r
            .actions()
            .into_iter()
            .filter(|a| only.is_none_or(|o| a.owner.as_deref() == Some(o)))
            .collect(),
        signoffs: &r.signoffs,
    };
    let mut s = serde_json::to_string_pretty(&out).expect("owners serialise");
    s.push('\n');
    s
}

fn actions_text(actions: &[ActionLine]) -> String {
    if actions.is_empty() {
        return String::new();
    }
    let mut out = format!("\nFollow-up actions ({}):\n", actions.len());
    for a in actions {
        out.push_str(&format!(
            "  {}  {} — {}{}{}\n",
            a.question,
            a.what,
            a.who.as_deref().unwrap_or("nobody named"),
            a.due
                .as_deref()
                .map(|d| format!(", due {d}"))
                .unwrap_or_default(),
            if a.overdue { " (OVERDUE)" } else { "" }
        ));
    }
    out
}

fn state_word(s: &SignoffStatus) -> &'static str {
    match s.state {
        SignoffState::Signed => "signed",
        SignoffState::Outdated => "outdated",
        SignoffState::Invalid => "invalid",
        SignoffState::Missing => "missing",
    }
}

/// Each sign-off on a line: signed, outdated (with what changed) or missing.
pub fn signoffs_text(r: &Report) -> String {
    if r.signoffs.is_empty() {
        return String::new();
    }
    let mut out = format!("\nSign-offs ({}):\n", r.signoffs.len());
    for s in &r.signoffs {
        out.push_str(&format!(
            "  {:<9} {}{}{}\n",
            state_word(s),
            s.role,
            match (&s.name, &s.at) {
                (Some(n), Some(at)) => format!(" — {n}, {at}"),
                _ => String::new(),
            },
            if s.required { " (required)" } else { "" }
        ));
        if s.accepted_blocked {
            out.push_str(&format!(
                "            accepted while blocked: {}\n",
                s.note.as_deref().unwrap_or("")
            ));
        }
        for c in &s.changes {
            out.push_str(&format!("            changed since: {c}\n"));
        }
        if let Some(key) = &s.key {
            out.push_str(&format!("            signed with {key}\n"));
        }
        for r in &s.rejected {
            out.push_str(&format!("            does not count: {r}\n"));
        }
    }
    out
}

/// What `status` adds below its lists: actions and sign-offs.
pub fn status_text(r: &Report) -> String {
    let mut out = actions_text(&r.actions());
    out.push_str(&signoffs_text(r));
    out
}

/// The report's Markdown sections on actions and sign-offs.
pub fn markdown(r: &Report) -> String {
    let mut out = String::new();
    let actions = r.actions();
    if !actions.is_empty() {
        out.push_str(
            "## Follow-up actions\n\n| Question | Owner | Action | Who | Due |\n|---|---|---|---|---|\n",
        );
        for a in &actions {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {}{} |\n",
                a.question,
                esc(a.owner.as_deref().unwrap_or("—")),
                esc(&a.what),
                esc(a.who.as_deref().unwrap_or("—")),
                a.due.as_deref().unwrap_or("—"),
                if a.overdue { " **overdue**" } else { "" }
            ));
        }
        out.push('\n');
    }
    if !r.signoffs.is_empty() {
        out.push_str(
            "## Sign-offs\n\n| Role | State | Who | When | Note |\n|---|---|---|---|---|\n",
        );
        for s in &r.signoffs {
            let mut note = s.note.clone().unwrap_or_default();
            if s.accepted_blocked {
                note = format!("accepted while blocked: {note}");
            }
            if !s.changes.is_empty() {
                note.push_str(&format!(" changed since: {}", s.changes.join("; ")));
            }
            if !s.rejected.is_empty() {
                note.push_str(&format!(" does not count: {}", s.rejected.join("; ")));
            }
            out.push_str(&format!(
                "| {}{} | {} | {} | {} | {} |\n",
                esc(&s.role),
                if s.required { " (required)" } else { "" },
                state_word(s),
                esc(s.name.as_deref().unwrap_or("—")),
                s.at.as_deref().unwrap_or("—"),
                esc(note.trim())
            ));
        }
        out.push('\n');
    }
    out
}

/// The CI job summary's team part: who owns the gaps, and the sign-offs.
pub fn summary_markdown(r: &Report) -> String {
    let lines: Vec<OwnerLine> = r
        .by_owner()
        .into_iter()
        .filter(|l| !l.gaps.is_empty())
        .collect();
    let mut out = String::new();
    if lines.iter().any(|l| l.role.is_some()) {
        out.push_str("### Gaps by owner\n\n| Owner | Gaps | Overdue actions |\n|---|---|---:|\n");
        for l in &lines {
            const SHOWN: usize = 12;
            let mut ids: Vec<String> = l
                .gaps
                .iter()
                .take(SHOWN)
                .map(|g| format!("`{g}`"))
                .collect();
            if l.gaps.len() > SHOWN {
                ids.push(format!("and {} more", l.gaps.len() - SHOWN));
            }
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                esc(role_name(l)),
                ids.join(", "),
                l.overdue
            ));
        }
        out.push('\n');
    }
    if !r.signoffs.is_empty() {
        out.push_str("### Sign-offs\n\n");
        for s in &r.signoffs {
            out.push_str(&format!(
                "- **{}**: {}{}\n",
                esc(&s.role),
                state_word(s),
                s.name
                    .as_deref()
                    .map(|n| format!(" ({})", esc(n)))
                    .unwrap_or_default()
            ));
        }
        out.push('\n');
    }
    out
}
