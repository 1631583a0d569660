//! What the site folder remembers of the last build, stored so that a build reads it one
//! meeting at a time and holds none of it whole (issue 28): a small header
//! (`.protokoll-site.json`: the run's key, the shared files, the years) and one file of
//! meetings a year (`.protokoll-site/moten/<year>.jsonl`), one meeting a line, by page path.
//! A build reads the years' files side by side in page order, as it goes through the
//! archive's meetings in the same order ([`Old`]), and writes again only the years whose
//! meetings changed.
//!
//! The paths of the files a meeting was made from are below the archive's folder (the
//! meeting file, its bilagor) and below the editions folder (its web editions), never as
//! the build was given them: the cache is published with the site, and `data`,
//! `/srv/arkiv/data` and `../data` are the same archive.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::incremental::InputFile;

use super::model::Brief;

/// The header in the site folder.
pub(super) const HEADER: &str = ".protokoll-site.json";
/// The meetings of each year, `<YEARS>/<year>.jsonl`.
pub(super) const YEARS: &str = ".protokoll-site/moten";
/// The cache's format; a cache of another is not read (everything is read once).
pub(super) const FORMAT: u32 = 5;

/// What the header keeps.
#[derive(Default, Serialize, Deserialize)]
pub(super) struct Header {
    #[serde(default)]
    pub format: u32,
    /// The run's key (the tool, its templates, the site's files): under another, every
    /// meeting is read and every page made again.
    #[serde(default)]
    pub run: String,
    /// The files the last build wrote that no meeting owns and no part of the search index
    /// holds: the index pages, the organs' and people's pages, the main search index.
    #[serde(default)]
    pub files: BTreeSet<String>,
    /// The SHA-256 of the people's search records the main search index (`pagefind/`) was
    /// made from: made again only when they change.
    #[serde(default)]
    pub people_index: String,
    /// Each year's file of meetings, as written: one whose size differs, or that is gone,
    /// makes the cache unusable (everything is read once).
    #[serde(default)]
    pub years: BTreeMap<String, YearFile>,
}

/// One year's file of meetings as the header lists it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct YearFile {
    pub meetings: usize,
    pub bytes: u64,
}

/// One meeting as the last build left it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Cached {
    /// The files it was made from below the archive's folder — the meeting file, its
    /// bilagor — with size, time and hash: deciding it is unchanged is a `stat` per file.
    pub inputs: Vec<InputFile>,
    /// Its web editions below the editions folder, likewise.
    pub edition_inputs: Vec<InputFile>,
    /// The names of its web editions (a new extract is a change).
    pub editions: Vec<String>,
    /// What the shared pages need of it.
    pub brief: Brief,
    /// The numbers the shared files take as declared not to be personnummer: those its page
    /// and search records show that its gate told apart — declared in its file, or told
    /// apart by the words around them (the search index keeps a number without those
    /// words). Only what it shows, nothing it withholds: the cache is in the site's folder,
    /// readable by all ([`super::check_cached`]).
    pub not_numbers: Vec<String>,
    /// Its own files, relative to the site folder: its page and its PDFs.
    pub files: Vec<String>,
}

/// The header of the cache in `out`; of another format, or when a year's file is gone or
/// not as written, only the files it lists (those the new build does not make are removed:
/// the single search index of before, its fragments) and no meeting.
pub(super) fn read_header(out: &Path) -> Header {
    let bytes = std::fs::read(out.join(HEADER)).unwrap_or_default();
    let header = serde_json::from_slice::<Header>(&bytes)
        .ok()
        .filter(|h| h.format == FORMAT);
    match header {
        Some(h) if h.years.iter().all(|(y, f)| intact(out, y, f)) => h,
        Some(h) => Header {
            files: h.files,
            ..Header::default()
        },
        None => {
            #[derive(Deserialize)]
            struct Files {
                files: BTreeSet<String>,
            }
            Header {
                files: serde_json::from_slice::<Files>(&bytes)
                    .map(|f| f.files)
                    .unwrap_or_default(),
                ..Header::default()
            }
        }
    }
}

fn intact(out: &Path, year: &str, f: &YearFile) -> bool {
    std::fs::metadata(year_file(out, year)).is_ok_and(|m| m.is_file() && m.len() == f.bytes)
}

/// The file of the meetings of `year`.
pub(super) fn year_file(out: &Path, year: &str) -> std::path::PathBuf {
    out.join(YEARS).join(format!("{year}.jsonl"))
}

/// The lines of one year's file: each meeting, by page path.
pub(super) fn year_lines<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a Cached)>,
) -> (Vec<u8>, YearFile) {
    let mut bytes = Vec::new();
    let mut meetings = 0;
    for (path, c) in entries {
        serde_json::to_writer(&mut bytes, &(path, c)).expect("an entry serialises");
        bytes.push(b'\n');
        meetings += 1;
    }
    let bytes_len = bytes.len() as u64;
    (
        bytes,
        YearFile {
            meetings,
            bytes: bytes_len,
        },
    )
}

/// The meetings of the last build, read from the years' files side by side in page order:
/// one line a year held at a time.
pub(super) struct Old {
    years: Vec<(String, std::io::Lines<BufReader<std::fs::File>>, usize)>,
    expected: Vec<usize>,
    /// The next line of each year, by page path (smallest first).
    next: BinaryHeap<std::cmp::Reverse<(String, usize)>>,
    /// Each year's next meeting, parsed, and its line as read.
    held: Vec<Option<(Cached, String)>>,
}

/// A year's file could not be read as written: the cache cannot be counted on.
#[derive(Debug)]
pub(super) struct Damaged;

impl Old {
    /// Opens the years' files `header` lists (none when `header` lists none).
    pub fn open(out: &Path, header: &Header) -> Result<Self, Damaged> {
        let mut old = Old {
            years: Vec::new(),
            expected: Vec::new(),
            next: BinaryHeap::new(),
            held: Vec::new(),
        };
        for (year, f) in &header.years {
            let file = std::fs::File::open(year_file(out, year)).map_err(|_| Damaged)?;
            old.years
                .push((year.clone(), BufReader::new(file).lines(), 0));
            old.expected.push(f.meetings);
            old.held.push(None);
            old.advance(old.years.len() - 1)?;
        }
        Ok(old)
    }

    fn advance(&mut self, i: usize) -> Result<(), Damaged> {
        let (_, lines, read) = &mut self.years[i];
        match lines.next() {
            None => {
                if *read != self.expected[i] {
                    return Err(Damaged);
                }
                Ok(())
            }
            Some(line) => {
                let line = line.map_err(|_| Damaged)?;
                let (path, c): (String, Cached) =
                    serde_json::from_str(&line).map_err(|_| Damaged)?;
                *read += 1;
                self.held[i] = Some((c, line));
                self.next.push(std::cmp::Reverse((path, i)));
                Ok(())
            }
        }
    }

    /// The page path of the next meeting, if any is left.
    pub fn peek(&self) -> Option<&str> {
        self.next.peek().map(|std::cmp::Reverse((p, _))| p.as_str())
    }

    /// The next meeting: its page path, its entry, and its line as read (`[path, entry]`).
    pub fn pop(&mut self) -> Result<Option<(String, Cached, String)>, Damaged> {
        let Some(std::cmp::Reverse((path, i))) = self.next.pop() else {
            return Ok(None);
        };
        let (c, line) = self.held[i].take().expect("held with its path");
        self.advance(i)?;
        Ok(Some((path, c, line)))
    }
}
