//! Exit codes, in one place (docs/exit-codes.md).

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
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e.code())
    }
}
