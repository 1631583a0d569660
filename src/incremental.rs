//! Incremental builds: a record beside the outputs (`<out>/.protokoll-builds.json`) of what
//! each meeting was last built from, so unchanged meetings are skipped.
//!
//! A meeting's key hashes everything its output depends on: the tool's version, the fonts,
//! the templates in use, SOURCE_DATE_EPOCH, the output options, the meeting file and every
//! bilaga file it names. A meeting is skipped only when its key is unchanged *and* every
//! output is still there with the size and modification time recorded; anything else — a
//! missing or corrupt record included — means rebuild.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::render::Templates;
use crate::sandbox::Sandbox;

const RECORD_FILE: &str = ".protokoll-builds.json";

/// What was produced from which inputs, per meeting.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Record {
    pub meetings: BTreeMap<String, Built>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Built {
    pub key: String,
    pub outputs: Vec<OutputFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub size: u64,
    pub modified_ns: u128,
}

impl OutputFile {
    /// Describes a file as it is on disk now.
    pub fn of(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        let modified_ns = meta
            .modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos();
        Some(Self {
            path: path.to_path_buf(),
            size: meta.len(),
            modified_ns,
        })
    }
}

impl Record {
    pub fn path(out_dir: &Path) -> PathBuf {
        out_dir.join(RECORD_FILE)
    }

    /// Reads the record; a missing or unreadable one is an empty record (everything rebuilds).
    pub fn load(out_dir: &Path) -> Self {
        std::fs::read(Self::path(out_dir))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, out_dir: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        crate::output::write_atomic(&Self::path(out_dir), &json)
    }

    /// Whether `meeting` (by its record name) is up to date for `key`.
    pub fn is_fresh(&self, name: &str, key: &str) -> bool {
        self.meetings.get(name).is_some_and(|built| {
            built.key == key
                && built
                    .outputs
                    .iter()
                    .all(|o| OutputFile::of(&o.path).as_ref() == Some(o))
        })
    }
}

/// The parts of the key that are the same for every meeting of a run.
pub struct RunKey {
    hasher: Sha256,
}

impl RunKey {
    pub fn new(templates: &Templates, options: &str) -> Self {
        let mut hasher = Sha256::new();
        field(
            &mut hasher,
            concat!("protokoll ", env!("CARGO_PKG_VERSION")).as_bytes(),
        );
        field(&mut hasher, crate::world::font_fingerprint().as_bytes());
        for file in templates.all() {
            field(&mut hasher, file.text.as_bytes());
        }
        field(
            &mut hasher,
            std::env::var("SOURCE_DATE_EPOCH")
                .unwrap_or_default()
                .as_bytes(),
        );
        field(&mut hasher, options.as_bytes());
        Self { hasher }
    }

    /// The key of one meeting: the run's key, the meeting file, and each bilaga file it
    /// names (a file that cannot be read makes a key that never matches a built one).
    pub fn meeting(&self, meeting: &Path) -> String {
        let mut hasher = self.hasher.clone();
        let Ok(text) = std::fs::read(meeting) else {
            return "unreadable".into();
        };
        field(&mut hasher, &text);
        let folder = meeting
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // The organ's house style is an input of every meeting beside it.
        if let Some(bytes) = Sandbox::new(folder)
            .ok()
            .and_then(|s| s.resolve(crate::meeting::HOUSE_STYLE_FILE).ok())
            .and_then(|p| std::fs::read(p).ok())
        {
            field(&mut hasher, b"husstil");
            field(&mut hasher, &bytes);
        }
        if let (Ok(listed), Ok(sandbox)) = (bilaga_files(&text), Sandbox::new(folder)) {
            for rel in listed {
                field(&mut hasher, rel.as_bytes());
                match sandbox
                    .resolve(&rel)
                    .ok()
                    .and_then(|p| std::fs::read(p).ok())
                {
                    Some(bytes) => field(&mut hasher, &bytes),
                    None => return "missing bilaga".into(),
                }
            }
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Length-prefixed, so that no two different inputs hash the same way.
fn field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// The bilaga files a meeting names, read without validating the rest of the file.
pub(crate) fn bilaga_files(text: &[u8]) -> Result<Vec<String>, ()> {
    #[derive(Deserialize)]
    struct Files {
        #[serde(default)]
        bilaga: Vec<File>,
    }
    #[derive(Deserialize)]
    struct File {
        // Absent for a bilaga written as structure in the meeting file (yrkanden).
        file: Option<String>,
    }
    let text = std::str::from_utf8(text).map_err(|_| ())?;
    let files: Files = toml::from_str(text).map_err(|_| ())?;
    Ok(files.bilaga.into_iter().filter_map(|b| b.file).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_changes_with_a_bilaga_and_not_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.toml");
        std::fs::write(&meeting, "[[bilaga]]\nfile = \"b.md\"\n").unwrap();
        std::fs::write(dir.path().join("b.md"), "ett").unwrap();
        let templates = Templates::load(None).unwrap();
        let run = RunKey::new(&templates, "pdf");
        let first = run.meeting(&meeting);
        assert_eq!(first, run.meeting(&meeting));
        std::fs::write(dir.path().join("b.md"), "två").unwrap();
        assert_ne!(first, run.meeting(&meeting));
        assert_ne!(
            run.meeting(&meeting),
            RunKey::new(&templates, "pdf+zip").meeting(&meeting)
        );
    }

    /// A bilaga of yrkanden has no `file`: it must not hide the files of the other bilagor.
    #[test]
    fn bilaga_files_skip_a_bilaga_without_a_file() {
        let toml = "[[bilaga]]\nfile = \"a.md\"\n\n[[bilaga]]\nid = \"lr\"\n\n[[bilaga.topic]]\ntitle = \"x\"\n\n[[bilaga]]\nfile = \"b.md\"\n";
        assert_eq!(
            bilaga_files(toml.as_bytes()),
            Ok(vec!["a.md".into(), "b.md".into()])
        );
    }

    #[test]
    fn a_corrupt_record_is_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(Record::path(dir.path()), "{ not json").unwrap();
        assert!(Record::load(dir.path()).meetings.is_empty());
    }
}
