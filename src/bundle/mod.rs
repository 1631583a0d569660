//! Zip bundles for distribution: the protocol PDF, every bilaga's original file, the
//! documents made from the protocol (for a nämnd: the protokollsutdrag of each § justerad
//! omedelbart and, once justerat, the anslagsbevis) and a `manifest.json` with each file's
//! size and SHA-256. Byte-identical for the same input
//! (fixed order, fixed timestamps, fixed compression), and verifiable by a consumer.

use std::collections::HashSet;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::meeting::Protocol;

mod layout;

/// The name of the manifest inside a bundle.
pub(crate) const MANIFEST: &str = "manifest.json";

/// What `manifest.json` says about a bundle.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The tool that made the bundle, e.g. `protokoll 0.1.0`.
    pub tool: String,
    pub organ: String,
    pub title: String,
    /// Meeting date, ISO.
    pub date: String,
    /// Justering date, ISO; absent for a draft.
    pub justerad: Option<String>,
    /// The file name of the protocol PDF in the bundle.
    pub protocol: String,
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Builds the bundle of one meeting in memory: the protocol, then `derived` (name, bytes:
/// documents made from it), then the bilagor's originals.
pub fn build(
    protocol: &Protocol,
    pdf_name: &str,
    pdf: &[u8],
    derived: Vec<(String, Vec<u8>)>,
) -> std::io::Result<Vec<u8>> {
    // Every name as every system keeps it (`verify` refuses any other).
    let pdf_name = layout::portable(pdf_name);
    let pdf_name = pdf_name.as_str();
    let mut files: Vec<(String, Vec<u8>)> = vec![(pdf_name.to_string(), pdf.to_vec())];
    files.extend(
        derived
            .into_iter()
            .map(|(name, bytes)| (layout::portable(&name), bytes)),
    );
    // A bilaga written as structure in the meeting file (yrkanden) has no original file.
    for (b, path) in protocol
        .bilagor()
        .iter()
        .filter_map(|b| Some((b, b.path.as_ref()?)))
    {
        let original = path
            .file_name()
            .map(|n| layout::portable(&n.to_string_lossy()))
            .unwrap_or_default();
        let bytes = crate::sandbox::read_file(path)?;
        files.push((format!("bilagor/bilaga-{}-{original}", b.number), bytes));
    }
    let manifest = Manifest {
        tool: format!("protokoll {}", env!("CARGO_PKG_VERSION")),
        organ: protocol.organ().to_string(),
        title: match protocol {
            Protocol::Fvg(m) => crate::documents::fvg::title(m),
            Protocol::Namnd(m) => crate::documents::phrases::title(m),
        },
        date: protocol.clock_date().iso(),
        justerad: match protocol {
            Protocol::Fvg(m) => m.justerad,
            Protocol::Namnd(m) => m.justerad,
        }
        .map(|d| d.iso()),
        protocol: pdf_name.to_string(),
        files: files
            .iter()
            .map(|(name, bytes)| FileEntry {
                name: name.clone(),
                size: bytes.len() as u64,
                sha256: sha256_hex(bytes),
            })
            .collect(),
    };
    let mut json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
    json.push(b'\n');

    // Every entry carries the meeting's date as its time and the same permissions, so the
    // archive depends on nothing but its content.
    let d = protocol.clock_date().0;
    let stamp = DateTime::from_date_and_time(
        d.year().clamp(1980, 2107) as u16,
        u8::from(d.month()),
        d.day(),
        0,
        0,
        0,
    )
    .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(stamp)
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file(MANIFEST, options)
        .map_err(std::io::Error::other)?;
    zip.write_all(&json)?;
    for (name, bytes) in &files {
        zip.start_file(name.as_str(), options)
            .map_err(std::io::Error::other)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

/// Refuses what a bundle never holds (issue 13): names that would be written outside the
/// folder it is unpacked in (`../../x`, `/etc/cron.d/x`, `C:/x`), symbolic links, folders,
/// and two entries of one name (a reader unpacks one of them, unchecked).
fn entries_are_regular_files<R: Read + std::io::Seek>(
    zip: &mut ZipArchive<R>,
) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    if zip.has_duplicate_names() {
        problems.push(
            "two entries have the same name: a bundle holds each file once, so one of them would go unchecked"
                .to_string(),
        );
    }
    for i in 0..zip.len() {
        let entry = match zip.by_index_raw(i) {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("entry {} is unreadable: {e}", i + 1));
                continue;
            }
        };
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if entry.is_symlink() {
            problems.push(format!(
                "`{}` is a symbolic link: a bundle holds only regular files",
                name.escape_debug()
            ));
        } else if !entry.is_file() {
            problems.push(format!(
                "`{}` is a folder entry: a bundle holds only regular files",
                name.escape_debug()
            ));
        } else if !safe_name(&name) {
            problems.push(format!(
                "`{}` is not a plain relative name: a bundle's files stay inside the folder it is unpacked in",
                name.escape_debug()
            ));
        } else if let Some(why) = layout::unportable(&name) {
            problems.push(format!(
                "`{}` would not unpack as itself everywhere: {why}",
                name.escape_debug()
            ));
        }
    }
    let names: Vec<String> = (0..zip.len())
        .filter_map(|i| zip.name_for_index(i)?.ok().map(|n| n.into_owned()))
        .collect();
    problems.extend(layout::collisions(names.iter().map(String::as_str)));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A name a bundle may hold: relative, `/`-separated, no `..`, `.` or empty part, no
/// backslash, drive letter or control character.
fn safe_name(name: &str) -> bool {
    let drive = name.as_bytes().get(1) == Some(&b':');
    !name.is_empty()
        && !drive
        && !name.chars().any(|c| c.is_control() || c == '\\')
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Limits for reading a bundle someone sent: a zip bomb must not exhaust the machine.
const MAX_ENTRIES: usize = 10_000;
const MAX_TOTAL_BYTES: u64 = 200 * 1024 * 1024;

/// Checks a bundle: the manifest is readable, every file it lists is present with its size
/// and SHA-256, nothing unlisted is there, and the protocol it names is among the files.
/// Returns the manifest, or every problem found, each naming the bundle.
pub fn verify(path: &Path) -> Result<Manifest, Vec<crate::diag::Diagnostic>> {
    problems_in(path).map_err(|problems| {
        let shown = path.display();
        problems
            .into_iter()
            .map(|p| crate::diag::Diagnostic::error(format!("{shown}: {p}")))
            .collect()
    })
}

fn problems_in(path: &Path) -> Result<Manifest, Vec<String>> {
    let size = std::fs::metadata(path)
        .map_err(|e| vec![format!("cannot open: {e}")])?
        .len();
    if size > MAX_TOTAL_BYTES {
        return Err(vec![format!(
            "{size} bytes: more than a bundle can be ({MAX_TOTAL_BYTES})"
        )]);
    }
    let bytes = crate::sandbox::read_file(path).map_err(|e| vec![format!("cannot open: {e}")])?;
    // What the central directory says must be what a streaming unzip reads (issue 29).
    let disagreements = layout::disagreements(&bytes);
    if !disagreements.is_empty() {
        return Err(disagreements);
    }
    let mut zip =
        ZipArchive::new(Cursor::new(bytes)).map_err(|e| vec![format!("not a zip file: {e}")])?;
    if zip.len() > MAX_ENTRIES {
        return Err(vec![format!(
            "{} entries: more than a bundle can hold ({MAX_ENTRIES})",
            zip.len()
        )]);
    }
    entries_are_regular_files(&mut zip)?;
    let manifest: Manifest = {
        let mut entry = zip
            .by_name(MANIFEST)
            .map_err(|_| vec![format!("no {MANIFEST} in the bundle")])?;
        let mut text = String::new();
        entry
            .by_ref()
            .take(16 * 1024 * 1024)
            .read_to_string(&mut text)
            .map_err(|e| vec![format!("{MANIFEST} is unreadable: {e}")])?;
        serde_json::from_str(&text)
            .map_err(|e| vec![format!("{MANIFEST} is not a protokoll manifest: {e}")])?
    };
    let mut problems = Vec::new();
    if manifest.files.len() > MAX_ENTRIES {
        return Err(vec![format!(
            "{MANIFEST} lists {} files: more than a bundle can hold ({MAX_ENTRIES})",
            manifest.files.len()
        )]);
    }
    let mut listed = HashSet::new();
    for f in &manifest.files {
        if !listed.insert(f.name.as_str()) {
            problems.push(format!("{MANIFEST} lists `{}` twice", f.name));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut total = 0u64;
    for f in &manifest.files {
        let Ok(mut entry) = zip.by_name(&f.name) else {
            problems.push(format!("`{}` is listed but missing", f.name));
            continue;
        };
        let mut bytes = Vec::new();
        let budget = MAX_TOTAL_BYTES.saturating_sub(total) + 1;
        if let Err(e) = entry.by_ref().take(budget).read_to_end(&mut bytes) {
            problems.push(format!("`{}` is unreadable: {e}", f.name));
            continue;
        }
        total += bytes.len() as u64;
        if total > MAX_TOTAL_BYTES {
            problems.push(format!(
                "the bundle unpacks to more than {MAX_TOTAL_BYTES} bytes"
            ));
            break;
        }
        if bytes.len() as u64 != f.size {
            problems.push(format!(
                "`{}` has {} bytes, the manifest says {}",
                f.name,
                bytes.len(),
                f.size
            ));
        } else if sha256_hex(&bytes) != f.sha256 {
            problems.push(format!(
                "`{}` does not match its SHA-256 in the manifest",
                f.name
            ));
        }
    }
    for name in zip.file_names() {
        match name {
            Ok(name) if name == MANIFEST || listed.contains(&*name) => {}
            Ok(name) => problems.push(format!("`{name}` is in the bundle but not in the manifest")),
            Err(e) => problems.push(format!("an entry has an unreadable name: {e}")),
        }
    }
    if !listed.contains(manifest.protocol.as_str()) {
        problems.push(format!(
            "the protocol `{}` named by the manifest is not among its files",
            manifest.protocol
        ));
    }
    if problems.is_empty() {
        Ok(manifest)
    } else {
        Err(problems)
    }
}
