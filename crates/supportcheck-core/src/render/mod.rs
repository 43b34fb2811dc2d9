//! Renderers: pure functions from a model to text, one module per format.
//! Each owns the mapping from our severities to its format's words.

pub mod check;
pub mod client;
pub mod diff;
pub mod docx;
pub mod explain;
pub mod github;
pub mod history;
pub mod html;
pub mod junit;
pub mod lint;
pub mod list;
pub mod markdown;
pub mod portfolio;
pub mod probes;
pub mod prose;
pub mod status;
pub mod team;
pub mod template;
pub mod text;

/// Counts with their nouns in the right number, for every renderer.
pub use crate::words::{count, count_as};

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

/// The days ahead in which upcoming questions are listed.
pub const UPCOMING_DAYS: i64 = 30;

/// An achieved level as a word: the level, or `none` below the lowest.
pub fn level_word(achieved: Option<&str>) -> &str {
    achieved.unwrap_or("none")
}

/// The maturity line of a report, `None` when the set declares no levels:
/// `Maturity level: beta of beta < launch < scale (target launch, not
/// reached); for launch: 2 open: a/q1, a/q2`.
pub fn levels_line(r: &crate::report::Report) -> Option<String> {
    if r.levels.is_empty() {
        return None;
    }
    let s = &r.summary;
    let target = s
        .target_level
        .as_deref()
        .map(|t| {
            if s.below_target {
                format!(" (target {t}, not reached)")
            } else {
                format!(" (target {t}, reached)")
            }
        })
        .unwrap_or_default();
    let next = match &s.next_level {
        Some(next) => format!(
            "; for {next}: {}",
            missing_text(&s.missing_for_next, s.missing_for_next_count)
        ),
        None => String::new(),
    };
    Some(format!(
        "Maturity level: {} of {}{target}{next}",
        level_word(s.achieved_level.as_deref()),
        r.levels.join(" < "),
    ))
}

/// `2 open: a/q1, a/q2`, or `12 open: a/q1, … and 2 more`.
pub fn missing_text(ids: &[String], count: usize) -> String {
    let more = count.saturating_sub(ids.len());
    format!(
        "{count} open: {}{}",
        ids.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
}

/// Upcoming questions that count within [`UPCOMING_DAYS`]:
/// `a/q3  counts from 2027-01-01 (in 12 days)`.
pub fn upcoming_lines(r: &crate::report::Report) -> Vec<String> {
    let today = chrono::DateTime::parse_from_rfc3339(&r.generated_at)
        .ok()
        .map(|t| t.date_naive());
    r.upcoming_within(UPCOMING_DAYS)
        .into_iter()
        .map(|(q, day)| {
            let days = today.map(|t| (day - t).num_days()).unwrap_or_default();
            format!("{}  counts from {day} (in {days} days)", q.id)
        })
        .collect()
}

/// The maturity level for a client, in words: the level reached and how
/// many questions the next one waits for. Question ids are left to the
/// roadmap, which names each question.
pub fn maturity_words(r: &crate::report::Report) -> Option<String> {
    if r.levels.is_empty() {
        return None;
    }
    let s = &r.summary;
    let reached = match s.achieved_level.as_deref() {
        Some(level) => format!("Maturity level reached: {level}"),
        None => "No maturity level reached yet".to_string(),
    };
    let target = match s.target_level.as_deref() {
        Some(t) if s.below_target => format!("; the target, {t}, is not reached yet"),
        Some(t) => format!("; the target, {t}, is reached"),
        None => String::new(),
    };
    let next = s.next_level.as_deref().map_or_else(String::new, |next| {
        format!(
            " {} still open for {next}.",
            crate::words::count_as(s.missing_for_next_count, "question is", "questions are")
        )
    });
    Some(format!(
        "{reached} (levels, lowest first: {}){target}.{next}",
        r.levels.join(", ")
    ))
}
