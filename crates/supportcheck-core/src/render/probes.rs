//! What `verify` prints: one line per probe and a count, or JSON.

use crate::probe::{Outcome, ProbeResult};
use serde::Serialize;

/// One probe of a `verify` run: its result, or skipped by `--offline`.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub question: String,
    pub probe: usize,
    pub kind: String,
    pub target: String,
    /// `None`: not run (`--offline`), and not recorded.
    #[serde(flatten)]
    pub result: Option<ProbeResult>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub offline: bool,
}

fn word(row: &Row) -> &'static str {
    match &row.result {
        Some(r) => match r.outcome {
            Outcome::Pass => "pass",
            Outcome::Fail => "FAIL",
            Outcome::Error => "error",
        },
        None => "skip",
    }
}

pub fn text(rows: &[Row], recorded_in: &str) -> String {
    let mut out = String::new();
    let id_width = rows
        .iter()
        .map(|r| r.question.len() + 3)
        .max()
        .unwrap_or(0)
        .min(48);
    for row in rows {
        let id = format!("{}#{}", row.question, row.probe);
        let detail = match &row.result {
            Some(r) => {
                let seen = r.seen.words();
                if seen.is_empty() || r.outcome == Outcome::Pass {
                    r.reason.clone()
                } else {
                    format!("{} (seen: {seen})", r.reason)
                }
            }
            None => "not run: --offline skips network probes".to_string(),
        };
        out.push_str(&format!(
            "{:<5}  {id:<id_width$}  {} {}\n       {detail}\n",
            word(row),
            row.kind,
            row.target
        ));
    }
    let count = |o: Outcome| {
        rows.iter()
            .filter(|r| r.result.as_ref().is_some_and(|x| x.outcome == o))
            .count()
    };
    let skipped = rows.iter().filter(|r| r.result.is_none()).count();
    let recorded = rows.len() - skipped;
    out.push_str(&format!(
        "\n{}: {} passed, {} failed, {} could not run{}",
        super::count(rows.len(), "probe"),
        count(Outcome::Pass),
        count(Outcome::Fail),
        count(Outcome::Error),
        if skipped > 0 {
            format!(", {skipped} skipped (offline)")
        } else {
            String::new()
        }
    ));
    if recorded > 0 {
        out.push_str(&format!("; recorded in {recorded_in}"));
    }
    out.push('\n');
    out
}

pub fn json(rows: &[Row]) -> String {
    let mut text = serde_json::to_string_pretty(rows).unwrap_or_default();
    text.push('\n');
    text
}
