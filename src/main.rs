//! `assemble`: parse the arguments, run the command, print its failure once, and map it to
//! the exit code (0 done, 1 a problem in the input or in writing, 2 a usage error, 130
//! interrupted). The command line lives here, above the library it calls.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    no_huge_pages();
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.print();
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Asks Linux for no transparent huge pages in this process and the workers it starts
/// (issue 28): mimalloc asks for them on its memory, and each 2 MiB page is then resident
/// whole however little of it is used — 11 MiB of one meeting's 65 MiB peak.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integers only and changes nothing but the process's
    // huge-page flag; a kernel that refuses it leaves the process as it was.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// The binary's allocator, not the library's (a program using the library chooses its own):
/// measured faster than the system's for a batch, at flat memory (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
