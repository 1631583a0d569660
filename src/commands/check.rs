//! `assemble check MEETING…`: every problem of every meeting, without rendering.
//!
//! With an output folder (`--out-dir`, `out/` by default) the check keeps a record there
//! ([`protokoll::Checks`]): a meeting whose files — the meeting file and every file its check
//! read, its house style included — are unchanged since it was last checked is not parsed
//! again; its problems are reported as they were found. `--all` checks every meeting.

use std::path::{Path, PathBuf};

use protokoll::Checks;
use protokoll::diag::{Diagnostic, display_path};
use rayon::prelude::*;

use super::{Failure, find_meetings, print_diagnostics};
use crate::cli::MessageFormat;

/// How a check's worker process is started: this program, `__worker --check`. `None` (the
/// meetings are then checked in this process) if the program cannot be found.
fn worker_command() -> Option<protokoll::batch::WorkerCommand> {
    Some(protokoll::batch::WorkerCommand {
        program: std::env::current_exe().ok()?,
        args: vec!["__worker".into(), "--check".into()],
    })
}

pub fn run(
    inputs: &[PathBuf],
    format: MessageFormat,
    ready: bool,
    all: bool,
    out_dir: &Path,
    limits: protokoll::batch::Limits,
) -> Result<(), Failure> {
    let meetings = find_meetings(inputs)?;
    // The record is kept only where outputs are: a check never creates the folder.
    let keep = out_dir.is_dir();
    let record = if keep && !all {
        Checks::load(out_dir)
    } else {
        Checks::default()
    };
    // What is unchanged since the last check is reported as found then; the rest is checked
    // on every core (an archive of 10,000 in seconds), each meeting in a worker process under
    // the limits of one meeting, as a batch builds it (issue 29): a meeting whose check
    // crashes or exceeds them fails alone, at its file, and the others are checked.
    let known: Vec<Option<(bool, Vec<Diagnostic>)>> = meetings
        .par_iter()
        .map(|meeting| record.unchanged(&meeting.path, ready))
        .collect();
    let again: Vec<&Path> = meetings
        .iter()
        .zip(&known)
        .filter(|(_, known)| known.is_none())
        .map(|(meeting, _)| meeting.path.as_path())
        .collect();
    let worker = worker_command();
    let mut fresh = protokoll::batch::check(&again, ready, None, worker.as_ref(), limits)
        .map_err(|e| {
            Failure::input(vec![Diagnostic::error(format!(
                "cannot start worker threads: {e}"
            ))])
        })?
        .into_iter();
    let checked: Vec<(bool, Vec<Diagnostic>, Option<_>)> = known
        .into_iter()
        .map(|known| match known {
            Some((ok, problems)) => (ok, problems, None),
            None => {
                let c = fresh.next().expect("a result for every meeting checked");
                (c.ok, c.problems, Some(c.inputs))
            }
        })
        .collect();
    let mut record = record;
    let mut failed = 0;
    let (mut errors, mut warnings, mut again) = (0, 0, 0);
    for (meeting, (ok, problems, inputs)) in meetings.iter().zip(checked) {
        failed += usize::from(!ok);
        errors += problems.iter().filter(|p| p.is_error()).count();
        warnings += problems.iter().filter(|p| !p.is_error()).count();
        if let Some(inputs) = inputs {
            again += 1;
            record.insert(&meeting.path, ready, inputs, ok, &problems);
        }
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
    if keep && again > 0 {
        // A record that cannot be written costs the next check its speed, nothing else.
        let _ = record.save(out_dir);
    }
    if format == MessageFormat::Human {
        // One line at the end, so a long report ends with what it amounts to; how many were
        // unchanged since the last check (reported as found then), when any were.
        let unchanged = meetings.len() - again;
        let reused = if unchanged > 0 {
            format!("; {unchanged} unchanged since the last check")
        } else {
            String::new()
        };
        say!(
            "checked {}: {}, {}{reused}",
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
