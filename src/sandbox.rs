//! The meeting folder as a sandbox: every file a meeting reads (bilagor, images) must be
//! inside the folder its TOML file is in, after following symlinks.
//!
//! Being the one gate every such read passes — the validator's and the Typst World's — the
//! sandbox is also where a build learns which files it really read: a sandbox made with a
//! [`Recorder`] (the build's, passed down by the pipeline) notes every file it resolves, and
//! the incremental build is keyed on them (issue 14).

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The folder a meeting may read from, canonicalised once.
#[derive(Debug, Clone)]
pub struct Sandbox {
    root: PathBuf,
    /// The folder as the caller named it (`.` for the working directory's), to name the
    /// files in it as the user would ([`Sandbox::shown`]).
    named: PathBuf,
    /// Where the files resolved are noted, when the sandbox was made for a recorded build.
    reads: Option<Recorder>,
}

/// The files one build read: every file a [`Sandbox`] made with it resolved — the bilagor
/// the validator read, the images Typst loaded through the World (on whatever thread Typst
/// asked) — as canonical paths. A build that wants its record (a batch's incremental key,
/// `watch`) makes one and passes it down (`pipeline::Target::reads`); clones share it.
///
/// A sandbox notes a file when it resolves it, before it is read: the list may name a file
/// whose reading then failed (harmless for a key: such a build fails and is not recorded).
#[derive(Debug, Clone, Default)]
pub struct Recorder(Arc<Mutex<BTreeSet<PathBuf>>>);

impl Recorder {
    /// The files noted so far, sorted, each once.
    pub fn files(&self) -> Vec<PathBuf> {
        let files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files.iter().cloned().collect()
    }

    fn note(&self, real: &Path) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(real.to_path_buf());
    }
}

/// Why a path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Absolute, or climbs with `..` above the folder.
    Outside,
    /// A symlink (somewhere on the way) leads outside the folder.
    LinkOutside,
    /// Does not exist or cannot be read.
    Missing(String),
}

impl Refused {
    pub fn message(&self, path: &str) -> String {
        match self {
            Refused::Outside => format!("`{path}` is outside the meeting's folder"),
            Refused::LinkOutside => {
                format!("`{path}` is a link to a file outside the meeting's folder")
            }
            Refused::Missing(why) => format!("cannot read `{path}`: {why}"),
        }
    }

    pub fn hint(&self) -> &'static str {
        match self {
            Refused::Outside | Refused::LinkOutside => {
                "a meeting may only read files in its own folder: copy the file there and name it relative to the meeting file"
            }
            Refused::Missing(_) => "paths are relative to the folder the meeting file is in",
        }
    }
}

impl Sandbox {
    pub fn new(root: &Path) -> std::io::Result<Self> {
        Ok(Self {
            root: root.canonicalize()?,
            named: root.to_path_buf(),
            reads: None,
        })
    }

