//! supportcheck, the shell: everything that touches files, the terminal, the
//! clock, the environment and other processes, around the pure core
//! (`supportcheck-core`, in crates/).
//!
//! ```text
//! main.rs ─> commands (one file per subcommand) ─> store (files), terminal (prompts)
//!                 │
//!                 └─> supportcheck_core: playbook, answers ─> evaluate (score, sign-offs,
//!                     report) ─> render
//! ```
//!
//! The core's modules are re-exported here under their own names, so the
//! shell says `crate::score` as the core says it. See docs/architecture.md.

pub use supportcheck_core::{
    answers, audit, bundle, conditions, config, diagnostic, duration, evaluate, gate, playbook,
    portfolio, probe, render, report, safe_text, schema, score, sheet, signature, suggest, team,
    words,
};

pub mod cli;
mod commands;
mod error;
mod exit;
#[doc(hidden)]
#[cfg(feature = "fuzzing")]
pub mod fuzz;
mod prober;
mod store;
mod terminal;

pub use exit::Exit;

/// Runs a parsed command line and says how the process should end.
pub fn run(cli: cli::Cli) -> Exit {
    commands::run(cli)
}
