//! The interactive audit: a pure flow over the questions, driven through a prompt trait.
