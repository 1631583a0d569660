//! `assemble MEETING…` and `assemble bundle MEETING…`: render meetings to PDF (and bundles).
//! One meeting with `-o` is built always, to that file; otherwise a batch below --out-dir,
//! skipping what is unchanged, with a progress bar on a terminal.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::commands::cwd::display_path;
use indicatif::{ProgressBar, ProgressStyle};
use protokoll::batch::{self, Finished, Reporter};
use protokoll::pipeline::{self, Target};
use protokoll::render::Renderer;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use super::{Failure, expect_extension, find_meetings, print_diagnostics, renderer};
use crate::cli::BuildArgs;

/// How a meeting's worker process is started: this program, `__worker` with the batch's
/// output folder and templates (`alone`: one meeting to a named file, no page cache).
/// `None` (meetings are then built in this process) if the program cannot be found.
fn worker_command(args: &BuildArgs, alone: bool) -> Option<batch::WorkerCommand> {
    let program = std::env::current_exe().ok()?;
    let mut worker: Vec<std::ffi::OsString> = vec!["__worker".into(), "--out-dir".into()];
    worker.push(args.common.out_dir.clone().into_os_string());
    if alone {
        worker.push("--alone".into());
    }
    if let Some(templates) = &args.common.templates {
        worker.push("--templates".into());
        worker.push(templates.clone().into_os_string());
    }
    Some(batch::WorkerCommand {
        program,
        args: worker,
    })
}

/// `output_is_bundle`: `assemble bundle`, whose `-o` names the bundle; otherwise `-o` names
/// the PDF (and `--bundle` puts the bundle beside it).
pub fn run(args: &BuildArgs, output_is_bundle: bool) -> Result<(), Failure> {
    if let Some(output) = &args.output {
        // Checked before any work: the name says what the file is.
        if output_is_bundle {
            expect_extension(output, "zip", "the bundle")?;
        } else {
            expect_extension(output, "pdf", "the PDF")?;
        }
    }
    let meetings = find_meetings(&args.inputs)?;
    let renderer = renderer(args.common.templates.as_deref())?;
    if let Some(output) = &args.output {
        if meetings.len() != 1 || args.shard.is_some() {
            return Err(Failure::usage(
                format!(
                    "--output names one file, but {} meetings were given",
                    meetings.len()
                ),
                None,
            ));
        }
        return to_file(&meetings[0].path, output, output_is_bundle, args, &renderer);
    }
    let options = batch::Options {
        out_dir: args.common.out_dir.clone(),
        jobs: args.jobs.map(usize::from),
        force: args.force,
        shard: args.shard,
        bundle: args.bundle,
        emit_typst: args.emit_typst,
        workers: worker_command(args, false),
        limits: args.limits.limits(),
    };
    // An interrupt lets every worker finish (and write) the meeting it is on, so only
    // complete files are left and the build record stays true. A second one exits at once.
    let stop = Arc::new(AtomicBool::new(false));
    let signal = Arc::new(AtomicUsize::new(0));
    register_signals(&stop, &signal);
    let progress = Progress::new(args.quiet);
    let summary =
        batch::run(&meetings, &renderer, &options, &progress, &stop).map_err(Failure::input)?;
    if stop.load(Ordering::SeqCst) && !args.quiet {
        tell!("interrupted: the meetings under way were finished, the rest not started");
    }
    if !args.quiet {
        let mut line = format!(
            "{} built, {} unchanged, {} failed",
            summary.built, summary.unchanged, summary.failed
        );
        if summary.interrupted > 0 {
            line.push_str(&format!(
                ", {} not started (interrupted)",
                summary.interrupted
            ));
        }
        if summary.other_shards > 0 {
            line.push_str(&format!(", {} left to other shards", summary.other_shards));
        }
        say!("{line}");
    }
    if summary.interrupted > 0 {
        // Exit as a shell reports the signal that stopped the run: 130 for SIGINT, 143 for
        // SIGTERM (issue 13).
        Err(Failure::Interrupted(
            i32::try_from(signal.load(Ordering::SeqCst)).unwrap_or(SIGINT),
        ))
    } else if summary.failed > 0 {
        // Each failure was reported as it happened.
        Err(Failure::input(Vec::new()))
    } else {
        Ok(())
    }
}

/// Registers the signals that stop a batch: SIGTERM always, SIGINT and SIGHUP unless the
/// process was started with them ignored. A batch started in the background by a shell
/// script inherits SIGINT ignored; its SIGTERM must still stop it cleanly, with the summary
/// and the build record (issue 13), so each signal is registered on its own — the `ctrlc`
/// crate gave up on all of them when SIGINT was not at its default. They stay registered
/// until the process ends (the record is still being written): a second signal exits.
fn register_signals(stop: &Arc<AtomicBool>, which: &Arc<AtomicUsize>) {
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        if signal != SIGTERM && ignored(signal) {
            continue;
        }
        // The second signal exits at once (128 + its number, as a shell reports it); it is
        // registered first, so it sees only the flag an earlier signal set.
        let _ =
            signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, stop.clone());
        let _ = signal_hook::flag::register(signal, stop.clone());
        let _ = signal_hook::flag::register_usize(signal, which.clone(), signal as usize);
    }
}

