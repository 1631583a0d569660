//! `assemble __worker`: a batch's worker process (see `protokoll::batch::serve`). Started by
//! `assemble DATA/`, `assemble MEETING -o FILE` and (with `--check`) `assemble check`, never
//! by hand (the command is hidden).

use protokoll::batch;

use super::{Failure, renderer};
use crate::cli::Common;

pub fn run(common: &Common, alone: bool, check: bool) -> Result<(), Failure> {
    // An interrupt is the parent's to handle: it stops handing out meetings and closes this
    // worker's input, and the worker ends once the meeting it is on is written (so no
    // half-written file is left). Ctrl-C on a terminal, or a SIGTERM to the process group,
    // reaches the workers too, so they ignore it; a worker whose parent is gone ends at
    // the end of its input, or at once when the parent was killed (PR_SET_PDEATHSIG, set
    // by the parent when it started this process).
    // SAFETY: setting a signal's disposition to "ignore" before any other thread runs.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        libc::signal(libc::SIGHUP, libc::SIG_IGN);
        libc::signal(libc::SIGTERM, libc::SIG_IGN);
    }
    // A worker that only checks needs no fonts or templates.
    let renderer = match check {
        true => None,
        false => Some(renderer(common.templates.as_deref())?),
    };
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    batch::serve(
        renderer.as_ref(),
        (!alone).then_some(common.out_dir.as_path()),
        stdin,
        stdout,
    )
    .map_err(|e| {
        Failure::input(vec![protokoll::diag::Diagnostic::error(format!(
            "the batch worker stopped: {e}"
        ))])
    })
}
