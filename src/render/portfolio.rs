//! `portfolio`: the products side by side as a terminal table, Markdown,
//! CSV, JSON, and a self-contained HTML dashboard (heatmap and sparklines).

use super::list::md_escape;
use super::pct;
use crate::portfolio::{Counts, Output, PlaybookScore, Product, SCHEMA, State, playbook_columns};
use anyhow::Result;
use comfy_table::{
    Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, TableComponent, Width,
    presets::NOTHING,
};
use minijinja::{Environment, context};
use serde::Serialize;

const TEMPLATE: &str = include_str!("templates/portfolio.html.j2");

/// Text from report files, safe to print on a terminal: control characters
/// (escape sequences included) become `�`.
pub fn plain(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

fn change(x: Option<f64>) -> String {
    match x {
        Some(x) if x > 0.0 => format!("+{x:.1}"),
        Some(x) => format!("{x:.1}"),
        None => String::new(),
    }
}

fn score(x: Option<f64>) -> String {
    x.map_or_else(String::new, pct)
}

fn age(p: &Product) -> String {
    p.age_days.map_or_else(String::new, |d| format!("{d}d"))
}

fn signoffs(p: &Product) -> String {
    p.latest
        .as_ref()
        .and_then(|s| s.signoffs)
        .map_or_else(String::new, |s| format!("{}/{}", s.signed, s.total))
}

fn has_signoffs(products: &[Product]) -> bool {
    products
        .iter()
        .any(|p| p.latest.as_ref().is_some_and(|s| s.signoffs.is_some()))
}

/// `v5 2026-11-20`: the latest version and its date.
fn last_report(p: &Product) -> String {
    p.latest.as_ref().map_or_else(String::new, |s| {
        if s.version == 0 {
            return "none".into();
        }
        let date = s.generated_at.get(..10).unwrap_or(&s.generated_at);
        format!("v{} {date}", s.version)
    })
}

/// A column of the table and Markdown views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Product,
    Level,
    Score,
    Change,
    Blockers,
    Missing,
    Expired,
    Signoffs,
    Report,
    Age,
    Path,
    Notes,
}

impl Col {
    fn header(self) -> &'static str {
        match self {
            Col::Product => "Product",
            Col::Level => "Level",
            Col::Score => "Score",
            Col::Change => "Change",
            Col::Blockers => "Blockers",
            Col::Missing => "Missing",
            Col::Expired => "Expired waivers",
            Col::Signoffs => "Sign-offs",
            Col::Report => "Last report",
            Col::Age => "Age",
            Col::Path => "Path",
            Col::Notes => "Notes",
        }
    }

    fn numeric(self) -> bool {
        matches!(
            self,
            Col::Score
                | Col::Change
                | Col::Blockers
                | Col::Missing
                | Col::Expired
                | Col::Signoffs
                | Col::Age
        )
    }

    fn value(self, p: &Product) -> String {
        let n = |f: fn(&crate::portfolio::Snapshot) -> usize| {
            p.latest
                .as_ref()
                .map_or_else(String::new, |s| f(s).to_string())
        };
        match self {
            Col::Product => p.name.clone(),
            Col::Level => p.level_text().to_string(),
            Col::Score => score(p.latest.as_ref().and_then(|s| s.score)),
            Col::Change => change(p.change),
            Col::Blockers => n(|s| s.blockers),
            Col::Missing => n(|s| s.missing),
            Col::Expired => n(|s| s.expired_waivers),
            Col::Signoffs => signoffs(p),
            Col::Report => last_report(p),
            Col::Age => age(p),
            Col::Path => p.path.clone(),
            Col::Notes => p.notes().join("; "),
        }
    }
}

/// The columns shown: sign-offs only when a report carries them; the path
/// only where there is room for it (not in the terminal table).
fn columns(products: &[Product], path: bool) -> Vec<Col> {
    use Col::*;
    let sign = has_signoffs(products);
    [
        Product, Level, Score, Change, Blockers, Missing, Expired, Signoffs, Report, Age, Path,
        Notes,
    ]
    .into_iter()
    .filter(|c| (*c != Signoffs || sign) && (*c != Path || path))
    .collect()
}