    /// The sandbox, noting every file it resolves in `reads` (when given).
    pub(crate) fn recorded(self, reads: Option<&Recorder>) -> Self {
        Self {
            reads: reads.cloned(),
            ..self
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A file [`resolve`](Self::resolve)d in the folder as the user names it: below the
    /// folder as the caller named it ("amn/bilagor/lista.md", "bilagor/lista.md" for `.`),
    /// not the canonical path. The same file (the folder names the root), so it may be read
    /// by it too; the library never reads the working directory to shorten a path.
    pub fn shown(&self, real: &Path) -> PathBuf {
        match real.strip_prefix(&self.root) {
            Ok(below) if self.named == Path::new(".") || self.named.as_os_str().is_empty() => {
                below.to_path_buf()
            }
            Ok(below) => self.named.join(below),
            Err(_) => real.to_path_buf(),
        }
    }

    /// The part of `path` below the folder, whether `path` is real (canonical) or as
    /// [`shown`](Self::shown): what [`resolve`](Self::resolve) takes.
    pub fn below<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        if let Ok(below) = path.strip_prefix(&self.root) {
            return Some(below);
        }
        if self.named == Path::new(".") || self.named.as_os_str().is_empty() {
            return path.is_relative().then_some(path);
        }
        path.strip_prefix(&self.named).ok()
    }

    /// Why `rel` cannot be read (`e`), naming the file beside it whose name is the same with
    /// its letters coded otherwise, when there is one (see [`Self::coded_otherwise`]).
    fn missing(&self, rel: &Path, e: &std::io::Error) -> Refused {
        let why = io_reason(e);
        match (e.kind(), self.coded_otherwise(rel)) {
            (std::io::ErrorKind::NotFound, Some(there)) => Refused::Missing(format!(
                "{why}; the folder has `{there}`, which looks the same but codes its letters \
                 otherwise (composed and decomposed, as a Mac writes them): rename the file, \
                 e.g. `convmv -f utf8 -t utf8 --nfc --notest FILE`, or copy its name here"
            )),
            _ => Refused::Missing(why),
        }
    }

    /// The name of a file in the folder `rel` points into whose name is `rel`'s last part
    /// with its letters coded otherwise (Unicode NFC of both the same, the bytes not): a file
    /// made on a Mac keeps its letters decomposed, a name typed on Linux is composed, and the
    /// two look the same in a listing. The path is kept byte for byte, as Linux names files;
    /// this only explains why it is not found. Only a folder inside the meeting's is listed.
    fn coded_otherwise(&self, rel: &Path) -> Option<String> {
        use unicode_normalization::UnicodeNormalization;
        let name = rel.file_name()?.to_str()?;
        let want: String = name.nfc().collect();
        let dir = self
            .root
            .join(rel.parent().unwrap_or(Path::new("")))
            .canonicalize()
            .ok()?;
        if !dir.starts_with(&self.root) {
            return None;
        }
        std::fs::read_dir(dir)
            .ok()?
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .find(|n| n != name && n.nfc().eq(want.chars()))
    }

    /// Resolves a relative path written in the meeting (or a bilaga) to a real file inside
    /// the folder.
    pub fn resolve(&self, relative: &str) -> Result<PathBuf, Refused> {
        let rel = Path::new(relative);
        if relative.is_empty() {
            return Err(Refused::Missing("the path is empty".into()));
        }
        // Refuse lexically first: this catches `../x` even when the target does not exist.
        let mut depth: i32 = 0;
        for component in rel.components() {
            match component {
                Component::Normal(_) => depth += 1,
                Component::CurDir => {}
                Component::ParentDir => {
                    depth -= 1;
                    if depth < 0 {
                        return Err(Refused::Outside);
                    }
                }
                Component::RootDir | Component::Prefix(_) => return Err(Refused::Outside),
            }
        }
        let real = match self.below_root_without_links(rel) {
            Some(found) => {
                let (real, is_file) = found.map_err(|e| self.missing(rel, &e))?;
                if !is_file {
                    return Err(Refused::Missing("it is not a file".into()));
                }
                real
            }
            None => {
                let real = self
                    .root
                    .join(rel)
                    .canonicalize()
                    .map_err(|e| self.missing(rel, &e))?;
                if !real.starts_with(&self.root) {
                    return Err(Refused::LinkOutside);
                }
                if !real.is_file() {
                    return Err(Refused::Missing("it is not a file".into()));
                }
                real
            }
        };
        if let Some(reads) = &self.reads {
            reads.note(&real);
        }
        Ok(real)
    }

    /// `rel` (only plain names: no `.`, `..` or root) below the canonical root, found with
    /// one `lstat` per component instead of resolving the whole path from `/` (issue 28: a
    /// check of 10,000 meetings spent half its CPU time in the kernel, most of it walking
    /// paths): when no component is a link, the joined path is already the canonical one.
    /// `Some(Ok((path, is_file)))` then; `Some(Err)` where the walk fails as resolving the
    /// path would (missing, not a folder, not permitted); `None` for a path with a link (or
    /// a `.`/`..`) on the way, which is resolved in full.
    fn below_root_without_links(&self, rel: &Path) -> Option<std::io::Result<(PathBuf, bool)>> {
        // Only a path written as its plain names joined by `/`: not `./x`, `a//b`, or `x/`
        // (which names a folder, and must fail on a file as resolving does).
        let names: Vec<&str> = rel
            .components()
            .map(|c| match c {
                Component::Normal(name) => name.to_str(),
                _ => None,
            })
            .collect::<Option<_>>()?;
        if names.join("/") != rel.to_str()? {
            return None;
        }
        let mut path = self.root.clone();
        let mut last = None;
        for component in rel.components() {
            path.push(component);
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_symlink() => return None,
                Ok(meta) => last = Some(meta),
                Err(e) => return Some(Err(e)),
            }
        }
        last.map(|meta| Ok((path, meta.is_file())))
    }

