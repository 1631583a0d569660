//! The subcommands: one entry function each. Exit codes: 0 done, 1 a problem in the input
//! (or writing), 2 a usage error.

use std::path::{Path, PathBuf};

use crate::assemble::{self, Target};
use crate::cli::{BuildArgs, Cli, Command, MessageFormat};
use crate::diag::{self, Diagnostic, display_path};
use crate::inputs::{self, MeetingFile};
use crate::meeting::raw::RawProtocol;
use crate::render::{Renderer, Templates};
use crate::{batch, bundle, scaffold};

pub const EXIT_INPUT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
/// As a shell reports a process ended by Ctrl-C.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Runs the command line; `Err` carries the exit code after problems were printed.
pub fn run(cli: Cli) -> Result<(), u8> {
    match cli.command {
        Some(Command::Check {
            inputs,
            message_format,
        }) => check(&inputs, message_format),
        Some(Command::Bundle { mut build }) => {
            build.bundle = true;
            self::build(&build)
        }
        Some(Command::Verify { bundles }) => verify(&bundles),
        Some(Command::Extract {
            meeting,
            paragraf,
            output,
            templates,
        }) => crate::extract::run(&meeting, paragraf, output.as_deref(), templates.as_deref()),
        Some(Command::Anslag {
            meeting,
            output,
            templates,
        }) => crate::anslag::run(&meeting, output.as_deref(), templates.as_deref()),
        Some(Command::New {
            from,
            kind,
            date,
            output,
            force,
        }) => new(from.as_deref(), kind, date, output, force),
        Some(Command::Completions { shell }) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut command, "assemble", &mut text);
            print_bytes(&text)
        }
        Some(Command::Watch {
            meeting,
            output,
            templates,
            open,
        }) => {
            let found = find_meetings(std::slice::from_ref(&meeting))?;
            let pdf = output.unwrap_or_else(|| found[0].output(std::path::Path::new("out"), "pdf"));
            let options = crate::watch::Options {
                meeting,
                pdf,
                templates,
                open,
            };
            crate::watch::run(&options).map_err(|e| {
                eprintln!("error: {e}");
                EXIT_INPUT
            })
        }
        Some(Command::Schema) => print_bytes(crate::meeting::raw::schema_json().as_bytes()),
        Some(Command::Man) => {
            let mut text = Vec::new();
            let man = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            man.render(&mut text).map_err(|e| {
                eprintln!("error: cannot render the man page: {e}");
                EXIT_INPUT
            })?;
            print_bytes(&text)
        }
        None => build(&cli.build),
    }
}

/// Writes generated text to standard output; a reader that stops early (`| head`) is fine.
fn print_bytes(bytes: &[u8]) -> Result<(), u8> {
    use std::io::Write;
    match std::io::stdout().write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write to standard output: {e}");
            Err(EXIT_INPUT)
        }
        _ => Ok(()),
    }
}

fn build(args: &BuildArgs) -> Result<(), u8> {
    let meetings = find_meetings(&args.inputs)?;
    let renderer = Templates::load(args.templates.as_deref())
        .and_then(Renderer::new)
        .map_err(|d| {
            diag::print(&d);
            EXIT_INPUT
        })?;
    if let Some(pdf) = &args.output {
        if meetings.len() != 1 || args.shard.is_some() {
            eprintln!(
                "error: --output names one file, but {} meetings were given",
                meetings.len()
            );
            return Err(EXIT_USAGE);
        }
        return build_to_file(&meetings[0].path, pdf, args, &renderer);
    }
    let options = batch::Options {
        out_dir: args.out_dir.clone(),
        jobs: args.jobs.map(usize::from),
        quiet: args.quiet,
        force: args.force,
        shard: args.shard,
        bundle: args.bundle,
        emit_typst: args.emit_typst,
    };
    let summary = batch::run(&meetings, &renderer, &options).map_err(|e| {
        eprintln!("error: {e}");
        EXIT_INPUT
    })?;
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
        println!("{line}");
    }
    if summary.interrupted > 0 {
        Err(EXIT_INTERRUPTED)
    } else if summary.failed > 0 {
        Err(EXIT_INPUT)
    } else {
        Ok(())
    }
}

