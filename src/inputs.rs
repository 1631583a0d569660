//! Finding the meetings a command names, and where each one's outputs go.
//!
//! Outputs mirror the archive's tree: below the last `data/` folder in the meeting's path
//! (`data/fvg/2020-09-17.toml` → `out/fvg/2020-09-17.pdf`); otherwise below the folder that
//! was named on the command line (`assemble arkiv/` → `out/<path below arkiv>`); a single
//! file elsewhere goes straight into the output folder.

use std::collections::{HashSet, VecDeque};
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, display_path};

/// A meeting file to build, and its path below the output folder (without extension).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFile {
    pub path: PathBuf,
    pub relative: PathBuf,
}

impl MeetingFile {
    fn new(path: PathBuf, named_folder: Option<&Path>) -> Self {
        let relative = below_data(&path)
            .or_else(|| {
                named_folder
                    .and_then(|dir| path.strip_prefix(dir).ok())
                    .map(Path::to_path_buf)
            })
            .unwrap_or_else(|| PathBuf::from(path.file_name().unwrap_or_default()));
        Self {
            relative: relative.with_extension(""),
            path,
        }
    }

    /// Where this meeting's output with `extension` goes in `out_dir`. The extension is
    /// added, not swapped in: the dots of `2020.09.17` are the name's, not an extension.
    pub fn output(&self, out_dir: &Path, extension: &str) -> PathBuf {
        let mut name = out_dir.join(&self.relative).into_os_string();
        name.push(".");
        name.push(extension);
        PathBuf::from(name)
    }
}

fn below_data(path: &Path) -> Option<PathBuf> {
    let components: Vec<Component> = path.components().collect();
    let at = components.iter().rposition(|c| c.as_os_str() == "data")?;
    let rest: PathBuf = components[at + 1..].iter().collect();
    (!rest.as_os_str().is_empty()).then_some(rest)
}

/// The meeting files named: files as given, folders searched for `*.toml` (sorted; hidden
/// entries and house-style files skipped). Names that do not exist are returned as the
/// error. A link the search does not follow is dropped silently here; [`search`] names each.
pub fn find(inputs: &[PathBuf]) -> Result<Vec<MeetingFile>, Vec<PathBuf>> {
    search(inputs).map(|found| found.meetings)
}

/// What a search of the named inputs found.
#[derive(Debug, Default)]
pub struct Found {
    pub meetings: Vec<MeetingFile>,
    /// One for each symbolic link not followed, located at the link's path (issue 13).
    pub warnings: Vec<Diagnostic>,
}

/// Like [`find`], with a warning for each link not followed. A folder is searched once,
/// however many links lead to it, and a link is never followed out of the folder named (the
/// archive): two links to `.` would otherwise search the archive again and again, and a link
/// to `/` the whole machine. A meeting file reached twice is built once.
pub fn search(inputs: &[PathBuf]) -> Result<Found, Vec<PathBuf>> {
    let mut found = Found::default();
    let mut missing = Vec::new();
    let mut seen_files = HashSet::new();
    for input in inputs {
        if input.is_dir() {
            let root = input.canonicalize().unwrap_or_else(|_| input.clone());
            let mut walk = Walk {
                visited: HashSet::from([root.clone()]),
                root,
                paths: Vec::new(),
                links: VecDeque::new(),
                warnings: &mut found.warnings,
                seen_files: &mut seen_files,
            };
            let real = walk.root.clone();
            walk.dir(input, &real);
            // Links last: a folder is searched by its own path, a link to it is then seen
            // as leading where the search has been.
            while let Some(link) = walk.links.pop_front() {
                walk.link(&link);
            }
            let paths = std::mem::take(&mut walk.paths);
            found
                .meetings
                .extend(paths.into_iter().map(|p| MeetingFile::new(p, Some(input))));
        } else if input.exists() {
            // A FIFO or device named on the command line is a meeting that fails: reading
            // it is refused, at its path (`sandbox::read_file`), instead of "does not exist".
            found.meetings.push(MeetingFile::new(input.clone(), None));
        } else {
            missing.push(input.clone());
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(missing)
    }
}

/// A `*.toml` that is no nämnd's house-style file (`husstil.toml`, which sits among the
/// meeting files it styles).
fn is_meeting_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml")
        && path
            .file_name()
            .is_none_or(|n| n != crate::meeting::HOUSE_STYLE_FILE)
}

/// One folder named on the command line, searched.
struct Walk<'a> {
    /// The folder named, resolved: no link is followed out of it.
    root: PathBuf,
    /// Folders searched already, resolved.
    visited: HashSet<PathBuf>,
    paths: Vec<PathBuf>,
    /// Links met, followed once every real folder has been searched.
    links: VecDeque<PathBuf>,
    warnings: &'a mut Vec<Diagnostic>,
    /// Meeting files found already (resolved), across every input.
    seen_files: &'a mut HashSet<PathBuf>,
}

