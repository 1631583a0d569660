//! The subcommands, one module each: a thin adapter from its clap arguments to library
//! calls. Only this layer (and `main`) prints and decides exit codes: every command returns
//! `Ok` or one [`Failure`], which `main` prints once and maps to the exit code.

/// A line to standard output. A reader that went away (`assemble data/ | head -1`) or a
/// full disk behind it does not stop the run (issue 29: `println!` panicked and the batch
/// stopped with meetings unbuilt and no build record): what it does not show is lost, the
/// work goes on and the exit code still tells.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// A line to standard error, as [`say`] does to standard output.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod anslag;
mod archive;
mod build;
mod check;
mod completions;
mod document;
mod extract;
mod kallelse;
mod man;
mod new;
mod publish;
mod schema;
mod sign;
mod site;
mod verify;
mod watch;
mod worker;

use std::path::{Path, PathBuf};

use protokoll::diag::{self, Diagnostic, display_path};
use protokoll::inputs::{self, MeetingFile};
use protokoll::render::{Renderer, Templates};

use crate::cli::{Cli, Command};

/// "1 page", "3 pages": a count with its noun in the number it takes.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Why a command did not succeed, and so the exit code.
#[derive(Debug)]
pub enum Failure {
    /// A problem in the input, or in writing the outputs (exit 1). `problems` are printed
    /// (those already reported as they happened are not in it), then `closing`, e.g.
    /// "failed: data/x.toml (nothing written)".
    Input {
        problems: Vec<Diagnostic>,
        closing: Option<String>,
    },
    /// The command line asks for something that cannot be (exit 2).
    Usage(Vec<Diagnostic>),
    /// Stopped by this signal (Ctrl-C's SIGINT, SIGTERM, SIGHUP) before every meeting was
    /// done: exit 128 + the signal's number, as a shell reports it (130, 143, 129).
    Interrupted(i32),
}

impl Failure {
    /// An input problem with nothing more to say.
    pub fn input(problems: Vec<Diagnostic>) -> Self {
        Failure::Input {
            problems,
            closing: None,
        }
    }

    /// An input problem in the meeting at `path`: its problems, errors first, then
    /// "failed: PATH (nothing written)".
    pub fn meeting(path: &Path, mut problems: Vec<Diagnostic>) -> Self {
        problems.sort_by_key(|d| !d.is_error());
        Failure::Input {
            problems,
            closing: Some(format!("failed: {} (nothing written)", display_path(path))),
        }
    }

    /// A usage error with a message and a hint.
    pub fn usage(message: impl Into<String>, hint: Option<String>) -> Self {
        let mut d = Diagnostic::error(message);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        Failure::Usage(vec![d])
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Input { .. } => 1,
            Failure::Usage(_) => 2,
            Failure::Interrupted(signal) => u8::try_from(128 + signal).unwrap_or(130),
        }
    }

    /// Prints the failure to standard error.
    pub fn print(&self) {
        match self {
            Failure::Input { problems, closing } => {
                print_diagnostics(problems);
                if let Some(line) = closing {
                    tell!("{line}");
                }
            }
            Failure::Usage(problems) => print_diagnostics(problems),
            Failure::Interrupted(_) => {}
        }
    }
}

/// Runs the command line.
pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        None => build::run(&cli.build, false),
        Some(Command::Bundle { mut build }) => {
            build.bundle = true;
            build::run(&build, true)
        }
        Some(Command::Check {
            inputs,
            message_format,
            ready,
            all,
            out_dir,
            limits,
        }) => check::run(
            &inputs,
            message_format,
            ready,
            all,
            &out_dir,
            limits.limits(),
        ),
        Some(Command::Verify {
            bundles,
            roots,
            json,
        }) => verify::run(&bundles, roots.as_deref(), json),
        Some(Command::Sign(request)) => sign::run(&request),
        Some(Command::Archive {
            inputs,
            output,
            per,
            force,
            protocols,
        }) => archive::run(&inputs, &output, per, force, protocols.as_deref()),
        Some(Command::Extract {
            meeting,
            paragraf,
            output,
            common,
        }) => extract::run(&meeting, paragraf, output, &common),
        Some(Command::Anslag {
            meeting,
            output,
            common,
        }) => anslag::run(&meeting, output, &common),
        Some(Command::Kallelse {
            meeting,
            pack,
            public,
            output,
            common,
        }) => kallelse::run(&meeting, pack, public, output, &common),
        Some(Command::Publish {
            inputs,
            output,
            embed_data,
            common,
        }) => publish::run(&inputs, output, embed_data, &common),
        Some(Command::New {
            from,
            kind,
            date,
            output,
            force,
            planerat,
        }) => new::run(from.as_deref(), kind, date, output, force, planerat),
        Some(Command::Watch {
            meeting,
            output,
            common,
            open,
        }) => watch::run(meeting, output, &common, open),
        Some(Command::Completions { shell }) => completions::run(shell),
        Some(Command::Schema { markdown }) => schema::run(markdown),
        Some(Command::Site {
            inputs,
            output,
            editions,
        }) => site::run(&inputs, &output, editions),
        Some(Command::Man) => man::run(),
        Some(Command::Worker {
            common,
            alone,
            check,
        }) => worker::run(&common, alone, check),
    }
}