/// The terminal table; `width` is the terminal's, `None` when the output is
/// not a terminal (then lines are not wrapped, for `grep` and friends).
/// With `color`, the level is green, yellow or red.
pub fn table(products: &[Product], width: Option<usize>, color: bool) -> String {
    if products.is_empty() {
        return "No products found.\n".into();
    }
    let cols = columns(products, false);
    let mut t = Table::new();
    t.load_preset(NOTHING)
        .set_style(TableComponent::HeaderLines, '─')
        .set_style(TableComponent::MiddleHeaderIntersections, '─')
        .set_header(cols.iter().map(|c| match c {
            Col::Expired => "Expired",
            c => c.header(),
        }));
    if let Some(width) = width {
        t.set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width as u16);
    }
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    for p in products {
        t.add_row(cols.iter().map(|c| {
            let cell = Cell::new(plain(&c.value(p)));
            match (c, p.state()) {
                (Col::Level, State::Ready) => cell.fg(Color::Green),
                (Col::Level, State::NotReady) => cell.fg(Color::Yellow),
                (Col::Level, State::Blocked | State::Unreadable) => cell.fg(Color::Red),
                _ => cell,
            }
        }));
    }
    for (i, c) in cols.iter().enumerate() {
        if let Some(col) = t.column_mut(i) {
            if c.numeric() {
                col.set_cell_alignment(CellAlignment::Right);
            }
            col.set_padding((0, 1));
            match c {
                Col::Product | Col::Notes => {
                    col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(12)));
                }
                _ => {
                    col.set_constraint(ColumnConstraint::ContentWidth);
                }
            }
        }
    }
    let mut out = String::new();
    for line in t.to_string().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if color {
        // Every cell was made plain: the colour codes are the table's own.
        out = crate::safe_text::ours(&out);
    }
    out
}

