//! Worker processes for a batch (issue 14). Two compilations in one process slow each other:
//! Typst's memo cache and its interners are process-wide, and two workers sharing them used
//! 20 % more CPU time for the same 200 meetings than two processes with one worker each
//! (`BENCH_ONLY=baseline cargo bench --bench batch`). So a batch of several workers builds in
//! child processes of this program, one meeting at a time, over pipes: a job in, its result
//! out, one JSON line each. The parent keeps everything else — what is unchanged, the build
//! record, the reporting — so a worker is only [`super::build_one`] in another process.

use std::ffi::OsString;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde::{Deserialize, Serialize};

use super::limits::{self, Limits};
use super::{Finished, Result};
use crate::diag::{Diagnostic, SourceFile};
use crate::pipeline::Target;
use crate::render::Renderer;

/// How to start a worker: a program that, given these arguments, calls [`serve`] with the
/// batch's templates and output folder (the command line knows how it is itself called:
/// `assemble __worker --out-dir … [--templates …]`).
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<OsString>,
}

/// One meeting to build, or to check.
#[derive(Serialize, Deserialize)]
struct Job {
    meeting: PathBuf,
    task: Task,
    /// The defaults when a job does not say.
    #[serde(default)]
    limits: Limits,
}

/// What a worker does with a meeting: the batch's build, or `check`'s check (issue 29: a
/// meeting is checked under the same limits as it is built, so that a crash or a cost
/// nothing counts fails that meeting, not the check of a whole archive).
#[derive(Serialize, Deserialize)]
enum Task {
    Build { target: Target, run_key: String },
    Check { ready: bool },
}

/// A meeting checked ([`crate::incremental::check_recorded`]): whether it passed, its
/// problems, and the files the check read (`None` if one is gone, or the worker died).
#[derive(Debug, Serialize, Deserialize)]
pub struct Checked {
    pub ok: bool,
    pub problems: Vec<Diagnostic>,
    pub inputs: Option<Vec<crate::incremental::InputFile>>,
}

