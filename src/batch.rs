//! Many meetings at once: in parallel, skipping what is unchanged, one failure never
//! stopping the others, with a progress bar on a terminal and one line per meeting elsewhere.
//!
//! Fonts, the Typst standard library and the templates are built once and shared by every
//! meeting; Typst's memo cache is kept bounded after each compile (see `typeset`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::assemble::{self, Target};
use crate::diag::{self, Diagnostic, display_path};
use crate::incremental::{Built, OutputFile, Record, RunKey};
use crate::inputs::MeetingFile;
use crate::output;
use crate::render::Renderer;
use crate::shard::Shard;

/// How a batch runs.
pub struct Options {
    pub out_dir: PathBuf,
    pub jobs: Option<usize>,
    pub quiet: bool,
    pub force: bool,
    pub shard: Option<Shard>,
    pub bundle: bool,
    pub emit_typst: bool,
}

/// What happened to the meetings of a run.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub built: usize,
    pub unchanged: usize,
    pub failed: usize,
    /// Left to other shards.
    pub other_shards: usize,
    /// Not started because the run was interrupted (Ctrl-C, SIGTERM).
    pub interrupted: usize,
}

enum Result {
    Built {
        record: Built,
        line: String,
        warnings: Vec<Diagnostic>,
    },
    Unchanged {
        line: String,
    },
    Failed {
        problems: Vec<Diagnostic>,
        line: String,
    },
}

/// Builds every meeting into `options.out_dir`, mirroring the tree below `data/`.
pub fn run(
    meetings: &[MeetingFile],
    renderer: &Renderer,
    options: &Options,
) -> std::result::Result<Summary, String> {
    let mut summary = Summary::default();
    let mine: Vec<&MeetingFile> = meetings
        .iter()
        .filter(|m| options.shard.is_none_or(|s| s.owns(&m.relative)))
        .collect();
    summary.other_shards = meetings.len() - mine.len();

    let targets: Vec<(&PathBuf, Target)> = mine
        .iter()
        .map(|m| (&m.path, target_for(m, options)))
        .collect();
    check_distinct_outputs(&targets)?;

    std::fs::create_dir_all(&options.out_dir)
        .map_err(|e| format!("cannot create `{}`: {e}", display_path(&options.out_dir)))?;
    // Two runs on one out/ take turns: the record and the outputs stay consistent.
    let _lock = output::lock_dir(&options.out_dir, || {
        if !options.quiet {
            eprintln!(
                "waiting for another assemble run on {} …",
                display_path(&options.out_dir)
            );
        }
    })
    .map_err(|e| format!("cannot lock `{}`: {e}", display_path(&options.out_dir)))?;
    // We hold the lock: temporary files left by an interrupted run are garbage.
    output::remove_stale_temporaries(&options.out_dir);

    let record = Record::load(&options.out_dir);
    let run_key = RunKey::new(
        renderer.templates(),
        &format!("bundle={} typst={}", options.bundle, options.emit_typst),
    );
    let progress = Progress::new(targets.len(), options.quiet);

    let jobs = options
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, targets.len().max(1));
    // An interrupt lets every worker finish (and write) the meeting it is on, so only
    // complete files are left and the record below stays true. A second one exits at once.
    let stop = Arc::new(AtomicBool::new(false));
    register_signals(&stop);
    let results = parallel_map(&targets, jobs, &stop, |(meeting, target)| {
        let name = record_name(&target.pdf, &options.out_dir);
        let key = run_key.meeting(meeting);
        let result = if !options.force && record.is_fresh(&name, &key) {
            Result::Unchanged {
                line: format!("unchanged {}", display_path(&target.pdf)),
            }
        } else {
            build_one(meeting, renderer, target, key)
        };
        progress.finished(&result);
        (name, result)
    })
    .map_err(|e| format!("cannot start worker threads: {e}"))?;
    progress.done();
    if stop.load(Ordering::SeqCst) && !options.quiet {
        eprintln!("interrupted: the meetings under way were finished, the rest not started");
    }

    let mut record = record;
    for (name, result) in results.into_iter().flatten() {
        match result {
            Result::Built { record: built, .. } => {
                summary.built += 1;
                record.meetings.insert(name, built);
            }
            Result::Unchanged { .. } => summary.unchanged += 1,
            Result::Failed { .. } => summary.failed += 1,
        }
    }
    summary.interrupted = targets.len() - summary.built - summary.unchanged - summary.failed;
    record.save(&options.out_dir).map_err(|e| {
        format!(
            "cannot write the build record in `{}`: {e}",
            display_path(&options.out_dir)
        )
    })?;
    Ok(summary)
}

/// Registers the stop signals of a run: SIGTERM always, SIGINT and SIGHUP unless the process
/// was started with them ignored. They stay registered after the run (its record is still
/// being written; the process ends soon after): a first signal then does nothing, a second
/// exits. A batch started in the background by
/// a shell script inherits SIGINT ignored; its SIGTERM must still stop it cleanly, with the
/// summary and the build record (issue 13), so each signal is registered on its own — the
/// `ctrlc` crate gave up on all of them when SIGINT was not at its default.
fn register_signals(stop: &Arc<AtomicBool>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        if signal != SIGTERM && ignored(signal) {
            continue;
        }
        // The second signal exits at once (128 + its number, as a shell reports it); it is
        // registered first, so it sees only the flag an earlier signal set.
        let _ =
            signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, stop.clone());
        let _ = signal_hook::flag::register(signal, stop.clone());
    }
}

