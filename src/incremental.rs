//! Incremental builds: a record beside the outputs (`<out>/.protokoll-builds.json`) of what
//! each meeting was last built from, so unchanged meetings are skipped.
//!
//! A meeting's entry holds the run's key — the tool (its version and the fingerprint of the
//! source it was built from, `build.rs`, which covers the fonts it embeds), the templates in
//! use, SOURCE_DATE_EPOCH, the output options — and every file its build really read: the
//! meeting file and whatever its sandbox resolved (bilagor, the images a Markdown bilaga or
//! Typst pulled in; see [`crate::sandbox::Recorder`]), each with size, modification time and
//! SHA-256. Deciding that a meeting is unchanged is then a `stat` per recorded file, with no
//! TOML parsed: only a file whose size or time changed is read and hashed (a `touch` without
//! a change costs one hash, once). A meeting is skipped only when the run's key is the same,
//! every input is as recorded, *and* every output is still there with the size and time
//! recorded; anything else — a missing or corrupt record, one of an older format — means
//! rebuild.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::render::Templates;

const RECORD_FILE: &str = ".protokoll-builds.json";

/// The record's format; a record of another one is ignored (everything rebuilds once).
const FORMAT: u32 = 2;

/// What was produced from which inputs, per meeting (by its PDF's path below `out/`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Record {
    #[serde(default)]
    pub format: u32,
    pub meetings: BTreeMap<String, Built>,
}

/// One meeting's last successful build.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Built {
    /// The [`RunKey`] it was built under.
    pub run: String,
    /// Every file the build read, the meeting file first.
    pub inputs: Vec<InputFile>,
    pub outputs: Vec<OutputFile>,
}

/// A file a build read, as it was when read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InputFile {
    pub path: PathBuf,
    pub size: u64,
    pub modified_ns: u128,
    /// Hex SHA-256 of the content; [`CHANGED_DURING_BUILD`] when the file changed while it
    /// was being built from (never matches, so the next run builds it again).
    pub sha256: String,
}

/// The hash of an input that was modified after its build began: what the build read is
/// unknown, so the entry must never match.
pub(crate) const CHANGED_DURING_BUILD: &str = "changed during the build";

/// The hash of a file whose absence the build depended on (the organ's `husstil.toml`, read
/// when it is there): the entry holds while the file is still missing.
pub const ABSENT: &str = "absent";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct OutputFile {
    pub path: PathBuf,
    pub size: u64,
    pub modified_ns: u128,
}

/// Whether a meeting must be built again.
#[derive(Debug, PartialEq)]
pub(crate) enum Freshness {
    /// Unchanged: skip it.
    Fresh,
    /// Unchanged in content, but a file's time moved (a `touch`, a checkout): skip it and
    /// keep this entry, with the new times, so that the next run is a `stat` again.
    Retimed(Built),
    /// Build it.
    Stale,
}

