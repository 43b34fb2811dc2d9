//! `check` through the real binary.