pub fn markdown(products: &[Product], counts: &Counts) -> String {
    let cols = columns(products, true);
    let mut out = format!("## Readiness portfolio\n\n{}\n\n", counts.line());
    let header: Vec<&str> = cols.iter().map(|c| c.header()).collect();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    let rule: Vec<&str> = cols
        .iter()
        .map(|c| if c.numeric() { "---:" } else { "---" })
        .collect();
    out.push_str(&format!("|{}|\n", rule.join("|")));
    for p in products {
        let row: Vec<String> = cols.iter().map(|c| md_escape(&c.value(p))).collect();
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

/// A text cell a spreadsheet would take for a formula gets a leading `'`,
/// by the one guard of every sheet the tool writes.
fn csv_text(s: &str) -> String {
    crate::safe_text::sheet_cell(s).into_owned()
}

pub fn csv(products: &[Product]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "product",
        "path",
        "reports",
        "level",
        "score",
        "change",
        "blockers",
        "missing",
        "expired_waivers",
        "signoffs_signed",
        "signoffs_total",
        "version",
        "generated_at",
        "age_days",
        "schema",
        "scoring",
        "source",
        "html",
        "notes",
    ])?;
    for p in products {
        let s = p.latest.as_ref();
        let num = |x: Option<usize>| x.map_or_else(String::new, |x| x.to_string());
        let so = s.and_then(|s| s.signoffs);
        w.write_record([
            csv_text(&p.name),
            csv_text(&p.path),
            csv_text(&p.reports),
            p.level_text().to_string(),
            score(s.and_then(|s| s.score)),
            p.change.map_or_else(String::new, |c| format!("{c:.1}")),
            num(s.map(|s| s.blockers)),
            num(s.map(|s| s.missing)),
            num(s.map(|s| s.expired_waivers)),
            num(so.map(|s| s.signed)),
            num(so.map(|s| s.total)),
            s.map_or_else(String::new, |s| s.version.to_string()),
            s.map_or_else(String::new, |s| csv_text(&s.generated_at)),
            p.age_days.map_or_else(String::new, |d| d.to_string()),
            s.map_or_else(String::new, |s| csv_text(&s.schema)),
            s.and_then(|s| s.scoring)
                .map_or_else(String::new, |v| v.to_string()),
            serde_json::to_value(p.source)?
                .as_str()
                .unwrap_or_default()
                .to_string(),
            p.html.as_deref().map_or_else(String::new, csv_text),
            csv_text(&p.notes().join("; ")),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

pub fn json(products: &[Product], counts: &Counts, generated_at: &str) -> Result<String> {
    let mut text = serde_json::to_string_pretty(&Output {
        schema: SCHEMA,
        generated_at,
        summary: counts,
        products,
    })?;
    text.push('\n');
    Ok(text)
}

/// One dashboard row, with what the template draws precomputed.
#[derive(Serialize)]
struct Row<'a> {
    p: &'a Product,
    state: &'static str,
    score: String,
    change: String,
    age: String,
    signoffs: String,
    last_report: String,
    notes: Vec<String>,
    link: Option<String>,
    /// One cell per heatmap column: the score and its colour, or nothing.
    cells: Vec<Option<HeatCell>>,
    /// The sparkline's `points` attribute (numbers only).
    spark: String,
    spark_last: Option<(f64, f64)>,
}

#[derive(Serialize)]
struct HeatCell {
    score: String,
    color: String,
}

/// A heatmap colour: red at 0, amber at 50, green at 100.
fn heat(score: f64) -> String {
    let hue = (score.clamp(0.0, 100.0) * 1.2).round();
    format!("hsl({hue} 70% 82%)")
}

const SPARK_W: f64 = 120.0;
const SPARK_H: f64 = 28.0;

/// The sparkline's points over the versions' scores (0-100 bottom to top).
fn spark(p: &Product) -> (String, Option<(f64, f64)>) {
    let scores: Vec<f64> = p.history.iter().filter_map(|h| h.score).collect();
    let n = scores.len();
    let points: Vec<(f64, f64)> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let x = if n < 2 {
                SPARK_W / 2.0
            } else {
                2.0 + (SPARK_W - 4.0) * i as f64 / (n - 1) as f64
            };
            let y = 2.0 + (SPARK_H - 4.0) * (1.0 - s.clamp(0.0, 100.0) / 100.0);
            ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
        })
        .collect();
    let text = points
        .iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ");
    (text, points.last().copied())
}

/// The dashboard. `links[i]` is product i's latest HTML report, relative to
/// where the dashboard is written (already a path; it is percent-encoded here).
pub fn html(
    products: &[Product],
    counts: &Counts,
    generated_at: &str,
    links: &[Option<String>],
) -> Result<String> {
    let columns: Vec<PlaybookScore> = playbook_columns(products);
    let sign = has_signoffs(products);
    let rows: Vec<Row> = products
        .iter()
        .zip(links)
        .map(|(p, link)| {
            let (spark, spark_last) = spark(p);
            Row {
                p,
                state: p.state().as_str(),
                score: score(p.latest.as_ref().and_then(|s| s.score)),
                change: change(p.change),
                age: age(p),
                signoffs: signoffs(p),
                last_report: last_report(p),
                notes: p.notes(),
                link: link.as_deref().map(url_path),
                cells: columns
                    .iter()
                    .map(|c| {
                        let s = p.playbooks.iter().find(|pb| pb.id == c.id)?.score?;
                        Some(HeatCell {
                            score: format!("{s:.0}"),
                            color: heat(s),
                        })
                    })
                    .collect(),
                spark,
                spark_last,
            }
        })
        .collect();
    let mut env = Environment::new();
    env.add_template("portfolio.html", TEMPLATE)?;
    let html = env.get_template("portfolio.html")?.render(context! {
        rows => rows,
        columns => columns,
        counts => counts,
        summary => counts.line(),
        generated_at => generated_at,
        tool_version => env!("CARGO_PKG_VERSION"),
        signoffs => sign,
        spark_w => SPARK_W,
        spark_h => SPARK_H,
    })?;
    Ok(html)
}

/// A relative path as a URL path: each segment percent-encoded except
/// unreserved characters.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_keep_slashes_and_encode_the_rest() {
        assert_eq!(
            url_path("../a b/#x?.html"),
            "../a%20b/%23x%3F.html".to_string()
        );
        assert_eq!(url_path("é"), "%C3%A9");
    }

    #[test]
    fn csv_text_defuses_formulas() {
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_text("Acme"), "Acme");
    }

    #[test]
    fn terminal_text_loses_escape_sequences() {
        assert_eq!(plain("a\x1b[31mb\n"), "a\u{fffd}[31mb\u{fffd}");
    }

    #[test]
    fn heat_runs_from_red_to_green() {
        assert_eq!(heat(0.0), "hsl(0 70% 82%)");
        assert_eq!(heat(100.0), "hsl(120 70% 82%)");
        assert_eq!(heat(250.0), "hsl(120 70% 82%)");
    }
}
