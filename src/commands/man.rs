//! `assemble man`: the man page (roff), made from the command line's definition.

use clap::CommandFactory;
use protokoll::diag::Diagnostic;

use super::{Failure, print_bytes};
use crate::cli::Cli;

pub fn run() -> Result<(), Failure> {
    let mut text = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut text)
        .map_err(|e| {
            Failure::input(vec![Diagnostic::error(format!(
                "cannot render the man page: {e}"
            ))])
        })?;
    print_bytes(&text)
}
