//! The one place that reads the working directory. A path named on the command line below
//! it is handed to the library relative to it (`cli.rs` parses every path argument with
//! [`Relative`]), so every message the library writes names the file as the user would
//! (`möten/2024-03-12.toml:4:1`, also when the path was typed absolute), and the library never
//! reads the environment to show a path (issue 21). A relative path names the same file as
//! the absolute one it came from: the process's directory does not change during a run.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The working directory, read once.
pub(crate) fn cwd() -> Option<&'static Path> {
    static CWD: OnceLock<Option<PathBuf>> = OnceLock::new();
    CWD.get_or_init(|| std::env::current_dir().ok()).as_deref()
}

/// `path` relative to the working directory when it is below it, else as given; the
/// working directory itself is `.`.
pub(crate) fn relative(path: PathBuf) -> PathBuf {
    match cwd().and_then(|cwd| path.strip_prefix(cwd).ok()) {
        Some(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Some(rel) => rel.to_path_buf(),
        None => path,
    }
}

/// A path as the user should see it, for the command line's own lines ("wrote …").
pub(crate) fn display_path(path: &Path) -> String {
    relative(path.to_path_buf()).display().to_string()
}

/// clap's parser of a path argument, made [`relative`]. Takes the argument as an `OsStr`,
/// as clap's own `PathBuf` parser does, so a path that is not UTF-8 is still accepted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Relative;

impl clap::builder::TypedValueParser for Relative {
    type Value = PathBuf;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<PathBuf, clap::Error> {
        let path = clap::builder::PathBufValueParser::new().parse_ref(cmd, arg, value)?;
        Ok(relative(path))
    }
}
