//! Integration tests: the real binary, driven through a small builder.
// Tests are shell: they make files and run the binary.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod http_server;
mod pty;
mod support;

mod action;
mod audit;
mod bundle;
mod check;
mod client;
mod distribution;
mod docs;
mod errors;
mod everyday;
mod everyday_pty;
mod facts;
mod faults;
mod hostile;
mod hostile_round3;
mod layers;
mod levels;
mod lint;
mod list;
mod live;
mod portfolio;
mod probes;
mod recipes;
mod report;
mod schema;
mod shape;
mod surprises;
mod team;
mod unforgeable;
mod verdict;
mod workflows;
mod writers;
