//! One meeting's content for the archive, made with the same library calls as `build`,
//! `extract`, `anslag` and `publish`: the PDF/A documents (protocol, the protokollsutdrag of
//! each § justerad omedelbart, the anslagsbevis, the web edition and the web edition of an
//! extract that carries withheld text), and the sources (the meeting file, each bilaga's
//! original, the record as data, official and web). Nothing is written here.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::documents::{self, Document, webbutgava};
use crate::export::Conformance;
use crate::meeting::Protocol;
use crate::publish::record::Record;
use crate::publish::redact::Withholding;
use crate::publish::web;
use crate::render::Renderer;
use crate::typeset::{self, Job, Origin};

/// The two representations of a package: the documents as kept, and what they were made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Rep {
    /// `representations/rep1`: the PDF/A documents.
    Pdfa,
    /// `representations/rep2`: the meeting file, the bilagor's originals, the records (JSON).
    Source,
}

/// What a file of the meeting is: it decides its ERMS record type and PREMIS format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Protocol,
    Utdrag(u32),
    Anslagsbevis,
    /// The protocol with rättelser 1..N made (version N; the original is `Protocol`).
    Rattelse(usize),
    Webb,
    WebbUtdrag(u32),
    MeetingFile,
    /// A bilaga's original file: its number and title.
    Bilaga(usize, String),
    Record,
    WebRecord,
    /// The verification of the signed versions' signatures (`assemble verify --json`).
    Signaturer,
}

/// One file of a meeting, named below its representation's `data/`.
#[derive(Debug, Clone)]
pub struct Item {
    pub(crate) rep: Rep,
    pub name: String,
    pub bytes: Vec<u8>,
    pub kind: Kind,
    /// The PDF/A part a document was exported under.
    pub conformance: Option<Conformance>,
}

/// A justerat meeting, ready to pack.
pub(crate) struct Meeting {
    /// The meeting file's name without `.toml`: "2020-04-21".
    pub stem: String,
    pub official: Protocol,
    pub record: Record,
    pub(crate) withholding: Withholding,
    pub items: Vec<Item>,
    /// The SHA-256 of the meeting file as read.
    pub(crate) source_sha256: String,
    pub warnings: Vec<Diagnostic>,
}

impl Meeting {
    pub(crate) fn year(&self) -> i32 {
        self.official.clock_date().0.year()
    }
}

/// Where the protocol's versions were built: the original `<dir>/<relative>.pdf` and each
/// rättelse's `<dir>/<relative>-rattelse-N.pdf` (the build's `--out-dir`).
pub(crate) fn built(protocols: &Path, relative: &Path, version: usize) -> PathBuf {
    let mut name = protocols.join(relative).into_os_string();
    match version {
        0 => name.push(".pdf"),
        n => name.push(format!("-rattelse-{n}.pdf")),
    }
    PathBuf::from(name)
}