/// Size and modification time (ns since the epoch) of a file, following links.
fn stat(path: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some((meta.len(), modified.as_nanos()))
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl InputFile {
    /// Describes a file a build that began at `started` has read; `None` if it is gone.
    pub fn of(path: &Path, started: SystemTime) -> Option<Self> {
        let (size, modified_ns) = stat(path)?;
        let bytes = crate::sandbox::read_file(path).ok()?;
        let started_ns = started
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        // Written after the build began: the build may have read the old or the new bytes.
        let sha256 = if modified_ns >= started_ns || bytes.len() as u64 != size {
            CHANGED_DURING_BUILD.to_string()
        } else {
            sha256_hex(&bytes)
        };
        Some(Self {
            path: path.to_path_buf(),
            size,
            modified_ns,
            sha256,
        })
    }

    /// `Some(self)` if the file is as recorded, `Some(updated)` if only its time changed,
    /// `None` if it changed or is gone. Reads the file only when size or time differ.
    fn still(&self) -> Option<Option<InputFile>> {
        if self.sha256 == CHANGED_DURING_BUILD {
            return None;
        }
        if self.sha256 == ABSENT {
            return std::fs::symlink_metadata(&self.path)
                .is_err()
                .then_some(None);
        }
        let (size, modified_ns) = stat(&self.path)?;
        if size != self.size {
            return None;
        }
        if modified_ns == self.modified_ns {
            return Some(None);
        }
        let bytes = crate::sandbox::read_file(&self.path).ok()?;
        (sha256_hex(&bytes) == self.sha256).then(|| {
            Some(InputFile {
                modified_ns,
                ..self.clone()
            })
        })
    }
}

impl OutputFile {
    /// Describes a file as it is on disk now.
    pub fn of(path: &Path) -> Option<Self> {
        let (size, modified_ns) = stat(path)?;
        Some(Self {
            path: path.to_path_buf(),
            size,
            modified_ns,
        })
    }
}

impl Record {
    pub fn path(out_dir: &Path) -> PathBuf {
        out_dir.join(RECORD_FILE)
    }

    /// Reads the record; a missing, unreadable or older one is an empty record (everything
    /// rebuilds).
    pub fn load(out_dir: &Path) -> Self {
        std::fs::read(Self::path(out_dir))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Record>(&bytes).ok())
            .filter(|r| r.format == FORMAT)
            .unwrap_or_default()
    }

    pub fn save(&mut self, out_dir: &Path) -> std::io::Result<()> {
        self.format = FORMAT;
        // Compact: at 10,000 meetings the record is read on every run.
        let json = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        // Renamed into place whole, but not synced to the disk: at 10,000 meetings syncing
        // megabytes was most of a one-meeting rebuild, and a record lost in a power cut only
        // means that everything is built again (a damaged record reads as empty).
        let path = Self::path(out_dir);
        let mut tmp = tempfile::Builder::new()
            .prefix(".protokoll-")
            .suffix(".tmp")
            .tempfile_in(out_dir)?;
        std::io::Write::write_all(&mut tmp, &json)?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Whether the meeting recorded as `name` is up to date for the run key `run`.
    pub(crate) fn freshness(&self, name: &str, run: &str) -> Freshness {
        let Some(built) = self.meetings.get(name) else {
            return Freshness::Stale;
        };
        if built.run != run
            || built.inputs.is_empty()
            || !built
                .outputs
                .iter()
                .all(|o| OutputFile::of(&o.path).as_ref() == Some(o))
        {
            return Freshness::Stale;
        }
        let mut retimed = None::<Built>;
        for (i, input) in built.inputs.iter().enumerate() {
            match input.still() {
                None => return Freshness::Stale,
                Some(None) => {}
                Some(Some(updated)) => {
                    retimed.get_or_insert_with(|| built.clone()).inputs[i] = updated;
                }
            }
        }
        retimed.map_or(Freshness::Fresh, Freshness::Retimed)
    }
}

/// Whether every one of `inputs` is as recorded: `Some(None)` if so, `Some(Some(updated))` if
/// only times moved (the updated list keeps the new times), `None` if one changed or is
/// gone. A `stat` per file; a file is read only when its size or time differ.
pub(crate) fn unchanged(inputs: &[InputFile]) -> Option<Option<Vec<InputFile>>> {
    let mut retimed = None::<Vec<InputFile>>;
    for (i, input) in inputs.iter().enumerate() {
        if let Some(updated) = input.still()? {
            retimed.get_or_insert_with(|| inputs.to_vec())[i] = updated;
        }
    }
    Some(retimed)
}

/// The part of the key that is the same for every meeting of a run.
pub(crate) struct RunKey(String);

impl RunKey {
    /// `timestamp`: the run's PDF timestamp ([`crate::typeset::Options::timestamp`]), which
    /// the outputs carry; `options`: what else of the run changes them.
    pub fn new(templates: &Templates, timestamp: Option<time::Date>, options: &str) -> Self {
        let mut hasher = Sha256::new();
        field(&mut hasher, TOOL.as_bytes());
        for file in templates.all() {
            field(&mut hasher, file.text.as_bytes());
        }
        let timestamp = timestamp.map(|d| d.to_string()).unwrap_or_default();
        field(&mut hasher, timestamp.as_bytes());
        field(&mut hasher, options.as_bytes());
        Self(
            hasher
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Length-prefixed, so that no two different inputs hash the same way.
fn field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// The inputs of a build of `meeting` that began at `started` and read `read` through its
/// sandbox: the meeting file first, then the others, then the organ's house style as
/// [`ABSENT`] when the folder has none (a new one must rebuild the meeting). `None` if one
/// of them is gone.
pub fn inputs(meeting: &Path, read: &[PathBuf], started: SystemTime) -> Option<Vec<InputFile>> {
    let mut inputs: Vec<InputFile> = std::iter::once(meeting)
        .chain(read.iter().map(PathBuf::as_path))
        .map(|p| InputFile::of(p, started))
        .collect::<Option<_>>()?;
    let folder = meeting
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let house_style = folder
        .canonicalize()
        .ok()?
        .join(crate::meeting::HOUSE_STYLE_FILE);
    if !read.contains(&house_style) && std::fs::symlink_metadata(&house_style).is_err() {
        inputs.push(InputFile {
            path: house_style,
            size: 0,
            modified_ns: 0,
            sha256: ABSENT.into(),
        });
    }
    Some(inputs)
}

/// What `assemble check` found last time, per meeting (by its path as given), kept in the
/// output folder (`<out>/.protokoll-checks.json`) when there is one: a meeting none of whose
/// inputs changed — the meeting file and every file its check read, the organ's house style
/// or its absence included (a `stat` each, as for a build) — is not checked again; its
/// problems are reported as they were found.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Checks {
    #[serde(default)]
    format: u32,
    /// The tool that checked (another version checks again).
    #[serde(default)]
    tool: String,
    meetings: BTreeMap<String, Checked>,
}

/// One meeting's last check.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checked {
    /// Checked with `--ready` (the drafts' remaining items are among its problems).
    ready: bool,
    inputs: Vec<InputFile>,
    ok: bool,
    /// Its problems, each placed by file and range without the file's text (the file is as
    /// it was: its text is read again to show the line).
    problems: Vec<crate::diag::Diagnostic>,
}

const CHECKS_FILE: &str = ".protokoll-checks.json";
/// The tool that made a record: its version and the fingerprint of the source it was built
/// from (`build.rs`), so a build of other code with the same version trusts no record.
const TOOL: &str = concat!(
    "protokoll ",
    env!("CARGO_PKG_VERSION"),
    " source ",
    env!("PROTOKOLL_SOURCE")
);

impl Checks {
    /// The record in `out_dir`; empty when it is missing, unreadable, of another format or
    /// another version of the tool.
    pub fn load(out_dir: &Path) -> Self {
        std::fs::read(out_dir.join(CHECKS_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<Checks>(&b).ok())
            .filter(|c| c.format == FORMAT && c.tool == TOOL)
            .unwrap_or_default()
    }

    /// The last result of checking `meeting` (with `ready` as now), if none of its inputs
    /// changed since: whether it passed, and its problems.
    pub fn unchanged(
        &self,
        meeting: &Path,
        ready: bool,
    ) -> Option<(bool, Vec<crate::diag::Diagnostic>)> {
        let c = self.meetings.get(&key_of(meeting))?;
        if c.ready != ready || c.inputs.is_empty() || unchanged(&c.inputs)?.is_some() {
            // A moved time is checked again (and recorded with its new time).
            return None;
        }
        let mut texts: BTreeMap<PathBuf, Option<std::sync::Arc<str>>> = BTreeMap::new();
        let mut problems = c.problems.clone();
        for p in &mut problems {
            if let Some((file, _)) = &mut p.location {
                let text = texts
                    .entry(file.path.clone())
                    .or_insert_with(|| std::fs::read_to_string(&file.path).ok().map(Into::into))
                    .clone()?;
                file.text = text;
            }
        }
        Some((c.ok, problems))
    }

    /// Keeps the result of checking `meeting` from `inputs` (`None`: unknown, nothing kept).
    pub fn insert(
        &mut self,
        meeting: &Path,
        ready: bool,
        inputs: Option<Vec<InputFile>>,
        ok: bool,
        problems: &[crate::diag::Diagnostic],
    ) {
        let key = key_of(meeting);
        let Some(inputs) = inputs else {
            self.meetings.remove(&key);
            return;
        };
        let problems = problems
            .iter()
            .cloned()
            .map(|mut p| {
                if let Some((file, _)) = &mut p.location {
                    file.text = "".into();
                }
                p
            })
            .collect();
        self.meetings.insert(
            key,
            Checked {
                ready,
                inputs,
                ok,
                problems,
            },
        );
    }

    /// Writes the record into `out_dir` (renamed into place whole).
    pub fn save(&mut self, out_dir: &Path) -> std::io::Result<()> {
        self.format = FORMAT;
        self.tool = TOOL.into();
        let json = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        crate::output::write_atomic(&out_dir.join(CHECKS_FILE), &json)
    }
}

fn key_of(meeting: &Path) -> String {
    meeting.to_string_lossy().into_owned()
}

/// Checks the meeting at `path` ([`crate::pipeline::check_only`]) and notes every file the
/// check read: whether it passed, its problems, and its inputs for [`Checks::insert`] (`None`
/// if one of them is gone).
pub fn check_recorded(
    path: &Path,
    ready: bool,
) -> (bool, Vec<crate::diag::Diagnostic>, Option<Vec<InputFile>>) {
    let started = SystemTime::now();
    let reads = crate::sandbox::Recorder::default();
    let result = crate::pipeline::check_only_recorded(path, ready, Some(&reads));
    let inputs = inputs(path, &reads.files(), started);
    match result {
        Ok((_, warnings)) => (true, warnings, inputs),
        Err(problems) => (false, problems, inputs),
    }
}

/// The bilaga files a meeting names, read without validating the rest of the file.
pub(crate) fn bilaga_files(text: &[u8]) -> Result<Vec<String>, ()> {
    Ok(listed_bilagor(text)?
        .into_iter()
        .filter_map(|b| b.file)
        .collect())
}

/// The files of the bilagor a meeting does not withhold (no `sekretess`), read as
/// [`bilaga_files`]: what a public output may name.
pub(crate) fn public_bilaga_files(text: &[u8]) -> Result<Vec<String>, ()> {
    Ok(listed_bilagor(text)?
        .into_iter()
        .filter(|b| b.sekretess.is_none())
        .filter_map(|b| b.file)
        .collect())
}

#[derive(Deserialize)]
struct ListedBilaga {
    // Absent for a bilaga written as structure in the meeting file (yrkanden).
    file: Option<String>,
    sekretess: Option<toml::Value>,
}

/// The meeting file's `[[bilaga]]` tables, only what [`bilaga_files`] reads of them.
fn listed_bilagor(text: &[u8]) -> Result<Vec<ListedBilaga>, ()> {
    #[derive(Deserialize)]
    struct Files {
        #[serde(default)]
        bilaga: Vec<ListedBilaga>,
    }
    let text = std::str::from_utf8(text).map_err(|_| ())?;
    let files: Files = toml::from_str(text).map_err(|_| ())?;
    Ok(files.bilaga)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn built(dir: &Path, started: SystemTime) -> Built {
        let out = dir.join("m.pdf");
        std::fs::write(&out, "pdf").unwrap();
        Built {
            run: "run".into(),
            inputs: inputs(&dir.join("m.toml"), &[dir.join("b.png")], started).unwrap(),
            outputs: vec![OutputFile::of(&out).unwrap()],
        }
    }

    fn set_time(path: &Path, t: SystemTime) {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(t)
            .unwrap();
    }

    /// Unchanged inputs are fresh; a changed image is stale; a touched one is fresh with its
    /// new time kept; another run key is stale.
    #[test]
    fn freshness_follows_the_recorded_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (mut record, past) = built_a_minute_after_its_inputs(d);
        assert_eq!(record.freshness("m.pdf", "run"), Freshness::Fresh);
        assert_eq!(record.freshness("m.pdf", "other run"), Freshness::Stale);
        assert_eq!(record.freshness("other.pdf", "run"), Freshness::Stale);

        set_time(&d.join("b.png"), past + Duration::from_secs(1));
        let Freshness::Retimed(entry) = record.freshness("m.pdf", "run") else {
            panic!("a touched file is not a changed one");
        };
        record.meetings.insert("m.pdf".into(), entry);
        assert_eq!(record.freshness("m.pdf", "run"), Freshness::Fresh);

        std::fs::write(d.join("b.png"), "b.pnG").unwrap();
        set_time(&d.join("b.png"), past + Duration::from_secs(2));
        assert_eq!(record.freshness("m.pdf", "run"), Freshness::Stale);
    }

    /// A file written after its build began may not be what the build read: never fresh.
    #[test]
    fn an_input_changed_during_the_build_is_never_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let started = SystemTime::now() - Duration::from_secs(5);
        for f in ["m.toml", "b.png"] {
            std::fs::write(d.join(f), f).unwrap();
        }
        let mut record = Record::default();
        record.meetings.insert("m.pdf".into(), built(d, started));
        assert_eq!(
            record.meetings["m.pdf"].inputs[0].sha256,
            CHANGED_DURING_BUILD
        );
        assert_eq!(record.freshness("m.pdf", "run"), Freshness::Stale);
    }

    /// `m.toml` and `b.png` in `d`, last changed a minute ago, and a record of `m.pdf` built
    /// from them now; with the time they were changed.
    fn built_a_minute_after_its_inputs(d: &Path) -> (Record, SystemTime) {
        let past = SystemTime::now() - Duration::from_secs(60);
        for f in ["m.toml", "b.png"] {
            std::fs::write(d.join(f), f).unwrap();
            set_time(&d.join(f), past);
        }
        let mut record = Record::default();
        record
            .meetings
            .insert("m.pdf".into(), built(d, SystemTime::now()));
        (record, past)
    }

    #[test]
    fn a_missing_output_or_input_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (record, past) = built_a_minute_after_its_inputs(d);
        std::fs::remove_file(d.join("b.png")).unwrap();
        assert_eq!(record.freshness("m.pdf", "run"), Freshness::Stale);
        std::fs::write(d.join("b.png"), "b.png").unwrap();
        set_time(&d.join("b.png"), past);
        std::fs::remove_file(d.join("m.pdf")).unwrap();
        assert_eq!(record.freshness("m.pdf", "run"), Freshness::Stale);
    }

    /// A house style that appears beside a meeting built without one rebuilds it.
    #[test]
    fn a_new_house_style_makes_a_meeting_stale() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (record, _) = built_a_minute_after_its_inputs(d);
        assert_eq!(
            record.meetings["m.pdf"].inputs.last().unwrap().sha256,
            ABSENT
        );
        assert_eq!(record.freshness("m.pdf", "run"), Freshness::Fresh);
        std::fs::write(d.join(crate::meeting::HOUSE_STYLE_FILE), "").unwrap();
        assert_eq!(record.freshness("m.pdf", "run"), Freshness::Stale);
    }

    #[test]
    fn run_key_changes_with_the_options() {
        let templates = Templates::load(None).unwrap();
        assert_eq!(
            RunKey::new(&templates, None, "pdf").as_str(),
            RunKey::new(&templates, None, "pdf").as_str()
        );
        assert_ne!(
            RunKey::new(&templates, None, "pdf").as_str(),
            RunKey::new(&templates, None, "pdf+zip").as_str()
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
    fn a_corrupt_or_older_record_is_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(Record::path(dir.path()), "{ not json").unwrap();
        assert!(Record::load(dir.path()).meetings.is_empty());
        std::fs::write(
            Record::path(dir.path()),
            r#"{"meetings":{"a.pdf":{"key":"k","outputs":[]}}}"#,
        )
        .unwrap();
        assert!(Record::load(dir.path()).meetings.is_empty());
    }
}
