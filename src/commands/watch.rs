//! `assemble watch MEETING [-o FILE] [--open]`: render, then again on every change.

use std::path::{Path, PathBuf};

use crate::commands::cwd::display_path;
use protokoll::watch::{self, Event};

use super::{Failure, default_output, expect_extension, print_diagnostics};
use crate::cli::Common;

pub fn run(
    meeting: PathBuf,
    output: Option<PathBuf>,
    common: &Common,
    open: bool,
) -> Result<(), Failure> {
    if let Some(path) = &output {
        expect_extension(path, "pdf", "the PDF")?;
    }
    let pdf = match output {
        Some(path) => path,
        None => default_output(&meeting, &common.out_dir, "")?,
    };
    // The watcher reports absolute paths; the library is told what ours are relative to.
    let Some(base) = crate::commands::cwd::cwd() else {
        return Err(Failure::input(vec![protokoll::diag::Diagnostic::error(
            "cannot read the working directory, which the watch needs to recognise changed files",
        )]));
    };
    let options = watch::Options {
        base: base.to_path_buf(),
        meeting,
        pdf,
        templates: common.templates.clone(),
        typeset: super::typeset_options(),
        // Converted PDF pages are kept where a batch into the same folder keeps them: a PDF
        // bilaga is converted once, not on every save.
        pdf_pages: protokoll::bilaga::pdf::PageOptions {
            cache: Some(protokoll::bilaga::pdf::cache::dir_in(&common.out_dir)),
            route: None,
        },
    };
    let mut opened = false;
    watch::run(&options, &mut |event| match event {
        Event::Watching(folder) => {
            say!("watching {} (Ctrl-C to stop)", display_path(&folder));
        }
        Event::Rendered { outcome, millis } => {
            print_diagnostics(&outcome.warnings);
            say!(
                "rendered {} ({}) in {millis} ms",
                display_path(&options.pdf),
                super::count(outcome.pages, "page", "pages")
            );
            if open && !opened {
                open_viewer(&options.pdf);
                opened = true;
            }
        }
        Event::NotRendered(problems) => {
            print_diagnostics(&problems);
            say!("not rendered: fix the problems above; watching for changes");
        }
    })
    .map_err(Failure::input)
}

fn open_viewer(pdf: &Path) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(pdf).spawn() {
        tell!("warning: cannot open a PDF viewer ({opener}): {e}");
    }
}
