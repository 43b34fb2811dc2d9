//! `portfolio`: the products side by side as a terminal table, Markdown,
//! CSV, JSON, and a self-contained HTML dashboard (heatmap and sparklines).

use super::list::md_escape;
use super::pct;
use crate::portfolio::campaign::{Outcome, Preview};
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
    Maturity,
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
            Col::Maturity => "Maturity",
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
            Col::Maturity => maturity(p),
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

/// The maturity level reached (and the target when it is not), for a
/// product whose report has levels: `beta`, `none (target launch)`.
fn maturity(p: &Product) -> String {
    let Some(s) = p.latest.as_ref().filter(|s| !s.levels.is_empty()) else {
        return String::new();
    };
    let word = super::level_word(s.achieved_level.as_deref());
    match &s.target_level {
        Some(t) if t.as_str() != word => {
            let reached = s
                .levels
                .iter()
                .position(|l| Some(&l.level) == s.achieved_level.as_ref());
            let target = s.levels.iter().position(|l| &l.level == t);
            if target.is_some_and(|t| reached.is_none_or(|r| r < t)) {
                format!("{word} (target {t})")
            } else {
                word.to_string()
            }
        }
        _ => word.to_string(),
    }
}

fn has_levels(products: &[Product]) -> bool {
    products
        .iter()
        .any(|p| p.latest.as_ref().is_some_and(|s| !s.levels.is_empty()))
}

