//! `assemble archive DATA… -o LEVERANS/ [--per meeting|year]`: the archive packages
//! ([`protokoll::archive`]), each written whole or not at all.

use std::path::{Path, PathBuf};

use protokoll::archive::{self, Per};
use protokoll::diag::{Diagnostic, display_path};

use super::{Failure, find_meetings, print_diagnostics, renderer};
use crate::cli::ArchivePer;

pub fn run(
    inputs: &[PathBuf],
    output: &Path,
    per: ArchivePer,
    force: bool,
    protocols: Option<&Path>,
) -> Result<(), Failure> {
    let meetings = find_meetings(inputs)?;
    // The archive is made with the built-in templates: what it holds is the protocol as the
    // tool of this version makes it.
    let renderer = renderer(None)?;
    let per = match per {
        ArchivePer::Meeting => Per::Meeting,
        ArchivePer::Year => Per::Year,
    };
    // The library reads no clock: today is the command's (UTC), as for `publish`.
    let today = time::OffsetDateTime::now_utc().date();
    let summary = archive::deliver(&meetings, output, per, force, protocols, &renderer, today);
    print_diagnostics(&summary.warnings);
    for draft in &summary.drafts {
        print_diagnostics(&[Diagnostic::warning(format!(
            "`{}` is not justerad: not archived (a draft is no record yet)",
            display_path(draft)
        ))]);
    }
    for written in &summary.written {
        say!("wrote {}", display_path(written));
    }
    for unchanged in &summary.unchanged {
        say!("unchanged {}", display_path(unchanged));
    }
    for (what, problems) in &summary.failed {
        print_diagnostics(problems);
        say!("failed {} (nothing written)", display_path(what));
    }
    say!(
        "{} packages written, {} unchanged, {} failed",
        summary.written.len(),
        summary.unchanged.len(),
        summary.failed.len()
    );
    if summary.failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::input(Vec::new()))
    }
}
