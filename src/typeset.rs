//! The one typesetting entry: any [`Job`] (a protocol, a protokollsutdrag, an anslagsbevis…)
//! → PDF bytes, by Typst in process. Builds the World (sandbox, assets, clock) and the PDF
//! identity once, compiles, exports, and turns Typst's diagnostics into ours: they point into
//! the generated source (or the template library) *and* name the meeting file it came from.

pub mod bilagor;
pub mod overflow;

use std::path::Path;

use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::syntax::FileId;
use typst_layout::PagedDocument;

use crate::diag::{Diagnostic, SourceFile, display_path};
use crate::export::{self, Conformance};
use crate::meeting::model::{Asset, Date};
use crate::sandbox::Sandbox;
use crate::world::{ProtocolWorld, Shared};

/// What a document maker hands over to be typeset: everything but the place it came from.
#[derive(Debug, Clone)]
pub struct Job {
    /// The generated Typst source (the main file), which imports the template library.
    pub source: String,
    /// In-memory files the source refers to (bilagor's images, converted PDF pages).
    pub assets: Vec<Asset>,
    /// The PDF's stable identifier, e.g. `protokoll:AMN:2020-04-21`.
    pub ident: String,
    /// The document's date: Typst's "today" and the PDF timestamp (SOURCE_DATE_EPOCH, when
    /// the build sets one, replaces the latter).
    pub date: Date,
    /// The standards the PDF is exported under (PDF/A-3 only when originals are attached).
    pub conformance: Conformance,
}

/// Where a job's source comes from, for the sandbox and for diagnostics.
pub struct Origin<'a> {
    /// The meeting file: its folder is the sandbox every relative path resolves in.
    pub meeting: &'a Path,
    /// Where the generated source is (or would be) written with `--emit-typst`.
    pub generated: &'a Path,
    /// The template library (`protokoll.typ`) the source imports.
    pub library: &'a SourceFile,
}

/// A laid-out and exported document.
#[derive(Debug)]
pub struct Typeset {
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Compiles and exports `job`. Errors are Typst's (located in the generated source or the
/// library, with a note naming the meeting) or the export's (PDF/A, PDF/UA rules).
pub fn typeset(job: Job, origin: &Origin) -> Result<Typeset, Vec<Diagnostic>> {
    let folder = origin
        .meeting
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let sandbox = Sandbox::new(folder).map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot open the meeting's folder: {e}"
        ))]
    })?;
    let world = ProtocolWorld::new(
        Shared::get(),
        job.source,
        &origin.library.text,
        sandbox,
        &job.assets,
        job.date.0,
    );
    let (document, mut warnings) = compile(&world, origin)?;
    let generated = SourceFile::new(origin.generated, world.main_source().text());
    warnings.extend(overflow_warnings(&generated, overflow::find(&document)));
    let identity = export::Identity {
        ident: job.ident,
        timestamp: export::clock(job.date.0),
        conformance: job.conformance,
    };
    let pdf =
        export::pdf(&document, &identity, |d| one(&world, origin, d)).map_err(|mut errors| {
            for e in &mut errors {
                *e = e
                    .clone()
                    .with_note(format!("while exporting {}", display_path(origin.meeting)));
            }
            errors
        })?;
    Ok(Typeset {
        pdf,
        pages: document.pages().len(),
        warnings,
    })
}

/// The warnings for text the pages cannot hold: one for each part and kind, naming its
/// pages. A bilaga's is placed in its part of the generated source, from where
/// [`bilagor::place`] moves it to the bilaga's `file =` line.
fn overflow_warnings(generated: &SourceFile, found: Vec<overflow::Overflow>) -> Vec<Diagnostic> {
    overflow::group(found)
        .into_iter()
        .map(|overflow::Group {
                  part,
                  kind,
                  paragraf,
                  pages,
              }| {
            let what = match kind {
                overflow::Kind::Overlap => "runs over other text",
                overflow::Kind::OffPage => "runs past the edge of the page and is cut off",
            };
            let name = match part {
                overflow::Part::Protocol => "the protocol".to_owned(),
                overflow::Part::Bilaga(n) => format!("bilaga {n}"),
                overflow::Part::Margin => "the page header or footer".to_owned(),
            };
            let list = |pick: fn(&(usize, usize)) -> usize| {
                let mut shown: Vec<String> =
                    pages.iter().take(10).map(|p| pick(p).to_string()).collect();
                if pages.len() > 10 {
                    shown.push("…".to_owned());
                }
                shown.join(", ")
            };
            let plural = if pages.len() == 1 { "page" } else { "pages" };
            let within = match part {
                overflow::Part::Margin => name,
                _ => format!("{name}, {plural} {}", list(|p| p.1)),
            };
            let d = Diagnostic::warning(format!(
                "text on {plural} {} ({within}) {what}: a table with more columns than the page has room for, a word or number longer than its column, or a line (the page header, a signature) too long for its place",
                list(|p| p.0),
            ))
            .with_hint(match part {
                overflow::Part::Bilaga(_) => "give the table fewer columns (or split it), shorten what stands in the narrow column, or attach the document as a PDF (landscape pages are kept)",
                overflow::Part::Protocol => "in the meeting file, give the table in the § text fewer columns, or shorten the long word",
                overflow::Part::Margin => "shorten the organ's or förvaltning's name, or the organisation's contact lines; the margins of the house style may be too small for them",
            });
            let at = match (part, paragraf) {
                (overflow::Part::Bilaga(n), _) => bilagor::opening(&generated.text, n),
                (overflow::Part::Protocol, Some(n)) => bilagor::paragraf_opening(&generated.text, n),
                (overflow::Part::Protocol | overflow::Part::Margin, _) => None,
            };
            match at {
                Some(range) => d.at(generated, range),
                None => d,
            }
        })
        .collect()
}