/// Whether `signal` is ignored (SIG_IGN), as a parent may have left it for us.
fn ignored(signal: i32) -> bool {
    // SAFETY: with a null new action, sigaction only writes the current one into `old`,
    // a plain C struct for which all-zero bytes are valid.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut old) == 0
            && old.sa_sigaction == libc::SIG_IGN
    }
}

/// One meeting to a named file (`-o`): always built, no build record. With
/// `output_is_bundle`, the file is the bundle, and the PDF inside is named after the meeting.
fn to_file(
    meeting: &Path,
    output: &Path,
    output_is_bundle: bool,
    args: &BuildArgs,
    renderer: &Renderer,
) -> Result<(), Failure> {
    let target = if output_is_bundle {
        let name = meeting.with_extension("pdf");
        Target {
            pdf: None,
            typst: args.emit_typst.then(|| output.with_extension("typ")),
            bundle: Some(output.to_path_buf()),
            name: name
                .file_name()
                .map_or("protokoll.pdf".into(), |n| n.to_string_lossy().into_owned()),
            pdf_pages: Default::default(),
            reads: None,
        }
    } else {
        Target {
            typst: args.emit_typst.then(|| output.with_extension("typ")),
            bundle: args.bundle.then(|| output.with_extension("zip")),
            ..Target::pdf(output.to_path_buf())
        }
    };
    // In a worker process under the limits of one meeting, as in a batch (issue 29): a
    // crash or a meeting over them is reported at the meeting file, not as a dead program.
    let outcome = match worker_command(args, true) {
        Some(command) => batch::build_alone(meeting, &target, &command, args.limits.limits()),
        None => pipeline::build(meeting, renderer, &target),
    }
    .map_err(|p| Failure::meeting(meeting, p))?;
    print_diagnostics(&outcome.warnings);
    if !args.quiet {
        let (first, rest) = outcome.written.split_first().expect("the main output");
        say!(
            "wrote {} ({})",
            display_path(first),
            super::count(outcome.pages, "page", "pages")
        );
        for extra in rest {
            say!("wrote {}", display_path(extra));
        }
    }
    Ok(())
}

/// Tells a batch's progress: a bar with count and ETA on a terminal, a plain line per
/// meeting elsewhere; with `quiet`, only problems.
struct Progress {
    bar: Mutex<Option<ProgressBar>>,
    quiet: bool,
    /// Keeps one meeting's lines and diagnostics together.
    print: Mutex<()>,
}

impl Progress {
    fn new(quiet: bool) -> Self {
        Self {
            bar: Mutex::new(None),
            quiet,
            print: Mutex::new(()),
        }
    }

    fn bar(&self) -> Option<ProgressBar> {
        self.bar.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Reporter for Progress {
    fn waiting(&self, out_dir: &Path) {
        if !self.quiet {
            tell!(
                "waiting for another assemble run on {} …",
                display_path(out_dir)
            );
        }
    }

    fn start(&self, total: usize) {
        let bar = (!self.quiet && std::io::stderr().is_terminal() && total > 1).then(|| {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} meetings, {eta} left {msg}")
                    .expect("a valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        *self.bar.lock().unwrap_or_else(|e| e.into_inner()) = bar;
    }

    fn finished(&self, finished: &Finished) {
        let _guard = self.print.lock().unwrap_or_else(|e| e.into_inner());
        let (line, problems, failed) = match finished {
            Finished::Built {
                pdf,
                pages,
                warnings,
            } => (
                format!(
                    "built {} ({})",
                    display_path(pdf),
                    super::count(*pages, "page", "pages")
                ),
                warnings.as_slice(),
                false,
            ),
            Finished::Unchanged { pdf } => {
                (format!("unchanged {}", display_path(pdf)), &[][..], false)
            }
            Finished::Failed { meeting, problems } => (
                format!("failed {}", display_path(meeting)),
                problems.as_slice(),
                true,
            ),
        };
        let bar = self.bar();
        let show = || {
            if !problems.is_empty() && (!self.quiet || problems.iter().any(|p| p.is_error())) {
                print_diagnostics(problems);
            }
            // With a progress bar, the bar tells the progress: only failures get a line.
            if failed || (!self.quiet && bar.is_none()) {
                say!("{line}");
            }
        };
        match &bar {
            Some(bar) => {
                bar.suspend(show);
                bar.inc(1);
            }
            None => show(),
        }
    }

    fn done(&self) {
        if let Some(bar) = self.bar() {
            bar.finish_and_clear();
        }
    }
}
