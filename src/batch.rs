//! Many meetings at once: in parallel, skipping what is unchanged, one failure never
//! stopping the others. What happens is told to a [`Reporter`] (the command line shows a
//! progress bar on a terminal and one line per meeting elsewhere); this module prints nothing.
//!
//! Fonts, the Typst standard library and the templates are built once and shared by every
//! meeting; Typst's memo cache is kept bounded after each compile (see `typeset`). What to
//! skip is decided by [`crate::incremental`], from the files each build really read.

mod limits;
mod worker;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

pub use limits::{Limits, parse_size};
pub use worker::{Checked, WorkerCommand, serve};

use crate::diag::{Diagnostic, display_path};
use crate::incremental::{self, Built, Freshness, OutputFile, Record, RunKey};
use crate::inputs::MeetingFile;
use crate::output;
use crate::pipeline::{self, Target};
use crate::render::Renderer;
use crate::shard::Shard;

/// How a batch runs.
pub struct Options {
    pub out_dir: PathBuf,
    pub jobs: Option<usize>,
    pub force: bool,
    pub shard: Option<Shard>,
    pub bundle: bool,
    pub emit_typst: bool,
    /// Build each meeting in a worker process started so ([`worker`]), under `limits`, so
    /// that a meeting that crashes or exceeds them fails alone; `None`: in threads of this
    /// process, unprotected (benches, programs that embed the library).
    pub workers: Option<WorkerCommand>,
    /// What one meeting's worker process may use.
    pub limits: Limits,
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

/// What became of one meeting, as it is told to the [`Reporter`].
#[derive(Debug, Serialize, Deserialize)]
pub enum Finished {
    Built {
        pdf: PathBuf,
        pages: usize,
        warnings: Vec<Diagnostic>,
    },
    Unchanged {
        pdf: PathBuf,
    },
    Failed {
        meeting: PathBuf,
        problems: Vec<Diagnostic>,
    },
}

/// Who is told what a run does, as it happens (from the worker threads, one call at a time
/// per meeting).
pub trait Reporter: Sync {
    /// Another run holds the output folder; this one waits for it.
    fn waiting(&self, out_dir: &Path);
    /// The run starts with `total` meetings to consider.
    fn start(&self, total: usize);
    /// One meeting is done.
    fn finished(&self, finished: &Finished);
    /// Every meeting is done (or the run was stopped).
    fn done(&self);
}

#[derive(Serialize, Deserialize)]
enum Result {
    Built(Built, Finished),
    /// With the entry again, new file times in it, when only those changed.
    Unchanged(Option<Built>, Finished),
    Failed(Finished),
}

impl Result {
    fn finished(&self) -> &Finished {
        match self {
            Result::Built(_, f) | Result::Unchanged(_, f) | Result::Failed(f) => f,
        }
    }
}

/// Builds every meeting into `options.out_dir`, mirroring the tree below `data/`. When `stop`
/// is set (Ctrl-C, SIGTERM), every worker finishes and writes the meeting it is on, and no
/// other is started; the record is written for what was done.
/// Errors: two meetings with one output, an output folder that cannot be made or locked, a
/// record that cannot be written.
pub fn run(
    meetings: &[MeetingFile],
    renderer: &Renderer,
    options: &Options,
    reporter: &dyn Reporter,
    stop: &AtomicBool,
) -> std::result::Result<Summary, Vec<Diagnostic>> {
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
    check_distinct_outputs(&targets).map_err(|e| vec![Diagnostic::error(e)])?;

    let fail = |what: &str, e: std::io::Error| {
        vec![Diagnostic::error(format!(
            "cannot {what} `{}`: {e}",
            display_path(&options.out_dir)
        ))]
    };
    std::fs::create_dir_all(&options.out_dir).map_err(|e| fail("create", e))?;
    // Two runs on one out/ take turns: the record and the outputs stay consistent.
    let _lock = output::lock_dir(&options.out_dir, || reporter.waiting(&options.out_dir))
        .map_err(|e| fail("lock", e))?;
    // We hold the lock: temporary files left by an interrupted run are garbage. Only a run
    // that did not end normally leaves any, and only such a run leaves no marker: the walk
    // over the whole output folder (10,000 folders in a large archive) is skipped otherwise.
    let ended_normally = options.out_dir.join(ENDED_NORMALLY);
    if std::fs::remove_file(&ended_normally).is_err() {
        output::remove_stale_temporaries(&options.out_dir);
    }

    let record = Record::load(&options.out_dir);
    let run_key = RunKey::new(
        renderer.templates(),
        renderer.typeset_options().timestamp,
        &format!("bundle={} typst={}", options.bundle, options.emit_typst),
    );
    let run_key = run_key.as_str();
    reporter.start(targets.len());

    let jobs = options
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, targets.len().max(1));
    // Stopping lets every worker finish (and write) the meeting it is on, so only complete
    // files are left and the record below stays true.
    // Every meeting is built in a worker process when the caller says how to start one,
    // `--jobs 1` too: a crash or a meeting over the limits then fails alone (issue 29).
    let processes = options.workers.as_ref();
    let results = parallel_map(
        &targets,
        jobs,
        stop,
        || processes.map(|c| worker::Worker::new(c, options.limits)),
        |process, (meeting, target)| {
            let pdf = target.pdf.clone().unwrap_or_default();
            let name = record_name(&pdf, &options.out_dir);
            let freshness = if options.force {
                Freshness::Stale
            } else {
                record.freshness(&name, run_key)
            };
            let result = match freshness {
                Freshness::Fresh => Result::Unchanged(None, Finished::Unchanged { pdf }),
                Freshness::Retimed(entry) => {
                    Result::Unchanged(Some(entry), Finished::Unchanged { pdf })
                }
                Freshness::Stale => match process {
                    Some(process) => process.build(meeting, target, run_key),
                    None => build_one(meeting, renderer, target, run_key),
                },
            };
            reporter.finished(result.finished());
            (name, result)
        },
    )
    .map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot start worker threads: {e}"
        ))]
    })?;
    reporter.done();

    let mut record = record;
    let mut changed = false;
    for (name, result) in results.into_iter().flatten() {
        match result {
            Result::Built(built, _) => {
                summary.built += 1;
                record.meetings.insert(name, built);
                changed = true;
            }
            Result::Unchanged(retimed, _) => {
                summary.unchanged += 1;
                if let Some(built) = retimed {
                    record.meetings.insert(name, built);
                    changed = true;
                }
            }
            Result::Failed(_) => summary.failed += 1,
        }
    }
    summary.interrupted = targets.len() - summary.built - summary.unchanged - summary.failed;
    // A run that changed nothing leaves the record as it is (at 10,000 meetings, writing it
    // would be most of a no-op run's time).
    if changed {
        record
            .save(&options.out_dir)
            .map_err(|e| fail("write the build record in", e))?;
    }
    let _ = std::fs::write(&ended_normally, b"");
    Ok(summary)
}

