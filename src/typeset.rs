//! The one typesetting entry: any [`Job`] (a protocol, a protokollsutdrag, an anslagsbevis…)
//! → PDF bytes, by Typst in process. Builds the World (sandbox, assets, clock) and the PDF
//! identity once, compiles, exports, and turns Typst's diagnostics into ours: they point into
//! the generated source (or the template library) *and* name the meeting file it came from.

mod clusters;
pub mod overflow;
mod place;

use std::ops::Range;
use std::path::Path;

use typst::WorldExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic};
use typst::syntax::FileId;
use typst_layout::PagedDocument;

use crate::diag::{Diagnostic, SourceFile};
use crate::export::{self, Conformance};
use crate::meeting::model::{Asset, Date, Place};
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
    /// The ranges of `source` each § and bilaga became (from the renderer), in source order:
    /// a problem in one is placed where the part is written in the meeting file.
    pub parts: Vec<Part>,
}

/// A range of a job's source that one § or bilaga became, and where it is written.
#[derive(Debug, Clone)]
pub struct Part {
    pub range: Range<usize>,
    pub of: PartOf,
    /// Its place in the meeting file (a §'s `title`, a bilaga's `file =`, or the Markdown
    /// field of it this range is the markup of); `None` when the model was not made from
    /// one.
    pub place: Option<Place>,
    /// For a Markdown field's range: (offset from the range's start, offset in the meeting
    /// file) where each of its lines' markup begins, so that a problem is placed at its line.
    pub lines: Vec<(usize, usize)>,
}

/// What a [`Part`] is of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartOf {
    /// § `n`.
    Paragraf(u32),
    /// A bilaga: its number, its id and its `file` as written (none for yrkanden given in
    /// the meeting file).
    Bilaga {
        number: usize,
        id: String,
        file: Option<String>,
    },
}

/// How a run typesets: what the commands decide (from the command line and the environment)
/// and pass down; the library reads no switch of its own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The PDF timestamp of every document: the build's `SOURCE_DATE_EPOCH` as a date,
    /// when it sets one (reproducible builds); `None`: each document's own date.
    pub timestamp: Option<time::Date>,
    /// Generations of Typst's memo cache kept after each compile: none in a batch, a few in
    /// `watch`, where the next render is the same document again.
    ///
    /// None, measured (issue 14): keeping one generation lets the library as evaluated serve
    /// the next document (2.5 % fewer instructions), but over a long batch the kept entries,
    /// spread through the heap, keep it from shrinking: peak RSS at 1,000 meetings 88–169 MiB
    /// (four runs) instead of 74, no longer flat, for no gain in wall time.
    pub memo_generations: usize,
}

/// Where a job's source comes from, for the sandbox and for diagnostics.
pub struct Origin<'a> {
    /// The meeting file: its folder is the sandbox every relative path resolves in.
    pub meeting: &'a Path,
    /// Where the generated source is (or would be) written with `--emit-typst`.
    pub generated: &'a Path,
    /// The template library (`protokoll.typ`) the source imports.
    pub library: &'a SourceFile,
    /// Where the files Typst reads through the sandbox are noted, when the build keeps a
    /// record of them ([`crate::sandbox::Recorder`]).
    pub reads: Option<&'a crate::sandbox::Recorder>,
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
pub fn typeset(job: Job, origin: &Origin, options: Options) -> Result<Typeset, Vec<Diagnostic>> {
    let folder = origin
        .meeting
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let sandbox = Sandbox::new(folder)
        .map_err(|e| {
            vec![Diagnostic::error(format!(
                "cannot open the meeting's folder: {e}"
            ))]
        })?
        .recorded(origin.reads);
    let world = ProtocolWorld::new(
        Shared::get(),
        job.source,
        &origin.library.text,
        sandbox,
        &job.assets,
        job.date.0,
    );
    let parts = &job.parts;
    let unplaced = |errors: Vec<Diagnostic>| {
        errors
            .into_iter()
            .map(|d| place::unplaced(d, parts, &job.assets))
            .collect::<Vec<_>>()
    };
    let (document, mut warnings) =
        compile_parts(&world, origin, parts, options.memo_generations).map_err(unplaced)?;
    let generated = SourceFile::new(origin.generated, world.main_source().text());
    warnings.extend(overflow_warnings(
        &generated,
        overflow::find(&document),
        parts,
    ));
    let identity = export::Identity {
        ident: job.ident,
        timestamp: options.timestamp.unwrap_or(job.date.0),
        conformance: job.conformance,
    };
    let pdf =
        export::pdf(&document, &identity, |d| one(&world, origin, parts, d)).map_err(|errors| {
            unplaced(
                errors
                    .into_iter()
                    .map(|e| e.with_note(format!("while exporting {}", origin.meeting.display())))
                    .collect(),
            )
        })?;
    Ok(Typeset {
        pdf,
        pages: document.pages().len(),
        warnings,
    })
}

