//! One meeting, end to end: load → validate → render → compile → export → write.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::meeting::{self, Protocol, model::Asset};
use crate::render::Renderer;
use crate::sandbox::Sandbox;
use crate::world::{ProtocolWorld, Shared};
use crate::{bundle, export, output, typeset};

/// Where to write, and what besides the PDF.
pub struct Target {
    pub pdf: PathBuf,
    /// Also write the generated Typst source here (`--emit-typst`).
    pub typst: Option<PathBuf>,
    /// Also write the distribution bundle (zip) here (`--bundle`).
    pub bundle: Option<PathBuf>,
}

/// What a successful run produced.
pub struct Outcome {
    pub pdf: PathBuf,
    pub typst: Option<PathBuf>,
    pub bundle: Option<PathBuf>,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Checks a meeting file without rendering: the validated model and its warnings. A nämnd
/// meeting has passed the legal check too.
pub fn check(path: &Path) -> Result<(Protocol, Vec<Diagnostic>), Vec<Diagnostic>> {
    meeting::validate(meeting::load(path)?)
}

/// Generates the Typst source of a meeting (no compilation).
pub fn typst_source(
    path: &Path,
    renderer: &Renderer,
) -> Result<(Protocol, String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (protocol, warnings) = check(path)?;
    let source = renderer.render(&protocol)?;
    Ok((protocol, source, warnings))
}

/// Produces the PDF of one meeting. On any error nothing is written but, if asked for, the
/// generated Typst source (to help find the problem); the previous PDF stays as it was.
pub fn assemble(
    path: &Path,
    renderer: &Renderer,
    target: &Target,
) -> Result<Outcome, Vec<Diagnostic>> {
    let sorted = |mut problems: Vec<Diagnostic>| {
        problems.sort_by_key(|d| !d.is_error());
        problems
    };
    let loaded = meeting::load(path)?;
    // Kept for the documents a bundle derives from a nämnd protocol (the anslag's own table).
    let file = loaded.file.clone();
    let (protocol, mut warnings) = meeting::validate(loaded).map_err(sorted)?;
    let source = renderer.render(&protocol).map_err(|mut problems| {
        problems.extend(warnings.clone());
        sorted(problems)
    })?;
    if let Some(typ) = &target.typst {
        output::write_atomic(typ, source.as_bytes()).map_err(|e| vec![write_error(typ, &e)])?;
    }
    let generated_name = target
        .typst
        .clone()
        .unwrap_or_else(|| target.pdf.with_extension("typ"));
    let identity = export::Identity {
        ident: format!(
            "protokoll:{}:{}",
            protocol.organ(),
            protocol.clock_date().iso()
        ),
        timestamp: export::clock(protocol.clock_date().0),
        conformance: export::Conformance::for_bilagor(protocol.bilagor()),
    };
    let typeset = typeset_pdf(
        path,
        &protocol.assets(),
        protocol.clock_date().0,
        source,
        renderer,
        &generated_name,
        identity,
    )
    .map_err(|mut errors| {
        errors.extend(warnings.clone());
        errors
    })?;
    warnings.extend(typeset.warnings);
    let bytes = typeset.pdf;
    // Build the bundle before writing anything, so a bundle failure leaves no new PDF either.
    let bundle = match &target.bundle {
        Some(zip_path) => {
            let pdf_name = target
                .pdf
                .file_name()
                .map_or("protokoll.pdf".into(), |n| n.to_string_lossy());
            let (documents, more) =
                crate::derived::for_bundle(path, &protocol, file, renderer, &target.pdf)?;
            warnings.extend(more);
            let zip = bundle::build(&protocol, &pdf_name, &bytes, documents)
                .map_err(|e| vec![write_error(zip_path, &e)])?;
            Some((zip_path, zip))
        }
        None => None,
    };
    output::write_atomic(&target.pdf, &bytes).map_err(|e| vec![write_error(&target.pdf, &e)])?;
    if let Some((path, zip)) = &bundle {
        output::write_atomic(path, zip).map_err(|e| vec![write_error(path, &e)])?;
    }
    Ok(Outcome {
        pdf: target.pdf.clone(),
        typst: target.typst.clone(),
        bundle: target.bundle.clone(),
        pages: typeset.pages,
        warnings,
    })
}

impl Outcome {
    /// Every file written, the PDF first.
    pub fn written(&self) -> Vec<PathBuf> {
        std::iter::once(self.pdf.clone())
            .chain(self.typst.clone())
            .chain(self.bundle.clone())
            .collect()
    }
}

/// A laid-out and exported document.
pub struct Typeset {
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Compiles Typst source generated from the meeting at `path` (a protocol, an extract, an
/// anslagsbevis) in the meeting's sandbox, with the bilagor's in-memory `assets` and Typst's
/// clock at `clock`, and exports it as PDF/A-2a + UA-1 under `ident`.
/// `generated_name` is where diagnostics say the source is (it is written there with
/// --emit-typst).
pub fn typeset_pdf(
    path: &Path,
    assets: &[Asset],
    clock: time::Date,
    source: String,
    renderer: &Renderer,
    generated_name: &Path,
    identity: export::Identity,
) -> Result<Typeset, Vec<Diagnostic>> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let sandbox = Sandbox::new(folder).map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot open the meeting's folder: {e}"
        ))]
    })?;
    let library = renderer.templates().library().clone();
    let world = ProtocolWorld::new(Shared::get(), source, &library.text, sandbox, assets, clock);
    let names = typeset::SourceNames {
        meeting: path,
        generated: generated_name,
        library: &library,
    };
    let (document, warnings) = typeset::compile(&world, &names)?;
    let pdf = export::pdf(&document, &identity).map_err(|mut errors| {
        for e in &mut errors {
            *e = e.clone().with_note(format!(
                "while exporting {}",
                crate::diag::display_path(path)
            ));
        }
        errors
    })?;
    Ok(Typeset {
        pdf,
        pages: document.pages().len(),
        warnings,
    })
}

pub fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!(
        "cannot write `{}`: {e}",
        crate::diag::display_path(path)
    ))
}
