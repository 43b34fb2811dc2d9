//! Integration tests: the real binary, driven through a small builder.

mod pty;
mod support;

mod action;
mod audit;
mod check;
mod distribution;
mod docs;
mod faults;
mod lint;
mod list;
mod live;
mod recipes;
mod report;
mod schema;
mod workflows;
