//! Pieces shared by the terminal outputs (`status`, `status --by owner`):
//! the level line and the styling the shell turns on or off.

use super::pct;
use crate::report::Report;
use crate::score::Level;

/// Terminal styling. The shell decides whether there is colour (a terminal,
/// `NO_COLOR`, `--color`); the core only adds the codes when told to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paint {
    pub colour: bool,
}

impl Paint {
    /// `text` in the codes, marked as the tool's own (only they reach a
    /// terminal: see [`crate::safe_text::ours`]). The text is the tool's or
    /// was escaped before.
    fn wrap(self, codes: &str, text: &str) -> String {
        if self.colour {
            crate::safe_text::ours(&format!("\x1b[{codes}m{text}\x1b[0m"))
        } else {
            text.to_string()
        }
    }

    /// User text in bold, such as the product's name above a table: escaped
    /// first, so that only the tool's own codes are marked as its own.
    pub fn bold(self, text: &str) -> String {
        self.wrap("1", &crate::safe_text::one_line(text))
    }

    /// A level's headline in bold, green, yellow or red.
    fn level(self, level: Level) -> String {
        let colour = match level {
            Level::Ready => "32",
            Level::NotReady => "33",
            Level::Blocked => "31",
        };
        self.wrap(&format!("{colour};1"), level.headline())
    }
}

/// The level in words and colour, the score against the bar, and how much
/// is answered.
pub fn level_line(r: &Report, paint: Paint) -> String {
    let s = &r.summary;
    let skipped = if s.skipped > 0 {
        format!(", {} skipped by condition", s.skipped)
    } else {
        String::new()
    };
    format!(
        "{}  score {} / 100 (bar {}), {} of {} answered{skipped}",
        paint.level(s.level),
        pct(s.score),
        pct(s.min_score),
        s.answered,
        s.questions
    )
}
