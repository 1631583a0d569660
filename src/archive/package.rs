//! One package in memory: its identity, the meetings it holds, and every file with its
//! path, bytes, SHA-256 and format — then written as a folder, whole or not at all.
//!
//! Layout (E-ARK CSIP 2.1):
//! ```text
//! <OBJID>/METS.xml
//!         metadata/descriptive/ERMS.xml
//!         metadata/preservation/PREMIS.xml
//!         schemas/…                               the XML schemas the documents use
//!         documentation/…                         JSON Schemas of the meeting file and record
//!         representations/rep1/METS.xml, data/…   the PDF/A documents
//!         representations/rep2/METS.xml, data/…   the sources and the records as data
//! ```

use std::path::{Path, PathBuf};

use super::content::{Kind, Meeting, Rep};
use super::formats::{self, Format};
use super::{erms, mets, premis};
use crate::bundle::sha256_hex;

/// A package about to be written.
pub(crate) struct Package {
    /// The package's id and folder name: "amn-2020-04-21", "amn-2020".
    pub objid: String,
    /// The organ's folder as an id part: "amn".
    pub(crate) organ_id: String,
    pub label: String,
    /// The nämnd (or FVG) whose records these are.
    pub arkivbildare: String,
    /// The kommun, which submits the package.
    pub kommun: String,
    /// The package's date (xs:dateTime): the latest justering among its meetings.
    pub date: String,
    /// What the package is made from ([`super::source_key`]), recorded in its METS.
    pub key: String,
    pub meetings: Vec<Meeting>,
}

/// A file of the package.
pub(crate) struct Packed {
    /// Below the package's folder, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub format: Format,
    /// The meeting (index) and kind of a content file; `None` for metadata.
    pub meeting: Option<usize>,
    pub kind: Option<Kind>,
}

impl Packed {
    fn new(path: String, bytes: Vec<u8>, format: Format) -> Self {
        Self {
            sha256: sha256_hex(&bytes),
            path,
            bytes,
            format,
            meeting: None,
            kind: None,
        }
    }
}

fn rep_name(rep: Rep) -> &'static str {
    match rep {
        Rep::Pdfa => "rep1",
        Rep::Source => "rep2",
    }
}

/// The XML schemas every package carries (CSIP: the schemas of its XML, in `schemas/`);
/// sources and licences in `src/archive/schemas/README.md`.
const SCHEMAS: [(&str, &[u8]); 6] = [
    ("mets.xsd", include_bytes!("schemas/mets.xsd")),
    ("xlink.xsd", include_bytes!("schemas/xlink.xsd")),
    (
        "DILCISExtensionMETS.xsd",
        include_bytes!("schemas/DILCISExtensionMETS.xsd"),
    ),
    (
        "DILCISExtensionSIPMETS.xsd",
        include_bytes!("schemas/DILCISExtensionSIPMETS.xsd"),
    ),
    ("premis.xsd", include_bytes!("schemas/premis.xsd")),
    ("ERMS.xsd", include_bytes!("schemas/ERMS.xsd")),
];

/// Every file of the package, METS.xml first.
pub(crate) fn files(package: &Package) -> Vec<Packed> {
    let mut content: Vec<Packed> = Vec::new();
    for rep in [Rep::Pdfa, Rep::Source] {
        for (i, m) in package.meetings.iter().enumerate() {
            for item in m.items.iter().filter(|it| it.rep == rep) {
                let path = format!("representations/{}/data/{}", rep_name(rep), item.name);
                // One bilaga file named by two meetings of a year: kept once.
                if content.iter().any(|c| c.path == path) {
                    continue;
                }
                let format = match item.conformance {
                    Some(c) => formats::pdfa(c),
                    None => formats::source(&item.name, &item.bytes),
                };
                let mut p = Packed::new(path, item.bytes.clone(), format);
                p.meeting = Some(i);
                p.kind = Some(item.kind.clone());
                content.push(p);
            }
        }
    }
    let xml = || formats::source("x.xml", b"");
    let erms = Packed::new(
        "metadata/descriptive/ERMS.xml".into(),
        erms::write(package, &content),
        xml(),
    );
    let premis = Packed::new(
        "metadata/preservation/PREMIS.xml".into(),
        premis::write(package, &content),
        xml(),
    );
    let schemas: Vec<Packed> = SCHEMAS
        .iter()
        .map(|(name, bytes)| Packed::new(format!("schemas/{name}"), bytes.to_vec(), xml()))
        .collect();
    // What a reader needs to read the sources: the JSON Schemas of the meeting file (TOML)
    // and of the record, as the tool of this version defines them.
    let json = || formats::source("x.json", b"");
    let documentation = vec![
        Packed::new(
            "documentation/meeting.schema.json".into(),
            crate::meeting::raw::schema_json().into_bytes(),
            json(),
        ),
        Packed::new(
            "documentation/protokoll-record.schema.json".into(),
            crate::publish::record::schema_json().into_bytes(),
            json(),
        ),
    ];
    let reps: Vec<(&str, Packed)> = ["rep1", "rep2"]
        .into_iter()
        .map(|name| {
            let prefix = format!("representations/{name}/");
            let of_rep: Vec<Packed> = content
                .iter()
                .filter(|c| c.path.starts_with(&prefix))
                .map(|c| Packed::new(c.path.clone(), c.bytes.clone(), c.format.clone()))
                .collect();
            let bytes = mets::representation(package, name, &of_rep);
            (name, Packed::new(format!("{prefix}METS.xml"), bytes, xml()))
        })
        .collect();
    let rep_refs: Vec<(&str, &Packed)> = reps.iter().map(|(n, p)| (*n, p)).collect();
    let root = Packed::new(
        "METS.xml".into(),
        mets::root(package, &erms, &premis, &documentation, &schemas, &rep_refs),
        xml(),
    );
    let mut all = vec![root, erms, premis];
    all.extend(documentation);
    all.extend(schemas);
    all.extend(reps.into_iter().map(|(_, p)| p));
    all.extend(content);
    all
}

/// Writes the package's files as the folder `target`, replacing any previous one only once
/// every file is written: into a temporary folder beside it, then renamed (on Linux
/// exchanged atomically with the old one). On any error the previous package is untouched.
pub(crate) fn write(target: &Path, files: &[Packed]) -> std::io::Result<()> {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let temporary = tempfile::Builder::new()
        .prefix(".protokoll-package-")
        .tempdir_in(parent)?;
    for f in files {
        let path = temporary.path().join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, &f.bytes)?;
        std::fs::File::open(&path)?.sync_all()?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(temporary.path(), std::fs::Permissions::from_mode(0o755))?;
    }
    let ready: PathBuf = temporary.keep();
    let result = replace(&ready, target);
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&ready);
    }
    result
}

/// Puts the folder `ready` at `target`: the old package, if any, leaves only when the new
/// one is in place.
fn replace(ready: &Path, target: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(target).is_err() {
        return std::fs::rename(ready, target);
    }
    if !target.is_dir() || target.is_symlink() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "a file that is not a package folder is in the way",
        ));
    }
    // Swap old and new, then remove the old from where the new one was.
    let parked = ready.with_extension("old");
    std::fs::rename(target, &parked)?;
    if let Err(e) = std::fs::rename(ready, target) {
        let _ = std::fs::rename(&parked, target);
        return Err(e);
    }
    std::fs::remove_dir_all(&parked)
}
