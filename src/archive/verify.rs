//! `assemble verify PACKAGE`: a package folder against its METS: every file the package
//! METS and each representation's METS list (and the metadata they reference) is there,
//! with its size and SHA-256; nothing unlisted is in the package; no reference leaves it.

use std::collections::BTreeSet;
use std::path::{Component, Path};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::mets::{SOURCE_KEY, path_of};

/// A METS document larger than this is not one of ours: refused before it is parsed.
const MAX_METS_BYTES: u64 = 64 * 1024 * 1024;

/// What a verified package holds.
#[derive(Debug)]
pub struct Verified {
    pub objid: String,
    /// Files checked, METS documents included.
    pub files: usize,
}

/// One reference in a METS document: where, and what it should be.
struct Reference {
    href: String,
    size: Option<u64>,
    sha256: Option<String>,
}

struct Parsed {
    objid: String,
    key: Option<String>,
    references: Vec<Reference>,
}

fn attribute(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let mut reader = Reader::from_reader(bytes);
    let mut parsed = Parsed {
        objid: String::new(),
        key: None,
        references: Vec::new(),
    };
    let mut open_file: Option<(Option<u64>, Option<String>)> = None;
    let mut in_key = false;
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("is not well-formed XML: {e}"))?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let size = || attribute(e, b"SIZE").and_then(|s| s.parse().ok());
                let sum = || attribute(e, b"CHECKSUM").map(|s| s.to_ascii_lowercase());
                match e.local_name().as_ref() {
                    b"mets" => parsed.objid = attribute(e, b"OBJID").unwrap_or_default(),
                    b"file" if !empty => open_file = Some((size(), sum())),
                    b"FLocat" => {
                        let (size, sha256) = open_file.clone().unwrap_or((None, None));
                        if let Some(href) = attribute(e, b"xlink:href") {
                            parsed.references.push(Reference { href, size, sha256 });
                        }
                    }
                    b"mdRef" => {
                        if let Some(href) = attribute(e, b"xlink:href") {
                            parsed.references.push(Reference {
                                href,
                                size: size(),
                                sha256: sum(),
                            });
                        }
                    }
                    b"altRecordID" if !empty => {
                        in_key = attribute(e, b"TYPE").as_deref() == Some(SOURCE_KEY);
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_key => {
                parsed.key = t.decode().ok().map(|s| s.trim().to_string());
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"file" => open_file = None,
                b"altRecordID" => in_key = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(parsed)
}

/// A reference's path below the package: relative, no `..`, nothing but plain parts.
fn safe(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

fn read_mets(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("is not a regular file".into());
    }
    if meta.len() > MAX_METS_BYTES {
        return Err(format!("has more than {MAX_METS_BYTES} bytes"));
    }
    std::fs::read(path).map_err(|e| format!("cannot read: {e}"))
}

/// The source key a package's METS records, if it has one and is readable.
pub(crate) fn recorded_key(package: &Path) -> Option<String> {
    let bytes = read_mets(&package.join("METS.xml")).ok()?;
    parse(&bytes).ok()?.key
}

/// Checks the package folder `root`; every problem found, as plain sentences.
pub(crate) fn check(root: &Path) -> Result<Verified, Vec<String>> {
    let mut problems = Vec::new();
    let mut listed: BTreeSet<String> = BTreeSet::new();
    let top = read_mets(&root.join("METS.xml")).map_err(|e| vec![format!("METS.xml {e}")])?;
    let parsed = parse(&top).map_err(|e| vec![format!("METS.xml {e}")])?;
    listed.insert("METS.xml".into());
    let mut queue = vec![(String::new(), parsed.references)];
    while let Some((base, references)) = queue.pop() {
        for r in references {
            let Some(below) = path_of(&r.href) else {
                problems.push(format!(
                    "`{}` is not a reference this package can hold",
                    r.href
                ));
                continue;
            };
            let path = format!("{base}{below}");
            if !safe(&path) {
                problems.push(format!("`{path}` points outside the package"));
                continue;
            }
            if !listed.insert(path.clone()) {
                continue;
            }
            let file = root.join(&path);
            let (size, sha256, bytes) = match std::fs::symlink_metadata(&file) {
                Ok(m) if m.is_file() => match digest(&file, path.ends_with("METS.xml")) {
                    Ok(d) => d,
                    Err(e) => {
                        problems.push(format!("`{path}` cannot be read: {e}"));
                        continue;
                    }
                },
                Ok(_) => {
                    problems.push(format!("`{path}` is not a regular file"));
                    continue;
                }
                Err(_) => {
                    problems.push(format!("`{path}` is listed but missing"));
                    continue;
                }
            };
            match (r.size, &r.sha256) {
                (Some(expected), _) if expected != size => problems.push(format!(
                    "`{path}` has {size} bytes, the METS says {expected}"
                )),
                (_, Some(sum)) if *sum != sha256 => {
                    problems.push(format!("`{path}` does not match its SHA-256 in the METS"))
                }
                (_, None) => problems.push(format!("`{path}` has no checksum in the METS")),
                _ => {}
            }
            // A representation's METS lists its own files, relative to its folder.
            if path.starts_with("representations/") && path.ends_with("/METS.xml") {
                let Some(bytes) = bytes else {
                    problems.push(format!("`{path}` has more than {MAX_METS_BYTES} bytes"));
                    continue;
                };
                match parse(&bytes) {
                    Ok(p) => {
                        let folder = path.trim_end_matches("METS.xml").to_string();
                        queue.push((folder, p.references));
                    }
                    Err(e) => problems.push(format!("`{path}` {e}")),
                }
            }
        }
    }
    let mut present = BTreeSet::new();
    collect(root, "", &mut present, &mut problems);
    for extra in present.difference(&listed) {
        problems.push(format!("`{extra}` is in the package but in no METS"));
    }
    if problems.is_empty() {
        Ok(Verified {
            objid: parsed.objid,
            files: listed.len(),
        })
    } else {
        Err(problems)
    }
}

/// A file's size and SHA-256, read in pieces (a package's PDF may be large); its bytes too
/// when `keep` (a METS document, parsed next), within the METS cap.
fn digest(path: &Path, keep: bool) -> std::io::Result<(u64, String, Option<Vec<u8>>)> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut kept = Vec::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
        if keep && size <= MAX_METS_BYTES {
            kept.extend_from_slice(&buf[..n]);
        }
    }
    let sum = super::hex(&hasher.finalize());
    Ok((size, sum, (keep && size <= MAX_METS_BYTES).then_some(kept)))
}

/// Every regular file below `dir`, as `/`-separated paths; links and odd entries named.
fn collect(dir: &Path, prefix: &str, out: &mut BTreeSet<String>, problems: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        problems.push(format!("`{prefix}` cannot be listed"));
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{prefix}{name}");
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect(&entry.path(), &format!("{path}/"), out, problems),
            Ok(t) if t.is_file() => {
                out.insert(path);
            }
            _ => problems.push(format!("`{path}` is not a regular file")),
        }
    }
}
