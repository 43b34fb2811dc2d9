//! The terminal prompter: the audit's prompts on dialoguer, for people.
//! Ctrl-C at any prompt comes back as [`PromptError::Interrupted`].
// Shell: the terminal prompter.
// Not `disallowed_methods`: dialoguer's menus are made only in
// `Terminal::select` and `Terminal::multi_select` (clippy.toml), which own
// the fallback for a terminal too small for a menu.
#![allow(clippy::disallowed_types, clippy::print_stdout, clippy::print_stderr)]

use crate::answers::{Action, Status};
use crate::audit::flow::progress;
use crate::audit::prompt::{Choice, PromptError, Prompter, QuestionView};
use crate::playbook::Playbook;
use crate::playbook::facts::{FactDecl, FactKind, FactValue};
use crate::playbook::guidance::to_terminal_text;
use console::{Term, style};
use dialoguer::theme::{ColorfulTheme, Theme};
use dialoguer::{Confirm, Editor, Input, MultiSelect, Select};
use std::sync::atomic::{AtomicBool, Ordering};

/// The choices in menu order.
const MENU: [(Choice, &str); 8] = [
    (Choice::Answer(Status::Met), "Met"),
    (Choice::Answer(Status::Partial), "Partial"),
    (Choice::Answer(Status::Unmet), "Unmet"),
    (Choice::Answer(Status::NotApplicable), "Not applicable"),
    (Choice::Skip, "Skip for now"),
    (Choice::Back, "Back to the previous question"),
    (Choice::Guidance, "Show guidance (How)"),
    (Choice::Quit, "Save and quit"),
];

/// The letter that picks a choice at the plain prompt.
fn key_of(choice: Choice) -> &'static str {
    match choice {
        Choice::Answer(Status::Met) => "m",
        Choice::Answer(Status::Partial) => "p",
        Choice::Answer(Status::Unmet) => "u",
        Choice::Answer(Status::NotApplicable) => "n",
        Choice::Skip => "s",
        Choice::Back => "b",
        Choice::Guidance => "g",
        Choice::Quit => "q",
    }
}

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
    theme: ColorfulTheme,
    /// Today, for a due date typed in the past (see [`Terminal::on`]).
    today: Option<chrono::NaiveDate>,
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal {
            term: Term::stderr(),
            theme: ColorfulTheme::default(),
            today: None,
        }
    }
}

fn map_err(e: dialoguer::Error) -> PromptError {
    match e {
        dialoguer::Error::IO(io) if io.kind() == std::io::ErrorKind::Interrupted => {
            PromptError::Interrupted
        }
        other => PromptError::Other(anyhow::anyhow!("terminal error: {other}")),
    }
}

/// A menu for [`Terminal::select`] and [`Terminal::multi_select`].
struct Menu<'a> {
    /// Shown above the menu.
    prompt: &'a str,
    /// Shown before the choices at the typed prompt of a tiny terminal.
    plain: &'a str,
    items: &'a [String],
    /// The letter of each choice at the typed prompt (else numbers).
    keys: Option<&'a [&'a str]>,
    /// Whether Esc and `q` leave the menu (`None`).
    esc: bool,
    /// Whether the choice is echoed once made.
    report: bool,
}

impl<'a> Menu<'a> {
    fn new(prompt: &'a str, items: &'a [String]) -> Menu<'a> {
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
    /// The prompter for a day: a due date before `today` is confirmed.
    pub fn on(today: chrono::NaiveDate) -> Terminal {
        Terminal {
            today: Some(today),
            ..Terminal::default()
        }
    }

    /// A yes/no question; Enter gives `default`, Esc or `q` gives `None`.
    pub fn confirm(&mut self, prompt: &str, default: bool) -> Result<Option<bool>, PromptError> {
        pending_ctrl_c()?;
        Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .interact_on_opt(&self.term)
            .map_err(map_err)
    }

