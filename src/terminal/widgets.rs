//! The one place the tool uses dialoguer: every menu (with the fallback
//! to a typed line for a terminal too small for a menu), every yes/no,
//! every typed line and its echo, and `$EDITOR`. The rest of `terminal/`
//! asks through these methods; clippy.toml refuses dialoguer's
//! constructors anywhere else.

use super::{Terminal, one_line, pending_ctrl_c};
use crate::audit::prompt::PromptError;
use dialoguer::theme::Theme as _;
use dialoguer::{Confirm, Editor, Input, MultiSelect, Select};

/// The look of every prompt.
pub(super) type Theme = dialoguer::theme::ColorfulTheme;

/// A dialoguer error as the prompter's: Ctrl-C read as a key is
/// [`PromptError::Interrupted`].
fn map_err(e: dialoguer::Error) -> PromptError {
    match e {
        dialoguer::Error::IO(io) if io.kind() == std::io::ErrorKind::Interrupted => {
            PromptError::Interrupted
        }
        other => PromptError::Other(anyhow::anyhow!("terminal error: {other}")),
    }
}

/// A menu for [`Terminal::select`] and [`Terminal::multi_select`].
pub(super) struct Menu<'a> {
    /// Shown above the menu.
    pub(super) prompt: &'a str,
    /// Shown before the choices at the typed prompt of a tiny terminal.
    pub(super) plain: &'a str,
    pub(super) items: &'a [String],
    /// The letter of each choice at the typed prompt (else numbers).
    pub(super) keys: Option<&'a [&'a str]>,
    /// Whether Esc and `q` leave the menu (`None`).
    pub(super) esc: bool,
    /// Whether the choice is echoed once made.
    pub(super) report: bool,
}

impl<'a> Menu<'a> {
    pub(super) fn new(prompt: &'a str, items: &'a [String]) -> Menu<'a> {
        Menu {
            prompt,
            plain: prompt,
            items,
            keys: None,
            esc: true,
            report: true,
        }
    }
}

/// Rows a dialoguer menu needs: with fewer, its pager panics (it clamps its
/// page size to between 3 and the terminal's height).
const MENU_ROWS: u16 = 3;

thread_local! {
    /// Set while a menu runs, so that the panic hook stays quiet about a
    /// panic that [`Terminal::menu`] turns into the plain prompt.
    static IN_MENU: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs, once, a panic hook that is silent inside a menu and otherwise
/// the default one.
fn quiet_menu_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_MENU.with(|m| m.get()) {
                default(info);
            }
        }));
    });
}

impl Terminal {
    /// A one-choice menu: the index picked, `None` on Esc or `q` (when
    /// the menu allows them). With every other prompt of the tool it goes
    /// through [`Terminal::menu`], which owns the fallback for a terminal too
    /// small for a menu: the choices are then typed, by letter or number.
    #[allow(clippy::disallowed_methods)] // the one place dialoguer's Select is made
    pub(super) fn select(
        &self,
        menu: &Menu<'_>,
        default: usize,
    ) -> Result<Option<usize>, PromptError> {
        let run = || {
            let select = Select::with_theme(&self.theme)
                .with_prompt(self.fitted(menu.prompt, "Choose"))
                .items(menu.items)
                .default(default.min(menu.items.len().saturating_sub(1)))
                .report(menu.report);
            if menu.esc {
                select.interact_on_opt(&self.term).map_err(map_err)
            } else {
                select.interact_on(&self.term).map(Some).map_err(map_err)
            }
        };
        match self.menu(run)? {
            Some(picked) => Ok(picked),
            None => self.plain_select(menu),
        }
    }

    /// A menu of ticks: the indexes ticked, `None` on Esc or `q` (when the
    /// menu allows them). See [`Terminal::select`].
    #[allow(clippy::disallowed_methods)] // the one place dialoguer's MultiSelect is made
    pub(super) fn multi_select(
        &self,
        menu: &Menu<'_>,
        defaults: &[bool],
    ) -> Result<Option<Vec<usize>>, PromptError> {
        let run = || {
            let select = MultiSelect::with_theme(&self.theme)
                .with_prompt(self.fitted(menu.prompt, "Tick with space, confirm with Enter"))
                .items(menu.items)
                .defaults(defaults)
                .report(menu.report);
            if menu.esc {
                select.interact_on_opt(&self.term).map_err(map_err)
            } else {
                select.interact_on(&self.term).map(Some).map_err(map_err)
            }
        };
        match self.menu(run)? {
            Some(picked) => Ok(picked),
            None => self.plain_ticks(menu, defaults).map(Some),
        }
    }

    /// Runs a dialoguer menu, or says it cannot: `Ok(None)` when the
    /// terminal has fewer than [`MENU_ROWS`] rows, before or while the menu
    /// is shown (a resize). The caller then asks with a plain line prompt.
    fn menu<T>(
        &self,
        run: impl FnOnce() -> Result<T, PromptError>,
    ) -> Result<Option<T>, PromptError> {
        pending_ctrl_c()?;
        if self.term.size().0 < MENU_ROWS {
            return Ok(None);
        }
        quiet_menu_panics();
        IN_MENU.with(|m| m.set(true));
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
        IN_MENU.with(|m| m.set(false));
        match result {
            Ok(r) => r.map(Some),
            Err(_) => {
                let _ = self.term.show_cursor();
                self.say("");
                Ok(None)
            }
        }
    }

