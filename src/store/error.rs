//! What the file layer refuses, typed: callers branch on it (a lock held by
//! another writer) and the binary prints its hint under the message.

use crate::error::Kind;

/// The hint for a writer caught producing what its reader would not accept.
pub const BUG_HELP: &str = "this is a bug in supportcheck; please report it with your answers file";

/// How to get a browser, for the errors when there is none.
const NO_BROWSER_HELP: &str = "install Chromium (Debian/Ubuntu: `apt-get install chromium`; macOS: `brew install --cask chromium`) \
or set SUPPORTCHECK_BROWSER to the path of a Chromium or Chrome binary\n\
or write the HTML (`--format html`) and print it from any browser";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "the answers file {shown} would be {mib:.1} MiB, and every command refuses an answers file over {max_mib} MiB; nothing was written"
    )]
    AnswersTooLarge {
        shown: String,
        mib: f64,
        max_mib: u64,
    },
    /// The answers a writer made read back as other answers.
    #[error("{shown}: {error}")]
    RoundTrip {
        shown: String,
        error: crate::answers::RoundTripError,
    },
    #[error("cannot write {path}: it is {kind}, not a regular file; nothing was written")]
    NotRegularFile { path: String, kind: String },
    #[error("{dir} has a version {highest}; versions stop at {max}")]
    VersionsExhausted { dir: String, highest: u64, max: u64 },
    #[error("another supportcheck is already writing {shown}")]
    LockBusy { shown: String },
    #[error("SUPPORTCHECK_BROWSER names {name}, which is not a file or a program on PATH")]
    BrowserNotFound { name: String },
    #[error("cannot print a PDF: no headless Chromium found (looked for {looked_for} on PATH)")]
    NoBrowser { looked_for: String },
    #[error(
        "the browser {browser} did not finish printing the PDF within {secs} s and was stopped"
    )]
    BrowserTimeout { browser: String, secs: u64 },
}

impl Error {
    pub fn kind(&self) -> Kind {
        match self {
            Error::AnswersTooLarge { .. }
            | Error::NotRegularFile { .. }
            | Error::VersionsExhausted { .. } => Kind::Output,
            Error::RoundTrip { .. } => Kind::Bug,
            Error::LockBusy { .. } => Kind::Busy,
            Error::BrowserNotFound { .. }
            | Error::NoBrowser { .. }
            | Error::BrowserTimeout { .. } => Kind::Tool,
        }
    }

    /// What to do next, printed as `help:` lines (one per line of it).
    pub fn hint(&self) -> Option<String> {
        let text = match self {
            Error::AnswersTooLarge { .. } => {
                "shorten the longest notes or evidence lists (or split the playbooks into several projects)"
            }
            Error::RoundTrip { error, .. } => match error {
                crate::answers::RoundTripError::Differs => BUG_HELP,
                crate::answers::RoundTripError::Unreadable(_) => return None,
            },
            Error::NotRegularFile { .. } => {
                "name a regular file (where the command takes `-`, that is standard output)"
            }
            Error::VersionsExhausted { .. } => {
                "start a new reports folder (`--out` or `reports:` in supportcheck.yaml)"
            }
            Error::LockBusy { .. } => {
                "finish or quit the other audit first (only one audit may write an answers file at a time)"
            }
            Error::BrowserNotFound { .. } | Error::NoBrowser { .. } => NO_BROWSER_HELP,
            Error::BrowserTimeout { .. } => {
                "set SUPPORTCHECK_BROWSER_TIMEOUT (seconds) to allow longer, or print the HTML report yourself"
            }
        };
        Some(text.to_string())
    }
}
