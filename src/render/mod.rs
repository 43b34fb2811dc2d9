//! Renderers: pure functions from a model to text, one module per format.
//! Each owns the mapping from our severities to its format's words.

pub mod check;
pub mod client;
pub mod diff;
pub mod explain;
pub mod github;
pub mod history;
pub mod html;
pub mod junit;
pub mod list;
pub mod markdown;
pub mod portfolio;
pub mod probes;
pub mod status;
pub mod team;
pub mod template;

/// A score for people: `87.5`.
pub fn pct(score: f64) -> String {
    format!("{score:.1}")
}

/// A text bar of `width` cells for a 0-100 score.
pub fn bar(score: f64, width: usize) -> String {
    let filled = ((score.clamp(0.0, 100.0) / 100.0) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// Weight without a needless `.0`.
pub fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
pub(crate) mod tests;
