//! Running the binary and reading PDFs back, for every test module.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `assemble` with `args` in `cwd`.
pub fn assemble(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_assemble"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .output()
        .expect("the assemble binary runs")
}

/// Starts `assemble` with `args` in `cwd`, its standard output piped, for commands that run
/// until stopped (`watch`).
pub fn spawn(cwd: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_assemble"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the assemble binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A temporary copy of a fixture folder (tests may change it).
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Builds `meeting.toml` in `dir` into `dir/out.pdf`; panics with the messages on failure.
pub fn build(dir: &Path) -> PathBuf {
    let out = assemble(dir, &["meeting.toml", "-o", "out.pdf"]);
    assert!(out.status.success(), "assemble failed:\n{}", stderr(&out));
    dir.join("out.pdf")
}

/// The text of each page, whitespace folded to single spaces.
pub fn pages(pdf: &Path) -> Vec<String> {
    let bytes = std::fs::read(pdf).unwrap();
    pdf_extract::extract_text_from_mem_by_pages(&bytes)
        .unwrap()
        .into_iter()
        .map(|p| fold(&p))
        .collect()
}

pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn page_count(pdf: &Path) -> usize {
    lopdf::Document::load(pdf).unwrap().get_pages().len()
}

/// "Sida X (Y)" of each page, in order.
pub fn sida(pages: &[String]) -> Vec<Option<(usize, usize)>> {
    pages
        .iter()
        .map(|p| {
            let at = p.find("Sida ")?;
            let rest = &p[at + 5..];
            let (x, rest) = rest.split_once(" (")?;
            let (y, _) = rest.split_once(')')?;
            Some((x.trim().parse().ok()?, y.trim().parse().ok()?))
        })
        .collect()
}

/// Asserts that `needles` occur in `haystack` in this order.
pub fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle) {
            Some(pos) => from += pos + needle.len(),
            None => panic!("`{needle}` not found (in order) after byte {from} of:\n{haystack}"),
        }
    }
}
