//! Compiling the generated Typst source in process, and turning Typst's diagnostics into
//! ours: they point into the generated source (or the template library) *and* name the
//! meeting file it was generated from.

use std::path::Path;

use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::syntax::FileId;
use typst_layout::PagedDocument;

use crate::diag::{Diagnostic, SourceFile};
use crate::world::ProtocolWorld;

/// Generations of Typst's memo cache kept after each compile: none in a batch (protocols
/// share little), a few in `watch`, where the next render is the same document again.
static MEMO_GENERATIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Keeps `generations` of Typst's memo cache between compiles (default 0).
pub fn keep_memo_generations(generations: usize) {
    MEMO_GENERATIONS.store(generations, std::sync::atomic::Ordering::Relaxed);
}

/// Where the generated source would be written (`--emit-typst`), for diagnostics.
pub struct SourceNames<'a> {
    pub meeting: &'a Path,
    pub generated: &'a Path,
    pub library: &'a SourceFile,
}

/// Lays out the document. Returns it with Typst's warnings, or every error.
pub fn compile(
    world: &ProtocolWorld,
    names: &SourceNames,
) -> Result<(PagedDocument, Vec<Diagnostic>), Vec<Diagnostic>> {
    let warned = typst::compile::<PagedDocument>(world);
    let warnings = convert(world, names, &warned.warnings);
    let result = match warned.output {
        Ok(document) => Ok((document, warnings)),
        Err(errors) => {
            let mut all = convert(world, names, &errors);
            all.extend(warnings);
            Err(all)
        }
    };
    // Typst's memo cache is global and grows with every distinct document. Protocols share
    // little, so emptying it after each one keeps a batch's memory flat at no cost in speed
    // (200 synthetic meetings, 2 workers: 60 MiB; keeping 30 generations: 358 MiB).
    typst::comemo::evict(MEMO_GENERATIONS.load(std::sync::atomic::Ordering::Relaxed));
    result
}

pub fn convert(
    world: &ProtocolWorld,
    names: &SourceNames,
    diagnostics: &[SourceDiagnostic],
) -> Vec<Diagnostic> {
    diagnostics.iter().map(|d| one(world, names, d)).collect()
}

fn one(world: &ProtocolWorld, names: &SourceNames, d: &SourceDiagnostic) -> Diagnostic {
    let message = format!("typst: {}", d.message);
    let mut diag = match d.severity {
        TypstSeverity::Error => Diagnostic::error(message),
        TypstSeverity::Warning => Diagnostic::warning(message),
    };
    if let (Some(id), Some(range)) = (d.span.id(), world.range(d.span))
        && let Some(file) = file_for(world, names, id)
    {
        diag = diag.at(&file, range);
    }
    for hint in &d.hints {
        diag = diag.with_hint(hint.v.to_string());
    }
    diag.with_note(format!(
        "in the Typst source generated from {} (write it with --emit-typst to read it)",
        crate::diag::display_path(names.meeting)
    ))
}

fn file_for(world: &ProtocolWorld, names: &SourceNames, id: FileId) -> Option<SourceFile> {
    if id == world.main_source().id() {
        Some(SourceFile::new(names.generated, world.main_source().text()))
    } else if id == world.library_source().id() {
        Some(names.library.clone())
    } else {
        None
    }
}
