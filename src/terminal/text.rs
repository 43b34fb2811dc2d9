//! Typed lines: yes/no, a line with its echo, a note (or `$EDITOR`), a
//! follow-up action and evidence entries.

use super::{CTRL_C, Terminal, pending_ctrl_c};
use crate::answers::Action;
use crate::audit::prompt::{PromptError, Prompter, QuestionView};
use console::style;
use std::sync::atomic::Ordering;

impl Terminal {
    /// Asks for a typed line until `parse` accepts it, showing `hint` after
    /// each line it refuses.
    pub(super) fn typed<T>(
        &self,
        prompt: &str,
        initial: &str,
        hint: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<T, PromptError> {
        loop {
            pending_ctrl_c()?;
            let text = self.read_line(prompt, initial)?;
            self.echo_line(prompt, &text);
            match parse(&text) {
                Some(value) => return Ok(value),
                None => self.say(&style(hint).yellow().to_string()),
            }
        }
    }

    /// One line of input, starting from `initial`, echoed as given.
    pub(super) fn input(&self, prompt: &str, initial: &str) -> Result<String, PromptError> {
        pending_ctrl_c()?;
        let text = self.read_line(prompt, initial)?;
        self.echo_line(prompt, &text);
        Ok(text)
    }

    /// A note: a typed line, or `!e` for `$EDITOR`; `required` refuses an
    /// empty one.
    pub(super) fn ask_note(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        required: bool,
    ) -> Result<Option<String>, PromptError> {
        let label = prompt.split(" (").next().unwrap_or(prompt);
        loop {
            pending_ctrl_c()?;
            let text = self.read_line(prompt, default.unwrap_or(""))?;
            let text = text.trim().to_string();
            let note = if text == "!e" {
                let edited = self.edit(default.unwrap_or(""));
                // Ctrl-C inside the editor belongs to the editor.
                CTRL_C.store(false, Ordering::SeqCst);
                match edited {
                    Ok(Some(t)) if !t.trim().is_empty() => Some(t.trim_end().to_string()),
                    Ok(_) => None,
                    Err(e) => {
                        self.notice(&format!(
                            "could not open an editor ({e}); type the note instead"
                        ));
                        continue;
                    }
                }
            } else {
                (!text.is_empty()).then_some(text)
            };
            if note.is_none() && required {
                self.notice(&format!(
                    "required: \"{label}\" needs an answer, an empty line is not taken (type it, or !e for an editor)"
                ));
                continue;
            }
            // The note as saved, not the `!e` typed to get it.
            self.echo(label, &note.as_deref().map(first_line).unwrap_or_default());
            return Ok(note);
        }
    }

    /// A follow-up action: what, who and by when; a due date in the past is
    /// confirmed.
    pub(super) fn ask_action(
        &mut self,
        view: &QuestionView<'_>,
        default: Option<&Action>,
    ) -> Result<Option<Action>, PromptError> {
        let what = self.input(
            "Follow-up action: what will be done? (optional, Enter skips)",
            default.map_or("", |a| a.what.as_str()),
        )?;
        let what = what.trim().to_string();
        if what.is_empty() {
            return Ok(None);
        }
        let who_prompt = match view.question.owner.as_deref() {
            Some(o) => format!("Who does it? (Enter: the owner, {o})"),
            None => "Who does it? (optional)".to_string(),
        };
        let who = self.input(
            &who_prompt,
            default.and_then(|a| a.who.as_deref()).unwrap_or(""),
        )?;
        let initial_due = default.and_then(|a| a.due).map(|d| d.to_string());
        let today = self.today;
        let mut initial = initial_due.unwrap_or_default();
        let due = loop {
            let due = self.typed(
                "Due date, YYYY-MM-DD (optional)",
                &initial,
                "a date like 2026-12-15, or nothing",
                |t| {
                    let t = t.trim();
                    if t.is_empty() {
                        Some(None)
                    } else {
                        chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                            .ok()
                            .map(Some)
                    }
                },
            )?;
            // A date already past makes the action overdue at once: a typo
            // (2025 for 2026) more often than a deadline missed on purpose.
            match (due, today) {
                (Some(d), Some(today)) if d < today => {
                    let width = self.width();
                    for l in textwrap::wrap(
                        &format!(
                            "{d} is in the past (today is {today}): the action would be overdue at once."
                        ),
                        width,
                    ) {
                        self.say(&style(l).yellow().to_string());
                    }
                    let keep = self.confirm("Keep the past date?", false)?;
                    if keep == Some(true) {
                        break due;
                    }
                    initial = d.to_string();
                }
                _ => break due,
            }
        };
        Ok(Some(Action {
            what,
            who: Some(who.trim().to_string()).filter(|w| !w.is_empty()),
            due,
            extra: default.map(|a| a.extra.clone()).unwrap_or_default(),
        }))
    }

    /// Evidence paths and URLs, one a line: the current ones kept or
    /// dropped one by one, then new ones until an empty line.
    pub(super) fn ask_evidence(
        &mut self,
        default: &[String],
        required: bool,
    ) -> Result<Vec<String>, PromptError> {
        self.say(if required {
            "Evidence, one path or URL per line; an empty line ends the list (required for met)."
        } else {
            "Evidence, one path or URL per line; an empty line ends the list (optional)."
        });
        let mut out = Vec::new();
        // The current entries are offered one by one: Enter keeps one,
        // clearing it drops it.
        for (i, entry) in default.iter().enumerate() {
            let text = self.input(&format!("Evidence {} (clear to drop)", i + 1), entry)?;
            out.extend(Some(text.trim().to_string()).filter(|t| !t.is_empty()));
        }
        loop {
            let prompt = format!("Evidence {} (empty line ends)", out.len() + 1);
            let text = self.input(&prompt, "")?;
            if text.trim().is_empty() {
                return Ok(out);
            }
            out.push(text.trim().to_string());
        }
    }
}

/// A note as echoed: its first line, marked when more follow.
fn first_line(note: &str) -> String {
    let mut lines = note.trim_start().lines();
    let first = lines.next().unwrap_or_default().to_string();
    if lines.next().is_some() {
        format!("{first} …")
    } else {
        first
    }
}
