//! What the documents made from a nämnd protocol share (the protokollsutdrag of
//! [`crate::extract`] and the anslagsbevis of [`crate::anslag`]): loading and checking the
//! meeting as a nämnd, where the document goes by default, and typesetting and writing it.

use std::path::{Path, PathBuf};

use crate::assemble::Typeset;
use crate::commands::{EXIT_INPUT, EXIT_USAGE};
use crate::diag::{self, Diagnostic, SourceFile, display_path};
use crate::meeting::model::Bilaga;
use crate::meeting::model::namnd::NamndMeeting;
use crate::meeting::{self, Protocol};
use crate::render::{Renderer, Templates};

/// A checked nämnd meeting, with the file as read (for the raw values only a derived
/// document uses) and the warnings found.
pub struct Checked {
    pub meeting: NamndMeeting,
    pub file: SourceFile,
    pub warnings: Vec<Diagnostic>,
}

/// Loads and validates (with the legal check) `path`, which must be a nämnd meeting.
/// `what` names the document for the message when it is not ("a protokollsutdrag").
/// Problems are printed; the error is the exit code.
pub fn load_namnd(path: &Path, what: &str) -> Result<Checked, u8> {
    let loaded = meeting::load(path).map_err(fail(path))?;
    let file = loaded.file.clone();
    let (protocol, warnings) = meeting::validate(loaded).map_err(fail(path))?;
    match protocol {
        Protocol::Namnd(meeting) => Ok(Checked {
            meeting,
            file,
            warnings,
        }),
        Protocol::Fvg(_) => {
            diag::print(&[Diagnostic::error(format!(
                "{what} is made from a nämnd protocol, and `{}` is not one",
                display_path(path)
            ))
            .with_hint("its kind is \"fvg\"; only a file with kind = \"namnd\" has one")]);
            Err(EXIT_USAGE)
        }
    }
}

/// Prints problems and gives the exit code for input problems.
pub fn fail(path: &Path) -> impl Fn(Vec<Diagnostic>) -> u8 + '_ {
    move |problems| {
        let mut problems = problems;
        problems.sort_by_key(|d| !d.is_error());
        diag::print(&problems);
        eprintln!("failed: {} (nothing written)", display_path(path));
        EXIT_INPUT
    }
}

/// The default output: beside where the protocol goes, its stem with `suffix`:
/// `data/amn/2020-04-21.toml` + `-§8` → `out/amn/2020-04-21-§8.pdf`.
pub fn default_output(path: &Path, suffix: &str) -> PathBuf {
    let relative = crate::inputs::find(&[path.to_path_buf()])
        .ok()
        .and_then(|found| found.into_iter().next())
        .map(|f| f.output(Path::new("out"), "pdf"))
        .unwrap_or_else(|| Path::new("out").join("protokoll.pdf"));
    let stem = relative
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    relative.with_file_name(format!("{stem}{suffix}.pdf"))
}

/// The renderer with the built-in templates, overridden from `templates` if given.
pub fn renderer(templates: Option<&Path>) -> Result<Renderer, u8> {
    Templates::load(templates)
        .and_then(Renderer::new)
        .map_err(|d| {
            diag::print(&d);
            EXIT_INPUT
        })
}

/// Typesets `source` (generated from the meeting at `path`) under `ident`, as PDF/A-2a + UA-1
/// or, when one of the `bilagor` it carries attaches its original, PDF/A-3a + UA-1. `pdf` is
/// where it will be written (diagnostics name the generated source beside).
pub fn typeset(
    path: &Path,
    checked: &Checked,
    source: String,
    renderer: &Renderer,
    pdf: &Path,
    ident: String,
    bilagor: &[Bilaga],
) -> Result<Typeset, Vec<Diagnostic>> {
    let m = &checked.meeting;
    crate::assemble::typeset_pdf(
        path,
        &m.assets(),
        m.clock_date().0,
        source,
        renderer,
        &pdf.with_extension("typ"),
        crate::export::Identity {
            ident,
            timestamp: crate::export::clock(m.clock_date().0),
            conformance: crate::export::Conformance::for_bilagor(bilagor),
        },
    )
}

/// Writes a typeset document to `pdf` atomically; prints the warnings and "wrote …".
pub fn write_pdf(checked: &Checked, done: &Typeset, pdf: &Path) -> Result<(), u8> {
    crate::output::write_atomic(pdf, &done.pdf).map_err(|e| {
        eprintln!("error: cannot write `{}`: {e}", display_path(pdf));
        EXIT_INPUT
    })?;
    diag::print(&checked.warnings);
    diag::print(&done.warnings);
    println!("wrote {} ({} pages)", display_path(pdf), done.pages);
    Ok(())
}

/// A document for a bundle: its name in the zip and its bytes.
pub type Document = (String, Vec<u8>);

/// The documents a bundle carries besides the protocol (name in the zip, bytes), and the
/// warnings made on the way. For a nämnd: the protokollsutdrag of every § justerad
/// omedelbart, and the anslagsbevis once the protocol is justerat. `file` is the meeting
/// file as read; `pdf` where the protocol goes (the documents are named after it).
pub fn for_bundle(
    path: &Path,
    protocol: &Protocol,
    file: SourceFile,
    renderer: &Renderer,
    pdf: &Path,
) -> Result<(Vec<Document>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let Protocol::Namnd(meeting) = protocol else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut checked = Checked {
        meeting: meeting.clone(),
        file,
        warnings: Vec::new(),
    };
    let stem = pdf
        .file_stem()
        .map_or("protokoll".into(), |s| s.to_string_lossy().into_owned());
    let name = |suffix: &str| format!("{stem}{suffix}.pdf");
    let mut documents = Vec::new();
    let mut warnings = Vec::new();
    let immediate: Vec<u32> = meeting
        .paragrafer
        .iter()
        .filter(|p| p.omedelbar_justering)
        .map(|p| p.number)
        .collect();
    for number in immediate {
        let file_name = name(&crate::extract::file_suffix(number));
        let done = crate::extract::make(
            path,
            &checked,
            number,
            renderer,
            &pdf.with_file_name(&file_name),
        )?;
        warnings.extend(done.warnings);
        documents.push((file_name, done.pdf));
    }
    if meeting.justerad.is_some() {
        let file_name = name(crate::anslag::FILE_SUFFIX);
        let done = crate::anslag::make(
            path,
            &mut checked,
            renderer,
            &pdf.with_file_name(&file_name),
        )?;
        warnings.extend(done.warnings);
        documents.push((file_name, done.pdf));
    }
    warnings.extend(checked.warnings);
    Ok((documents, warnings))
}
