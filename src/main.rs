//! The binary: parses the command line, runs it and exits with its code.

// Shell: the process entry point.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stdout,
    clippy::print_stderr
)]
use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = supportcheck::cli::Cli::parse();
    supportcheck::run(cli).into()
}
