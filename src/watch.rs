//! `assemble watch`: re-render a meeting whenever its file, a bilaga or a template changes.
//!
//! What is an input is what the last render really read (the sandbox records it: bilagor,
//! the images they show), besides the meeting file and the templates. Changes are debounced
//! (an editor's save is several events); Typst's memo cache is kept between renders so that
//! only what changed is laid out again. Each render is told to the
//! caller as an [`Event`] (the command prints it); problems do not end the watch.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::diag::Diagnostic;
use crate::pipeline::{self, Outcome, Target};
use crate::render::{Renderer, Templates};

/// How long the files must be quiet before a render starts.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Generations of Typst's memo cache kept between renders (see `typeset`).
const KEEP_GENERATIONS: usize = 5;

pub struct Options {
    /// The folder relative paths below are relative to: the command's working directory.
    /// The file watcher reports absolute paths; the library does not read the working
    /// directory itself (it never reads the environment), so the command gives it.
    pub base: PathBuf,
    pub meeting: PathBuf,
    pub pdf: PathBuf,
    pub templates: Option<PathBuf>,
    /// How to typeset (the command's); the watch keeps [`KEEP_GENERATIONS`] of Typst's memo
    /// cache whatever it says.
    pub typeset: crate::typeset::Options,
    /// How the pages of PDF bilagor are made (the command's page cache).
    pub pdf_pages: crate::bilaga::pdf::PageOptions,
}

/// What the watch does, told as it happens.
#[derive(Debug)]
pub enum Event {
    /// Watching this folder (and the templates folder) from now on.
    Watching(PathBuf),
    /// A render wrote the PDF, in this many milliseconds.
    Rendered { outcome: Outcome, millis: u128 },
    /// A render failed: nothing was written; the watch goes on.
    NotRendered(Vec<Diagnostic>),
}

/// Renders once, then again after every change, until the process is stopped. Errors: the
/// files cannot be watched.
pub fn run(options: &Options, report: &mut dyn FnMut(Event)) -> Result<(), Vec<Diagnostic>> {
    let fail = |e: String| vec![Diagnostic::error(e)];
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Only changes: reading the files (as every render does) raises access events too.
        if let Ok(event) = event
            && (event.kind.is_create() || event.kind.is_modify() || event.kind.is_remove())
        {
            let _ = sender.send(event.paths);
        }
    })
    .map_err(|e| fail(format!("cannot watch files: {e}")))?;
    let folder = options
        .meeting
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    watcher
        .watch(folder, RecursiveMode::Recursive)
        .map_err(|e| fail(format!("cannot watch `{}`: {e}", folder.display())))?;
    if let Some(dir) = &options.templates {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| fail(format!("cannot watch `{}`: {e}", dir.display())))?;
    }
    report(Event::Watching(folder.to_path_buf()));
    loop {
        // Every file the render read (an image a Markdown bilaga shows, too), as the
        // sandbox saw it: a change to any of them renders again.
        let reads = crate::sandbox::Recorder::default();
        let event = render(options, &reads);
        let read = reads.files();
        report(event);
        // Wait for a change to an input, then for the files to be quiet.
        loop {
            let paths = events
                .recv()
                .map_err(|_| fail("the file watcher stopped".into()))?;
            if paths.iter().any(|p| is_input(p, options, &read)) {
                break;
            }
        }
        while events.recv_timeout(DEBOUNCE).is_ok() {}
    }
}

/// Whether a changed path is an input: the meeting file, a file the last render read
/// (`read`: canonical paths), a bilaga the meeting names (as it reads now: one that was
/// missing last time included), the organ's `husstil.toml` beside it (also when it is
/// new), or a file in the template folder. Everything else in the folder — the PDF
/// itself, other meetings, an editor's swap files — is not.
fn is_input(path: &Path, options: &Options, read: &[PathBuf]) -> bool {
    if path
        .canonicalize()
        .is_ok_and(|real| read.binary_search(&real).is_ok())
    {
        return true;
    }
    let normal = |p: &Path| normal(&options.base.join(p));
    let path = normal(path);
    if path == normal(&options.meeting) || read.binary_search(&path).is_ok() {
        return true;
    }
    if options
        .templates
        .as_ref()
        .is_some_and(|dir| path.starts_with(normal(dir)))
    {
        return true;
    }
    let folder = options.meeting.parent().unwrap_or(Path::new("."));
    // The organ's house style styles this meeting too.
    if path == normal(&folder.join(crate::meeting::HOUSE_STYLE_FILE)) {
        return true;
    }
    crate::sandbox::read_file(&options.meeting)
        .ok()
        .and_then(|text| crate::incremental::bilaga_files(&text).ok())
        .is_some_and(|files| files.iter().any(|f| normal(&folder.join(f)) == path))
}

/// An absolute path (joined onto [`Options::base`] by the caller) without `.` and `..`
/// components, for comparing the watcher's paths with ours.
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Renders the meeting once, noting every file it reads in `reads`.
fn render(options: &Options, reads: &crate::sandbox::Recorder) -> Event {
    let start = Instant::now();
    // Templates are read again each time: a changed override is a change like any other.
    let renderer = match Templates::load(options.templates.as_deref()).and_then(Renderer::new) {
        Ok(r) => r.with_typeset(crate::typeset::Options {
            memo_generations: KEEP_GENERATIONS,
            ..options.typeset
        }),
        Err(problems) => return Event::NotRendered(problems),
    };
    match pipeline::build(
        &options.meeting,
        &renderer,
        &Target {
            pdf_pages: options.pdf_pages.clone(),
            reads: Some(reads.clone()),
            ..Target::pdf(options.pdf.clone())
        },
    ) {
        Ok(outcome) => Event::Rendered {
            outcome,
            millis: start.elapsed().as_millis(),
        },
        Err(problems) => Event::NotRendered(problems),
    }
}
