//! `assemble completions SHELL`: shell completions, made from the command line's definition.

use clap::CommandFactory;

use super::{Failure, print_bytes};
use crate::cli::Cli;

pub fn run(shell: clap_complete::Shell) -> Result<(), Failure> {
    let mut command = Cli::command();
    let mut text = Vec::new();
    clap_complete::generate(shell, &mut command, "assemble", &mut text);
    print_bytes(&text)
}
