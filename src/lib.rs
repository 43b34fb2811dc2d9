//! supportcheck: is customer support ready for launch?
//!
//! Data flows one way:
//!
//! ```text
//! playbook (parse from bytes) ─┐
//!                              ├─> score ─> gate ─> report (one model) ─> render (one fn per format)
//! answers (parse, write text) ─┘   └─ conditions: does a question apply, by facts and answers
//! ```
//!
//! That is the core, and it is pure. The shell (`commands`, `store`,
//! `terminal`, `main.rs`) alone touches files, the terminal, the clock and the
//! environment; clippy.toml and `[lints.clippy]` enforce it. `audit` is the
//! interactive walk-through, a pure flow behind a prompt trait that
//! `terminal` implements. See README.md, "Architecture".

pub mod answers;
mod audit;
pub mod cli;
mod commands;
mod conditions;
pub mod config;
pub mod diagnostic;
mod exit;
#[doc(hidden)]
#[cfg(feature = "fuzzing")]
pub mod fuzz;
mod gate;
pub mod playbook;
pub mod portfolio;
pub mod probe;
mod prober;
pub mod render;
pub mod report;
mod safe_text;
mod schema;
pub mod score;
mod sheet;
mod store;
mod suggest;
pub mod team;
mod terminal;

pub use exit::Exit;

/// Runs a parsed command line and says how the process should end.
pub fn run(cli: cli::Cli) -> Exit {
    commands::run(cli)
}
