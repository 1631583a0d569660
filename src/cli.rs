//! The command line: clap derive, with the doc comments as the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Turns meeting files (TOML) and their bilagor into the formal, paginated PDF protocols a
/// Swedish municipality keeps.
///
/// `assemble data/fvg/2020-09-17.toml` writes out/fvg/2020-09-17.pdf; `assemble data/`
/// does every meeting below data/.
#[derive(Debug, Parser)]
#[command(
    name = "assemble",
    version,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub build: BuildArgs,
}

/// Rendering meetings to PDF (the default command).
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Meeting files (.toml), or folders to search for them.
    #[arg(required = true, value_name = "MEETING")]
    pub inputs: Vec<PathBuf>,

    /// Write the PDF to this file instead of under --out-dir (one meeting only).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Folder for the PDFs; the tree below data/ is mirrored in it.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out_dir: PathBuf,

    /// Override the built-in templates file by file with those in DIR
    /// (protokoll.typ for the layout, fvg.typ.j2 for the data mapping).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Also write the generated Typst source beside each PDF (.typ).
    #[arg(long)]
    pub emit_typst: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check meeting files without rendering: every problem, with its line.
    Check {
        /// Meeting files (.toml), or folders to search for them.
        #[arg(required = true, value_name = "MEETING")]
        inputs: Vec<PathBuf>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