/// The warnings for text the pages cannot hold: one for each part and kind, naming its
/// pages, placed at the § or bilaga it is in (`parts`) with the part's first range in the
/// `generated` source as a note.
fn overflow_warnings(
    generated: &SourceFile,
    found: Vec<overflow::Overflow>,
    parts: &[Part],
) -> Vec<Diagnostic> {
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
                (overflow::Part::Bilaga(n), _) => place::part_of(
                    parts,
                    |of| matches!(of, PartOf::Bilaga { number, .. } if *number == n),
                ),
                (overflow::Part::Protocol, Some(n)) => {
                    place::part_of(parts, |of| *of == PartOf::Paragraf(n))
                }
                (overflow::Part::Protocol | overflow::Part::Margin, _) => None,
            };
            match at {
                Some(at) => {
                    place::moved(d, at, "", &generated.text, &at.range, &generated.path)
                }
                None => d,
            }
        })
        .collect()
}

/// Lays out the document. Returns it with Typst's warnings, or every error (in the
/// generated source or the library: a job's parts are not known here). Keeps
/// `memo_generations` of Typst's memo cache ([`Options::memo_generations`]).
pub fn compile(
    world: &ProtocolWorld,
    origin: &Origin,
    memo_generations: usize,
) -> Result<(PagedDocument, Vec<Diagnostic>), Vec<Diagnostic>> {
    compile_parts(world, origin, &[], memo_generations)
}

/// [`compile`], problems in a part of the source placed at it.
fn compile_parts(
    world: &ProtocolWorld,
    origin: &Origin,
    parts: &[Part],
    memo_generations: usize,
) -> Result<(PagedDocument, Vec<Diagnostic>), Vec<Diagnostic>> {
    let warned = typst::compile::<PagedDocument>(world);
    let warnings = convert(world, origin, parts, &warned.warnings);
    let result = match warned.output {
        Ok(document) => Ok((clusters::join(document), warnings)),
        Err(errors) => {
            let mut all = convert(world, origin, parts, &errors);
            all.extend(warnings);
            Err(all)
        }
    };
    // Typst's memo cache is global and grows with every distinct document. Protocols share
    // little, so emptying it after each one keeps a batch's memory flat at no cost in speed
    // (200 synthetic meetings, 2 workers: 60 MiB; keeping 30 generations: 358 MiB).
    typst::comemo::evict(memo_generations);
    result
}

fn convert(
    world: &ProtocolWorld,
    origin: &Origin,
    parts: &[Part],
    diagnostics: &[SourceDiagnostic],
) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .map(|d| one(world, origin, parts, d))
        .collect()
}

/// Typst's diagnostic as ours: at its place in the generated source or the library, moved
/// to the § or bilaga (of `parts`) that place is in.
fn one(world: &ProtocolWorld, origin: &Origin, parts: &[Part], d: &SourceDiagnostic) -> Diagnostic {
    let message = format!("typst: {}", d.message);
    let mut diag = match d.severity {
        TypstSeverity::Error => Diagnostic::error(message),
        TypstSeverity::Warning => Diagnostic::warning(message),
    };
    let main = world.main_source();
    // Where in the generated source, if there.
    let mut in_main = None;
    if let (Some(id), Some(range)) = (d.span.id(), world.range(d.span))
        && let Some(file) = file_for(world, origin, id)
    {
        if id == main.id() {
            in_main = Some(range.clone());
        }
        diag = diag.at(&file, range);
    }
    // The innermost call (or show rule applied to an element) in a part of the generated
    // source that led to the problem.
    let traced = d
        .trace
        .iter()
        .filter(|t| t.span.id() == Some(main.id()))
        .filter_map(|t| world.range(t.span))
        .find(|r| place::part_at(parts, r).is_some());
    // A problem inside the library called from a part (a PDF bilaga's page, drawn by the
    // library): placed at that call, so that it is traced to the part.
    if d.span.id() != Some(main.id())
        && let Some(range) = traced.clone()
    {
        if let Some(at) = diag.position() {
            diag = diag.with_note(format!("in the template at {}:{}:{}", at.0, at.1, at.2));
        }
        let file = SourceFile::new(origin.generated, main.text());
        diag = diag.at(&file, range.clone());
        in_main = Some(range);
    }
    // In a part itself, or (a template's show rule failing on an element of a § text)
    // traced to one.
    let in_part = in_main
        .filter(|r| place::part_at(parts, r).is_some())
        .or(traced);
    for hint in &d.hints {
        diag = diag.with_hint(hint.v.to_string());
    }
    if is_version_skew(&d.message) {
        diag = diag.with_hint(OLD_TEMPLATE_HINT);
    }
    diag = diag.with_note(format!(
        "in the Typst source generated from {} (write it with --emit-typst to read it)",
        origin.meeting.display()
    ));
    match in_part.and_then(|r| place::part_at(parts, &r).map(|p| (p, r))) {
        Some((part, range)) => {
            let what = match part.of {
                PartOf::Bilaga { number, .. } => place::what(main.text(), &range, number),
                PartOf::Paragraf(_) => String::new(),
            };
            place::moved(diag, part, &what, main.text(), &range, origin.generated)
        }
        None => diag,
    }
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
