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

/// `check FILE --message-format json` in `dir`: (exit code, every diagnostic).
pub fn check_json(dir: &Path, file: &str) -> (Option<i32>, Vec<serde_json::Value>) {
    let out = assemble(dir, &["check", file, "--message-format", "json"]);
    let objects = stdout(&out)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    (out.status.code(), objects)
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

/// The document's title in its metadata (the Info dictionary's `Title`).
pub fn pdf_title(doc: &lopdf::Document) -> String {
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|i| i.as_reference())
        .unwrap();
    let info = doc.get_dictionary(info).unwrap();
    lopdf::decode_text_string(info.get(b"Title").unwrap()).unwrap()
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

/// A word drawn on a page, with the box of its glyphs in PDF points (y down, from the top).
#[derive(Debug, Clone)]
pub struct Word {
    pub page: usize,
    pub text: String,
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
}

/// Every word of every page with the box of its glyphs, as poppler's `pdftotext -bbox`
/// places them (the box holds every glyph of the word), and each page's size `(width,
/// height)` in points. Text drawn as outlines (the pages of a PDF bilaga) has none.
/// Needs `pdftotext` (Debian `poppler-utils`; `.ci/run` installs it). pdf-extract is no help
/// here: it reads no glyph widths from Typst's CID fonts, so its positions drift.
pub fn words_with_boxes(pdf: &Path) -> (Vec<Word>, Vec<(f64, f64)>) {
    let out = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian package poppler-utils)");
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8_lossy(&out.stdout);
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let at = tag.find(&key).expect("attribute") + key.len();
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let (mut words, mut sizes) = (Vec::new(), Vec::new());
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            sizes.push((attr(line, "width"), attr(line, "height")));
        } else if line.starts_with("<word ") {
            let text = line
                .split('>')
                .nth(1)
                .and_then(|t| t.split('<').next())
                .unwrap_or("")
                .to_owned();
            words.push(Word {
                page: sizes.len(),
                text,
                x0: attr(line, "xMin"),
                x1: attr(line, "xMax"),
                y0: attr(line, "yMin"),
                y1: attr(line, "yMax"),
            });
        }
    }
    (words, sizes)
}

/// Left and right margin of every page the templates set (protokoll.typ: 2.5 cm).
pub const MARGIN_X: f64 = 2.5 / 2.54 * 72.0;

/// Asserts that every glyph of `pdf` lies inside the text area's width (the left and right
/// margins of the house style) and on its page: nothing runs off the page or into the
/// margin (issue 12 kind 5, issue 13 item 5). The page header and footer sit within the
/// same width, so they are checked too; only their height differs.
pub fn assert_glyphs_inside_text_area(pdf: &Path) {
    let (words, sizes) = words_with_boxes(pdf);
    assert!(!words.is_empty(), "no text read from {}", pdf.display());
    // Half a point: rounding, and the side bearing of an italic or bold glyph.
    let tolerance = 0.5;
    let mut outside = Vec::new();
    for w in &words {
        let (pw, ph) = sizes[w.page - 1];
        let inside = w.x0 >= MARGIN_X - tolerance
            && w.x1 <= pw - MARGIN_X + tolerance
            && w.y0 >= 0.0
            && w.y1 <= ph;
        if !inside {
            outside.push(format!(
                "page {}: `{}` at x {:.1}–{:.1}, y {:.1}–{:.1} (text area x {:.1}–{:.1})",
                w.page,
                w.text,
                w.x0,
                w.x1,
                w.y0,
                w.y1,
                MARGIN_X,
                pw - MARGIN_X
            ));
        }
    }
    assert!(
        outside.is_empty(),
        "{} word(s) of {} outside the text area:\n{}",
        outside.len(),
        pdf.display(),
        outside.into_iter().take(20).collect::<Vec<_>>().join("\n")
    );
}

/// `assemble new --from meeting.toml --date DATE -o next.toml` in `dir`, which must succeed:
/// the new file's text.
pub fn new_next(dir: &Path, date: &str) -> String {
    let out = assemble(
        dir,
        &[
            "new",
            "--from",
            "meeting.toml",
            "--date",
            date,
            "-o",
            "next.toml",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::read_to_string(dir.join("next.toml")).unwrap()
}

/// Builds `meeting.toml` of the fixture `name` to `out.pdf`, which must succeed: the folder,
/// the PDF and what `assemble` printed (warnings).
pub fn built_fixture(name: &str) -> (tempfile::TempDir, PathBuf, String) {
    let dir = fixture(name);
    let out = assemble(dir.path(), &["meeting.toml", "-o", "out.pdf"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{name}: assemble failed:\n{err}");
    let pdf = dir.path().join("out.pdf");
    (dir, pdf, err)
}

/// The text of the pages that are a bilaga's ("Bilaga " in their header), joined.
pub fn bilaga_text(pdf: &Path) -> String {
    pages(pdf)
        .into_iter()
        .filter(|p| p.contains("Bilaga "))
        .collect::<Vec<_>>()
        .join(" ")
}
