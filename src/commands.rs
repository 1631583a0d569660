//! The subcommands: one entry function each. Exit codes: 0 done, 1 a problem in the input
//! (or writing), 2 a usage error.

use std::path::{Path, PathBuf};

use crate::assemble::{self, Target};
use crate::cli::{BuildArgs, Cli, Command};
use crate::diag::{self, Diagnostic, display_path};
use crate::output;
use crate::render::{Renderer, Templates};

pub const EXIT_INPUT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Runs the command line; `Err` carries the exit code after problems were printed.
pub fn run(cli: Cli) -> Result<(), u8> {
    match cli.command {
        Some(Command::Check { inputs }) => check(&inputs),
        None => build(&cli.build),
    }
}

fn build(args: &BuildArgs) -> Result<(), u8> {
    let meetings = find_meetings(&args.inputs)?;
    if args.output.is_some() && meetings.len() != 1 {
        eprintln!(
            "error: --output names one file, but {} meetings were given",
            meetings.len()
        );
        return Err(EXIT_USAGE);
    }
    let renderer = Templates::load(args.templates.as_deref())
        .and_then(Renderer::new)
        .map_err(|d| {
            diag::print(&d);
            EXIT_INPUT
        })?;
    let mut failed = 0;
    for meeting in &meetings {
        let pdf = args
            .output
            .clone()
            .unwrap_or_else(|| output::mirrored(meeting, &args.out_dir, "pdf"));
        let typst = args.emit_typst.then(|| pdf.with_extension("typ"));
        match assemble::assemble(meeting, &renderer, &Target { pdf, typst }) {
            Ok(outcome) => {
                diag::print(&outcome.warnings);
                println!(
                    "wrote {} ({} pages)",
                    display_path(&outcome.pdf),
                    outcome.pages
                );
                if let Some(typ) = outcome.typst {
                    println!("wrote {}", display_path(&typ));
                }
            }
            Err(problems) => {
                failed += 1;
                diag::print(&problems);
                eprintln!("failed: {} (nothing written)", display_path(meeting));
            }
        }
    }
    if failed > 0 {
        if meetings.len() > 1 {
            eprintln!("{failed} of {} meetings failed", meetings.len());
        }
        return Err(EXIT_INPUT);
    }
    Ok(())
}

fn check(inputs: &[PathBuf]) -> Result<(), u8> {
    let meetings = find_meetings(inputs)?;
    let mut failed = 0;
    for meeting in &meetings {
        match assemble::check(meeting) {
            Ok((_, warnings)) => {
                diag::print(&warnings);
                println!("ok {}", display_path(meeting));
            }
            Err(problems) => {
                failed += 1;
                diag::print(&problems);
            }
        }
    }
    if failed > 0 { Err(EXIT_INPUT) } else { Ok(()) }
}

/// The meeting files named, with folders searched (sorted, hidden entries skipped).
fn find_meetings(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, u8> {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, &mut found);
        } else if input.is_file() {
            found.push(input.clone());
        } else {
            problems.push(Diagnostic::error(format!(
                "`{}` does not exist",
                display_path(input)
            )));
        }
    }
    if !problems.is_empty() {
        diag::print(&problems);
        return Err(EXIT_INPUT);
    }
    if found.is_empty() {
        eprintln!("error: no meeting files (.toml) found");
        return Err(EXIT_INPUT);
    }
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, found);
        } else if path.extension().is_some_and(|e| e == "toml") {
            found.push(path);
        }
    }
}
