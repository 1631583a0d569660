//! Finding the meetings a command names, and where each one's outputs go.
//!
//! Outputs mirror the archive's tree: below the last `data/` folder in the meeting's path
//! (`data/fvg/2020-09-17.toml` → `out/fvg/2020-09-17.pdf`); otherwise below the folder that
//! was named on the command line (`assemble arkiv/` → `out/<path below arkiv>`); a single
//! file elsewhere goes straight into the output folder.

use std::path::{Component, Path, PathBuf};

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
/// entries and house-style files skipped). Names that do not exist are returned as the error.
pub fn find(inputs: &[PathBuf]) -> Result<Vec<MeetingFile>, Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut paths = Vec::new();
            walk(input, &mut paths);
            found.extend(paths.into_iter().map(|p| MeetingFile::new(p, Some(input))));
        } else if input.is_file() {
            found.push(MeetingFile::new(input.clone(), None));
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

/// A nämnd's house-style file (`husstil.toml`) sits among the meeting files it styles; it
/// is not a meeting.
fn is_house_style(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == crate::meeting::HOUSE_STYLE_FILE)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    // The entry's type comes with the listing: no `stat` per file (an archive of 10,000
    // meetings has tens of thousands of files). A link is followed, as before.
    let mut paths: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            let kind = e.file_type().ok()?;
            let path = e.path();
            let is_dir = if kind.is_symlink() {
                path.is_dir()
            } else {
                kind.is_dir()
            };
            Some((path, is_dir))
        })
        .collect();
    paths.sort();
    for (path, is_dir) in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if is_dir {
            walk(&path, found);
        } else if path.extension().is_some_and(|e| e == "toml") && !is_house_style(&path) {
            found.push(path);
        }
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

    #[test]
    fn a_dotted_date_keeps_its_day() {
        // Was: `2020.09.17.toml` written to `2020.09.pdf`.
        assert_eq!(
            out("data/fvg/2020.09.17.toml", None),
            Path::new("out/fvg/2020.09.17.pdf")
        );
        assert_eq!(out("/m/v1.2.toml", None), Path::new("out/v1.2.pdf"));
    }
}
