//! supportcheck's core: is customer support ready for launch?
//!
//! Data flows one way:
//!
//! ```text
//! playbook (parse from bytes) ─┐
//!                              ├─> score ─> gate ─> report (one model) ─> render (one fn per format)
//! answers (parse, write text) ─┘   └─ conditions: does a question apply, by facts and answers
//! ```
//!
//! The core is pure: it gets bytes, answers and the time as arguments and
//! returns values, strings and bytes. It has no I/O dependency (Cargo.toml)
//! and may not call the std functions that touch files, the clock, the
//! environment, the terminal or other processes (../../clippy.toml). The
//! shell crate, `supportcheck`, does all of that. `audit` is the interactive
//! walk-through, a pure flow behind a prompt trait that the shell's terminal
//! implements. See docs/architecture.md.

pub mod answers;
pub mod audit;
pub mod bundle;
pub mod conditions;
pub mod config;
pub mod diagnostic;
pub mod duration;
pub mod evaluate;
pub mod gate;
pub mod playbook;
pub mod portfolio;
pub mod probe;
pub mod render;
pub mod report;
pub mod safe_text;
pub mod schema;
pub mod score;
pub mod sheet;
pub mod signature;
pub mod suggest;
pub mod team;
pub mod words;