    /// Asks for one fact about the product; `None` on Esc or `q`.
    pub fn fact(&mut self, decl: &FactDecl) -> Result<Option<FactValue>, PromptError> {
        pending_ctrl_c()?;
        self.say("");
        self.say(
            &style(format!("Fact `{}`", one_line(&decl.name)))
                .cyan()
                .to_string(),
        );
        let prompt = one_line(&decl.question).into_owned();
        let options: Vec<String> = decl
            .options
            .iter()
            .map(|o| one_line(o).into_owned())
            .collect();
        let bool_items = ["Yes".to_string(), "No".to_string()];
        Ok(match decl.kind {
            FactKind::Text => {
                // Empty means the product has none: saved as such, so it
                // is not asked again, and the probes that need it do not run.
                let mut input = Input::<String>::with_theme(&self.theme)
                    .with_prompt(format!("{prompt} (empty if there is none)"))
                    .allow_empty(true);
                if let Some(FactValue::One(d)) = &decl.default {
                    input = input.with_initial_text(d);
                }
                let text = input.interact_text_on(&self.term).map_err(map_err)?;
                Some(FactValue::One(text.trim().to_string()))
            }
            FactKind::Bool => {
                let default = usize::from(decl.default == Some(FactValue::Bool(false)));
                self.select(&Menu::new(&prompt, &bool_items), default)?
                    .map(|i| FactValue::Bool(i == 0))
            }
            FactKind::OneOf => {
                let default = match &decl.default {
                    Some(FactValue::One(d)) => decl.options.iter().position(|o| o == d),
                    _ => None,
                };
                self.select(&Menu::new(&prompt, &options), default.unwrap_or(0))?
                    .map(|i| FactValue::One(decl.options[i].clone()))
            }
            FactKind::ManyOf => {
                let defaults: Vec<bool> = decl
                    .options
                    .iter()
                    .map(|o| matches!(&decl.default, Some(FactValue::Many(d)) if d.contains(o)))
                    .collect();
                let ticked = format!("{prompt} (space ticks, enter confirms)");
                let menu = Menu {
                    plain: &prompt,
                    ..Menu::new(&ticked, &options)
                };
                self.multi_select(&menu, &defaults)?.map(|picked| {
                    FactValue::Many(
                        picked
                            .into_iter()
                            .map(|i| decl.options[i].clone())
                            .collect(),
                    )
                })
            }
        })
    }

    fn width(&self) -> usize {
        (self.term.size().1 as usize).clamp(40, 120)
    }