impl Walk<'_> {
    /// Searches `dir`, whose real path is `real_dir`: the folder named (resolved once), a
    /// folder below a real one (its real path is the parent's joined with its name: it is
    /// no link), or where a link led (resolved when followed). So no folder is resolved
    /// again — an archive of 10,000 meetings has 20,000 folders, and resolving each from `/`
    /// was most of a no-op's system time (issue 28). The entry's type comes with the
    /// listing, so a file's real path costs no `stat` either.
    fn dir(&mut self, dir: &Path, real_dir: &Path) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<(PathBuf, std::fs::FileType)> = entries
            .filter_map(|e| {
                let e = e.ok()?;
                Some((e.path(), e.file_type().ok()?))
            })
            .collect();
        paths.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, kind) in paths {
            let Some(name) = path.file_name() else {
                continue;
            };
            if name.to_str().is_some_and(|n| n.starts_with('.')) {
                continue;
            }
            if kind.is_symlink() {
                self.links.push_back(path);
            } else if kind.is_dir() {
                let real = real_dir.join(name);
                self.visited.insert(real.clone());
                self.dir(&path, &real);
            } else if is_meeting_file(&path) && self.seen_files.insert(real_dir.join(name)) {
                // Also a FIFO, socket or device named `*.toml`: listed, so that it fails as a
                // meeting at its path (reading it is refused without opening it blocking),
                // not skipped in silence.
                self.paths.push(path);
            }
        }
    }

    /// Follows the link at `path` unless it leads out of the folder searched or where the
    /// search has been.
    fn link(&mut self, path: &Path) {
        let Ok(real) = path.canonicalize() else {
            return;
        };
        if !real.starts_with(&self.root) {
            self.not_followed(path, "it leads out of the folder searched");
        } else if real.is_dir() {
            if self.visited.insert(real.clone()) {
                self.dir(path, &real);
            } else {
                self.not_followed(path, "it leads to a folder searched already");
            }
        } else if is_meeting_file(path) {
            if self.seen_files.insert(real) {
                self.paths.push(path.to_path_buf());
            } else {
                self.not_followed(path, "it leads to a meeting file found already");
            }
        }
    }

    fn not_followed(&mut self, link: &Path, why: &str) {
        self.warnings.push(Diagnostic::warning(format!(
            "{}: link not followed: {why}",
            display_path(link)
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str, named: Option<&str>) -> PathBuf {
        MeetingFile::new(PathBuf::from(path), named.map(Path::new)).output(Path::new("out"), "pdf")
    }

    #[test]
    fn outputs_mirror_the_tree() {
        assert_eq!(
            out("data/fvg/2020-09-17.toml", None),
            Path::new("out/fvg/2020-09-17.pdf")
        );
        assert_eq!(
            out("data/fvg/2020-09-17.toml", Some("data/fvg")),
            Path::new("out/fvg/2020-09-17.pdf")
        );
        assert_eq!(out("/x/data/amn/a.toml", None), Path::new("out/amn/a.pdf"));
        assert_eq!(
            out("arkiv/fvg-0001/2011-01-03.toml", Some("arkiv")),
            Path::new("out/fvg-0001/2011-01-03.pdf")
        );
        assert_eq!(out("/tmp/m/möte.toml", None), Path::new("out/möte.pdf"));
    }

    /// Two links to `.` in an organ's folder: each meeting is found once, the links are named.
    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        let fvg = dir.path().join("data/fvg");
        std::fs::create_dir_all(&fvg).unwrap();
        std::fs::write(fvg.join("2020-09-17.toml"), "").unwrap();
        std::os::unix::fs::symlink(".", fvg.join("a")).unwrap();
        std::os::unix::fs::symlink(".", fvg.join("b")).unwrap();
        let found = search(&[dir.path().join("data")]).unwrap();
        assert_eq!(found.meetings.len(), 1, "{:?}", found.meetings);
        assert_eq!(found.warnings.len(), 2, "{:?}", found.warnings);
        assert!(found.warnings[0].message.contains("searched already"));
        assert!(found.warnings[0].message.contains("fvg/a"));
    }

    /// A link out of the folder searched is not followed, whether to a folder or a file.
    #[cfg(unix)]
    #[test]
    fn links_out_of_the_archive_are_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("x.toml"), "").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let fvg = dir.path().join("data/fvg");
        std::fs::create_dir_all(&fvg).unwrap();
        std::fs::write(fvg.join("2020-09-17.toml"), "").unwrap();
        std::os::unix::fs::symlink(outside.path(), fvg.join("ut")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("x.toml"), fvg.join("y.toml")).unwrap();
        let found = search(&[dir.path().join("data")]).unwrap();
        let names: Vec<_> = found.meetings.iter().map(|m| m.relative.clone()).collect();
        assert_eq!(names, [Path::new("fvg/2020-09-17")]);
        assert_eq!(found.warnings.len(), 2, "{:?}", found.warnings);
        assert!(
            found
                .warnings
                .iter()
                .all(|w| w.message.contains("out of the folder"))
        );
    }
}
