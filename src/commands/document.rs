//! What `extract` and `anslag` share: a document made from one checked nämnd meeting and
//! written to one file.

use std::path::{Path, PathBuf};

use crate::commands::cwd::display_path;
use protokoll::documents::{self, Document};
use protokoll::meeting::Protocol;
use protokoll::pipeline;

use super::{Failure, default_output, expect_extension, print_diagnostics, renderer};
use crate::cli::Common;

/// Checks the meeting, refuses an FVG meeting (a usage error) or, through `usable`, a
/// document that cannot be made of it, and writes `document` to `output` or its default
/// place below --out-dir.
pub fn write(
    meeting: &Path,
    document: Document,
    output: Option<PathBuf>,
    common: &Common,
    usable: impl Fn(&Protocol) -> Result<(), Failure>,
) -> Result<(), Failure> {
    if let Some(path) = &output {
        expect_extension(path, "pdf", document.described())?;
    }
    let (protocol, warnings) =
        pipeline::check(meeting).map_err(|p| Failure::meeting(meeting, p))?;
    if let Protocol::Fvg(_) = protocol {
        return Err(Failure::Usage(vec![documents::not_namnd(
            document,
            &format!("`{}`", display_path(meeting)),
        )]));
    }
    usable(&protocol)?;
    let renderer = renderer(common.templates.as_deref())?;
    let pdf = match output {
        Some(path) => path,
        None => default_output(meeting, &common.out_dir, &document.file_suffix())?,
    };
    let outcome = pipeline::build_document(meeting, &protocol, document, &renderer, &pdf)
        .map_err(|p| Failure::meeting(meeting, p))?;
    print_diagnostics(&warnings);
    print_diagnostics(&outcome.warnings);
    say!(
        "wrote {} ({})",
        display_path(&pdf),
        super::count(outcome.pages, "page", "pages")
    );
    Ok(())
}
