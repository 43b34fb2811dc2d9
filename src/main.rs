use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = supportcheck::cli::Cli::parse();
    supportcheck::run(cli).into()
}
