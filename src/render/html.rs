//! The HTML report: one self-contained file (inline CSS and SVG, no scripts,
//! nothing fetched), rendered by minijinja with HTML auto-escaping.

use crate::report::{Report, TrendPoint};
use anyhow::Result;
use minijinja::{Environment, context};
use serde::Serialize;

const TEMPLATE: &str = include_str!("templates/report.html.j2");

#[derive(Serialize)]
struct WaiverRow<'a> {
    id: &'a str,
    reason: &'a str,
    expires: String,
    approved_by: Option<&'a str>,
    expired: bool,
}

pub fn render(r: &Report) -> Result<String> {
    let mut env = Environment::new();
    env.add_template("report.html", TEMPLATE)?;
    let mut trend: Vec<TrendPoint> = r.trend.clone();
    trend.push(TrendPoint {
        report_version: r.report_version.unwrap_or(0),
        generated_at: r.generated_at.clone(),
        score: r.summary.score,
        level: r.summary.level.as_str().to_string(),
    });
    let blockers: Vec<_> = r
        .questions()
        .filter(|(_, q)| q.blocker)
        .map(|(_, q)| q)
        .collect();
    let gaps: Vec<_> = r.gaps().into_iter().map(|(_, q)| q).collect();
    let waivers: Vec<WaiverRow> = r
        .waivers()
        .into_iter()
        .map(|(q, w, expired)| WaiverRow {
            id: &q.id,
            reason: &w.reason,
            expires: w.expires.to_string(),
            approved_by: w.approved_by.as_deref(),
            expired,
        })
        .collect();
    let level_word = r.summary.level.headline();
    let html = env.get_template("report.html")?.render(context! {
        r => r,
        trend => trend,
        blockers => blockers,
        gaps => gaps,
        waivers => waivers,
        actions => r.actions(),
        level_word => level_word,
    })?;
    Ok(html)
}