    /// The path of a real file inside the folder as Typst sees it: `/sub/file.png`.
    pub(crate) fn virtual_path(&self, real: &Path) -> Option<String> {
        let rel = real.strip_prefix(&self.root).ok()?;
        let parts: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(format!("/{}", parts.join("/")))
    }
}

/// Reads the whole file at `path`, which must be a regular file (after following links).
/// A FIFO, a device or a socket named like a meeting, bilaga or template is refused without
/// blocking (issue 29: a FIFO named `*.toml` hung `check`, a batch and `watch` for good):
/// it is opened non-blocking, and its kind is read from the open file, so it cannot be
/// swapped between the test and the read.
///
/// # Errors
/// The file cannot be opened or read, or is not a regular file (`io_reason` names its kind).
pub(crate) fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta.file_type()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).min(1 << 26));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// [`read_file`] as UTF-8 text.
///
/// # Errors
/// As [`read_file`], and text that is not UTF-8.
pub(crate) fn read_text(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_file(path)?)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// The error for a path that is there but no regular file: what it is instead.
fn not_regular(kind: &std::fs::FileType) -> std::io::Error {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            "a FIFO"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else if kind.is_dir() {
            "a folder"
        } else {
            "something else"
        }
    };
    #[cfg(not(unix))]
    let what = if kind.is_dir() {
        "a folder"
    } else {
        "something else"
    };
    std::io::Error::other(format!("it is not a regular file but {what}"))
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name typed composed for a file whose name is decomposed (or the other way round) is
    /// not found — names are bytes — and the error names the file that looks the same.
    #[test]
    fn a_name_coded_otherwise_than_the_file_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("m")).unwrap();
        std::fs::write(dir.path().join("m/yttra\u{308}nde.md"), "x").unwrap();
        let sandbox = Sandbox::new(dir.path()).unwrap();
        let Err(Refused::Missing(why)) = sandbox.resolve("m/yttr\u{e4}nde.md") else {
            panic!("a composed name does not find the decomposed file");
        };
        assert_eq!(
            why,
            "no such file; the folder has `yttra\u{308}nde.md`, which looks the same but codes \
             its letters otherwise (composed and decomposed, as a Mac writes them): rename the \
             file, e.g. `convmv -f utf8 -t utf8 --nfc --notest FILE`, or copy its name here"
        );
        assert!(sandbox.resolve("m/yttra\u{308}nde.md").is_ok());
        let Err(Refused::Missing(why)) = sandbox.resolve("m/annan.md") else {
            panic!("a missing file is missing");
        };
        assert_eq!(why, "no such file");
    }

    #[test]
    fn refuses_climbing_absolute_and_escaping_links() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "x").unwrap();
        std::fs::write(dir.path().join("ok.md"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path().join("secret.md"), dir.path().join("link.md"))
            .unwrap();
        let sandbox = Sandbox::new(dir.path()).unwrap();
        assert!(sandbox.resolve("ok.md").is_ok());
        assert!(sandbox.resolve("./sub/../ok.md").is_err() || sandbox.resolve("./ok.md").is_ok());
        assert_eq!(sandbox.resolve("../secret.md"), Err(Refused::Outside));
        assert_eq!(sandbox.resolve("/etc/passwd"), Err(Refused::Outside));
        #[cfg(unix)]
        assert_eq!(sandbox.resolve("link.md"), Err(Refused::LinkOutside));
        assert!(matches!(
            sandbox.resolve("nope.md"),
            Err(Refused::Missing(_))
        ));
    }

    /// Files resolved by a sandbox made with a recorder are listed, whichever thread
    /// resolves them; a sandbox made without one notes nothing.
    #[test]
    fn a_recorder_lists_the_files_its_sandboxes_resolved() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "x").unwrap();
        std::fs::write(dir.path().join("b.png"), "x").unwrap();
        let reads = Recorder::default();
        let outside = Sandbox::new(dir.path()).unwrap();
        let sandbox = Sandbox::new(dir.path()).unwrap().recorded(Some(&reads));
        sandbox.resolve("a.md").unwrap();
        let other = sandbox.clone();
        std::thread::spawn(move || other.resolve("b.png").unwrap())
            .join()
            .unwrap();
        sandbox.resolve("a.md").unwrap();
        assert!(sandbox.resolve("nope.md").is_err());
        outside.resolve("a.md").unwrap();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(reads.files(), vec![root.join("a.md"), root.join("b.png")]);
        assert!(Recorder::default().files().is_empty());
    }
}
