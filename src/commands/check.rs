//! `assemble check MEETING…`: every problem of every meeting, without rendering.

use std::path::PathBuf;

use protokoll::diag::{Diagnostic, display_path};
use protokoll::pipeline;
use rayon::prelude::*;

use super::{Failure, find_meetings, print_diagnostics};
use crate::cli::MessageFormat;

pub fn run(inputs: &[PathBuf], format: MessageFormat, ready: bool) -> Result<(), Failure> {
    let meetings = find_meetings(inputs)?;
    // Meetings are independent: checked on every core (an archive of 10,000 in seconds),
    // reported in the order found. Only the problems are kept, not the models.
    let checked: Vec<(bool, Vec<Diagnostic>)> = meetings
        .par_iter()
        .map(|meeting| match pipeline::check_only(&meeting.path, ready) {
            Ok((_, warnings)) => (true, warnings),
            Err(problems) => (false, problems),
        })
        .collect();
    let mut failed = 0;
    let (mut errors, mut warnings) = (0, 0);
    for (meeting, (ok, problems)) in meetings.iter().zip(checked) {
        failed += usize::from(!ok);
        errors += problems.iter().filter(|p| p.is_error()).count();
        warnings += problems.iter().filter(|p| !p.is_error()).count();
        match format {
            MessageFormat::Human => {
                print_diagnostics(&problems);
                if ok {
                    say!("ok {}", display_path(&meeting.path));
                }
            }
            MessageFormat::Json => {
                for p in &problems {
                    say!("{}", p.to_json());
                }
            }
        }
    }
    if format == MessageFormat::Human {
        // One line at the end, so a long report ends with what it amounts to.
        say!(
            "checked {}: {}, {}",
            super::count(meetings.len(), "file", "files"),
            super::count(errors, "error", "errors"),
            super::count(warnings, "warning", "warnings")
        );
    }
    if failed > 0 {
        Err(Failure::input(Vec::new()))
    } else {
        Ok(())
    }
}