/// Makes every document of the justerat meeting at `path` (`relative`: its path below the
/// archive without extension, "amn/2020-04-21"). The protocol's versions — the justerat
/// original and one a rättelse — are taken byte for byte from `protocols` (the folder they
/// were built into) where it has them: the original may have been signed since. Errors:
/// the meeting's, or any document's.
pub(crate) fn gather(
    path: &Path,
    relative: &Path,
    protocols: Option<&Path>,
    renderer: &Renderer,
    today: time::Date,
) -> Result<Meeting, Vec<Diagnostic>> {
    let source = std::fs::read(path).map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot read `{}`: {e}",
            path.display()
        ))]
    })?;
    // The web edition's preparation checks the meeting whole (guard included) and gives the
    // official model and both records from one read.
    let prepared = web::prepare(path, today)?;
    let stem = relative
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut warnings = prepared.warnings.clone();
    let mut items = Vec::new();
    let official = &prepared.official;
    let library = renderer.templates().library();
    let mut set = |job: Job, name: String, kind: Kind| -> Result<(), Vec<Diagnostic>> {
        let generated = path.with_file_name(Path::new(&name).with_extension("typ"));
        let conformance = job.conformance;
        let done = typeset::typeset(
            job,
            &Origin {
                meeting: path,
                generated: &generated,
                library,
                reads: None,
            },
            renderer.typeset_options(),
        )?;
        warnings.extend(done.warnings);
        items.push(Item {
            rep: Rep::Pdfa,
            name,
            bytes: done.pdf,
            kind,
            conformance: Some(conformance),
        });
        Ok(())
    };
    set(
        documents::make(official, Document::Protocol, renderer)?,
        format!("{stem}.pdf"),
        Kind::Protocol,
    )?;
    for (n, version) in official.corrected().iter().enumerate() {
        set(
            documents::make(version, Document::Protocol, renderer)?,
            format!("{stem}-rattelse-{}.pdf", n + 1),
            Kind::Rattelse(n + 1),
        )?;
    }
    for document in documents::derived(official) {
        let (name, kind) = match document {
            Document::Protokollsutdrag(n) => (format!("{stem}-paragraf-{n}.pdf"), Kind::Utdrag(n)),
            Document::Anslagsbevis => (format!("{stem}-anslag.pdf"), Kind::Anslagsbevis),
            Document::Protocol => continue,
        };
        set(documents::make(official, document, renderer)?, name, kind)?;
    }
    // The web edition of the protocol as it stands, named as `publish` names it: a corrected
    // protocol's is version N's (`-rattelse-N-webb.pdf`), `-webb.pdf` stays the original's.
    let webb = webbutgava::file_name(&stem, official.corrected().len());
    set(
        webbutgava::make(&prepared, renderer, None)?,
        webb,
        Kind::Webb,
    )?;
    if let Protocol::Namnd(m) = official {
        for p in m.paragrafer.iter().filter(|p| p.omedelbar_justering) {
            if prepared.utdrag_carries_removed(p.number) {
                set(
                    webbutgava::make_utdrag(&prepared, p.number, renderer)?,
                    format!("{stem}-paragraf-{}-webb.pdf", p.number),
                    Kind::WebbUtdrag(p.number),
                )?;
            }
        }
    }
    if let Some(dir) = protocols {
        warnings.extend(as_built(&mut items, dir, relative));
    }
    let report = signaturer(&items, &mut warnings);
    let versions = versions(&items);
    let mut source_item = |name: String, bytes: Vec<u8>, kind: Kind| {
        items.push(Item {
            rep: Rep::Source,
            name,
            bytes,
            kind,
            conformance: None,
        })
    };
    let source_sha256 = crate::bundle::sha256_hex(&source);
    source_item(format!("{stem}.toml"), source, Kind::MeetingFile);
    let folder_of_meeting = path.parent().unwrap_or(Path::new(""));
    for b in official.bilagor() {
        let Some(file) = &b.path else { continue };
        let bytes = std::fs::read(file).map_err(|e| {
            vec![Diagnostic::error(format!(
                "cannot read bilaga `{}`: {e}",
                file.display()
            ))]
        })?;
        source_item(
            relative_name(folder_of_meeting, file),
            bytes,
            Kind::Bilaga(b.number, b.title.clone()),
        );
    }
    if let Some(report) = report {
        source_item(format!("{stem}-signaturer.json"), report, Kind::Signaturer);
    }
    // The record is of the protocol as it stands, listing every version with its checksum,
    // as a build writes it beside the PDFs.
    let mut record = if official.corrected().is_empty() {
        prepared.official_record
    } else {
        crate::publish::record::official(&official.current())
            .map_err(|e| vec![Diagnostic::error(e)])?
    };
    record.versions = versions;
    source_item(
        format!("{stem}.json"),
        record.to_json().into_bytes(),
        Kind::Record,
    );
    source_item(
        format!("{stem}-webb.json"),
        prepared.web_record.to_json().into_bytes(),
        Kind::WebRecord,
    );
    Ok(Meeting {
        stem,
        official: prepared.official,
        record,
        withholding: prepared.withholding,
        items,
        source_sha256,
        warnings,
    })
}