/// Present in an output folder while no run is under way and the last one ended normally.
const ENDED_NORMALLY: &str = ".protokoll-ended-normally";

/// Maps `f` over `items` on `jobs` workers, each taking the next item when done; results in
/// the order of `items`, `None` for those not started because `stop` was set. Each worker
/// has a state of its own, made by `state` (a worker process, or nothing).
///
/// Not one shared rayon pool over the meetings, on purpose: Typst itself uses rayon inside a
/// compilation, and a pool worker that waits there picks up other queued meetings, nesting
/// compilations on one stack — memory then grows with the archive, and deep nesting
/// overflows the stack.
fn parallel_map<T: Sync, R: Send, S>(
    items: &[T],
    jobs: usize,
    stop: &AtomicBool,
    state: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> std::io::Result<Vec<Option<R>>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let pools = (0..jobs)
        .map(|i| worker_pool(i, limits::Limits::STACK))
        .collect::<std::io::Result<Vec<_>>>()?;
    std::thread::scope(|scope| {
        for pool in &pools {
            scope.spawn(|| {
                pool.install(|| {
                    let mut state = state();
                    while !stop.load(Ordering::SeqCst) {
                        let at = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(at) else { break };
                        let result = f(&mut state, item);
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

/// Worker `i`'s thread: a one-thread rayon pool of its own, so that Typst's internal parallel
/// work runs on that thread — the workers do not compete for one shared pool, and a worker
/// never picks up another meeting while one is half done.
fn worker_pool(i: usize, stack: u64) -> std::io::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(move |_| format!("assemble-{i}"))
        // Typst's layout recurses deeply; the 2 MiB default of spawned threads is not enough
        // for long protocols (the main thread has 8 MiB). Address space, not memory used.
        .stack_size(usize::try_from(stack).unwrap_or(usize::MAX))
        .build()
        .map_err(std::io::Error::other)
}

/// Builds one meeting to `target` in a worker process started by `command`, under `limits`:
/// as `pipeline::build` does, except that a crash or a meeting over the limits is an error
/// of its own (at the meeting file) instead of the end of the program.
///
/// # Errors
/// The meeting's problems, or that it exceeded the limits.
pub fn build_alone(
    meeting: &Path,
    target: &Target,
    command: &WorkerCommand,
    limits: Limits,
) -> std::result::Result<pipeline::Outcome, Vec<Diagnostic>> {
    let mut worker = worker::Worker::new(command, limits);
    match worker.build(meeting, target, "alone") {
        Result::Built(
            built,
            Finished::Built {
                pages, warnings, ..
            },
        ) => Ok(pipeline::Outcome {
            written: built.outputs.into_iter().map(|o| o.path).collect(),
            pages,
            warnings,
        }),
        Result::Failed(Finished::Failed { problems, .. }) => Err(problems),
        _ => Err(vec![Diagnostic::error(
            "the worker process answered with something else than this meeting",
        )]),
    }
}

/// Checks every meeting ([`crate::incremental::check_recorded`]) on `jobs` workers (all
/// cores when `None`), in the order given: in worker processes started by `command` under
/// `limits`, as a batch builds (a meeting whose check crashes or exceeds them fails alone,
/// at its file, and the others are checked); `None`: in threads of this process.
///
/// # Errors
/// The worker threads cannot be started.
pub fn check(
    meetings: &[&Path],
    ready: bool,
    jobs: Option<usize>,
    command: Option<&WorkerCommand>,
    limits: Limits,
) -> std::io::Result<Vec<Checked>> {
    let jobs = jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, meetings.len().max(1));
    let never = AtomicBool::new(false);
    let checked = parallel_map(
        meetings,
        jobs,
        &never,
        || command.map(|c| worker::Worker::new(c, limits)),
        |process, meeting| match process {
            Some(process) => process.check(meeting, ready),
            None => {
                let (ok, problems, inputs) = incremental::check_recorded(meeting, ready);
                Checked {
                    ok,
                    problems,
                    inputs,
                }
            }
        },
    )?;
    // Nothing stops the run: every meeting has its result.
    Ok(checked.into_iter().flatten().collect())
}

fn build_one(meeting: &Path, renderer: &Renderer, target: &Target, run_key: &str) -> Result {
    let started = std::time::SystemTime::now();
    // Every file the build reads passes a sandbox made with its recorder: that is the key.
    let reads = crate::sandbox::Recorder::default();
    let recorded = Target {
        reads: Some(reads.clone()),
        ..target.clone()
    };
    let built = pipeline::build(meeting, renderer, &recorded);
    let read = reads.files();
    match built {
        Ok(outcome) => {
            // A file that vanished since it was read gives no entry: built again next time.
            let inputs = incremental::inputs(meeting, &read, started).unwrap_or_default();
            let outputs: Vec<OutputFile> = outcome
                .written
                .iter()
                .filter_map(|p| OutputFile::of(p))
                .collect();
            Result::Built(
                Built {
                    run: run_key.to_string(),
                    inputs,
                    outputs,
                },
                Finished::Built {
                    pdf: outcome.written[0].clone(),
                    pages: outcome.pages,
                    warnings: outcome.warnings,
                },
            )
        }
        Err(problems) => Result::Failed(Finished::Failed {
            meeting: meeting.to_path_buf(),
            problems,
        }),
    }
}

fn target_for(meeting: &MeetingFile, options: &Options) -> Target {
    let pdf = meeting.output(&options.out_dir, "pdf");
    Target {
        typst: options.emit_typst.then(|| pdf.with_extension("typ")),
        bundle: options.bundle.then(|| pdf.with_extension("zip")),
        // Converted PDF pages are kept beside the outputs they went into.
        pdf_pages: crate::bilaga::pdf::PageOptions {
            cache: Some(crate::bilaga::pdf::cache::dir_in(&options.out_dir)),
            route: None,
        },
        ..Target::pdf(pdf)
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
        let Some(pdf) = &target.pdf else { continue };
        if let Some(other) = seen.insert(pdf, meeting) {
            return Err(format!(
                "`{}` and `{}` would both be written to `{}`: put them in different folders below data/",
                display_path(other),
                display_path(meeting),
                display_path(pdf)
            ));
        }
    }
    Ok(())
}
