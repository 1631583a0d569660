//! The meeting folder as a sandbox: every file a meeting reads (bilagor, images) must be
//! inside the folder its TOML file is in, after following symlinks.

use std::path::{Component, Path, PathBuf};

/// The folder a meeting may read from, canonicalised once.
#[derive(Debug, Clone)]
pub struct Sandbox {
    root: PathBuf,
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
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
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
        let joined = self.root.join(rel);
        let real = joined
            .canonicalize()
            .map_err(|e| Refused::Missing(io_reason(&e)))?;
        if !real.starts_with(&self.root) {
            return Err(Refused::LinkOutside);
        }
        if !real.is_file() {
            return Err(Refused::Missing("it is not a file".into()));
        }
        Ok(real)
    }

    /// The path of a real file inside the folder as Typst sees it: `/sub/file.png`.
    pub fn virtual_path(&self, real: &Path) -> Option<String> {
        let rel = real.strip_prefix(&self.root).ok()?;
        let parts: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(format!("/{}", parts.join("/")))
    }
}

pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
