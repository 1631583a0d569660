//! `assemble`: parse the arguments, run, print problems once, set the exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = protokoll::cli::Cli::parse();
    match protokoll::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => ExitCode::from(code),
    }
}
