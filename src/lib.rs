//! supportcheck: is customer support ready for launch?
//!
//! Data flows one way:
//!
//! ```text
//! playbook (load, parse, lint) ─┐
//!                               ├─> score (pure) ─> report (one model) ─> render (one fn per format)
//! answers (read, write, lock) ──┘
//! ```
//!
//! `commands` is the only place that touches files, the terminal or the clock;
//! `audit` is the interactive walk-through, a pure flow behind a prompt trait.

pub mod answers;
pub mod audit;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod exit;
#[doc(hidden)]
pub mod fuzz;
pub mod playbook;
pub mod render;
pub mod report;
pub mod safe_text;
pub mod schema;
pub mod score;

pub use exit::Exit;

/// Runs a parsed command line and says how the process should end.
pub fn run(cli: cli::Cli) -> Exit {
    commands::run(cli)
}
