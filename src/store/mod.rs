//! The shell's file layer: every read and write of the project's files goes through here.
// Shell: the file layer.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stdout,
    clippy::print_stderr
)]

pub mod lock;
pub mod pdf;
pub mod playbooks;
pub mod portfolio;
pub mod probes;
pub mod read;
pub mod reports;
pub mod signoffs;
pub mod write;

pub use lock::{Lock, LockHeld};
pub use playbooks::{LoadOutcome, Source, display_path, load_sources};
pub use write::write_atomic;
