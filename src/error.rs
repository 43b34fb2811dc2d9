//! The errors the shell names: each has a [`Kind`] (which decides the exit
//! code, in `exit.rs`) and may have a hint, printed as `help:` lines under
//! the message by the one printing site (`commands::Ui::error`, which finds
//! them with `commands::hints`). Messages never carry their own `help:`.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lines_prefix_every_line_of_a_hint() {
        assert_eq!(help_lines("one\ntwo"), "help: one\nhelp: two");
        assert!(is_no_project(&anyhow::Error::from(ProjectError::NotFound)));
        assert!(!is_no_project(&anyhow::anyhow!("other")));
    }
}
