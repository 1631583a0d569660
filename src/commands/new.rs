//! `assemble new --date D [--from PREVIOUS | --kind K] [-o FILE]`: the next meeting's file.

use std::path::{Path, PathBuf};

use crate::commands::cwd::display_path;
use protokoll::diag::Diagnostic;
use protokoll::meeting::raw::Kind;
use protokoll::{output, scaffold};

use super::{Failure, expect_extension, print_diagnostics};
use crate::cli::NewKind;

pub fn run(
    from: Option<&Path>,
    kind: NewKind,
    date: time::Date,
    output: Option<PathBuf>,
    force: bool,
    planerat: bool,
) -> Result<(), Failure> {
    if let Some(path) = &output {
        expect_extension(path, "toml", "a meeting file")?;
    }
    let kind = match kind {
        NewKind::Fvg => Kind::Fvg,
        NewKind::Namnd => Kind::Namnd,
    };
    let mut draft = scaffold::start(from, kind, date).map_err(Failure::input)?;
    if planerat {
        draft = scaffold::planned(draft).map_err(Failure::input)?;
    }
    print_diagnostics(&draft.warnings);
    let path = output.unwrap_or_else(|| {
        draft
            .beside
            .unwrap_or_default()
            .join(format!("{date}.toml"))
    });
    if path.exists() && !force {
        return Err(Failure::input(vec![Diagnostic::error(format!(
            "`{}` exists already: choose another --output, or --force to replace it",
            display_path(&path)
        ))]));
    }
    output::write_atomic(&path, draft.text.as_bytes()).map_err(|e| {
        Failure::input(vec![Diagnostic::error(format!(
            "cannot write `{}`: {e}",
            display_path(&path)
        ))])
    })?;
    say!("wrote {}", display_path(&path));
    Ok(())
}