/// A worker's side: builds (or checks) each job read from `input` and writes its result to
/// `output`, until `input` ends. `out_dir` is the batch's output folder (its page cache is
/// used; `None` for one meeting built alone to a named file, which keeps no cache).
/// `renderer`: `None` for a worker that only checks (`check` starts it without fonts or
/// templates), which refuses a build.
///
/// # Errors
/// Reading a job or writing a result failed, or a job was not one (the parent went away or
/// is not a batch).
pub fn serve(
    renderer: Option<&Renderer>,
    out_dir: Option<&Path>,
    input: impl BufRead,
    mut output: impl Write,
) -> io::Result<()> {
    // Made at the first job, whose limits say how large the building thread's stack is.
    let mut pool = None;
    for line in input.lines() {
        let mut job: Job = serde_json::from_str(&line?).map_err(io::Error::other)?;
        let pool = match &mut pool {
            Some(pool) => pool,
            None => pool.insert(super::worker_pool(0, job.limits.stack)?),
        };
        limits::allow_cpu(job.limits.cpu_seconds)?;
        let meeting = &job.meeting;
        match &mut job.task {
            Task::Build { target, run_key } => {
                let renderer = renderer.ok_or_else(|| {
                    io::Error::other("a worker started to check was asked to build")
                })?;
                // The worker's own output folder decides the page cache (none for a meeting
                // built alone), whatever the job says.
                target.pdf_pages.cache = out_dir.map(crate::bilaga::pdf::cache::dir_in);
                let result = pool.install(|| super::build_one(meeting, renderer, target, run_key));
                serde_json::to_writer(&mut output, &result).map_err(io::Error::other)?;
            }
            Task::Check { ready } => {
                let ready = *ready;
                let (ok, problems, inputs) =
                    pool.install(|| crate::incremental::check_recorded(meeting, ready));
                let checked = Checked {
                    ok,
                    problems,
                    inputs,
                };
                serde_json::to_writer(&mut output, &checked).map_err(io::Error::other)?;
            }
        }
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

/// The parent's side of one worker process: started at the first job, and again after one
/// ended unexpectedly (the meeting it was building is reported as failed, not lost).
pub(super) struct Worker {
    command: WorkerCommand,
    limits: Limits,
    process: Option<Process>,
}

struct Process {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    /// The last of what the worker wrote to standard error, read by a thread of its own
    /// (a worker blocked on a full pipe would never answer).
    stderr: Option<std::thread::JoinHandle<String>>,
}

/// How much of a worker's standard error is kept: its last words, not a flood.
const STDERR_KEPT: usize = 16 * 1024;

impl Worker {
    pub(super) fn new(command: &WorkerCommand, limits: Limits) -> Self {
        Self {
            command: command.clone(),
            limits,
            process: None,
        }
    }

    /// Builds `meeting` into `target` in the worker process.
    pub(super) fn build(&mut self, meeting: &Path, target: &Target, run_key: &str) -> Result {
        let job = Job {
            meeting: meeting.to_path_buf(),
            task: Task::Build {
                target: target.clone(),
                run_key: run_key.to_string(),
            },
            limits: self.limits,
        };
        match self.exchange(&job) {
            Ok(result) => result,
            Err(e) => Result::Failed(Finished::Failed {
                meeting: meeting.to_path_buf(),
                problems: vec![self.failed(meeting, "building", e)],
            }),
        }
    }

    /// Checks `meeting` in the worker process.
    pub(super) fn check(&mut self, meeting: &Path, ready: bool) -> Checked {
        let job = Job {
            meeting: meeting.to_path_buf(),
            task: Task::Check { ready },
            limits: self.limits,
        };
        match self.exchange(&job) {
            Ok(checked) => checked,
            Err(e) => Checked {
                ok: false,
                problems: vec![self.failed(meeting, "checking", e)],
                inputs: None,
            },
        }
    }

    /// The meeting's problem when its worker failed while `doing` it: it could not be
    /// started (this program's file gone or replaced — an upgrade during a run — which says
    /// nothing about the meeting), or it ended without answering ([`exceeded`]).
    fn failed(&mut self, meeting: &Path, doing: &str, failure: Failure) -> Diagnostic {
        match failure {
            Failure::NotStarted(e) => {
                let diagnostic = Diagnostic::error(format!(
                    "{doing} this meeting needs a worker process, which could not be started: \
                     {}: {e}",
                    self.command.program.display()
                ))
                .with_hint(
                    "the program was moved, removed or replaced while it ran (an upgrade?): run \
                     the command again; nothing in the meeting was found at fault",
                );
                at_meeting(diagnostic, meeting)
            }
            Failure::Ended(e) => exceeded(meeting, doing, &self.why_it_ended(e)),
        }
    }

    /// Why the worker did not answer (`e`): how its process ended, which is let go (the
    /// next job starts another).
    fn why_it_ended(&mut self, e: io::Error) -> String {
        let mut why = format!("its worker process ended: {e}");
        if let Some(mut gone) = self.process.take() {
            let _ = gone.child.kill();
            let status = gone.child.wait();
            drop(gone.input);
            let said = gone
                .stderr
                .take()
                .and_then(|t| t.join().ok())
                .unwrap_or_default();
            if let Ok(status) = status {
                why = limits::why_it_died(status, &said, self.limits);
            }
        }
        why
    }

    fn exchange<R: serde::de::DeserializeOwned>(
        &mut self,
        job: &Job,
    ) -> std::result::Result<R, Failure> {
        if self.process.is_none() {
            self.start().map_err(Failure::NotStarted)?;
        }
        self.ask(job).map_err(Failure::Ended)
    }

    /// Starts the worker process, under the limits.
    fn start(&mut self) -> io::Result<()> {
        let mut command = Command::new(&self.command.program);
        command
            .args(&self.command.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::process::CommandExt;
            let limits = self.limits;
            // SAFETY: getpid is async-signal-safe; so is everything `enter_child` calls.
            let parent = unsafe { libc::getpid() };
            // SAFETY: the closure runs in the forked child before exec and only makes
            // async-signal-safe system calls (no allocation, no lock).
            unsafe {
                command.pre_exec(move || limits::enter_child(limits, parent));
            }
        }
        let mut child = command.spawn()?;
        let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(io::Error::other("no pipe to the worker"));
        };
        let stderr = child.stderr.take().map(|mut err| {
            std::thread::spawn(move || {
                let mut kept: Vec<u8> = Vec::new();
                let mut buffer = [0u8; 4096];
                while let Ok(n @ 1..) = io::Read::read(&mut err, &mut buffer) {
                    kept.extend_from_slice(&buffer[..n]);
                    if kept.len() > 2 * STDERR_KEPT {
                        kept.drain(..kept.len() - STDERR_KEPT);
                    }
                }
                String::from_utf8_lossy(&kept).into_owned()
            })
        });
        self.process = Some(Process {
            child,
            input,
            output: BufReader::new(output),
            stderr,
        });
        Ok(())
    }

    /// Sends `job` to the running worker and reads its answer.
    fn ask<R: serde::de::DeserializeOwned>(&mut self, job: &Job) -> io::Result<R> {
        let Some(process) = self.process.as_mut() else {
            return Err(io::Error::other("no worker"));
        };
        serde_json::to_writer(&mut process.input, job).map_err(io::Error::other)?;
        process.input.write_all(b"\n")?;
        process.input.flush()?;
        let mut line = String::new();
        if process.output.read_line(&mut line)? == 0 {
            let status = process.child.wait()?;
            return Err(io::Error::other(format!("it exited ({status})")));
        }
        serde_json::from_str(&line).map_err(io::Error::other)
    }
}

/// The meeting's failure when its worker died while `doing` it (`building`, `checking`):
/// located at the meeting file (its first line), since nothing in it can be blamed more
/// precisely.
fn exceeded(meeting: &Path, doing: &str, why: &str) -> Diagnostic {
    let diagnostic = Diagnostic::error(format!(
        "{doing} this meeting exceeded the limits of one meeting: {why}"
    ))
    .with_hint(
        "a meeting is built and checked under limits of memory, CPU time and stack (docs/limits.md; \
         `--memory-limit`, `--time-limit`, `--stack-limit`): look for a bilaga or image that \
         costs far more than its size, and split or shrink it",
    );
    at_meeting(diagnostic, meeting)
}

/// `diagnostic` at the meeting file's first line (nothing in it can be blamed more
/// precisely), or without a place when the file cannot be read.
fn at_meeting(diagnostic: Diagnostic, meeting: &Path) -> Diagnostic {
    match crate::sandbox::read_text(meeting) {
        Ok(text) => diagnostic.at(&SourceFile::new(meeting, text), 0..0),
        Err(_) => diagnostic,
    }
}

/// How a job found no answer.
enum Failure {
    /// The worker process could not be started.
    NotStarted(io::Error),
    /// It was running and did not answer (it ended, or wrote something else).
    Ended(io::Error),
}

impl Drop for Worker {
    /// Closing its input ends a worker once it has finished the meeting it is on.
    fn drop(&mut self) {
        if let Some(Process {
            mut child,
            input,
            stderr,
            ..
        }) = self.process.take()
        {
            drop(input);
            let _ = child.wait();
            if let Some(stderr) = stderr {
                let _ = stderr.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_that_ends_fails_its_meeting_and_a_new_one_is_started() {
        // `true` reads nothing and exits at once: the job finds no worker to answer it.
        let mut worker = Worker::new(
            &WorkerCommand {
                program: "true".into(),
                args: Vec::new(),
            },
            Limits::default(),
        );
        let target = Target::pdf(PathBuf::from("m.pdf"));
        for _ in 0..2 {
            match worker.build(Path::new("m.toml"), &target, "key") {
                Result::Failed(Finished::Failed { meeting, problems }) => {
                    assert_eq!(meeting, Path::new("m.toml"));
                    assert!(
                        problems[0]
                            .message
                            .starts_with("building this meeting exceeded the limits"),
                        "{problems:?}"
                    );
                }
                _ => panic!("a meeting whose worker ended is failed"),
            }
            assert!(worker.process.is_none(), "the ended worker is let go");
        }
    }

    /// A worker program that is gone (removed or replaced during an upgrade) fails the
    /// meeting with what happened, not as a meeting over the limits.
    #[test]
    fn a_worker_that_cannot_be_started_is_not_blamed_on_the_meeting() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.toml");
        std::fs::write(&meeting, "[meeting]\n").unwrap();
        let program = dir.path().join("gone/assemble");
        let mut worker = Worker::new(
            &WorkerCommand {
                program: program.clone(),
                args: Vec::new(),
            },
            Limits::default(),
        );
        let target = Target::pdf(PathBuf::from("m.pdf"));
        let Result::Failed(Finished::Failed { problems, .. }) =
            worker.build(&meeting, &target, "key")
        else {
            panic!("a meeting whose worker cannot start is failed");
        };
        assert_eq!(
            problems[0].message,
            format!(
                "building this meeting needs a worker process, which could not be started: \
                 {}: No such file or directory (os error 2)",
                program.display()
            )
        );
        assert_eq!(
            problems[0].hint.as_deref(),
            Some(
                "the program was moved, removed or replaced while it ran (an upgrade?): run the \
                 command again; nothing in the meeting was found at fault"
            )
        );
        let checked = worker.check(&meeting, false);
        assert!(!checked.ok);
        assert!(
            checked.problems[0]
                .message
                .starts_with("checking this meeting needs a worker process"),
            "{:?}",
            checked.problems
        );
    }
}
