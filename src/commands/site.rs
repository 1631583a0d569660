//! `assemble site DATA… -o SITE/`: the public archive as a static website
//! ([`protokoll::site`]).

use std::path::{Path, PathBuf};

use crate::commands::cwd::display_path;
use protokoll::site::{self, Options};

use super::{Failure, find_meetings, print_diagnostics};

pub fn run(inputs: &[PathBuf], output: &Path, editions: Option<PathBuf>) -> Result<(), Failure> {
    crate::free_memory_promptly();
    let meetings = find_meetings(inputs)?;
    // The library reads no clock: today is the command's (UTC).
    let today = Some(time::OffsetDateTime::now_utc().date());
    let summary =
        site::build(&meetings, output, &Options { editions, today }).map_err(|problems| {
            Failure::Input {
                problems,
                closing: Some(format!(
                    "failed: the site in {} (nothing changed)",
                    display_path(output)
                )),
            }
        })?;
    for draft in &summary.drafts {
        print_diagnostics(&[protokoll::diag::Diagnostic::warning(format!(
            "`{}` is not justerad: left out of the site (a draft is never published)",
            display_path(draft)
        ))]);
    }
    let coming = match summary.coming {
        0 => String::new(),
        n => format!(", {n} coming"),
    };
    say!(
        "site {}: {}{coming} ({} read), {} written, {} unchanged, {} removed",
        display_path(output),
        super::count(summary.meetings, "meeting", "meetings"),
        summary.read,
        super::count(summary.written, "file", "files"),
        summary.unchanged,
        summary.removed
    );
    Ok(())
}
