//! `assemble`: parse the arguments, run the command, print its failure once, and map it to
//! the exit code (0 done, 1 a problem in the input or in writing, 2 a usage error, 130
//! interrupted). The command line lives here, above the library it calls.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.print();
            ExitCode::from(failure.exit_code())
        }
    }
}

/// The binary's allocator, not the library's (a program using the library chooses its own):
/// measured faster than the system's for a batch, at flat memory (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
