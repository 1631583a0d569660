//! One meeting, end to end: load and validate it once, make its documents
//! ([`crate::documents`]), typeset each ([`crate::typeset`]), and write every output of the
//! meeting together — all of them or, on any error, none (the previous files stay as they
//! were).

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::documents::{self, Document};
use crate::meeting::{self, Protocol};
use crate::render::Renderer;
use crate::typeset::{self, Origin, Typeset};
use crate::{bundle, output};

/// Where a meeting's outputs go. At least one of `pdf` and `bundle` is set.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Target {
    /// The protocol's PDF; `None` when only the bundle is wanted (`bundle -o x.zip`).
    pub pdf: Option<PathBuf>,
    /// The generated Typst source (`--emit-typst`).
    pub typst: Option<PathBuf>,
    /// The distribution bundle (zip).
    pub bundle: Option<PathBuf>,
    /// The protocol's file name inside the bundle, e.g. `2020-04-21.pdf`; the documents made
    /// from it are named after its stem (`2020-04-21-p8.pdf`).
    pub name: String,
    /// How the pages of PDF bilagor are made: the run's page cache below the output folder
    /// (a batch, `watch`), the route; default: no cache, each page's own route.
    #[serde(default)]
    pub pdf_pages: crate::bilaga::pdf::PageOptions,
    /// Where the build notes every file it reads through the sandbox, when the caller keeps
    /// a record of them (a batch's incremental key, `watch`); not sent to a worker process,
    /// which keeps its own.
    #[serde(skip)]
    pub reads: Option<crate::sandbox::Recorder>,
}

impl Target {
    /// The PDF at `pdf` (its file name also names it in a bundle), and nothing else.
    pub fn pdf(pdf: PathBuf) -> Self {
        Self {
            name: file_name(&pdf),
            pdf: Some(pdf),
            typst: None,
            bundle: None,
            pdf_pages: Default::default(),
            reads: None,
        }
    }

    /// Where diagnostics say the generated source is: where `--emit-typst` writes it.
    fn generated(&self) -> PathBuf {
        self.typst.clone().unwrap_or_else(|| {
            self.pdf
                .as_deref()
                .or(self.bundle.as_deref())
                .unwrap_or(Path::new(&self.name))
                .with_extension("typ")
        })
    }
}