/// Prints diagnostics to standard error in the rustc/typst style, coloured on a terminal
/// unless NO_COLOR is set.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
    use std::io::IsTerminal;
    let choice = if std::env::var_os("NO_COLOR").is_some() || !std::io::stderr().is_terminal() {
        ColorChoice::Never
    } else {
        ColorChoice::Auto
    };
    let stream = StandardStream::stderr(choice);
    let _ = diag::write(&mut stream.lock(), diagnostics);
}

/// Writes generated text to standard output; a reader that stops early (`| head`) is fine.
fn print_bytes(bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    match std::io::stdout().write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::input(vec![Diagnostic::error(format!(
                "cannot write to standard output: {e}"
            ))]))
        }
        _ => Ok(()),
    }
}

/// The meeting files named, with folders searched; a name that does not exist, or no
/// meeting at all, is an error.
fn find_meetings(inputs: &[PathBuf]) -> Result<Vec<MeetingFile>, Failure> {
    let found = inputs::search(inputs).map_err(|missing| {
        Failure::input(
            missing
                .iter()
                .map(|m| Diagnostic::error(format!("`{}` does not exist", display_path(m))))
                .collect(),
        )
    })?;
    // Links the search did not follow (out of the archive, or round in it): named, not fatal.
    if !found.warnings.is_empty() {
        print_diagnostics(&found.warnings);
    }
    if found.meetings.is_empty() {
        return Err(Failure::input(vec![Diagnostic::error(
            "no meeting files (.toml) found",
        )]));
    }
    Ok(found.meetings)
}

/// The renderer: the built-in templates, overridden file by file from `templates`; its
/// documents typeset as [`typeset_options`] says.
fn renderer(templates: Option<&Path>) -> Result<Renderer, Failure> {
    Templates::load(templates)
        .and_then(Renderer::new)
        .map(|r| r.with_typeset(typeset_options()))
        .map_err(Failure::input)
}

/// How every document of the run is typeset: the PDF timestamp is `SOURCE_DATE_EPOCH`'s
/// date when the environment sets it (reproducible builds, as typst-cli reads it); the
/// library reads no environment. A batch's worker processes inherit the variable.
fn typeset_options() -> protokoll::typeset::Options {
    let timestamp = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .map(|t| t.date());
    protokoll::typeset::Options {
        timestamp,
        ..Default::default()
    }
}

/// Refuses an output path whose extension contradicts what is written there: `-o x.zip`
/// for a PDF writes a PDF named .zip, and a bundle named .pdf is no PDF.
fn expect_extension(path: &Path, extension: &str, what: &str) -> Result<(), Failure> {
    let given = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    if given.as_deref() == Some(extension) {
        return Ok(());
    }
    Err(Failure::usage(
        format!(
            "`{}` is to hold {what}, but its name does not end in .{extension}",
            display_path(path)
        ),
        Some(format!(
            "name the file {}",
            display_path(&with_extension(path, extension))
        )),
    ))
}

/// `path` with `extension`: in place of a file kind's extension, after anything else — the
/// dots of `2020.09.17` are the name's (issue 13: it became `2020.09.pdf`).
fn with_extension(path: &Path, extension: &str) -> PathBuf {
    let known = path.extension().is_some_and(|e| {
        ["pdf", "zip", "typ", "toml"].contains(&e.to_string_lossy().to_lowercase().as_str())
    });
    if known {
        return path.with_extension(extension);
    }
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

/// Where a meeting's document goes by default: below `out_dir` as the protocol would, its
/// stem followed by `suffix` (`data/amn/2020-04-21.toml`, `-p8` →
/// `out/amn/2020-04-21-p8.pdf`).
fn default_output(meeting: &Path, out_dir: &Path, suffix: &str) -> Result<PathBuf, Failure> {
    let found = find_meetings(&[meeting.to_path_buf()])?;
    let pdf = found[0].output(out_dir, "pdf");
    let stem = pdf
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(pdf.with_file_name(format!("{stem}{suffix}.pdf")))
}
