//! The commands: each wires the stages together; with `store` and `terminal`
//! they are the shell, the only code that touches the clock, the environment
//! and the terminal.
// Shell: the commands read the environment, the clock and the terminal.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod audit;
mod check;
mod diff;
mod explain;
mod export;
pub(crate) mod hints;
mod history;
mod import;
mod init;
mod lint;
mod list;
mod load;
mod merge;
mod portfolio;
mod project;
mod report;
mod sandbox;
mod schema;
mod shell;
mod signoff;
mod status;
mod trust;
mod ui;
mod verify;

use crate::Exit;
use crate::cli::{Cli, Command};
use crate::store;
use chrono::{DateTime, Utc};
use std::path::Path;

/// Runs a command and maps its outcome to an exit code.
pub fn run(cli: Cli) -> Exit {
    let ui = Ui::new(&cli.global);
    let result = match &cli.command {
        Command::Audit(args) => audit::run(&cli.global, &ui, args),
        Command::Init(args) => init::run(&cli.global, &ui, args),
        Command::List(args) => list::run(&cli.global, &ui, args),
        Command::Lint(args) => lint::run(&cli.global, &ui, args),
        Command::Status(args) => status::run(&cli.global, &ui, args),
        Command::Check(args) => check::run(&cli.global, &ui, args),
        Command::Explain(args) => explain::run(&cli.global, &ui, args),
        Command::Completions(args) => shell::completions(args),
        Command::Man => shell::man(),
        Command::Report(args) => report::run(&cli.global, &ui, args),
        Command::Diff(args) => diff::run(&cli.global, &ui, args),
        Command::History(args) => history::history(&cli.global, &ui, args),
        Command::Export(args) => export::run(&cli.global, &ui, args),
        Command::Import(args) => import::run(&cli.global, &ui, args),
        Command::Schema(args) => schema::run(args),
        Command::Portfolio(args) => portfolio::run(&cli.global, &ui, args),
        Command::Campaign(args) => portfolio::campaign(&cli.global, &ui, args),
        Command::Signoff(args) => signoff::run(&cli.global, &ui, args),
        Command::Verify(args) => verify::run(&cli.global, &ui, args),
        Command::Trust(args) => trust::run(&cli.global, &ui, args),
        Command::MergeAnswers(args) => merge::run(args),
        Command::RenderTemplate => sandbox::child(),
        Command::ReadSheet => import::child(),
    };
    match result {
        Ok(exit) => exit,
        Err(err) => {
            ui.error(&err);
            Exit::of_kind(hints::kind(&err))
        }
    }
}

pub use crate::error::with_help;
pub use project::Project;
use ui::stderr_safe;
pub use ui::{Ui, emit, emit_bytes, emit_commands, is_stdout, print_findings, print_stderr};

/// A path for messages: relative to the root when below it.
pub fn show(path: &Path, root: &Path) -> String {
    store::display_path(path, root)
}

/// The current time; `SUPPORTCHECK_NOW` (RFC 3339) pins it, for reproducible
/// reports and tests.
pub fn now() -> DateTime<Utc> {
    std::env::var("SUPPORTCHECK_NOW")
        .ok()
        .and_then(|s| answers_timestamp(&s))
        .unwrap_or_else(Utc::now)
}

fn answers_timestamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .ok()
                .map(|d| d.and_hms_opt(12, 0, 0).unwrap().and_utc())
        })
}
