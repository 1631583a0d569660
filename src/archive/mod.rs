//! The archive package (`assemble archive`): what a kommun delivers to its e-arkiv. Each
//! justerat meeting — or each organ's year of them, for a batch delivery — becomes an E-ARK
//! SIP (CSIP/SIP 2.1, which Riksarkivet adopted as FGS Paketstruktur 2.0): a folder with
//! `METS.xml`, descriptive metadata in CITS ERMS (FGS Ärendehantering 2.0), PREMIS
//! preservation metadata, and two representations — the PDF/A documents, and the sources
//! they were made from ([`content`]).
//!
//! Deterministic: files in a fixed order, every date from the meeting, so the same
//! meetings give the same bytes. Incremental: a package records the hash of what it was
//! made from ([`source_key`]) and is rewritten only when that changed or the package no
//! longer verifies. [`verify`] checks a package against its METS.

mod content;
mod erms;
mod formats;
mod mets;
mod package;
mod premis;
mod verify;
mod xml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::inputs::MeetingFile;
use crate::meeting::Protocol;
use crate::meeting::model::Date;
use crate::render::Renderer;

pub use verify::Verified;

/// What one package holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    /// One package per meeting.
    Meeting,
    /// One package per organ and year: a batch delivery.
    Year,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Package folders written.
    pub written: Vec<PathBuf>,
    /// Package folders already up to date.
    pub unchanged: Vec<PathBuf>,
    /// Meeting files not justerade: never archived.
    pub drafts: Vec<PathBuf>,
    /// Each package that could not be made: its folder and every problem (nothing written).
    pub failed: Vec<(PathBuf, Vec<Diagnostic>)>,
    pub warnings: Vec<Diagnostic>,
}

/// One meeting, checked: where it is, its year, and the hash of its inputs.
struct Checked<'a> {
    file: &'a MeetingFile,
    year: i32,
    key: String,
}

/// Writes the packages of `meetings` into `out`, one per meeting or per organ and year;
/// a package whose meetings are unchanged is kept (unless `force`). One meeting's problem
/// fails its package only.
/// `protocols`: the folder the protocols were built into (the build's `--out-dir`), whose
/// versions — the justerat original, maybe signed since, and each rättelse's — the packages
/// hold byte for byte; `None`: they are typeset anew.
pub fn deliver(
    meetings: &[MeetingFile],
    out: &Path,
    per: Per,
    force: bool,
    protocols: Option<&Path>,
    renderer: &Renderer,
    today: time::Date,
) -> Summary {
    let mut summary = Summary::default();
    // (organ folder, package name) → its meetings, in date order.
    let mut groups: BTreeMap<(String, String), Vec<Checked>> = BTreeMap::new();
    for file in meetings {
        let (protocol, _) = match crate::pipeline::check_only(&file.path, false) {
            Ok(checked) => checked,
            Err(problems) => {
                summary.failed.push((file.path.clone(), problems));
                continue;
            }
        };
        if justerad(&protocol).is_none() {
            summary.drafts.push(file.path.clone());
            continue;
        }
        let folder = folder_id(&file.relative);
        let stem = file
            .relative
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let year = protocol.clock_date().0.year();
        let name = match per {
            Per::Meeting => stem,
            Per::Year => year.to_string(),
        };
        groups.entry((folder, name)).or_default().push(Checked {
            file,
            year,
            key: match protocols {
                Some(dir) => format!("{} {}", source_key(&file.path), built_key(dir, file)),
                None => source_key(&file.path),
            },
        });
    }
    for ((folder, name), mut members) in groups {
        members.sort_by(|a, b| (a.year, &a.file.relative).cmp(&(b.year, &b.file.relative)));
        let objid = format!("{folder}-{name}");
        let target = out.join(&objid);
        let mut hasher = Sha256::new();
        hasher.update(format!("protokoll {}\n", env!("CARGO_PKG_VERSION")));
        for m in &members {
            hasher.update(format!("{}\t{}\n", m.file.relative.display(), m.key));
        }
        let key = hex(&hasher.finalize());
        if !force
            && verify::recorded_key(&target).as_deref() == Some(key.as_str())
            && verify::check(&target).is_ok()
        {
            summary.unchanged.push(target);
            continue;
        }
        match make(
            &members, objid, folder, key, per, protocols, renderer, today,
        ) {
            Ok((files, warnings)) => {
                summary.warnings.extend(warnings);
                match package::write(&target, &files) {
                    Ok(()) => summary.written.push(target),
                    Err(e) => {
                        let problem = crate::pipeline::write_error(&target, &e);
                        summary.failed.push((target, vec![problem]));
                    }
                }
            }
            Err(problems) => summary.failed.push((target, problems)),
        }
    }
    summary
}

