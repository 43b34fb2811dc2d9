//! The interactive audit: a pure flow over the questions, driven through a prompt trait.

pub mod flow;
pub mod prompt;

pub use flow::{Outcome, Plan, Selection, run};

#[cfg(test)]
mod tests;
