//! The terminal prompter: the audit's prompts on dialoguer, for people. One
//! wrapper, [`Terminal`], split by what it asks: `widgets` (the one place
//! dialoguer is called: menus with their fallback for a tiny terminal,
//! yes/no, typed lines, the editor), `text` (notes, actions, evidence) and
//! `answer` (a question's answer, a fact).
//! Ctrl-C at any prompt comes back as [`PromptError::Interrupted`].
// Shell: the terminal prompter.
// Not `disallowed_methods`: dialoguer's prompts are made only in
// `widgets.rs` (clippy.toml), which owns the fallback for a terminal too
// small for a menu.
#![allow(clippy::disallowed_types, clippy::print_stdout, clippy::print_stderr)]

mod answer;
mod text;
mod widgets;

use crate::audit::prompt::PromptError;
use console::Term;
use std::sync::atomic::{AtomicBool, Ordering};

/// A Ctrl-C that arrived while no prompt was reading keys.
static CTRL_C: AtomicBool = AtomicBool::new(false);

/// For the Ctrl-C handler. At a prompt the terminal is in raw mode and Ctrl-C
/// is read as a key; between prompts (while saving, drawing or in `$EDITOR`)
/// it arrives as a signal instead. Recording it here makes the next prompt
/// return [`PromptError::Interrupted`] rather than losing it.
pub fn record_ctrl_c() {
    CTRL_C.store(true, Ordering::SeqCst);
}

/// Takes a Ctrl-C recorded by [`record_ctrl_c`].
fn pending_ctrl_c() -> Result<(), PromptError> {
    if CTRL_C.swap(false, Ordering::SeqCst) {
        Err(PromptError::Interrupted)
    } else {
        Ok(())
    }
}

/// Prompts on the terminal (stderr), with dialoguer.
pub struct Terminal {
    term: Term,
    theme: widgets::Theme,
    /// Today, for a due date typed in the past (see [`Terminal::on`]).
    today: Option<chrono::NaiveDate>,
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal {
            term: Term::stderr(),
            theme: widgets::Theme::default(),
            today: None,
        }
    }
}

impl Terminal {
    /// The prompter for a day: a due date before `today` is confirmed.
    pub fn on(today: chrono::NaiveDate) -> Terminal {
        Terminal {
            today: Some(today),
            ..Terminal::default()
        }
    }

    fn width(&self) -> usize {
        (self.term.size().1 as usize).clamp(40, 120)
    }

    /// `prompt` when it fits on one row of the terminal; else `prompt` is
    /// written above, wrapped between words, and `short` stands in for it.
    /// dialoguer clears one row when the answer is given, so a prompt that
    /// wrapped would leave its first rows behind as a duplicate.
    fn fitted<'a>(&self, prompt: &'a str, short: &'a str) -> &'a str {
        let cols = self.term.size().1 as usize;
        // The theme's marks around a prompt: "? " before, " ›" after.
        if console::measure_text_width(prompt) + 6 <= cols {
            return prompt;
        }
        let width = cols.saturating_sub(1).max(20);
        let options = textwrap::Options::new(width)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .break_words(false);
        for line in textwrap::wrap(prompt, options) {
            self.say(&line);
        }
        short
    }

    /// Writes a line of the tool's own: its user parts were escaped with
    /// [`one_line`] or [`escaped`] before it was styled, so every colour
    /// code left in it is the tool's.
    fn say(&self, text: &str) {
        let policy = crate::safe_text::Policy {
            keep_colour: true,
            keep_commands: false,
        };
        let _ = self.term.write_line(&crate::safe_text::printable(
            &crate::safe_text::ours(text),
            policy,
        ));
    }
}

/// User text of one line, control characters escaped.
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    crate::safe_text::one_line(text)
}

/// User text of many lines, control characters escaped.
fn escaped(text: &str) -> std::borrow::Cow<'_, str> {
    crate::safe_text::printable(text, crate::safe_text::PLAIN)
}

#[cfg(test)]
mod tests {
    use crate::answers::AnswersFile;
    use crate::audit::flow::{Plan, Selection};
    use crate::audit::prompt::{PromptError, Prompter, QuestionView};
    use crate::playbook::Set;

    fn builtin() -> Set {
        let sources = [crate::store::Source::parse(crate::playbook::builtin::NAME)];
        crate::store::load_sources(&sources, std::path::Path::new(".")).set
    }

    #[test]
    fn the_builtin_set_starts_with_support_channels() {
        let set = builtin();
        let plan = Plan::new(&set, &AnswersFile::default(), &Selection::default());
        assert_eq!(plan.total, set.question_count());
        let first = plan.steps[0];
        assert_eq!(
            set.playbooks[first.playbook].questions[first.question].id,
            "support-channels/q1"
        );
    }

    #[test]
    fn a_ctrl_c_that_came_between_prompts_stops_the_next_prompt() {
        // The Ctrl-C handler records a signal that arrived while no prompt was
        // reading keys; the next terminal prompt reports it without reading.
        let set = builtin();
        let p = &set.playbooks[0];
        let view = QuestionView {
            position: 1,
            total: 6,
            playbook: p,
            question: &p.questions[0],
            current: None,
            can_go_back: false,
        };
        super::record_ctrl_c();
        let mut terminal = super::Terminal::default();
        assert!(matches!(
            terminal.choose(&view),
            Err(PromptError::Interrupted)
        ));
    }
}
