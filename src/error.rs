//! The errors the shell names: each has a [`Kind`] (which decides the exit
//! code, in `exit.rs`) and may have a hint, printed as `help:` lines under
//! the message by the one printing site (`commands::Ui::error`). Messages
//! never carry their own `help:`.

use crate::playbook::SelectError;
use crate::sheet::bounds::Refused;
use crate::store;

/// What went wrong, as far as the exit code cares (docs/exit-codes.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A flag, argument or name that fits nothing (`--tag`, `--only`, `-o`).
    Usage,
    /// No project here, or its playbooks cannot be used.
    Project,
    /// A file that cannot be read, or that says something invalid.
    Input,
    /// A file that cannot or must not be written.
    Output,
    /// Another supportcheck is writing the same file.
    Busy,
    /// A program supportcheck runs (a browser, ssh-keygen) is missing or failed.
    Tool,
    /// supportcheck caught itself about to do something wrong.
    Bug,
    /// Any other error: the command could not do its work.
    Other,
}

/// A message with what to do next: the shell's one-off errors.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Hinted {
    pub kind: Kind,
    pub message: String,
    pub help: String,
}

/// An error of `kind` whose `help:` line says what to do next.
pub fn hinted(kind: Kind, err: impl std::fmt::Display, help: impl Into<String>) -> anyhow::Error {
    Hinted {
        kind,
        message: err.to_string(),
        help: help.into(),
    }
    .into()
}

/// A usage error (a flag or name that fits nothing) with a hint.
pub fn with_help(err: impl std::fmt::Display, help: impl Into<String>) -> anyhow::Error {
    hinted(Kind::Usage, err, help)
}

/// A hint as printed: each of its lines after `help: `. The one place the
/// prefix is spelled, for errors and for the few notes that end a command
/// without one (an audit saved and stopped).
pub fn help_lines(hint: &str) -> String {
    hint.lines()
        .map(|line| format!("help: {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `err` said another way (`message`, its chain flattened into it), keeping
/// its kind and hints.
pub fn restate(err: &anyhow::Error, message: String) -> anyhow::Error {
    let hints = hints(err);
    if hints.is_empty() {
        return anyhow::anyhow!(message);
    }
    hinted(kind(err), message, hints.join("\n"))
}

/// The project cannot be found or used. `audit` catches
/// [`ProjectError::NotFound`] to offer `init`.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("no supportcheck.yaml here or in any parent folder; run `supportcheck init`")]
    NotFound,
    #[error("the playbooks have {errors}")]
    PlaybookErrors { errors: String },
    #[error("no playbooks found in {sources}")]
    NoPlaybooks { sources: String },
    #[error("--answers {shown}: no such file")]
    NoAnswersFile { shown: String },
}

impl ProjectError {
    pub fn hint(&self) -> String {
        match self {
            ProjectError::NotFound => {
                "or name the project folder with `-C DIR` (or SUPPORTCHECK_DIR)".into()
            }
            ProjectError::PlaybookErrors { .. } => {
                "run `supportcheck lint` for every finding".into()
            }
            ProjectError::NoPlaybooks { .. } => {
                "a playbook is a Markdown file whose YAML frontmatter has a `checklist`".into()
            }
            ProjectError::NoAnswersFile { shown } => format!(
                "check the path; `supportcheck init --answers {shown}` starts a new answers file there"
            ),
        }
    }
}

/// Whether `err` is "no project here".
pub fn is_no_project(err: &anyhow::Error) -> bool {
    matches!(err.downcast_ref(), Some(ProjectError::NotFound))
}

/// One typed error of the chain: its kind and hint.
fn classify(e: &(dyn std::error::Error + 'static)) -> Option<(Kind, Option<String>)> {
    if let Some(h) = e.downcast_ref::<Hinted>() {
        return Some((h.kind, Some(h.help.clone())));
    }
    if let Some(p) = e.downcast_ref::<ProjectError>() {
        return Some((Kind::Project, Some(p.hint())));
    }
    if let Some(s) = e.downcast_ref::<store::Error>() {
        return Some((s.kind(), s.hint()));
    }
    if let Some(s) = e.downcast_ref::<SelectError>() {
        return Some((Kind::Usage, Some(s.hint())));
    }
    if let Some(r) = e.downcast_ref::<Refused>() {
        return Some((Kind::Input, Some(r.hint().to_string())));
    }
    None
}

/// The kind of the outermost typed error in the chain; [`Kind::Other`]
/// when there is none.
pub fn kind(err: &anyhow::Error) -> Kind {
    err.chain()
        .find_map(classify)
        .map_or(Kind::Other, |(kind, _)| kind)
}

/// Every hint in the chain, outermost first, each once.
pub fn hints(err: &anyhow::Error) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for hint in err.chain().filter_map(classify).filter_map(|(_, h)| h) {
        if !out.contains(&hint) {
            out.push(hint);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_is_found_under_context_and_kept_out_of_the_message() {
        let err = anyhow::Error::from(ProjectError::NotFound).context("cannot start");
        assert_eq!(kind(&err), Kind::Project);
        assert_eq!(
            hints(&err),
            ["or name the project folder with `-C DIR` (or SUPPORTCHECK_DIR)"]
        );
        assert!(!format!("{err:#}").contains("help"), "{err:#}");
        assert!(is_no_project(&anyhow::Error::from(ProjectError::NotFound)));
    }

    #[test]
    fn an_untyped_error_has_no_hint_and_kind_other() {
        let err = anyhow::anyhow!("cannot read x");
        assert_eq!(kind(&err), Kind::Other);
        assert!(hints(&err).is_empty());
    }
}