/// Whether `signal` is ignored (SIG_IGN), as a parent may have left it for us.
#[cfg(unix)]
fn ignored(signal: i32) -> bool {
    // SAFETY: with a null new action, sigaction only writes the current one into `old`,
    // a plain C struct for which all-zero bytes are valid.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut old) == 0
            && old.sa_sigaction == libc::SIG_IGN
    }
}

/// Maps `f` over `items` on `jobs` workers, each taking the next item when done; results in
/// the order of `items`, `None` for those not started because `stop` was set.
///
/// Not one shared rayon pool over the meetings, on purpose: Typst itself uses rayon inside a
/// compilation, and a pool worker that waits there picks up other queued meetings, nesting
/// compilations on one stack — memory then grows with the archive, and deep nesting
/// overflows the stack.
fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    stop: &AtomicBool,
    f: impl Fn(&T) -> R + Sync,
) -> std::io::Result<Vec<Option<R>>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    // Each worker is a one-thread rayon pool of its own: Typst's internal parallel work then
    // runs on that worker's thread, so the workers do not compete for one shared pool, and a
    // worker never picks up another meeting while one is half done.
    let pools = (0..jobs)
        .map(|i| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .thread_name(move |_| format!("assemble-{i}"))
                // Typst's layout recurses deeply; the 2 MiB default of spawned threads is not
                // enough for long protocols (the main thread has 8 MiB). Address space, not
                // memory used.
                .stack_size(16 * 1024 * 1024)
                .build()
                .map_err(std::io::Error::other)
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    std::thread::scope(|scope| {
        for pool in &pools {
            scope.spawn(|| {
                pool.install(|| {
                    while !stop.load(Ordering::SeqCst) {
                        let at = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(at) else { break };
                        let result = f(item);
                        *slots[at].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                    }
                })
            });
        }
    });
    Ok(slots
        .into_iter()
        .map(|slot| slot.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect())
}

fn build_one(meeting: &Path, renderer: &Renderer, target: &Target, key: String) -> Result {
    match assemble::assemble(meeting, renderer, target) {
        Ok(outcome) => {
            let outputs: Vec<OutputFile> = outcome
                .written()
                .iter()
                .filter_map(|p| OutputFile::of(p))
                .collect();
            let line = format!(
                "built {} ({} pages)",
                display_path(&outcome.pdf),
                outcome.pages
            );
            Result::Built {
                record: Built { key, outputs },
                line,
                warnings: outcome.warnings,
            }
        }
        Err(problems) => Result::Failed {
            problems,
            line: format!("failed {}", display_path(meeting)),
        },
    }
}

fn target_for(meeting: &MeetingFile, options: &Options) -> Target {
    let pdf = meeting.output(&options.out_dir, "pdf");
    Target {
        typst: options.emit_typst.then(|| pdf.with_extension("typ")),
        bundle: options.bundle.then(|| pdf.with_extension("zip")),
        pdf,
    }
}

/// The record's name for a meeting: its PDF's path below the output folder.
fn record_name(pdf: &Path, out_dir: &Path) -> String {
    pdf.strip_prefix(out_dir)
        .unwrap_or(pdf)
        .to_string_lossy()
        .replace('\\', "/")
}

fn check_distinct_outputs(targets: &[(&PathBuf, Target)]) -> std::result::Result<(), String> {
    let mut seen: std::collections::HashMap<&Path, &Path> = std::collections::HashMap::new();
    for (meeting, target) in targets {
        if let Some(other) = seen.insert(&target.pdf, meeting) {
            return Err(format!(
                "`{}` and `{}` would both be written to `{}`: put them in different folders below data/",
                display_path(other),
                display_path(meeting),
                display_path(&target.pdf)
            ));
        }
    }
    Ok(())
}

/// A progress bar with count and ETA on a terminal; a plain line per meeting otherwise.
struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    /// Keeps one meeting's lines and diagnostics together.
    print: Mutex<()>,
}

impl Progress {
    fn new(total: usize, quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal() && total > 1).then(|| {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} meetings, {eta} left {msg}")
                    .expect("a valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Self {
            bar,
            quiet,
            print: Mutex::new(()),
        }
    }

    fn finished(&self, result: &Result) {
        let _guard = self.print.lock().unwrap_or_else(|e| e.into_inner());
        let (line, problems) = match result {
            Result::Built { line, warnings, .. } => (line, warnings.as_slice()),
            Result::Unchanged { line } => (line, &[][..]),
            Result::Failed { line, problems } => (line, problems.as_slice()),
        };
        let show = || {
            if !problems.is_empty() && (!self.quiet || problems.iter().any(Diagnostic::is_error)) {
                diag::print(problems);
            }
            // With a progress bar, the bar tells the progress: only failures get a line.
            let failed = matches!(result, Result::Failed { .. });
            if failed || (!self.quiet && self.bar.is_none()) {
                println!("{line}");
            }
        };
        match &self.bar {
            Some(bar) => {
                bar.suspend(show);
                bar.inc(1);
            }
            None => show(),
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