/// Generations of Typst's memo cache kept after each compile: none in a batch, a few in
/// `watch`, where the next render is the same document again.
///
/// None, measured (issue 14): keeping one generation lets the library as evaluated serve the
/// next document (2.5 % fewer instructions), but over a long batch the kept entries, spread
/// through the heap, keep it from shrinking: peak RSS at 1,000 meetings 88–169 MiB (four
/// runs) instead of 74, no longer flat, for no gain in wall time.
static MEMO_GENERATIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Keeps `generations` of Typst's memo cache between compiles (default 0).
pub fn keep_memo_generations(generations: usize) {
    MEMO_GENERATIONS.store(generations, std::sync::atomic::Ordering::Relaxed);
}

/// Lays out the document. Returns it with Typst's warnings, or every error.
pub fn compile(
    world: &ProtocolWorld,
    origin: &Origin,
) -> Result<(PagedDocument, Vec<Diagnostic>), Vec<Diagnostic>> {
    let warned = typst::compile::<PagedDocument>(world);
    let warnings = convert(world, origin, &warned.warnings);
    let result = match warned.output {
        Ok(document) => Ok((document, warnings)),
        Err(errors) => {
            let mut all = convert(world, origin, &errors);
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

fn convert(
    world: &ProtocolWorld,
    origin: &Origin,
    diagnostics: &[SourceDiagnostic],
) -> Vec<Diagnostic> {
    diagnostics.iter().map(|d| one(world, origin, d)).collect()
}

fn one(world: &ProtocolWorld, origin: &Origin, d: &SourceDiagnostic) -> Diagnostic {
    let message = format!("typst: {}", d.message);
    let mut diag = match d.severity {
        TypstSeverity::Error => Diagnostic::error(message),
        TypstSeverity::Warning => Diagnostic::warning(message),
    };
    if let (Some(id), Some(range)) = (d.span.id(), world.range(d.span))
        && let Some(file) = file_for(world, origin, id)
    {
        diag = diag.at(&file, range);
    }
    // A problem inside the library called from a bilaga's part of the generated source (a
    // PDF bilaga's page, drawn by `bilaga-pdf`): placed at that call, so that it can be
    // traced to the bilaga ([`bilagor::place`]).
    let main = world.main_source();
    if d.span.id() != Some(main.id())
        && let Some(range) = d
            .trace
            .iter()
            .filter(|t| t.span.id() == Some(main.id()))
            .filter_map(|t| world.range(t.span))
            .find(|r| bilagor::is_in_a_bilaga(main.text(), r.start))
    {
        if let Some(at) = diag.position() {
            diag = diag.with_note(format!("in the template at {}:{}:{}", at.0, at.1, at.2));
        }
        let file = SourceFile::new(origin.generated, main.text());
        diag = diag.at(&file, range);
    }
    for hint in &d.hints {
        diag = diag.with_hint(hint.v.to_string());
    }
    if is_version_skew(&d.message) {
        diag = diag.with_hint(OLD_TEMPLATE_HINT);
    }
    diag.with_note(format!(
        "in the Typst source generated from {} (write it with --emit-typst to read it)",
        display_path(origin.meeting)
    ))
}

/// What the built-in templates never cause and a copy of one version's template used with
/// another version's does: a data template calling a library function (or passing an
/// argument) the copied library does not have, or the other way round.
fn is_version_skew(message: &str) -> bool {
    [
        "unknown variable",
        "unexpected argument",
        "missing argument",
    ]
    .iter()
    .any(|m| message.starts_with(m))
}

const OLD_TEMPLATE_HINT: &str = "with --templates, a copied template (protokoll.typ, *.typ.j2) from an older version of protokoll no longer matches the others: compare it with the built-in one in templates/ and carry your changes over (docs/templates.md)";

fn file_for(world: &ProtocolWorld, origin: &Origin, id: FileId) -> Option<SourceFile> {
    if id == world.main_source().id() {
        Some(SourceFile::new(
            origin.generated,
            world.main_source().text(),
        ))
    } else if id == world.library_source().id() {
        Some(origin.library.clone())
    } else {
        None
    }
}
