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

/// Asks the allocator to give memory back to the system as soon as it is freed, not 10 ms
/// later, its default (issue 28). `assemble site` makes one year's pages and part of the
/// search index after another; with the delay, the memory of the years made just before was
/// still resident when the next year's was taken, and the peak crept up with the years
/// (3,000 small meetings: 73 MiB, 60 MiB purged at once, in less time). A batch of PDFs keeps
/// the default.
pub(crate) fn free_memory_promptly() {
    // mimalloc's `mi_option_set` (in the library the allocator links), option
    // `mi_option_purge_delay` (15 in mimalloc 2's `mi_option_t`): milliseconds, 0 at once.
    unsafe extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    const PURGE_DELAY: std::ffi::c_int = 15;
    // SAFETY: sets one integer option of the allocator; mimalloc reads it each time it
    // purges, so it may be set while the program runs.
    unsafe {
        mi_option_set(PURGE_DELAY, 0);
    }
}

/// The binary's allocator, not the library's (a program using the library chooses its own):
/// measured faster than the system's for a batch, at flat memory (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