    /// A one-choice menu as one typed line, for a terminal too small for
    /// it: a letter (the menu's keys) or a number for each choice, or the
    /// choice's name; `q` leaves a menu that Esc would leave.
    fn plain_select(&self, menu: &Menu<'_>) -> Result<Option<usize>, PromptError> {
        let keys: Vec<String> = match menu.keys {
            Some(keys) => keys.iter().map(|k| k.to_string()).collect(),
            None => (1..=menu.items.len()).map(|n| n.to_string()).collect(),
        };
        let prompt = format!(
            "{} ({})",
            menu.plain,
            menu.items
                .iter()
                .zip(&keys)
                .map(|(label, key)| format!("{key}={}", crate::safe_text::one_line(label)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let hint = if menu.keys.is_some() {
            "type one of the letters shown".to_string()
        } else {
            format!("type a number from 1 to {}", menu.items.len())
        };
        self.typed(&prompt, "", &hint, |text| {
            let text = text.trim().to_lowercase();
            let picked = keys
                .iter()
                .position(|k| *k == text)
                .or_else(|| menu.items.iter().position(|l| l.to_lowercase() == text));
            match picked {
                Some(i) => Some(Some(i)),
                None if menu.esc && text == "q" => Some(None),
                None => None,
            }
        })
    }

    /// A menu of ticks as one typed line of numbers.
    fn plain_ticks(&self, menu: &Menu<'_>, defaults: &[bool]) -> Result<Vec<usize>, PromptError> {
        for (i, item) in menu.items.iter().enumerate() {
            self.say(&format!("{:>2}. {item}", i + 1));
        }
        let initial: Vec<String> = defaults
            .iter()
            .enumerate()
            .filter(|(_, d)| **d)
            .map(|(i, _)| (i + 1).to_string())
            .collect();
        let n = menu.items.len();
        let hint = format!("type numbers from 1 to {n}");
        let prompt = format!("{} (numbers, comma-separated)", menu.plain);
        self.typed(&prompt, &initial.join(","), &hint, |text| {
            text.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| {
                    t.parse::<usize>()
                        .ok()
                        .filter(|k| (1..=n).contains(k))
                        .map(|k| k - 1)
                })
                .collect()
        })
    }
}

impl Terminal {
    /// A yes/no question; Enter gives `default`, Esc or `q` gives `None`.
    #[allow(clippy::disallowed_methods)] // the one place dialoguer's Confirm is made
    pub fn confirm(&mut self, prompt: &str, default: bool) -> Result<Option<bool>, PromptError> {
        pending_ctrl_c()?;
        Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .interact_on_opt(&self.term)
            .map_err(map_err)
    }

    /// One line typed at `prompt`, starting from `initial`, with nothing
    /// left on screen: dialoguer clears only the last row of a prompt and
    /// text that wrapped onto several, which left the rows above it behind
    /// as a second copy of the prompt. Those rows are cleared here.
    /// User text in the prompt and the initial text is shown escaped; an
    /// initial text given back unchanged is what it was, control characters
    /// and all.
    #[allow(clippy::disallowed_methods)] // the one place dialoguer's Input is made
    pub(super) fn read_line(&self, prompt: &str, initial: &str) -> Result<String, PromptError> {
        let prompt = one_line(prompt);
        let shown_initial = one_line(initial);
        let mut input = Input::<String>::with_theme(&self.theme)
            .with_prompt(prompt.as_ref())
            .allow_empty(true)
            .report(false);
        if !initial.is_empty() {
            input = input.with_initial_text(shown_initial.as_ref());
        }
        let text = input.interact_text_on(&self.term).map_err(map_err)?;
        let mut shown = String::new();
        let _ = self.theme.format_input_prompt(&mut shown, &prompt, None);
        let width = console::measure_text_width(&shown) + console::measure_text_width(&text);
        let cols = usize::from(self.term.size().1).max(1);
        let rows = width.div_ceil(cols).max(1);
        if rows > 1 {
            let _ = self.term.clear_last_lines(rows - 1);
        }
        Ok(if text == shown_initial {
            initial.to_string()
        } else {
            text
        })
    }

    /// `✔ prompt · value`, as dialoguer reports a line once it is typed.
    pub(super) fn echo_line(&self, prompt: &str, value: &str) {
        let mut text = String::new();
        let _ = self.theme.format_input_prompt_selection(
            &mut text,
            &one_line(prompt),
            &one_line(value),
        );
        self.say(&text);
    }

    /// `text` edited in `$EDITOR`: `Ok(None)` when the editor was left
    /// without saving; `Err` says why no editor could be run.
    #[allow(clippy::disallowed_methods)] // the one place dialoguer's Editor is made
    pub(super) fn edit(&self, text: &str) -> Result<Option<String>, String> {
        Editor::new().edit(text).map_err(|e| e.to_string())
    }
}