// One call site; the package's facts are passed as they are.
#[allow(clippy::too_many_arguments)]
fn make(
    members: &[Checked],
    objid: String,
    organ_id: String,
    key: String,
    per: Per,
    protocols: Option<&Path>,
    renderer: &Renderer,
    today: time::Date,
) -> Result<(Vec<package::Packed>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut meetings = Vec::new();
    let mut warnings = Vec::new();
    for m in members {
        let (path, relative) = (&m.file.path, &m.file.relative);
        let mut gathered = content::gather(path, relative, protocols, renderer, today)?;
        warnings.append(&mut gathered.warnings);
        meetings.push(gathered);
    }
    let first = &meetings[0];
    let arkivbildare = first.record.organization.name.clone();
    let kommun = first.record.organization.parent.clone();
    let label = match per {
        Per::Meeting => first.record.meeting.name.clone(),
        Per::Year => format!("{arkivbildare}: protokoll {}", first.year()),
    };
    let date = meetings
        .iter()
        .map(|m| justerad(&m.official).unwrap_or_else(|| m.official.clock_date()))
        .max()
        .map(date_time)
        .unwrap_or_default();
    let package = package::Package {
        objid,
        organ_id,
        label,
        arkivbildare,
        kommun,
        date,
        key,
        meetings,
    };
    Ok((package::files(&package), warnings))
}

/// Checks the package folder at `path` against its METS documents.
pub fn verify(path: &Path) -> Result<Verified, Vec<Diagnostic>> {
    verify::check(path).map_err(|problems| {
        let shown = crate::diag::display_path(path);
        problems
            .into_iter()
            .map(|p| Diagnostic::error(format!("{shown}: {p}")))
            .collect()
    })
}

/// Whether `path` looks like a package folder (it has a `METS.xml`), not a bundle.
pub fn is_package(path: &Path) -> bool {
    path.is_dir() && path.join("METS.xml").is_file()
}

/// The hash of what a meeting's package is made from: the meeting file, each bilaga file it
/// names (read without validating), and the organ's house style or its absence. A file that
/// cannot be read counts as its error, so a package is never kept on a guess.
pub(crate) fn source_key(meeting: &Path) -> String {
    let mut hasher = Sha256::new();
    let mut field = |name: &str, bytes: &[u8]| {
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    let text = std::fs::read(meeting).unwrap_or_default();
    field("meeting", &text);
    let folder = meeting.parent().unwrap_or(Path::new(""));
    for name in crate::incremental::bilaga_files(&text).unwrap_or_default() {
        // Only what the meeting's folder holds is read (the check refuses any other bilaga,
        // so such a name never reaches a package; it is hashed as a name only).
        let inside = Path::new(&name)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside {
            field(&name, b"outside the meeting folder");
            continue;
        }
        let bytes = std::fs::read(folder.join(&name))
            .unwrap_or_else(|e| format!("unreadable: {e}").into_bytes());
        field(&name, &bytes);
    }
    let style = std::fs::read(folder.join(crate::meeting::HOUSE_STYLE_FILE))
        .unwrap_or_else(|_| b"absent".to_vec());
    field("husstil", &style);
    hex(&hasher.finalize())
}

/// The hash of the protocol's versions as built into `protocols` (each file, or its
/// absence): a version signed or added since makes the package anew.
fn built_key(protocols: &Path, file: &MeetingFile) -> String {
    let mut hasher = Sha256::new();
    for version in 0..=crate::meeting::MAX_RATTELSER {
        let bytes = std::fs::read(content::built(protocols, &file.relative, version));
        match bytes {
            Ok(bytes) => hasher.update(Sha256::digest(&bytes)),
            Err(_) => hasher.update(b"absent"),
        }
    }
    hex(&hasher.finalize())
}

/// A digest as lowercase hex.
pub(crate) fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A meeting's folder below the archive as an id part: "amn" ("protokoll" at the top).
fn folder_id(relative: &Path) -> String {
    let parts: Vec<String> = relative
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        "protokoll".into()
    } else {
        parts.join("-")
    }
}

fn justerad(p: &Protocol) -> Option<Date> {
    match p {
        Protocol::Fvg(m) => m.justerad,
        Protocol::Namnd(m) => m.justerad,
    }
}

/// A day as xs:dateTime at midnight: the dates of the meeting file carry no time of day.
pub(crate) fn date_time(day: Date) -> String {
    format!("{}T00:00:00", day.iso())
}

/// The officials of a meeting, as the protocol names them.
pub(crate) struct Officials {
    pub ordforande: Option<String>,
    pub justerare: Vec<String>,
    pub sekreterare: Option<String>,
}

pub(crate) fn officials(p: &Protocol) -> Officials {
    match p {
        Protocol::Fvg(m) => Officials {
            ordforande: Some(m.ordforande.clone()),
            justerare: m.justerare.clone(),
            sekreterare: Some(m.sekreterare.clone()),
        },
        Protocol::Namnd(m) => Officials {
            ordforande: m
                .attendance
                .ordforande
                .as_ref()
                .map(crate::documents::phrases::display),
            justerare: m
                .justerare
                .iter()
                .map(|j| crate::documents::phrases::member(m, *j))
                .collect(),
            sekreterare: m.sekreterare.clone(),
        },
    }
}