/// The versions as built into `dir`, in place of those typeset here: a version's file there
/// is taken byte for byte (signatures and all). Warnings: a version not found there (the
/// package holds it as typeset now, unsigned), and an original that is not the protocol the
/// meeting file gives as justerat (kept as it is, as a build keeps it).
fn as_built(items: &mut [Item], dir: &Path, relative: &Path) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for item in items.iter_mut() {
        let version = match item.kind {
            Kind::Protocol => 0,
            Kind::Rattelse(n) => n,
            _ => continue,
        };
        let file = built(dir, relative, version);
        let shown = file.display();
        match std::fs::read(&file) {
            Ok(bytes) => {
                if version == 0 && !bytes.starts_with(&item.bytes) {
                    warnings.push(
                        Diagnostic::warning(format!(
                            "`{shown}` is not the protocol the meeting file gives as justerat; the package holds it as it is"
                        ))
                        .with_hint("a justerat protocol is corrected by [[rattelse]], never by editing its §; build the meeting again to see which"),
                    );
                }
                item.bytes = bytes;
            }
            Err(e) => warnings.push(
                Diagnostic::warning(format!(
                    "`{shown}` cannot be read ({}): the package holds the protocol as typeset now, without any signature",
                    crate::sandbox::io_reason(&e)
                ))
                .with_hint("--protocols names the folder the protocols were built into (the build's --out-dir)"),
            ),
        }
    }
    warnings
}

/// The record's list of the protocol's versions, each with its SHA-256 (none when the
/// protocol has no rättelse: the original is the protocol).
fn versions(items: &[Item]) -> Vec<crate::publish::record::Version> {
    let all: Vec<crate::publish::record::Version> = items
        .iter()
        .filter_map(|i| match i.kind {
            Kind::Protocol => Some((0, i)),
            Kind::Rattelse(n) => Some((n, i)),
            _ => None,
        })
        .map(|(version, i)| crate::publish::record::Version {
            version,
            file: i.name.clone(),
            sha256: crate::bundle::sha256_hex(&i.bytes),
        })
        .collect();
    if all.len() > 1 { all } else { Vec::new() }
}

/// The verification of every signed version's signatures, as `assemble verify --json`
/// reports it (no roots: the chain is for the e-arkiv to judge against its own trust
/// list); `None` when no version is signed. A version that cannot be read is a warning.
fn signaturer(items: &[Item], warnings: &mut Vec<Diagnostic>) -> Option<Vec<u8>> {
    let mut files = Vec::new();
    for i in items
        .iter()
        .filter(|i| matches!(i.kind, Kind::Protocol | Kind::Rattelse(_)))
    {
        match crate::signature::verify(&i.bytes, None) {
            Ok(reports) if reports.is_empty() => {}
            Ok(reports) => files.push(crate::signature::file_report(&i.name, &reports)),
            Err(e) => warnings.push(Diagnostic::warning(format!(
                "the signatures of `{}` cannot be verified: {e}",
                i.name
            ))),
        }
    }
    if files.is_empty() {
        return None;
    }
    let mut text = serde_json::to_string_pretty(&files).unwrap_or_default();
    text.push('\n');
    Some(text.into_bytes())
}

/// A bilaga's name in the package: its path below the meeting file's folder, `/`-separated
/// ("2020-04-21/motion.pdf"), as the meeting file names it. A bilaga is always inside the
/// meeting's folder (the sandbox refuses any other), so the fallback is only its file name.
fn relative_name(folder: &Path, file: &Path) -> String {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let below: PathBuf = canonical(file)
        .strip_prefix(canonical(folder))
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| PathBuf::from(file.file_name().unwrap_or_default()));
    below
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