/// The columns shown: sign-offs and maturity only when a report carries
/// them; the path only where there is room for it (not in the terminal table).
fn columns(products: &[Product], path: bool) -> Vec<Col> {
    use Col::*;
    let sign = has_signoffs(products);
    let levels = has_levels(products);
    [
        Product, Level, Maturity, Score, Change, Blockers, Missing, Expired, Signoffs, Report, Age,
        Path, Notes,
    ]
    .into_iter()
    .filter(|c| (*c != Signoffs || sign) && (*c != Path || path) && (*c != Maturity || levels))
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

pub fn json(
    products: &[Product],
    counts: &Counts,
    generated_at: &str,
    campaign: Option<&Outcome>,
) -> Result<String> {
    let mut text = serde_json::to_string_pretty(&Output {
        schema: SCHEMA,
        generated_at,
        summary: counts,
        products,
        campaign,
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
    maturity: String,
    link: Option<String>,
    /// The product's path in pieces that wrap only between folder names.
    path_parts: Vec<String>,
    /// One cell per heatmap column: the score and its colour, or nothing.
    cells: Vec<Option<HeatCell>>,
    /// The sparkline's `points` attribute (numbers only).
    spark: String,
    spark_last: Option<(f64, f64)>,
}

#[derive(Serialize)]
struct HeatCell {
    /// The score, or `–` when nobody assessed the playbook.
    score: String,
    color: String,
    assessed: bool,
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
    campaign: Option<&Outcome>,
) -> Result<String> {
    let campaign = campaign.map(campaign_view);
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
                maturity: maturity(p),
                link: link.as_deref().map(url_path),
                path_parts: path_parts(&p.path),
                cells: columns
                    .iter()
                    .map(|c| {
                        let pb = p.playbooks.iter().find(|pb| pb.id == c.id)?;
                        let s = pb.score?;
                        Some(if pb.answered == Some(0) {
                            HeatCell {
                                score: "–".to_string(),
                                color: "#f3f4f6".to_string(),
                                assessed: false,
                            }
                        } else {
                            HeatCell {
                                score: format!("{s:.0}"),
                                color: heat(s),
                                assessed: true,
                            }
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
        generated_at => human_time(generated_at),
        tool_version => env!("CARGO_PKG_VERSION"),
        signoffs => sign,
        spark_w => SPARK_W,
        spark_h => SPARK_H,
        campaign => campaign,
        levels => has_levels(products),
    })?;
    Ok(html)
}

/// An RFC 3339 time as people write it: `30 November 2026, 12:00 UTC`.
fn human_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map_or_else(
        |_| rfc3339.to_string(),
        |t| {
            t.with_timezone(&chrono::Utc)
                .format("%-d %B %Y, %H:%M UTC")
                .to_string()
        },
    )
}

/// A path cut after each `/`, so it wraps between folder names.
fn path_parts(path: &str) -> Vec<String> {
    let mut parts: Vec<String> = path.split_inclusive('/').map(str::to_string).collect();
    parts.retain(|p| !p.is_empty());
    parts
}

/// How many products' lines a campaign shows in text before counting the rest.
const CAMPAIGN_SHOWN: usize = 50;
/// The burn-up points shown in text (the latest ones).
const BURNUP_SHOWN: usize = 12;

fn open_text(open: Option<usize>) -> String {
    open.map_or_else(|| "unknown".to_string(), |n| n.to_string())
}

/// The burn-up in words: `2027-01-01 0/3 · 2027-01-10 1/3`.
fn burnup_text(o: &Outcome) -> String {
    let skip = o.burnup.len().saturating_sub(BURNUP_SHOWN);
    o.burnup[skip..]
        .iter()
        .map(|b| format!("{} {}/{}", b.day, b.reached, o.counts.products))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The campaign above the portfolio table: its line, the products not
/// there yet (worst first) and the burn-up.
pub fn campaign_text(o: &Outcome) -> String {
    let mut out = format!("{}\n", plain(&o.line()));
    let mut t = Table::new();
    t.load_preset(NOTHING)
        .set_style(TableComponent::HeaderLines, '─')
        .set_style(TableComponent::MiddleHeaderIntersections, '─')
        .force_no_tty()
        .set_header(vec!["Product", "Progress", "Open", "At start", "Level"]);
    for l in o.products.iter().take(CAMPAIGN_SHOWN) {
        t.add_row(vec![
            plain(&l.name),
            l.progress.words().to_string(),
            open_text(l.open),
            open_text(l.open_at_start),
            plain(l.level_text()),
        ]);
    }
    for line in t.to_string().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if o.products.len() > CAMPAIGN_SHOWN {
        out.push_str(&format!(
            "… and {} more (--format json lists all)\n",
            o.products.len() - CAMPAIGN_SHOWN
        ));
    }
    out.push_str(&format!("Burn-up (reached): {}\n\n", burnup_text(o)));
    out
}

pub fn campaign_markdown(o: &Outcome) -> String {
    let mut out = format!("## {}\n\n", md_escape(&o.line()));
    out.push_str("| Product | Progress | Open | At start | Level |\n|---|---|---:|---:|---|\n");
    for l in &o.products {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            md_escape(&l.name),
            l.progress.words(),
            open_text(l.open),
            open_text(l.open_at_start),
            md_escape(l.level_text())
        ));
    }
    out.push_str(&format!("\nBurn-up (reached): {}\n\n", burnup_text(o)));
    out
}

/// `campaign preview`: who would fall behind and by how much.
pub fn preview_text(p: &Preview) -> String {
    let c = &p.campaign;
    let mut out = format!(
        "Campaign {}: {} by {} (from {})\n{} covered: {} already there, {} would be behind with {} to fix{}\n",
        plain(&c.name),
        plain(&c.goal()),
        c.due,
        c.start,
        super::count(p.products, "product"),
        p.already,
        p.behind.len(),
        super::count(p.open, "question"),
        match p.unknown {
            0 => String::new(),
            n => format!(" (and {n} whose reports do not say how many)"),
        }
    );
    if p.behind.is_empty() {
        return out;
    }
    let mut t = Table::new();
    t.load_preset(NOTHING)
        .set_style(TableComponent::HeaderLines, '─')
        .set_style(TableComponent::MiddleHeaderIntersections, '─')
        .force_no_tty()
        .set_header(vec!["Product", "To fix", "Level now", "Path"]);
    for l in p.behind.iter().take(CAMPAIGN_SHOWN) {
        t.add_row(vec![
            plain(&l.name),
            open_text(l.open),
            plain(l.level_text()),
            plain(&l.path),
        ]);
    }
    out.push('\n');
    for line in t.to_string().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if p.behind.len() > CAMPAIGN_SHOWN {
        out.push_str(&format!(
            "… and {} more (--format json lists all)\n",
            p.behind.len() - CAMPAIGN_SHOWN
        ));
    }
    out
}

/// The campaign at the top of the dashboard, with the burn-up's points.
#[derive(Serialize)]
struct CampaignView<'a> {
    o: &'a Outcome,
    line: String,
    /// The burn-up's `points` attribute over a 600×120 box (numbers only).
    burnup: String,
    /// Where today's ideal would be: a line from (0,120) to the due date.
    ideal: String,
    /// Each product's level in words, in the order of `o.products`.
    levels: Vec<&'a str>,
}

fn campaign_view(o: &Outcome) -> CampaignView<'_> {
    let c = &o.campaign;
    let span = (c.due - c.start).num_days().max(1) as f64;
    let total = o.counts.products.max(1) as f64;
    let x = |d: chrono::NaiveDate| {
        let f = ((d - c.start).num_days() as f64 / span).clamp(0.0, 1.0);
        (f * 6000.0).round() / 10.0
    };
    let y = |n: usize| ((120.0 - 120.0 * n as f64 / total) * 10.0).round() / 10.0;
    let mut points = Vec::new();
    let mut last = None;
    for b in &o.burnup {
        if let Some(prev) = last.filter(|&p| p != b.reached) {
            points.push(format!("{},{}", x(b.day), y(prev)));
        }
        points.push(format!("{},{}", x(b.day), y(b.reached)));
        last = Some(b.reached);
    }
    CampaignView {
        o,
        line: o.line(),
        burnup: points.join(" "),
        ideal: format!("0,120 600,{}", y(o.counts.products)),
        levels: o.products.iter().map(|l| l.level_text()).collect(),
    }
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