    /// A one-choice menu: the index picked, `None` on Esc or `q` (when
    /// the menu allows them). With every other prompt of the tool it goes
    /// through [`Terminal::menu`], which owns the fallback for a terminal too
    /// small for a menu: the choices are then typed, by letter or number.
    #[allow(clippy::disallowed_methods)] // the one place dialoguer's Select is made
    fn select(&self, menu: &Menu<'_>, default: usize) -> Result<Option<usize>, PromptError> {
        let run = || {
            let select = Select::with_theme(&self.theme)
                .with_prompt(menu.prompt)
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
    fn multi_select(
        &self,
        menu: &Menu<'_>,
        defaults: &[bool],
    ) -> Result<Option<Vec<usize>>, PromptError> {
        let run = || {
            let select = MultiSelect::with_theme(&self.theme)
                .with_prompt(menu.prompt)
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

    /// Asks for a typed line until `parse` accepts it, showing `hint` after
    /// each line it refuses.
    fn typed<T>(
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

    /// One line of input, starting from `initial`, echoed as given.
    fn input(&self, prompt: &str, initial: &str) -> Result<String, PromptError> {
        pending_ctrl_c()?;
        let text = self.read_line(prompt, initial)?;
        self.echo_line(prompt, &text);
        Ok(text)
    }

    /// One line typed at `prompt`, starting from `initial`, with nothing
    /// left on screen: dialoguer clears only the last row of a prompt and
    /// text that wrapped onto several, which left the rows above it behind
    /// as a second copy of the prompt. Those rows are cleared here.
    /// User text in the prompt and the initial text is shown escaped; an
    /// initial text given back unchanged is what it was, control characters
    /// and all.
    fn read_line(&self, prompt: &str, initial: &str) -> Result<String, PromptError> {
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
    fn echo_line(&self, prompt: &str, value: &str) {
        let mut text = String::new();
        let _ = self.theme.format_input_prompt_selection(
            &mut text,
            &one_line(prompt),
            &one_line(value),
        );
        self.say(&text);
    }
}

impl Prompter for Terminal {
    fn choose(&mut self, view: &QuestionView<'_>) -> Result<Choice, PromptError> {
        pending_ctrl_c()?;
        let q = view.question;
        let width = self.width();
        let mut flags = q.flags();
        if let Some(owner) = &q.owner {
            flags.push(format!("owner {owner}"));
        }
        self.say("");
        self.say(&format!(
            "{}{}",
            style(one_line(&progress(
                view.position,
                view.total,
                view.playbook,
                q
            )))
            .cyan(),
            if flags.is_empty() {
                String::new()
            } else {
                style(one_line(&format!("  ({})", flags.join(" · "))))
                    .dim()
                    .to_string()
            }
        ));
        for l in textwrap::wrap(&escaped(&q.question), width) {
            self.say(&style(l).bold().to_string());
        }
        let opts = textwrap::Options::new(width)
            .initial_indent("Expected: ")
            .subsequent_indent("          ");
        for l in textwrap::wrap(&escaped(&q.expectation), opts) {
            self.say(&l);
        }
        if let Some(a) = view.current.filter(|a| a.status.is_some()) {
            self.say(
                &style(format!(
                    "Current answer: {}{}",
                    a.status.map(|s| s.to_string()).unwrap_or_default(),
                    a.note
                        .as_deref()
                        .map(|n| format!(" — {}", escaped(n)))
                        .unwrap_or_default()
                ))
                .dim()
                .to_string(),
            );
        }
        // One filter for both lists, so a label always matches its choice.
        let (choices, items): (Vec<Choice>, Vec<&str>) = MENU
            .iter()
            .filter(|(c, _)| view.can_go_back || *c != Choice::Back)
            .copied()
            .unzip();
        let default = view
            .current
            .and_then(|a| a.status)
            .and_then(|s| choices.iter().position(|c| *c == Choice::Answer(s)))
            .unwrap_or(0);
        let items: Vec<String> = items.iter().map(|i| i.to_string()).collect();
        let keys: Vec<&str> = choices.iter().map(|c| key_of(*c)).collect();
        let menu = Menu {
            plain: "Answer",
            keys: Some(&keys),
            report: false,
            ..Menu::new("Answer (Esc or q: save and quit)", &items)
        };
        Ok(self
            .select(&menu, default)?
            .map_or(Choice::Quit, |i| choices[i]))
    }

    fn criteria(
        &mut self,
        view: &QuestionView<'_>,
        defaults: &[bool],
    ) -> Result<Vec<bool>, PromptError> {
        pending_ctrl_c()?;
        // An item wider than the terminal wraps, and dialoguer then clears one
        // line too few when it is done, leaving a stray prompt line on screen.
        // So long criteria are listed in full first and shortened in the list.
        let room = (self.term.size().1 as usize).saturating_sub(3).max(20);
        let texts: Vec<&str> = view
            .question
            .criteria
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        if texts.iter().any(|t| console::measure_text_width(t) > room) {
            let width = self.width().min(room + 3);
            for (i, text) in texts.iter().enumerate() {
                let first = format!("{:>2}. ", i + 1);
                let opts = textwrap::Options::new(width)
                    .initial_indent(&first)
                    .subsequent_indent("    ");
                for l in textwrap::wrap(&escaped(text), opts) {
                    self.say(&l);
                }
            }
        }
        let items: Vec<String> = texts
            .iter()
            .map(|t| console::truncate_str(&crate::safe_text::one_line(t), room, "…").into_owned())
            .collect();
        let menu = Menu {
            plain: "Criteria that hold",
            esc: false,
            ..Menu::new("Which criteria hold? (space ticks, enter confirms)", &items)
        };
        let picked = self.multi_select(&menu, defaults)?.unwrap_or_default();
        Ok((0..items.len()).map(|i| picked.contains(&i)).collect())
    }

    fn note(
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
                let edited = Editor::new().edit(default.unwrap_or(""));
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

    fn action(
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

    fn evidence(&mut self, default: &[String], required: bool) -> Result<Vec<String>, PromptError> {
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

    fn pick(&mut self, prompt: &str, items: &[&str]) -> Result<usize, PromptError> {
        let prompt = one_line(prompt);
        let items: Vec<String> = items.iter().map(|i| one_line(i).into_owned()).collect();
        // Esc or q picks the first choice, which the caller makes the safe one.
        Ok(self.select(&Menu::new(&prompt, &items), 0)?.unwrap_or(0))
    }

    fn line(&mut self, prompt: &str, initial: &str) -> Result<String, PromptError> {
        self.input(prompt, initial)
    }

    fn echo(&mut self, prompt: &str, value: &str) {
        let mut text = String::new();
        let _ = self.theme.format_input_prompt_selection(
            &mut text,
            &one_line(prompt),
            &one_line(value),
        );
        self.say(&text);
    }

    fn show_guidance(&mut self, playbook: &Playbook) {
        let g = playbook.guidance();
        let width = self.width();
        match (&g.how, &g.why) {
            (None, None) => self.say("(this playbook has no guidance)"),
            _ => {
                for (title, text) in [("Why", &g.why), ("How", &g.how)] {
                    if let Some(text) = text {
                        self.say("");
                        self.say(&style(title).bold().underlined().to_string());
                        self.say(&to_terminal_text(&escaped(text), width));
                    }
                }
                self.say("");
            }
        }
    }

    fn notice(&mut self, text: &str) {
        self.say(&style(escaped(text)).yellow().to_string());
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
