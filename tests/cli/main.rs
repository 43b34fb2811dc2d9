//! Integration tests: the real binary, driven through a small builder.

mod pty;
mod support;

mod audit;
mod check;
mod docs;
mod faults;
mod hostile;
mod lint;
mod list;
mod recipes;
mod report;
mod schema;
