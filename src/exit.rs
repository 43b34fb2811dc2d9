//! Exit codes, in one place (docs/exit-codes.md).

use crate::error::Kind;

/// How the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success, or the gate passed.
    Ok = 0,
    /// The command ran and found problems (lint errors, gate failed).
    Findings = 1,
    /// It could not run: usage error, unreadable or invalid input, no terminal.
    Failure = 2,
    /// Interrupted by Ctrl-C, after saving.
    Interrupted = 130,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The one mapping from an error's kind to an exit code. Every kind is
    /// "could not do its work"; findings (1) and interruptions (130) are
    /// outcomes the commands return, not errors.
    pub fn of_kind(kind: Kind) -> Exit {
        match kind {
            Kind::Usage
            | Kind::Project
            | Kind::Input
            | Kind::Output
            | Kind::Busy
            | Kind::Tool
            | Kind::Bug
            | Kind::Other => Exit::Failure,
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table in docs/exit-codes.md: every kind of error exits 2.
    #[test]
    fn every_error_kind_exits_with_its_documented_code() {
        let documented = [
            (Kind::Usage, 2),
            (Kind::Project, 2),
            (Kind::Input, 2),
            (Kind::Output, 2),
            (Kind::Busy, 2),
            (Kind::Tool, 2),
            (Kind::Bug, 2),
            (Kind::Other, 2),
        ];
        for (kind, code) in documented {
            assert_eq!(Exit::of_kind(kind).code(), code, "{kind:?}");
        }
        let doc = include_str!("../docs/exit-codes.md");
        for (kind, _) in documented {
            let name = format!("{kind:?}").to_lowercase();
            assert!(
                doc.contains(&format!("`{name}`")),
                "docs/exit-codes.md names `{name}`"
            );
        }
    }

    #[test]
    fn a_typed_error_under_context_keeps_its_exit_code() {
        let err = anyhow::Error::from(crate::store::Error::LockBusy {
            shown: "answers.yaml".into(),
        })
        .context("cannot save");
        assert_eq!(crate::commands::hints::kind(&err), Kind::Busy);
        assert_eq!(Exit::of_kind(Kind::Busy), Exit::Failure);
    }
}
