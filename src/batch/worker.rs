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

use super::{Finished, Result};
use crate::diag::Diagnostic;
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

/// One meeting to build.
#[derive(Serialize, Deserialize)]
struct Job {
    meeting: PathBuf,
    target: Target,
    run_key: String,
}

/// A worker's side: builds each job read from `input` and writes its result to `output`,
/// until `input` ends. `out_dir` is the batch's output folder (its page cache is used).
///
/// # Errors
/// Reading a job or writing a result failed, or a job was not one (the parent went away or
/// is not a batch).
pub fn serve(
    renderer: &Renderer,
    out_dir: &Path,
    input: impl BufRead,
    mut output: impl Write,
) -> io::Result<()> {
    crate::bilaga::pdf_cache::use_dir(Some(crate::bilaga::pdf_cache::dir_in(out_dir)));
    let pool = super::worker_pool(0)?;
    for line in input.lines() {
        let job: Job = serde_json::from_str(&line?).map_err(io::Error::other)?;
        let result =
            pool.install(|| super::build_one(&job.meeting, renderer, &job.target, &job.run_key));
        serde_json::to_writer(&mut output, &result).map_err(io::Error::other)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

/// The parent's side of one worker process: started at the first job, and again after one
/// ended unexpectedly (the meeting it was building is reported as failed, not lost).
pub(super) struct Worker {
    command: WorkerCommand,
    process: Option<Process>,
}

struct Process {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Worker {
    pub(super) fn new(command: &WorkerCommand) -> Self {
        Self {
            command: command.clone(),
            process: None,
        }
    }

    /// Builds `meeting` into `target` in the worker process.
    pub(super) fn build(&mut self, meeting: &Path, target: &Target, run_key: &str) -> Result {
        let job = Job {
            meeting: meeting.to_path_buf(),
            target: target.clone(),
            run_key: run_key.to_string(),
        };
        match self.exchange(&job) {
            Ok(result) => result,
            Err(e) => {
                if let Some(mut gone) = self.process.take() {
                    let _ = gone.child.kill();
                    let _ = gone.child.wait();
                }
                Result::Failed(Finished::Failed {
                    meeting: meeting.to_path_buf(),
                    problems: vec![
                        Diagnostic::error(format!(
                            "the worker process building this meeting ended: {e}"
                        ))
                        .with_hint("build it alone (`assemble MEETING -o FILE.pdf`) to see why"),
                    ],
                })
            }
        }
    }

    fn exchange(&mut self, job: &Job) -> io::Result<Result> {
        if self.process.is_none() {
            let mut child = Command::new(&self.command.program)
                .args(&self.command.args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()?;
            let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
                return Err(io::Error::other("no pipe to the worker"));
            };
            self.process = Some(Process {
                child,
                input,
                output: BufReader::new(output),
            });
        }
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

impl Drop for Worker {
    /// Closing its input ends a worker once it has finished the meeting it is on.
    fn drop(&mut self) {
        if let Some(Process {
            mut child, input, ..
        }) = self.process.take()
        {
            drop(input);
            let _ = child.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_that_ends_fails_its_meeting_and_a_new_one_is_started() {
        // `true` reads nothing and exits at once: the job finds no worker to answer it.
        let mut worker = Worker::new(&WorkerCommand {
            program: "true".into(),
            args: Vec::new(),
        });
        let target = Target::pdf(PathBuf::from("m.pdf"));
        for _ in 0..2 {
            match worker.build(Path::new("m.toml"), &target, "key") {
                Result::Failed(Finished::Failed { meeting, problems }) => {
                    assert_eq!(meeting, Path::new("m.toml"));
                    assert!(
                        problems[0]
                            .message
                            .starts_with("the worker process building this meeting ended"),
                        "{problems:?}"
                    );
                }
                _ => panic!("a meeting whose worker ended is failed"),
            }
            assert!(worker.process.is_none(), "the ended worker is let go");
        }
    }
}
