//! The answer flow: a question shown and its answer picked, the criteria
//! that hold, a fact about the product; the audit's [`Prompter`].

use super::widgets::Menu;
use super::{Terminal, escaped, one_line, pending_ctrl_c};
use crate::answers::{Action, Status};
use crate::audit::flow::progress;
use crate::audit::prompt::{Choice, PromptError, Prompter, QuestionView};
use crate::playbook::Playbook;
use crate::playbook::facts::{FactDecl, FactKind, FactValue};
use crate::playbook::guidance::to_terminal_text;
use console::style;

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

impl Terminal {
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
                let asked = format!("{prompt} (empty if there is none)");
                let initial = match &decl.default {
                    Some(FactValue::One(d)) => d.as_str(),
                    _ => "",
                };
                let text = self.read_line(&asked, initial)?;
                self.echo_line(&asked, &text);
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
        self.ask_note(prompt, default, required)
    }

    fn action(
        &mut self,
        view: &QuestionView<'_>,
        default: Option<&Action>,
    ) -> Result<Option<Action>, PromptError> {
        self.ask_action(view, default)
    }

    fn evidence(&mut self, default: &[String], required: bool) -> Result<Vec<String>, PromptError> {
        self.ask_evidence(default, required)
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
        self.echo_line(prompt, value);
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
