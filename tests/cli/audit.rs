//! The audit through a real pseudo-terminal.
