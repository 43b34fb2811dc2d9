//! The prompts an audit needs, as a trait: the flow asks through it, a script
//! drives it in tests and the terminal prompter in the shell drives it for people.

use crate::answers::{Action, Answer, Status};
use crate::playbook::{Playbook, Question};

/// What the team picked for a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Answer(Status),
    Skip,
    Back,
    Guidance,
    Quit,
}

/// Why a prompt gave no answer; the flow saves and stops on `Interrupted`.
#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    /// Ctrl-C.
    #[error("interrupted")]
    Interrupted,
    #[error(transparent)]
    Other(anyhow::Error),
}

/// The question being asked, with what is known about it.
#[derive(Debug, Clone, Copy)]
pub struct QuestionView<'a> {
    pub position: usize,
    pub total: usize,
    pub playbook: &'a Playbook,
    pub question: &'a Question,
    pub current: Option<&'a Answer>,
    pub can_go_back: bool,
}

/// Everything the flow asks of a person.
pub trait Prompter {
    /// Shows the question and returns the choice.
    fn choose(&mut self, view: &QuestionView<'_>) -> Result<Choice, PromptError>;
    /// Ticks criteria; returns one flag per criterion.
    fn criteria(
        &mut self,
        view: &QuestionView<'_>,
        defaults: &[bool],
    ) -> Result<Vec<bool>, PromptError>;
    /// A note; `None` when left empty (never `None` when `required`).
    fn note(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        required: bool,
    ) -> Result<Option<String>, PromptError>;
    /// Evidence paths or URLs, one entry per line (a URL is never split).
    fn evidence(&mut self, default: &[String], required: bool) -> Result<Vec<String>, PromptError>;
    /// One of `items`; returns its index.
    fn pick(&mut self, prompt: &str, items: &[&str]) -> Result<usize, PromptError>;
    /// One line of text, starting from `initial`.
    fn line(&mut self, prompt: &str, initial: &str) -> Result<String, PromptError>;
    /// Shows what was recorded for a prompt (`Answer · partial`).
    fn echo(&mut self, prompt: &str, value: &str);
    /// Offers to record a follow-up action after a partial or unmet answer;
    /// `None` when declined. The default declines (scripts that do not
    /// expect the offer are not asked).
    fn action(
        &mut self,
        _view: &QuestionView<'_>,
        _default: Option<&Action>,
    ) -> Result<Option<Action>, PromptError> {
        Ok(None)
    }
    /// Shows the playbook's guidance.
    fn show_guidance(&mut self, playbook: &Playbook);
    /// A one-line message.
    fn notice(&mut self, text: &str);
}