/// One meeting to a named file (`-o`): always built, no build record.
fn build_to_file(
    meeting: &Path,
    pdf: &Path,
    args: &BuildArgs,
    renderer: &Renderer,
) -> Result<(), u8> {
    let target = Target {
        pdf: pdf.to_path_buf(),
        typst: args.emit_typst.then(|| pdf.with_extension("typ")),
        bundle: args.bundle.then(|| pdf.with_extension("zip")),
    };
    match assemble::assemble(meeting, renderer, &target) {
        Ok(outcome) => {
            diag::print(&outcome.warnings);
            if !args.quiet {
                println!(
                    "wrote {} ({} pages)",
                    display_path(&outcome.pdf),
                    outcome.pages
                );
                for extra in outcome.written().iter().skip(1) {
                    println!("wrote {}", display_path(extra));
                }
            }
            Ok(())
        }
        Err(problems) => {
            diag::print(&problems);
            eprintln!("failed: {} (nothing written)", display_path(meeting));
            Err(EXIT_INPUT)
        }
    }
}

fn new(
    from: Option<&Path>,
    kind: crate::cli::NewKind,
    date: time::Date,
    output: Option<PathBuf>,
    force: bool,
) -> Result<(), u8> {
    let (text, beside) = match from {
        Some(previous) => {
            let loaded = crate::meeting::load(previous).map_err(|d| {
                diag::print(&d);
                EXIT_INPUT
            })?;
            let name = previous
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            let text = match &loaded.raw {
                RawProtocol::Fvg(raw) => scaffold::from_previous(raw, date, &name),
                RawProtocol::Namnd(raw) if raw.fragment => {
                    diag::print(&[scaffold::namnd::fragment_refused(&loaded.file, date)]);
                    return Err(EXIT_INPUT);
                }
                RawProtocol::Namnd(raw) => {
                    if let Some(w) = scaffold::namnd::date_warning(raw, &loaded.file, date) {
                        diag::print(&[w]);
                    }
                    scaffold::namnd::from_previous(raw, date, &name)
                }
            };
            (text, previous.parent().map(Path::to_path_buf))
        }
        None => match kind {
            crate::cli::NewKind::Fvg => (scaffold::skeleton(date), None),
            crate::cli::NewKind::Namnd => (scaffold::namnd::skeleton(date), None),
        },
    };
    let path = output.unwrap_or_else(|| beside.unwrap_or_default().join(format!("{date}.toml")));
    if path.exists() && !force {
        eprintln!(
            "error: `{}` exists already: choose another --output, or --force to replace it",
            display_path(&path)
        );
        return Err(EXIT_INPUT);
    }
    crate::output::write_atomic(&path, text.as_bytes()).map_err(|e| {
        eprintln!("error: cannot write `{}`: {e}", display_path(&path));
        EXIT_INPUT
    })?;
    println!("wrote {}", display_path(&path));
    Ok(())
}

fn verify(bundles: &[PathBuf]) -> Result<(), u8> {
    let mut failed = 0;
    for path in bundles {
        match bundle::verify(path) {
            Ok(manifest) => println!(
                "ok {}: {} files, protocol {} ({} {})",
                display_path(path),
                manifest.files.len(),
                manifest.protocol,
                manifest.organ,
                manifest.date
            ),
            Err(problems) => {
                failed += 1;
                for p in problems {
                    eprintln!("error: {}: {p}", display_path(path));
                }
            }
        }
    }
    if failed > 0 { Err(EXIT_INPUT) } else { Ok(()) }
}

fn check(inputs: &[PathBuf], format: MessageFormat) -> Result<(), u8> {
    let meetings = find_meetings(inputs)?;
    let mut failed = 0;
    for meeting in &meetings {
        let (ok, problems) = match assemble::check(&meeting.path) {
            Ok((_, warnings)) => (true, warnings),
            Err(problems) => (false, problems),
        };
        failed += usize::from(!ok);
        match format {
            MessageFormat::Human => {
                diag::print(&problems);
                if ok {
                    println!("ok {}", display_path(&meeting.path));
                }
            }
            MessageFormat::Json => {
                for p in &problems {
                    println!("{}", p.to_json());
                }
            }
        }
    }
    if failed > 0 { Err(EXIT_INPUT) } else { Ok(()) }
}

/// The meeting files named, with folders searched; a name that does not exist is an error.
fn find_meetings(inputs: &[PathBuf]) -> Result<Vec<MeetingFile>, u8> {
    let found = inputs::find(inputs).map_err(|missing| {
        let problems: Vec<Diagnostic> = missing
            .iter()
            .map(|m| Diagnostic::error(format!("`{}` does not exist", display_path(m))))
            .collect();
        diag::print(&problems);
        EXIT_INPUT
    })?;
    if found.is_empty() {
        eprintln!("error: no meeting files (.toml) found");
        return Err(EXIT_INPUT);
    }
    Ok(found)
}