/// What a successful run produced.
#[derive(Debug)]
pub struct Outcome {
    /// Every file written, the main one (the PDF, or the bundle without one) first.
    pub written: Vec<PathBuf>,
    /// Pages of the protocol (or of the document asked for).
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Checks a meeting file without rendering: the validated model and its warnings. A nämnd
/// meeting has passed the legal check too. The pages of PDF bilagor are converted (through
/// the page cache): the model is ready to typeset.
pub fn check(path: &Path) -> Result<(Protocol, Vec<Diagnostic>), Vec<Diagnostic>> {
    meeting::validate(meeting::load(path)?)
}

/// The meeting for its kallelse or meeting pack (`edition`, the members'): checked as
/// [`meeting::check`] does, no page of a PDF bilaga or handling drawn, then the pages of
/// those the pack prints drawn through `pages` (the run's page cache): the kallelse alone
/// draws none, and a protocol's bilaga the pack does not print is not drawn (issue 28).
pub fn kallelse(
    path: &Path,
    edition: &crate::documents::kallelse::Edition,
    pages: &crate::bilaga::pdf::PageOptions,
) -> Result<(Protocol, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (mut protocol, mut warnings) = meeting::check(meeting::load(path)?)?;
    if let Protocol::Namnd(m) = &mut protocol {
        let printed = crate::documents::kallelse::printed(m, edition);
        match meeting::draw_pages(m, &printed, pages) {
            Ok(drawn) => warnings.extend(drawn),
            Err(problems) => return Err(errors_first([problems, warnings].concat())),
        }
    }
    Ok((protocol, warnings))
}

/// Checks a meeting file as `assemble check` does: every problem [`check`] finds, except
/// that a PDF bilaga is opened, counted and refused where it must be but no page of it is
/// converted ([`meeting::check`]; issue 14). The model can give the Typst source, not a PDF.
pub(crate) fn check_only(
    path: &Path,
    ready: bool,
) -> Result<(Protocol, Vec<Diagnostic>), Vec<Diagnostic>> {
    check_only_recorded(path, ready, None)
}

/// As [`check_only`], every file the check read noted in `reads` (`assemble check`'s record).
pub(crate) fn check_only_recorded(
    path: &Path,
    ready: bool,
    reads: Option<&crate::sandbox::Recorder>,
) -> Result<(Protocol, Vec<Diagnostic>), Vec<Diagnostic>> {
    let loaded = meeting::load(path)?;
    let mut notes = personnummer_warnings(&loaded.file);
    if ready {
        notes.extend(meeting::remaining(&loaded));
    }
    match meeting::check_with(loaded, reads) {
        Ok((protocol, mut warnings)) => {
            warnings.extend(notes);
            Ok((protocol, warnings))
        }
        Err(mut problems) => {
            problems.extend(notes);
            Err(problems)
        }
    }
}

/// A personnummer or samordningsnummer in the meeting file that is not withheld: a warning
/// now, since the web edition refuses it later ([`crate::publish::guard`], the same
/// detector; comments are skipped, as they are never printed).
fn personnummer_warnings(file: &crate::diag::SourceFile) -> Vec<Diagnostic> {
    use crate::publish::{guard, marks, personnummer};
    let text = guard::blank_comments(&file.text);
    let (spans, _) = marks::spans(&text);
    personnummer::find(&text)
        .into_iter()
        .filter(|f| !marks::is_withheld(&spans, &f.range))
        .map(|f| {
            let written = &text[f.range.clone()];
            let keep = written.len().saturating_sub(4);
            Diagnostic::warning(format!(
                "a {} ({}XXXX) in the meeting file: the web edition refuses to publish it",
                f.kind.name(),
                &written[..keep]
            ))
            .at(file, f.range)
            .with_hint("remove it, or mark it {sekretess:personuppgift}…{/sekretess} if the protocol must keep it")
        })
        .collect()
}

/// The Typst source of a meeting's protocol (no compilation), with the model and warnings.
pub fn typst_source(
    path: &Path,
    renderer: &Renderer,
) -> Result<(Protocol, String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (protocol, warnings) = check(path)?;
    let ph = crate::documents::phrases::of(&protocol);
    let source = renderer.render(&protocol, ph)?.source;
    Ok((protocol, source, warnings))
}

/// Builds the protocol of the meeting at `path` into `target`: the PDF with its record as
/// data beside it (`.json`), and if asked the generated source and the bundle (with the documents [`documents::derived`] names). On any
/// error nothing is written but, if asked for, the generated source (to help find the
/// problem). Errors come first in the list, then the warnings found on the way.
pub fn build(
    path: &Path,
    renderer: &Renderer,
    target: &Target,
) -> Result<Outcome, Vec<Diagnostic>> {
    let loaded = meeting::load(path).map_err(errors_first)?;
    let (protocol, warnings) =
        meeting::validate_with(loaded, &target.pdf_pages, target.reads.as_ref())
            .map_err(errors_first)?;
    build_checked(path, &protocol, warnings, renderer, target)
}

/// [`build`] for a meeting already checked (`warnings`: the check's).
pub(crate) fn build_checked(
    path: &Path,
    protocol: &Protocol,
    mut warnings: Vec<Diagnostic>,
    renderer: &Renderer,
    target: &Target,
) -> Result<Outcome, Vec<Diagnostic>> {
    let with_warnings = |mut errors: Vec<Diagnostic>, warnings: &[Diagnostic]| {
        errors.extend(warnings.iter().cloned());
        errors_first(errors)
    };
    let job = documents::make(protocol, Document::Protocol, renderer)
        .map_err(|e| with_warnings(e, &warnings))?;
    if let Some(typ) = &target.typst {
        // Written even when typesetting fails: it is what the errors point into.
        output::write_atomic(typ, job.source.as_bytes()).map_err(|e| vec![write_error(typ, &e)])?;
    }
    let generated = target.generated();
    let reads = target.reads.as_ref();
    let done = typeset_placed(job, &origin(path, &generated, renderer, reads), renderer)
        .map_err(|e| with_warnings(e, &warnings))?;
    warnings.extend(done.warnings);

    let done_original = done.pdf.clone();
    let stem = Path::new(&target.name)
        .file_stem()
        .map_or("protokoll".into(), |s| s.to_string_lossy().into_owned());
    let versions = versions(path, protocol, renderer, target, &stem, done.pdf)
        .map_err(|e| with_warnings(e, &warnings))?;
    if let Some(original) = versions
        .first()
        .filter(|v| v.kept && !v.pdf.starts_with(&done_original))
    {
        warnings.push(
            Diagnostic::warning(format!(
                "`{}` is not the protocol the meeting file gives as justerat; it is kept as it is",
                original.name
            ))
            .with_hint("the § were changed in the meeting file after the protocol was built, or it was built by another version of protokoll: a justerat protocol is corrected by [[rattelse]], never by editing its §"),
        );
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if let Some(zip_path) = &target.bundle {
        let mut derived: Vec<(String, Vec<u8>)> = versions
            .iter()
            .skip(1)
            .map(|v| (v.name.clone(), v.pdf.clone()))
            .collect();
        for document in documents::derived(protocol) {
            let name = format!("{stem}{}.pdf", document.file_suffix());
            let origin = origin(path, &generated, renderer, reads);
            let one = typeset_document(&origin, protocol, document, renderer)
                .map_err(|e| with_warnings(e, &warnings))?;
            warnings.extend(one.warnings);
            derived.push((name, one.pdf));
        }
        let zip = bundle::build(protocol, &target.name, &versions[0].pdf, derived)
            .map_err(|e| vec![write_error(zip_path, &e)])?;
        files.push((zip_path.clone(), zip));
    }
    if let Some(pdf) = &target.pdf {
        // The record as data beside every protocol (issue 15): `<date>.json`, what the PDF
        // records, as the shipped schema docs/protokoll-record.schema.json describes it.
        let mut record = crate::publish::record::official(&protocol.current())
            .map_err(|e| with_warnings(vec![Diagnostic::error(e)], &warnings))?;
        if versions.len() > 1 {
            record.versions = versions
                .iter()
                .enumerate()
                .map(|(n, v)| crate::publish::record::Version {
                    version: n,
                    file: v.name.clone(),
                    sha256: bundle::sha256_hex(&v.pdf),
                })
                .collect();
        }
        files.insert(
            0,
            (pdf.with_extension("json"), record.to_json().into_bytes()),
        );
        // A version already written (the justerat original, maybe signed since) is left
        // as it is: only the versions not yet on disk are written.
        // The protocol as it stands (the last version) is named first.
        for v in versions.into_iter().filter(|v| !v.kept) {
            files.insert(0, (pdf.with_file_name(&v.name), v.pdf));
        }
    }
    output::write_all_atomic(&files).map_err(|(p, e)| vec![write_error(&p, &e)])?;
    Ok(Outcome {
        written: files
            .into_iter()
            .map(|(p, _)| p)
            .chain(target.typst.clone())
            .collect(),
        pages: done.pages,
        warnings,
    })
}

/// One version of a protocol's PDF: the original (0) or the one with rättelser 1..N made.
struct Version {
    /// Its file name: the protocol's, or `<stem>-rattelse-N.pdf`.
    name: String,
    pdf: Vec<u8>,
    /// Already on disk: those bytes, left as they are.
    kept: bool,
}

/// The versions of a protocol (issue 27): the original, built as `original`, and one a
/// rättelse (FL 36 §), named `<stem>-rattelse-N.pdf` beside it. Without rättelser, the
/// original alone, written as always. With them, a version whose file exists is never
/// made again: a justerat protocol may have been signed after it was built, and a
/// correction shows itself beside the original instead of replacing it (JO 581-2013). Its
/// bytes on disk are the version (the bundle and the record take them).
fn versions(
    path: &Path,
    protocol: &Protocol,
    renderer: &Renderer,
    target: &Target,
    stem: &str,
    original: Vec<u8>,
) -> Result<Vec<Version>, Vec<Diagnostic>> {
    let corrected = protocol.corrected();
    let mut out = vec![Version {
        name: target.name.clone(),
        pdf: original,
        kept: false,
    }];
    if corrected.is_empty() {
        return Ok(out);
    }
    let on_disk = |name: &str| {
        let file = target.pdf.as_ref()?.with_file_name(name);
        std::fs::read(file).ok()
    };
    if let Some(bytes) = on_disk(&target.name) {
        out[0] = Version {
            name: target.name.clone(),
            pdf: bytes,
            kept: true,
        };
    }
    for (n, m) in corrected.iter().enumerate() {
        let name = format!("{stem}-rattelse-{}.pdf", n + 1);
        if let Some(bytes) = on_disk(&name) {
            out.push(Version {
                name,
                pdf: bytes,
                kept: true,
            });
            continue;
        }
        let generated = target
            .pdf
            .as_deref()
            .map_or_else(|| PathBuf::from(&name), |p| p.with_file_name(&name))
            .with_extension("typ");
        let one = typeset_document(
            &origin(path, &generated, renderer, target.reads.as_ref()),
            m,
            Document::Protocol,
            renderer,
        )?;
        out.push(Version {
            name,
            pdf: one.pdf,
            kept: false,
        });
    }
    Ok(out)
}

/// Builds one document of a checked meeting (e.g. a protokollsutdrag) into `pdf`.
pub fn build_document(
    path: &Path,
    protocol: &Protocol,
    document: Document,
    renderer: &Renderer,
    pdf: &Path,
) -> Result<Outcome, Vec<Diagnostic>> {
    let generated = pdf.with_extension("typ");
    let done = typeset_document(
        &origin(path, &generated, renderer, None),
        protocol,
        document,
        renderer,
    )?;
    output::write_atomic(pdf, &done.pdf).map_err(|e| vec![write_error(pdf, &e)])?;
    Ok(Outcome {
        written: vec![pdf.to_path_buf()],
        pages: done.pages,
        warnings: done.warnings,
    })
}

fn typeset_document(
    origin: &Origin,
    protocol: &Protocol,
    document: Document,
    renderer: &Renderer,
) -> Result<Typeset, Vec<Diagnostic>> {
    let job = documents::make(protocol, document, renderer)?;
    typeset_placed(job, origin, renderer)
}

/// Typesets `job`: its errors and warnings from a bilaga's or a §'s part of the generated
/// source are placed at that bilaga or § in the meeting file ([`typeset::Job::parts`]).
fn typeset_placed(
    job: typeset::Job,
    origin: &Origin,
    renderer: &Renderer,
) -> Result<Typeset, Vec<Diagnostic>> {
    typeset::typeset(job, origin, renderer.typeset_options())
}

/// Where a document of the meeting at `meeting` comes from; the files it reads noted in
/// `reads` (the build's record, when it keeps one).
fn origin<'a>(
    meeting: &'a Path,
    generated: &'a Path,
    renderer: &'a Renderer,
    reads: Option<&'a crate::sandbox::Recorder>,
) -> Origin<'a> {
    Origin {
        meeting,
        generated,
        library: renderer.templates().library(),
        reads,
    }
}

fn errors_first(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    problems.sort_by_key(|d| !d.is_error());
    problems
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or("protokoll.pdf".into(), |n| n.to_string_lossy().into_owned())
}

/// "cannot write `out/x.pdf`: …", for any output.
pub fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write `{}`: {e}", path.display()))
}
